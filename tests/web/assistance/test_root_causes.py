"""The root-cause page: findings tied to Dashboard results, the fishbone, 5 whys, interviews."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from continuum.web.accountability.models import IndicatorResult
from continuum.web.assistance.fishbone import fishbone, wrap
from continuum.web.assistance.models import (
    Cause,
    DataFinding,
    EmpathyInterview,
    FishboneCategory,
    WhyChain,
)
from continuum.web.assistance.services import FISHBONE_CATEGORIES
from continuum.web.audit.models import AuditEvent
from tests.web.personas import World

pytestmark = pytest.mark.django_db


def _page(client: Client, world: World) -> str:
    response = client.get(reverse("assistance:root_causes", args=[world.engagement.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _record_analysis(world: World) -> tuple[DataFinding, Cause]:
    engagement = world.engagement
    engagement.problem_of_practice = "Students with disabilities are not reading at grade level."
    engagement.save()
    finding = DataFinding.objects.create(
        engagement=engagement, statement="SWD are Red on ELA, 90 points below standard.",
        year=2025, cds=world.alder.cds, studentgroup="SWD", indicator="ELA",
    )  # fmt: skip
    people = FishboneCategory.objects.create(engagement=engagement, name="Teachers and staff")
    FishboneCategory.objects.create(engagement=engagement, name="Policies and procedures")
    cause = Cause.objects.create(
        category=people, text="Co-teachers have no shared planning time",
        evidence="Master schedule 2025-26", finding=finding,
    )  # fmt: skip
    WhyChain.objects.create(
        engagement=engagement, problem="SWD miss core ELA instruction",
        whys=["They are pulled out during ELA", "The schedule has no other slot"],
        root_cause="Intervention is scheduled against core instruction",
    )  # fmt: skip
    EmpathyInterview.objects.create(
        engagement=engagement, date=datetime.date(2026, 1, 12),
        interviewee=EmpathyInterview.Interviewee.TEACHER,
        summary="Feels intervention time competes with ELA.", themes="time, scheduling",
    )  # fmt: skip
    return finding, cause


@pytest.mark.parametrize("persona", ["carol", "cody", "alice", "vera"])
def test_readers_of_the_lea_see_every_recorded_part(
    persona: str, world: World, as_persona: dict[str, Client]
) -> None:
    _record_analysis(world)
    page = _page(as_persona[persona], world)
    for text in (
        "SWD are Red on ELA, 90 points below standard.",
        "Co-teachers have no shared planning time",
        "Master schedule 2025-26",
        "They are pulled out during ELA",
        "Intervention is scheduled against core instruction",
        "Feels intervention time competes with ELA.",
        "Teacher",
    ):
        assert text in page, text
    assert ("Add a data finding" in page) is (persona != "vera")


def test_fishbone_svg_names_every_category_and_cause_and_has_a_text_alternative(
    world: World, as_persona: dict[str, Client]
) -> None:
    _record_analysis(world)
    page = _page(as_persona["cody"], world)
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "Teachers and staff" in svg and "Policies and procedures" in svg
    assert "<title>Co-teachers have no shared planning time</title>" in svg
    listing = page[page.index("</svg>") :]
    assert "Co-teachers have no shared planning time" in listing
    category = FishboneCategory.objects.get(name="Policies and procedures")
    new_cause = reverse("assistance:part_new", args=[world.engagement.pk, "cause"])
    assert f"{new_cause}?category={category.pk}" in listing


def test_fishbone_geometry_puts_one_bone_per_category_and_one_rib_per_cause() -> None:
    drawing = fishbone("Low reading", [("People", ["a", "b"]), ("Policies", []), ("Time", ["c"])])
    assert [len(bone.ribs) for bone in drawing.bones] == [2, 0, 1]
    above, below, third = drawing.bones
    assert above.y2 < drawing.spine_y < below.y2
    assert third.x1 > above.x1
    assert all(bone.x1 < drawing.head_x for bone in drawing.bones)
    assert drawing.head.lines[0].text == "Low reading"


def test_long_text_is_wrapped_at_words_and_cut_with_an_ellipsis() -> None:
    lines = wrap("word " * 60, 100, 3)
    assert len(lines) == 3
    assert lines[-1].endswith("…")
    assert all(len(line) <= 100 / 7 for line in lines)


def test_finding_links_to_the_stored_dashboard_result_with_colour_status_and_change(
    world: World, as_persona: dict[str, Client]
) -> None:
    _record_analysis(world)
    page = _page(as_persona["alice"], world)
    result = IndicatorResult.objects.get(cds=world.alder.cds, studentgroup="SWD", indicator="ELA")
    assert reverse("accountability:result", args=[result.pk]) in page
    assert re.search(r"</span>Red</span>\s*, status -40.5, change −3.2", page)


def test_evidence_of_the_determination_prefills_a_new_finding(
    world: World, as_persona: dict[str, Client]
) -> None:
    page = _page(as_persona["cody"], world)
    start = page.index(reverse("assistance:part_new", args=[world.engagement.pk, "finding"]) + "?")
    link = page[start : page.index('"', start)].replace("&amp;", "&")
    form = as_persona["cody"].get(link).content.decode()
    assert 'value="2025"' in form and f'value="{world.alder.cds}"' in form
    assert 'value="SWD"' in form and 'value="ELA"' in form
    assert "English Language Arts (priority 4: Red on ELA): Red, status -90.1, change -5.0." in form


def test_start_with_the_usual_categories_creates_them_once_and_audits(
    world: World, as_persona: dict[str, Client]
) -> None:
    url = reverse("assistance:fishbone_start", args=[world.engagement.pk])
    assert "Start with the usual categories" in _page(as_persona["alice"], world)
    assert as_persona["alice"].post(url).status_code == 302
    names = list(world.engagement.fishbone_categories.values_list("name", flat=True))
    assert names == list(FISHBONE_CATEGORIES)
    as_persona["alice"].post(url)
    assert world.engagement.fishbone_categories.count() == len(FISHBONE_CATEGORIES)
    events = AuditEvent.objects.filter(verb="engagement_fishbone_start")
    assert events.count() == 1
    assert events.get().actor_username == "alice"
    assert "Start with the usual categories" not in _page(as_persona["alice"], world)


def test_viewer_cannot_start_the_fishbone(world: World, as_persona: dict[str, Client]) -> None:
    url = reverse("assistance:fishbone_start", args=[world.engagement.pk])
    assert as_persona["vera"].post(url).status_code == 403
    assert not world.engagement.fishbone_categories.exists()


def _whys_url(world: World, chain: WhyChain | None = None) -> str:
    if chain is None:
        return reverse("assistance:part_new", args=[world.engagement.pk, "whys"])
    return reverse("assistance:part_edit", args=[world.engagement.pk, "whys", chain.pk])


def test_whys_are_typed_one_per_line_and_shown_one_per_line_on_edit(
    world: World, as_persona: dict[str, Client]
) -> None:
    client = as_persona["cody"]
    response = client.post(_whys_url(world), {
        "problem": "Chronic absence is high", "whys": "Buses are late\n\n  Routes changed \n",
        "root_cause": "Route planning ignores bell times",
    })  # fmt: skip
    assert response.status_code == 302
    chain = WhyChain.objects.get()
    assert chain.whys == ["Buses are late", "Routes changed"]
    form = client.get(_whys_url(world, chain)).content.decode()
    assert "Buses are late\nRoutes changed</textarea>" in form
    assert AuditEvent.objects.filter(verb="whychain_create").count() == 1


@pytest.mark.parametrize("whys", ["\n  \n", "\n".join(f"why {n}" for n in range(6))])
def test_whys_refuse_none_or_more_than_five_answers_naming_the_problem(
    whys: str, world: World, as_persona: dict[str, Client]
) -> None:
    response = as_persona["cody"].post(
        _whys_url(world), {"problem": "Chronic absence is high", "whys": whys}
    )
    assert response.status_code == 200
    assert (
        "one to five answers to “why?” for “Chronic absence is high”" in response.content.decode()
    )
    assert not WhyChain.objects.exists()


def test_interview_form_warns_against_names(world: World, as_persona: dict[str, Client]) -> None:
    url = reverse("assistance:part_new", args=[world.engagement.pk, "interview"])
    form = as_persona["alice"].get(url).content.decode()
    assert "Do not write the names of students or families" in form
