"""Every download and API read of data is recorded: what, about what, filters, rows."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from continuum.web.accounts.models import User
from continuum.web.audit.models import AuditEvent
from tests.web.personas import World

pytestmark = pytest.mark.django_db


def _export(user: User) -> AuditEvent:
    return AuditEvent.objects.get(verb="export", actor=user)


def test_lea_results_csv_download_is_recorded_with_its_row_count(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    as_persona["alice"].get(reverse("accountability:lea_csv", args=[world.alder.cds]))
    event = _export(users["alice"])
    assert (event.subject_type, event.subject_id, event.county) == (
        "lea", world.alder.cds, world.county
    )  # fmt: skip
    assert event.details == {"what": "LEA results", "format": "csv", "rows": 2}


def test_county_csv_download_records_the_filters_asked_for(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    url = reverse("accountability:county")
    as_persona["cody"].get(url, {"level": "1", "q": "Birch", "format": "xlsx"})
    event = _export(users["cody"])
    assert event.details["filters"] == {"level": "1", "q": "Birch", "sort": "name"}
    assert (event.details["format"], event.details["rows"]) == ("xlsx", 1)


def test_pdf_download_is_recorded(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    response = as_persona["alice"].get(reverse("accountability:lea_pdf", args=[world.alder.cds]))
    assert response.status_code == 200
    event = _export(users["alice"])
    assert event.details == {"what": "LEA summary", "format": "pdf", "filters": {"year": 2025}}


def test_engagements_and_attendance_csv_downloads_are_recorded(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    as_persona["carol"].get(reverse("assistance:engagements_csv"))
    as_persona["carol"].get(reverse("assistance:attendance_csv"))
    events = AuditEvent.objects.filter(verb="export", actor=users["carol"]).order_by("id")
    assert [e.details["what"] for e in events] == ["county engagements", "training attendance"]
    assert {(e.subject_type, e.subject_id) for e in events} == {("county", "34")}


def test_api_reads_of_data_are_recorded(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    as_persona["alice"].get(reverse("accountability:api_leas"))
    as_persona["alice"].get(reverse("accountability:api_school", args=[world.oak.cds]))
    events = AuditEvent.objects.filter(verb="export", actor=users["alice"]).order_by("id")
    assert [(e.details["what"], e.details["format"], e.details["rows"]) for e in events] == [
        ("LEAs by support level", "api", 1),
        ("school results", "api", 2),
    ]


def test_a_refused_download_records_nothing(world: World, as_persona: dict[str, Client]) -> None:
    response = as_persona["bob"].get(reverse("accountability:lea_csv", args=[world.alder.cds]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(verb="export").exists()
