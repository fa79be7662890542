"""The PDSA page and one cycle's page: measures with their run charts (signals marked by shape
and written out), data points, and cycles with their plan, do, study and act."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from continuum.web.accounts.models import User
from continuum.web.assistance.forms import PdsaCycleForm
from continuum.web.assistance.models import (
    ChangeIdea,
    DataPoint,
    Driver,
    Engagement,
    Measure,
    PdsaCycle,
)
from continuum.web.audit.models import AuditEvent
from tests.web.migrations import migrated_back
from tests.web.personas import World

pytestmark = pytest.mark.django_db

FIRST = datetime.date(2026, 2, 3)


def _idea(engagement: Engagement, text: str = "Call home on day one") -> ChangeIdea:
    driver = Driver.objects.create(engagement=engagement, text="Family contact")
    return ChangeIdea.objects.create(driver=driver, text=text)


def _measure(world: World, values: list[float]) -> Measure:
    measure = Measure.objects.create(engagement=world.engagement, name="Calls made", unit="calls")
    for week, value in enumerate(values):
        DataPoint.objects.create(
            measure=measure, date=FIRST + datetime.timedelta(weeks=week), value=value
        )
    return measure


def _cycle(world: World, measure: Measure) -> PdsaCycle:
    cycle = PdsaCycle.objects.create(
        engagement=world.engagement, change_idea=_idea(world.engagement), title="Calls, week 1",
        question="Do calls on day one reach families?", prediction="Most families answer.",
        start=FIRST, study="Eight in ten answered.", decision=PdsaCycle.Decision.ADAPT,
    )  # fmt: skip
    cycle.measures.add(measure)
    return cycle


def _get(client: Client, name: str, *args: int, query: str = "") -> str:
    response = client.get(reverse(f"assistance:{name}", args=args) + query)
    assert response.status_code == 200
    return response.content.decode()


def _svgs(page: str) -> list[str]:
    return re.findall(r"<svg.*?</svg>", page, re.S)


def test_eight_rising_points_show_a_trend_on_the_pdsa_and_cycle_pages(
    world: World, as_persona: dict[str, Client]
) -> None:
    measure = _measure(world, [1, 2, 3, 4, 5, 6, 7, 8])
    cycle = _cycle(world, measure)
    for page in (
        _get(as_persona["vera"], "pdsa", world.engagement.pk),
        _get(as_persona["vera"], "cycle", world.engagement.pk, cycle.pk),
    ):
        (svg,) = _svgs(page)
        assert svg.count('class="marker-signal"') == 8
        assert 'class="marker-point"' not in svg
        sentence = "Trend: 8 points in a row all going up, from observation 1 (3 Feb 2026) to " \
            "observation 8 (24 Mar 2026)."  # fmt: skip
        assert f"<li>{sentence}</li>" in page
        assert re.search(r"<desc[^>]*>[^<]*Trend: 8 points in a row all going up", svg)
        assert ">Median 4.5</text>" in svg and "median 4.5 calls" in svg


def test_five_points_say_the_runs_cannot_be_judged_yet(
    world: World, as_persona: dict[str, Client]
) -> None:
    _measure(world, [3, 1, 4, 1, 5])
    page = _get(as_persona["alice"], "pdsa", world.engagement.pk)
    assert "Runs cannot be judged yet: the table of runs starts at 10 points off the median" in page
    assert "Shift cannot be judged yet" in page
    assert "The Anhøj rules cannot be judged yet" in page
    assert "marker-signal" not in page


def test_anhoej_rules_on_request_mark_an_unusually_long_run(
    world: World, as_persona: dict[str, Client]
) -> None:
    # 12 useful points: a run of 8 below the median is longer than round(log2(12) + 3) = 7.
    _measure(world, [1, 2, 3, 1, 2, 3, 1, 2, 9, 5, 9, 5, 9, 5, 9, 5, 5])
    page = _get(as_persona["alice"], "pdsa", world.engagement.pk, query="?rules=anhoej")
    assert "Signals are read with the Anhøj rules" in page
    assert "Unusually long run: 8 points in a row below the median" in page
    (svg,) = _svgs(page)
    assert svg.count('class="marker-signal"') == 8
    assert "Longest run: 8 points (more than 7 would be unusual" in page
    # The IHI reading is given in words beside it: the same stretch is a shift.
    assert (
        "IHI rules (Perla, Provost &amp; Murray):</strong> Shift: 8 points in a row below" in page
    )
    default = _get(as_persona["alice"], "pdsa", world.engagement.pk)
    assert "Signals are read with the IHI rules" in default
    assert '<a href="?rules=anhoej">use the Anhøj rules</a>' in default


def test_astronomical_point_is_recorded_audited_marked_and_listed(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    measure = _measure(world, [4, 5, 4, 5])
    url = reverse("assistance:part_new", args=[world.engagement.pk, "point"])
    form = as_persona["cody"].get(f"{url}?measure={measure.pk}").content.decode()
    assert "The team judges this point astronomical" in form
    response = as_persona["cody"].post(url, {
        "measure": measure.pk, "date": "2026-03-10", "value": "40", "note": "Open house",
        "astronomical": "on"})  # fmt: skip
    assert response.status_code == 302
    assert response["Location"].endswith("#measures")
    point = DataPoint.objects.get(note="Open house")
    assert point.astronomical
    event = AuditEvent.objects.get(verb="datapoint_create")
    assert event.actor == users["cody"] and "astronomical" in event.details["fields"]
    page = _get(as_persona["cody"], "pdsa", world.engagement.pk)
    assert "Astronomical point (team judgement): 10 Mar 2026, 40 calls." in page
    (svg,) = _svgs(page)
    assert svg.count('class="marker-astronomical"') == 1


def _cycle_data(idea: ChangeIdea, **changes: str) -> dict[str, object]:
    data: dict[str, object] = {
        "change_idea": idea.pk, "title": "Calls", "question": "Do families answer?",
        "prediction": "Most do.", "start": "2026-02-03", "end": "2026-02-17",
        "executed_as_planned": "unknown",
    }  # fmt: skip
    data.update(changes)
    return data


def test_cycle_form_refuses_an_end_before_the_start(world: World, users: dict[str, User]) -> None:
    idea = _idea(world.engagement)
    form = PdsaCycleForm(
        _cycle_data(idea, end="2026-02-01"), owner=world.engagement, user=users["cody"]
    )
    assert not form.is_valid()
    assert form.errors["end"] == ["The cycle cannot end before it starts."]
    assert PdsaCycleForm(_cycle_data(idea), owner=world.engagement, user=users["cody"]).is_valid()


def test_cycle_form_refuses_a_decision_without_a_study(
    world: World, users: dict[str, User]
) -> None:
    idea = _idea(world.engagement)
    form = PdsaCycleForm(
        _cycle_data(idea, decision="adopt"), owner=world.engagement, user=users["cody"]
    )
    assert not form.is_valid()
    assert "before deciding to adopt, adapt or abandon" in str(form.errors["decision"])
    studied = _cycle_data(idea, decision="adopt", study="Nine in ten answered.")
    assert PdsaCycleForm(studied, owner=world.engagement, user=users["cody"]).is_valid()


def test_cycle_form_refuses_a_change_idea_of_another_engagement(
    world: World, users: dict[str, User]
) -> None:
    other = Engagement.objects.create(lea=world.birch, year=2025)
    form = PdsaCycleForm(_cycle_data(_idea(other)), owner=world.engagement, user=users["cody"])
    assert not form.is_valid()
    assert "change_idea" in form.errors


def test_planning_a_cycle_is_saved_audited_and_shown_by_phase(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    idea = _idea(world.engagement)
    url = reverse("assistance:part_new", args=[world.engagement.pk, "cycle"])
    refused = as_persona["alice"].post(url, _cycle_data(idea, end="2026-01-01"))
    assert refused.status_code == 200 and not PdsaCycle.objects.exists()
    saved = as_persona["alice"].post(url, _cycle_data(idea))
    assert saved.status_code == 302 and saved["Location"].endswith("#cycles")
    cycle = PdsaCycle.objects.get()
    assert AuditEvent.objects.get(verb="pdsacycle_create").actor == users["alice"]
    pdsa = _get(as_persona["alice"], "pdsa", world.engagement.pk)
    link = reverse("assistance:cycle", args=[world.engagement.pk, cycle.pk])
    assert f'<a href="{link}">Calls</a></td><td>Call home on day one</td><td>Do</td>' in pdsa
    page = _get(as_persona["alice"], "cycle", world.engagement.pk, cycle.pk)
    assert "Do families answer?" in page and "not decided yet" in page
    assert "This cycle names no measure yet." in page


def test_cycle_of_another_engagement_is_404_and_viewers_get_no_edit_links(
    world: World, as_persona: dict[str, Client]
) -> None:
    measure = _measure(world, [1, 2])
    cycle = _cycle(world, measure)
    other = Engagement.objects.create(lea=world.birch, year=2025)
    foreign = PdsaCycle.objects.create(
        engagement=other, change_idea=_idea(other), title="Theirs", question="q", prediction="p"
    )
    url = reverse("assistance:cycle", args=[world.engagement.pk, foreign.pk])
    assert as_persona["carol"].get(url).status_code == 404
    own = reverse("assistance:cycle", args=[world.engagement.pk, cycle.pk])
    assert as_persona["bob"].get(own).status_code == 404
    page = _get(as_persona["vera"], "cycle", world.engagement.pk, cycle.pk)
    assert "Adapt" in page and "Eight in ten answered." in page
    assert "Edit this cycle" not in page and "add a data point" not in page
    assert "Edit this cycle" in _get(as_persona["cody"], "cycle", world.engagement.pk, cycle.pk)


def _point_on_first_date(client: Client, world: World, measure: Measure, **extra: str) -> Any:
    url = reverse("assistance:part_new", args=[world.engagement.pk, "point"])
    data = {"measure": measure.pk, "date": FIRST.isoformat(), "value": "6", "note": "Late"}
    return client.post(url, {**data, **extra})


def test_run_chart_point_on_a_date_already_recorded_is_refused_offering_replace_or_add(
    world: World, as_persona: dict[str, Client]
) -> None:
    measure = _measure(world, [4, 5])
    response = _point_on_first_date(as_persona["cody"], world, measure)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["on_same_date"] == [
        "Calls made already has 4 on 3 Feb 2026: replace that value, or add to it."
    ]
    page = response.content.decode()
    assert 'type="radio" name="on_same_date" value="replace"' in page
    assert 'type="radio" name="on_same_date" value="add"' in page
    assert list(measure.points.values_list("value", flat=True)) == [4, 5]


@pytest.mark.parametrize(("choice", "value", "note"), [("replace", 6, "Late"), ("add", 10, "Late")])
def test_run_chart_point_on_a_recorded_date_replaces_or_adds_to_the_value_as_chosen(
    choice: str, value: float, note: str, world: World, users: dict[str, User],
    as_persona: dict[str, Client],
) -> None:  # fmt: skip
    measure = _measure(world, [4, 5])
    response = _point_on_first_date(as_persona["cody"], world, measure, on_same_date=choice)
    assert response.status_code == 302
    point = measure.points.get(date=FIRST)
    assert (point.value, point.note, point.version) == (value, note, 2)
    assert measure.points.count() == 2
    event = AuditEvent.objects.get(verb="datapoint_update")
    assert event.actor == users["cody"] and event.subject_id == str(point.pk)


def test_editing_a_run_chart_point_onto_a_taken_date_is_refused(
    world: World, as_persona: dict[str, Client]
) -> None:
    measure = _measure(world, [4, 5])
    second = measure.points.get(value=5)
    url = reverse("assistance:part_edit", args=[world.engagement.pk, "point", second.pk])
    response = as_persona["cody"].post(url, {
        "measure": measure.pk, "date": FIRST.isoformat(), "value": "5", "version": 1,
        "on_same_date": "add",
    })  # fmt: skip
    assert "edit that point instead" in response.context["form"].errors["date"][0]
    second.refresh_from_db()
    assert second.date != FIRST


def test_the_database_refuses_a_second_point_on_a_measures_date(world: World) -> None:
    measure = _measure(world, [4])
    with pytest.raises(IntegrityError), transaction.atomic():
        DataPoint.objects.create(measure=measure, date=FIRST, value=6)
    assert list(measure.points.values_list("value", flat=True)) == [4]


@pytest.mark.django_db(transaction=True)
def test_the_migration_merges_points_on_one_date_into_the_one_recorded_last(
    world: World,
) -> None:
    measure = _measure(world, [4, 5])
    with migrated_back("assistance", "0002_bounded_free_text") as old:
        points = old.get_model("assistance", "DataPoint").objects
        points.filter(measure_id=measure.pk, date=FIRST).update(note="Open house")
        points.create(measure_id=measure.pk, date=FIRST, value=7, note="Recount", astronomical=True)
        removed = points.get(measure_id=measure.pk, date=FIRST, value=4).pk
    first = DataPoint.objects.get(measure=measure, date=FIRST)
    assert (first.value, first.note, first.astronomical) == (7, "Open house; Recount", True)
    assert list(measure.points.values_list("value", flat=True)) == [7, 5]
    event = AuditEvent.objects.get(verb="datapoint_merge")
    assert event.subject_id == str(first.pk) and event.county == world.county
    assert event.details["removed"] == [{"id": removed, "value": 4.0}]
