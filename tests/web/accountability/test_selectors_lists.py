"""The county lists' reads: ESSA schools in status order with their reasons, priority areas and
whether a group counts, the group × indicator matrix, colour changes, trends."""

from __future__ import annotations

import pytest

from continuum.web.accountability import selectors_lists as lists
from continuum.web.accountability.models import DaEvidence, EssaResult, IndicatorResult
from continuum.web.agencies.models import Lea, School
from tests.web.personas import World

pytestmark = pytest.mark.django_db


def _result(world: World, year: int, group: str, indicator: str, color: int) -> None:
    IndicatorResult.objects.create(
        year=year, cds=world.alder.cds, rtype="D", name=world.alder.name, studentgroup=group,
        indicator=indicator, color=color,
    )  # fmt: skip


def test_essa_schools_come_csi_first_with_the_groups_named(world: World) -> None:
    EssaResult.objects.create(year=2025, cds=world.oak.cds, status="TSI", groups=["SWD"])
    EssaResult.objects.create(year=2025, cds=world.pine.cds, status="CSI Grad")
    rows = lists.essa_schools(schools=School.objects.all(), year=2025)
    assert [(r.school.name, r.status_name) for r in rows] == [
        ("Pine High", "CSI: low graduation rate"), ("Oak Elementary", "TSI"),
    ]  # fmt: skip
    assert rows[1].groups == [("SWD", "Students with Disabilities")]


def test_a_school_with_no_status_is_not_listed(world: World) -> None:
    EssaResult.objects.create(year=2025, cds=world.oak.cds, status="No Status")
    assert lists.essa_schools(schools=School.objects.all(), year=2025) == []


def test_a_group_meeting_two_priority_areas_counts_with_cdes_letter(world: World) -> None:
    DaEvidence.objects.create(
        year=2025, cds=world.alder.cds, studentgroup="SWD", priority=5,
        criterion="Red on Chronic Absenteeism", indicator="CHRO",
    )  # fmt: skip
    rows = lists.priority_areas(leas=Lea.objects.filter(pk=world.alder.pk), year=2025)
    assert [(r.priority_name, r.criteria, r.code) for r in rows] == [
        ("Pupil Achievement", ["Red on ELA"], "B"),
        ("Pupil Engagement", ["Red on Chronic Absenteeism"], "B"),
    ]
    assert all(r.qualifies for r in rows)


def test_the_matrix_has_a_row_per_lea_and_group_with_each_indicators_colour(
    world: World,
) -> None:
    _result(world, 2025, "SWD", "MATH", 2)
    rows = lists.group_matrix(leas=Lea.objects.filter(county=world.county), year=2025)
    assert [(r.lea.name, r.group, r.colours) for r in rows] == [
        ("Alder Unified", "ALL", {"ELA": 3}),
        ("Alder Unified", "SWD", {"ELA": 1, "MATH": 2}),
        ("Birch Unified", "ALL", {"ELA": 3}),
        ("Birch Unified", "SWD", {"ELA": 1}),
    ]


def test_only_colours_that_changed_between_coloured_years_are_listed(world: World) -> None:
    _result(world, 2024, "ALL", "ELA", 3)  # Yellow both years: unchanged
    _result(world, 2024, "SWD", "ELA", 0)  # no colour last year: not compared
    _result(world, 2024, "EL", "ELA", 4)  # no result this year
    assert lists.colour_changes(leas=Lea.objects.all(), year=2025) == []


def test_a_colour_that_went_down_is_down(world: World) -> None:
    _result(world, 2024, "SWD", "ELA", 2)
    (change,) = lists.colour_changes(leas=Lea.objects.all(), year=2025)
    assert (change.group_name, change.before, change.after, change.direction) == (
        "Students with Disabilities", 2, 1, "down",
    )  # fmt: skip


def test_trends_run_oldest_year_first_within_indicator_and_group(world: World) -> None:
    _result(world, 2023, "ALL", "ELA", 2)
    _result(world, 2024, "ALL", "ELA", 1)
    found = [(r.indicator, r.studentgroup, r.year) for r in lists.trends(cds=world.alder.cds)]
    assert found == [("ELA", "ALL", 2023), ("ELA", "ALL", 2024), ("ELA", "ALL", 2025),
                     ("ELA", "SWD", 2025)]  # fmt: skip
