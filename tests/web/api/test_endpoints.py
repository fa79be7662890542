"""The API's reads: each scoped to the caller, paginated within bounds, filtered by declared
parameters, every read audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.web.accountability.models import EssaResult, IndicatorResult, ResultYear
from continuum.web.accounts.models import User
from continuum.web.audit.models import AuditEvent
from tests.web.personas import World, client_for, other_county_admin_create

pytestmark = pytest.mark.django_db

LISTS = ("api_leas", "api_essa_schools", "api_priority_areas", "api_group_matrix",
         "api_colour_changes", "api_engagements")  # fmt: skip


def _get(client: Client, name: str, args: list[str] | None = None, **query: str) -> Any:
    return client.get(reverse(f"accountability:{name}", args=args), query)


@pytest.fixture
def essa(world: World) -> None:
    """Oak is ATSI for its students with disabilities; Pine is CSI; Elm (the other county's)
    is TSI."""
    EssaResult.objects.create(
        year=2025, cds=world.oak.cds, status="ATSI", groups=["SWD"],
        explanation="Students with Disabilities: all indicators Red.",
    )  # fmt: skip
    EssaResult.objects.create(year=2025, cds=world.pine.cds, status="CSI Low Perform")
    EssaResult.objects.create(year=2025, cds=world.elm.cds, status="TSI", groups=["EL"])


@pytest.fixture
def last_year(world: World) -> None:
    """2024 results: Alder's all students were Red on ELA (up to Yellow in 2025), its students
    with disabilities Orange (down to Red)."""
    ResultYear.objects.create(year=2024, rows=2, imported_at=timezone.now())
    for group, color in (("ALL", 1), ("SWD", 2)):
        IndicatorResult.objects.create(
            year=2024, cds=world.alder.cds, rtype="D", name=world.alder.name,
            studentgroup=group, indicator="ELA", color=color,
        )  # fmt: skip


@pytest.mark.parametrize("name", LISTS)
def test_the_other_countys_administrator_sees_nothing_of_ours(
    name: str, world: World, users: dict[str, User], essa: None
) -> None:
    dora = client_for(other_county_admin_create(world))
    rows = _get(dora, name).json()["results"]
    ours = {world.alder.cds, world.birch.cds, world.oak.cds, world.pine.cds}
    assert not ours & {value for row in rows for value in row.values() if isinstance(value, str)}


@pytest.mark.parametrize(
    "name",
    ["api_lea_equity_gaps", "api_lea_trends", "api_lea"],
)
def test_a_district_leader_cannot_read_another_leas(
    name: str, world: World, as_persona: dict[str, Client]
) -> None:
    response = _get(as_persona["alice"], name, [world.birch.cds])
    assert response.status_code == 404
    assert "error" in response.json()


def test_a_district_leader_lists_only_their_own_schools(
    world: World, as_persona: dict[str, Client], essa: None
) -> None:
    rows = _get(as_persona["alice"], "api_essa_schools").json()["results"]
    assert [row["cds"] for row in rows] == [world.oak.cds]
    assert rows[0]["status"] == "ATSI"
    assert rows[0]["groups_text"] == "Students with Disabilities"
    assert rows[0]["explanation"].startswith("Students with Disabilities")
    assert rows[0]["lea_cds"] == world.alder.cds


def test_a_school_leader_reads_their_schools_trends_not_its_leas(
    world: World, as_persona: dict[str, Client]
) -> None:
    own = _get(as_persona["sam"], "api_school_trends", [world.oak.cds])
    assert own.status_code == 200
    assert {row["group_code"] for row in own.json()["results"]} == {"ALL", "SWD"}
    assert _get(as_persona["sam"], "api_lea_trends", [world.alder.cds]).status_code == 404


def test_pages_split_the_rows_and_say_how_many(world: World, as_persona: dict[str, Client]) -> None:
    first = _get(as_persona["cody"], "api_leas", page_size="1").json()
    second = _get(as_persona["cody"], "api_leas", page_size="1", page="2").json()
    assert (first["count"], first["pages"], first["page"]) == (2, 2, 1)
    assert [r["cds"] for r in first["results"] + second["results"]] == [
        world.alder.cds, world.birch.cds,
    ]  # fmt: skip


def test_a_page_past_the_last_is_404(world: World, as_persona: dict[str, Client]) -> None:
    response = _get(as_persona["cody"], "api_leas", page="3", page_size="1")
    assert response.status_code == 404
    assert response.json() == {"error": "There is no page 3: there are 2."}


OUT_OF_BOUNDS = [("page_size", "201"), ("page_size", "0"), ("page", "0"), ("page", "1.5"),
                 ("page", "-1")]  # fmt: skip


@pytest.mark.parametrize(("name", "value"), OUT_OF_BOUNDS)
def test_a_page_or_page_size_out_of_bounds_is_400(
    name: str, value: str, world: World, as_persona: dict[str, Client]
) -> None:
    response = _get(as_persona["cody"], "api_leas", **{name: value})
    assert response.status_code == 400
    assert name in response.json()["error"]


def test_the_largest_page_size_is_accepted(world: World, as_persona: dict[str, Client]) -> None:
    assert _get(as_persona["cody"], "api_leas", page_size="200").json()["page_size"] == 200


def test_the_support_level_filter_keeps_the_leas_at_that_level(
    world: World, as_persona: dict[str, Client]
) -> None:
    rows = _get(as_persona["cody"], "api_leas", level="2").json()["results"]
    assert [(r["cds"], r["level"]) for r in rows] == [(world.alder.cds, "Level 2")]


def test_a_filter_value_not_declared_is_400_naming_the_values(
    world: World, as_persona: dict[str, Client]
) -> None:
    response = _get(as_persona["cody"], "api_group_matrix", colour="9", indicator="ELA")
    assert response.status_code == 400
    assert "“9” is not one of the choices (Red, Orange" in response.json()["error"]


@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_filter_value_is_400_not_every_row(
    world: World, as_persona: dict[str, Client], value: str
) -> None:
    response = _get(as_persona["cody"], "api_colour_changes", indicator=value)
    assert response.status_code == 400
    assert response.json()["error"] == (
        "indicator is empty: leave it out for every value, or give one."
    )


def test_a_colour_without_its_indicator_is_400(world: World, as_persona: dict[str, Client]) -> None:
    response = _get(as_persona["cody"], "api_group_matrix", colour="1")
    assert response.status_code == 400
    assert "needs another filter" in response.json()["error"]


def test_a_filter_of_another_endpoint_is_400(world: World, as_persona: dict[str, Client]) -> None:
    response = _get(as_persona["cody"], "api_essa_schools", colour="1")
    assert response.status_code == 400
    assert "“colour”" in response.json()["error"]


def test_the_group_matrix_filtered_by_colour_keeps_the_red_rows(
    world: World, as_persona: dict[str, Client]
) -> None:
    data = _get(as_persona["cody"], "api_group_matrix", colour="1", indicator="ELA").json()
    assert {(r["lea_cds"], r["group"]) for r in data["results"]} == {
        (world.alder.cds, "Students with Disabilities"),
        (world.birch.cds, "Students with Disabilities"),
    }
    assert data["results"][0]["ELA"] == {"color": 1, "colour": "Red"}
    assert data["results"][0]["MATH"] is None


def test_colour_changes_say_which_way_each_colour_went(
    world: World, as_persona: dict[str, Client], last_year: None
) -> None:
    data = _get(as_persona["cody"], "api_colour_changes").json()
    changes = {(r["group"], r["before"]["colour"], r["after"]["colour"], r["direction"])
               for r in data["results"]}  # fmt: skip
    assert data["compared_with"] == 2024
    assert changes == {
        ("All Students", "Red", "Yellow", "Colour went up (better)"),
        ("Students with Disabilities", "Orange", "Red", "Colour went down (worse)"),
    }
    down = _get(as_persona["cody"], "api_colour_changes", direction="down").json()["results"]
    assert [r["group"] for r in down] == ["Students with Disabilities"]


def test_priority_areas_list_the_criteria_each_group_met(
    world: World, as_persona: dict[str, Client]
) -> None:
    rows = _get(as_persona["alice"], "api_priority_areas").json()["results"]
    assert [(r["group"], r["priority"], r["criteria"], r["qualifies"]) for r in rows] == [
        ("Students with Disabilities", "4: Pupil Achievement", "Red on ELA",
         "No: fewer than two areas")
    ]  # fmt: skip


def test_equity_gaps_are_each_groups_status_minus_all_students(
    world: World, as_persona: dict[str, Client]
) -> None:
    IndicatorResult.objects.filter(cds=world.alder.cds, studentgroup="SWD").update(currstatus=-70.5)
    rows = _get(as_persona["alice"], "api_lea_equity_gaps", [world.alder.cds]).json()["results"]
    assert [(r["group"], r["everyone"], r["gap"]) for r in rows] == [
        ("Students with Disabilities", -40.5, -30.0)
    ]


def test_engagement_summaries_are_of_the_leas_in_scope(
    world: World, as_persona: dict[str, Client]
) -> None:
    alice = _get(as_persona["alice"], "api_engagements").json()["results"]
    bob = _get(as_persona["bob"], "api_engagements").json()["results"]
    assert [(r["lea_cds"], r["status"], r["meetings"]) for r in alice] == [
        (world.alder.cds, "Active", 1)
    ]
    assert alice[0]["groups_text"] == "Students with Disabilities (B)"
    assert bob == []


def test_a_list_read_is_audited_with_its_filters_and_rows(
    world: World, as_persona: dict[str, Client]
) -> None:
    _get(as_persona["cody"], "api_leas", level="2")
    event = AuditEvent.objects.filter(verb="export").latest("id")
    assert event.actor_username == "cody"
    assert event.details["what"] == "LEAs by support level"
    assert event.details["rows"] == 1
    assert event.details["filters"]["level"] == "2"
    assert event.county == world.county


def test_a_refused_read_is_not_audited(world: World, as_persona: dict[str, Client]) -> None:
    before = AuditEvent.objects.filter(verb="export").count()
    _get(as_persona["cody"], "api_leas", page_size="9999")
    assert AuditEvent.objects.filter(verb="export").count() == before
