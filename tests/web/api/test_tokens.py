"""Personal API tokens: made once and shown once, hashed at rest, scoped like their user,
revocable, expiring, audited."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.web.accounts.models import User
from continuum.web.api.models import ApiToken
from continuum.web.api.services import api_token_create, api_token_revoke
from continuum.web.audit.models import AuditEvent
from tests.cli_runner import run
from tests.web.personas import World

pytestmark = pytest.mark.django_db


def _bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_token_is_stored_only_as_its_digest(users: dict[str, User]) -> None:
    made = api_token_create(
        actor=users["alice"], user=users["alice"], name="nightly export", days=30
    )
    stored = ApiToken.objects.get(pk=made.token.pk)
    assert made.raw.startswith("ctm_") and len(made.raw) > 40
    assert made.raw not in (stored.digest, stored.prefix)
    assert made.raw.startswith(stored.prefix)


def test_a_token_acts_with_exactly_its_users_scope(world: World, users: dict[str, User]) -> None:
    raw = api_token_create(actor=users["alice"], user=users["alice"], name="script", days=None).raw
    client = Client()
    own = client.get(reverse("accountability:api_lea", args=[world.alder.cds]), **_bearer(raw))
    other = client.get(reverse("accountability:api_lea", args=[world.birch.cds]), **_bearer(raw))
    listed = client.get(reverse("accountability:api_leas"), **_bearer(raw)).json()
    assert own.status_code == 200
    assert other.status_code == 404
    assert [row["cds"] for row in listed["results"]] == [world.alder.cds]


def test_a_token_records_when_it_was_last_used(world: World, users: dict[str, User]) -> None:
    made = api_token_create(actor=users["cody"], user=users["cody"], name="script", days=None)
    Client().get(reverse("accountability:api_leas"), **_bearer(made.raw))
    made.token.refresh_from_db()
    assert made.token.last_used_at is not None


def test_a_revoked_token_is_refused_with_401(world: World, users: dict[str, User]) -> None:
    made = api_token_create(actor=users["cody"], user=users["cody"], name="script", days=None)
    api_token_revoke(actor=users["cody"], token_id=made.token.pk)
    response = Client().get(reverse("accountability:api_leas"), **_bearer(made.raw))
    assert response.status_code == 401
    assert "revoked" in response.json()["error"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_is_refused_with_401(world: World, users: dict[str, User]) -> None:
    made = api_token_create(actor=users["cody"], user=users["cody"], name="script", days=30)
    ApiToken.objects.filter(pk=made.token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = Client().get(reverse("accountability:api_leas"), **_bearer(made.raw))
    assert response.status_code == 401


def test_a_deactivated_users_token_is_refused(world: World, users: dict[str, User]) -> None:
    made = api_token_create(actor=users["bob"], user=users["bob"], name="script", days=None)
    User.objects.filter(pk=users["bob"].pk).update(is_active=False)
    assert Client().get(reverse("accountability:api_leas"), **_bearer(made.raw)).status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Basic abc", "Bearer ctm_not-a-token", "ctm_x"])
def test_a_malformed_or_unknown_authorization_is_refused_with_401(
    header: str, world: World
) -> None:
    response = Client().get(reverse("accountability:api_leas"), HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert "error" in response.json()


def test_making_and_revoking_a_token_are_audited_without_the_token(
    users: dict[str, User],
) -> None:
    made = api_token_create(actor=users["alice"], user=users["alice"], name="script", days=90)
    api_token_revoke(actor=users["alice"], token_id=made.token.pk)
    events = list(AuditEvent.objects.filter(verb__startswith="api_token").order_by("id"))
    assert [e.verb for e in events] == ["api_token_create", "api_token_revoke"]
    assert all(made.raw not in str(e.details) for e in events)
    assert events[0].details["prefix"] == made.token.prefix


def test_a_read_with_a_token_is_audited_naming_the_token(
    world: World, users: dict[str, User]
) -> None:
    made = api_token_create(actor=users["alice"], user=users["alice"], name="script", days=None)
    Client().get(reverse("accountability:api_essa_schools"), **_bearer(made.raw))
    event = AuditEvent.objects.filter(verb="export").latest("id")
    assert event.actor_username == "alice"
    assert event.details["format"] == "api"
    assert event.details["filters"]["api_token"] == made.token.prefix


def test_the_tokens_page_shows_a_new_token_once(as_persona: dict[str, Client]) -> None:
    client = as_persona["alice"]
    made = client.post(reverse("api:tokens"), {"name": "my script", "expires": "30"})
    raw = ApiToken.objects.get(name="my script").prefix
    listed = client.get(reverse("api:tokens"))
    assert made.status_code == 200 and raw in made.content.decode()
    shown = made.content.decode().split('<code class="token">')[1].split("</code>")[0]
    assert shown.startswith(raw) and shown not in listed.content.decode()
    assert "my script" in listed.content.decode()


def test_a_user_cannot_revoke_another_users_token(
    users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    made = api_token_create(actor=users["alice"], user=users["alice"], name="script", days=None)
    response = as_persona["bob"].post(reverse("api:token_revoke", args=[made.token.pk]))
    assert response.status_code == 404
    made.token.refresh_from_db()
    assert made.token.revoked_at is None


def test_revoking_from_the_page_stops_the_token(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    made = api_token_create(actor=users["alice"], user=users["alice"], name="script", days=None)
    response = as_persona["alice"].post(reverse("api:token_revoke", args=[made.token.pk]))
    assert response.status_code == 302
    assert Client().get(reverse("accountability:api_leas"), **_bearer(made.raw)).status_code == 401


def test_the_cli_issues_a_token_that_acts_as_the_user(
    world: World, users: dict[str, User], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    outcome = run(
        capsys, monkeypatch, "web", "api-token", "Alice", "--name", "nightly", "--days", "7"
    )
    assert outcome.status == 0 and "shown only now" in outcome.stderr
    raw = outcome.stdout.strip()
    listed = Client().get(reverse("accountability:api_leas"), **_bearer(raw)).json()
    assert [row["cds"] for row in listed["results"]] == [world.alder.cds]
    event = AuditEvent.objects.get(verb="api_token_create")
    assert event.actor is None and event.details["user"] == "alice"
    assert event.county == world.county


def test_the_cli_refuses_an_unknown_user(
    users: dict[str, User], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = run(capsys, monkeypatch, "web", "api-token", "nobody", "--name", "x")
    assert outcome.status == 2 and "no active user 'nobody'" in outcome.stderr
