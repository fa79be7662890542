"""The audit page: scoped to the reader's county, paginated, filtered by query string, and
written in words."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.web.accounts.models import User
from continuum.web.audit.services import audit_event_record
from tests.web.personas import World, client_for, other_county_admin_create

pytestmark = pytest.mark.django_db


def _rows(client: Client, **query: str) -> str:
    response = client.get(reverse("audit:events"), query)
    assert response.status_code == 200
    page = response.content.decode()
    if "<tbody>" not in page:  # no row: the empty state says so
        return page.split('<main id="main"')[1].split("</main>")[0]
    return page.split("<tbody>")[1].split("</tbody>")[0]


def _in_each_county(world: World) -> None:
    audit_event_record(
        actor=None, verb="agencies_import", subject_type="county", subject_id="34",
        county=world.county,
    )  # fmt: skip
    audit_event_record(
        actor=None, verb="agencies_import", subject_type="county", subject_id="35",
        county=world.other_county,
    )  # fmt: skip
    audit_event_record(actor=None, verb="dashboard_import", subject_id="9")


def test_county_administrator_sees_only_their_countys_events(
    world: World, as_persona: dict[str, Client]
) -> None:
    _in_each_county(world)
    rows = _rows(as_persona["carol"])
    assert "county 34" in rows and "county 35" not in rows and "Dashboard import" not in rows


def test_other_county_administrator_sees_only_hers(
    world: World, as_persona: dict[str, Client]
) -> None:
    _in_each_county(world)
    rows = _rows(client_for(other_county_admin_create(world)))
    assert "county 35" in rows and "county 34" not in rows


def test_events_of_no_county_are_read_by_superusers(world: World) -> None:
    _in_each_county(world)
    operator = User.objects.create_superuser(username="operator", password="x" * 20)
    rows = _rows(client_for(operator))
    assert "county 34" in rows and "county 35" in rows and "Dashboard imported" in rows


def test_actor_choices_come_only_from_the_readers_county(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    dora = other_county_admin_create(world)
    audit_event_record(actor=dora, verb="sign_in")
    audit_event_record(actor=users["bob"], verb="sign_in")
    page = as_persona["carol"].get(reverse("audit:events")).content.decode()
    assert '<option value="bob">' in page and "dora" not in page


def test_filters_by_actor_action_subject_and_date_are_in_the_query_string(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    audit_event_record(actor=users["bob"], verb="sign_in", subject=users["bob"])
    audit_event_record(actor=users["alice"], verb="sign_in", subject=users["alice"])
    audit_event_record(actor=users["alice"], verb="export", subject=world.alder,
                       subject_id=world.alder.cds)  # fmt: skip
    carol = as_persona["carol"]
    assert "bob" in _rows(carol, actor="bob") and "alice" not in _rows(carol, actor="bob")
    exported = _rows(carol, verb="export")
    assert "Exported" in exported and "Signed in" not in exported
    by_subject = _rows(carol, subject_type="lea", subject_id=world.alder.cds)
    assert by_subject.count("<tr>") == 1 and "LEA 34600010000000" in by_subject
    today = timezone.localdate()
    day = today.isoformat()
    # Alice's two sign-ins (the test client's and the one above) and her export.
    assert _rows(carol, actor="alice", start=day, end=day).count("<tr>") == 3
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    assert "No events match." in _rows(carol, end=yesterday)
    assert "No events match." in _rows(
        carol, start=(today + datetime.timedelta(days=1)).isoformat()
    )


def test_a_filter_for_an_action_not_in_the_readers_events_matches_nothing(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    audit_event_record(actor=users["bob"], verb="sign_in")
    assert "No events match." in _rows(as_persona["carol"], verb="user_create")


def test_the_page_shows_fifty_events_and_links_to_the_older_ones(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    for number in range(60):
        audit_event_record(actor=users["bob"], verb="export", details={"rows": number})
    carol = as_persona["carol"]
    first = carol.get(reverse("audit:events"), {"verb": "export"}).content.decode()
    assert first.split("<tbody>")[1].count("<tr>") == 50
    assert "rows: 59" in first and "rows: 9<" not in first
    assert 'href="?verb=export&amp;page=2"' in first
    second = _rows(carol, verb="export", page="2")
    assert second.count("<tr>") == 10 and "rows: 0<" in second


def test_changes_are_shown_as_words_not_dictionaries(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    audit_event_record(
        actor=users["carol"], verb="engagement_update", subject=world.engagement,
        changes={"status": {"before": "Active", "after": "Closed"},
                 "aim_date": {"before": None, "after": "2026-06-01"}},
        details={"fields": ["aim_date", "status"], "version": 2},
    )  # fmt: skip
    rows = _rows(as_persona["carol"])
    assert "Engagement updated" in rows
    assert "Status: Active → Closed" in rows and "Aim date: (empty) → 2026-06-01" in rows
    assert "fields: aim_date, status" in rows
    assert "{" not in rows


def test_people_without_the_administrator_role_are_refused(
    world: World, as_persona: dict[str, Client]
) -> None:
    for name in ("cody", "alice", "vera", "olive"):
        assert as_persona[name].get(reverse("audit:events")).status_code == 403
