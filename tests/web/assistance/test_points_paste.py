"""Pasting a measure's run-chart points from a spreadsheet: a preview of what each line does,
then one all-or-nothing, audited save; errors name the line and column."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from continuum.web.assistance import services
from continuum.web.assistance.models import DataPoint, Engagement, Measure
from continuum.web.audit.models import AuditEvent
from tests.web.personas import World

pytestmark = pytest.mark.django_db

JAN_5 = datetime.date(2026, 1, 5)
# Line 1 is a header; Jan 5 is new, Jan 12 is recorded as 4 (changed), Jan 19 as 7 (same).
PASTE = "Week\tCalls\n1/5/2026\t3\n2026-01-12\t5\n19 Jan 2026\t7\n"


@pytest.fixture
def measure(world: World) -> Measure:
    measure = Measure.objects.create(engagement=world.engagement, name="Calls made", unit="calls")
    DataPoint.objects.create(measure=measure, date=datetime.date(2026, 1, 12), value=4)
    DataPoint.objects.create(measure=measure, date=datetime.date(2026, 1, 19), value=7)
    return measure


def _url(measure: Measure) -> str:
    return reverse("assistance:points_paste", args=[measure.engagement_id, measure.pk])


def _preview(client: Client, measure: Measure, text: str = PASTE) -> Any:
    return client.post(_url(measure), {"points": text, "on_recorded": "keep", "preview": "1"})


def _save(client: Client, measure: Measure, on_recorded: str, text: str = PASTE) -> Any:
    fingerprint = _preview(client, measure, text).context["fingerprint"]
    return client.post(_url(measure), {"points": text, "on_recorded": on_recorded,
                                       "fingerprint": fingerprint, "save": "1"})  # fmt: skip


def _values(measure: Measure) -> dict[datetime.date, float]:
    return dict(measure.points.values_list("date", "value"))


def test_preview_shows_added_changed_and_duplicate_dates_and_saves_nothing(
    as_persona: dict[str, Client], measure: Measure
) -> None:
    page = _preview(as_persona["cody"], measure)
    assert [row.kind for row in page.context["preview"]] == ["added", "changed", "duplicate"]
    assert page.context["counts"] == {"added": 1, "changed": 1, "duplicate": 1}
    text = page.content.decode()
    assert "Replace the recorded value" in text and "Save these points" in text
    assert measure.points.count() == 2


def test_replace_adds_new_dates_and_replaces_changed_values_with_audit_events(
    as_persona: dict[str, Client], measure: Measure
) -> None:
    response = _save(as_persona["cody"], measure, "replace")
    assert response.status_code == 302
    assert _values(measure) == {JAN_5: 3, datetime.date(2026, 1, 12): 5,
                                datetime.date(2026, 1, 19): 7}  # fmt: skip
    verbs = list(AuditEvent.objects.values_list("verb", flat=True))
    assert verbs.count("datapoint_create") == 1 and verbs.count("datapoint_update") == 1
    paste = AuditEvent.objects.get(verb="measure_points_paste")
    assert paste.details["added"] == 1 and paste.details["replaced"] == 1
    assert paste.details["unchanged"] == 1


def test_add_sums_values_on_recorded_dates(as_persona: dict[str, Client], measure: Measure) -> None:
    _save(as_persona["alice"], measure, "add")
    assert _values(measure)[datetime.date(2026, 1, 12)] == 9
    assert _values(measure)[datetime.date(2026, 1, 19)] == 14


def test_keep_saves_only_the_new_dates(as_persona: dict[str, Client], measure: Measure) -> None:
    _save(as_persona["cody"], measure, "keep")
    assert _values(measure) == {JAN_5: 3, datetime.date(2026, 1, 12): 4,
                                datetime.date(2026, 1, 19): 7}  # fmt: skip


def test_decimal_comma_is_refused_naming_line_and_column_and_nothing_is_saved(
    as_persona: dict[str, Client], measure: Measure
) -> None:
    page = _save(as_persona["cody"], measure, "replace", "2026-01-05\t3\n2026-01-26\t4,5")
    assert page.status_code == 200
    text = page.content.decode()
    assert "line 2, column &#x27;B (value)&#x27;" in text and "Decimal commas" in text
    assert measure.points.count() == 2


def test_points_changed_after_the_preview_refuse_the_save(
    as_persona: dict[str, Client], measure: Measure
) -> None:
    client = as_persona["cody"]
    fingerprint = _preview(client, measure).context["fingerprint"]
    DataPoint.objects.filter(measure=measure, value=4).update(value=6, version=2)
    page = client.post(_url(measure), {"points": PASTE, "on_recorded": "replace",
                                       "fingerprint": fingerprint, "save": "1"})  # fmt: skip
    assert page.status_code == 200 and "after your preview" in page.content.decode()
    assert measure.points.count() == 2
    assert not AuditEvent.objects.filter(verb="measure_points_paste").exists()


def test_a_failure_part_way_saves_none_of_the_points(
    as_persona: dict[str, Client], measure: Measure, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(**kwargs: Any) -> Any:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "record_update", failing)
    with pytest.raises(RuntimeError):
        _save(as_persona["cody"], measure, "replace")
    assert _values(measure) == {datetime.date(2026, 1, 12): 4, datetime.date(2026, 1, 19): 7}
    assert not AuditEvent.objects.filter(verb="datapoint_create").exists()


def test_only_people_who_may_edit_the_engagement_may_paste(
    as_persona: dict[str, Client], measure: Measure
) -> None:
    assert as_persona["vera"].get(_url(measure)).status_code == 403
    assert as_persona["bob"].get(_url(measure)).status_code == 404
    assert as_persona["cody"].get(_url(measure)).status_code == 200


def test_a_measure_of_another_engagement_is_not_found(
    as_persona: dict[str, Client], measure: Measure, world: World
) -> None:
    birch = Engagement.objects.create(lea=world.birch, year=world.engagement.year)
    other = Measure.objects.create(engagement=birch, name="Birch's measure")
    url = reverse("assistance:points_paste", args=[world.engagement.pk, other.pk])
    assert as_persona["carol"].get(url).status_code == 404


def test_the_measure_links_to_its_paste_page(
    as_persona: dict[str, Client], measure: Measure
) -> None:
    page = as_persona["cody"].get(reverse("assistance:pdsa", args=[measure.engagement_id]))
    assert _url(measure) in page.content.decode()
