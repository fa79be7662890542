"""Passwords: the validators everywhere one is set, changing one's own, one-time reset links."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from continuum.web.accounts.models import Role, User
from continuum.web.accounts.services import user_create
from continuum.web.audit.models import AuditEvent
from continuum.web.demo import DEMO_PASSWORD
from tests.cli_runner import run
from tests.web.personas import PASSWORD, World, client_for, other_county_admin_create

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "river-stone-lantern-42"


def _sign_in(username: str, password: str) -> int:
    response = Client().post(
        reverse("accounts:login"), {"username": username, "password": password}
    )
    return response.status_code


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("short-pw-1", "at least 12 characters"),
        ("password1234", "too common"),
        ("846203957162", "entirely numeric"),
        ("danaparker-x", "too similar"),
    ],
)
def test_user_create_applies_the_password_validators(
    world: World, password: str, rule: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        user_create(
            actor=None, username="danaparker", password=password, role=Role.VIEWER,
            scope=world.county,
        )  # fmt: skip
    assert rule in " ".join(refused.value.message_dict["password"])
    assert not User.objects.filter(username="danaparker").exists()


def test_the_demo_password_passes_the_validators(world: World) -> None:
    for username in ("county.admin", "county.coach", "district.leader", "school.leader"):
        user_create(
            actor=None, username=username, password=DEMO_PASSWORD, role=Role.VIEWER,
            scope=world.county,
        )  # fmt: skip
    assert User.objects.filter(username__startswith="county.").count() == 2


def test_the_users_page_refuses_a_common_password_with_the_reason(
    world: World, as_persona: dict[str, Client]
) -> None:
    response = as_persona["carol"].post(
        reverse("accounts:users"),
        {"username": "pat", "password": "password1234", "role": Role.VIEWER,
         "scope": world.county.code},
    )  # fmt: skip
    assert "This password is too common." in response.content.decode()
    assert not User.objects.filter(username="pat").exists()


def test_cli_user_create_refuses_a_weak_password_and_exits_non_zero(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = run(
        capsys, monkeypatch, "web", "user-create", "pat", "--role", "viewer",
        "--scope", world.county.code, "--password", "12345678",
    )  # fmt: skip
    assert outcome.status == 2
    assert "at least 12 characters" in outcome.stderr and "Traceback" not in outcome.stderr
    assert not User.objects.filter(username="pat").exists()


def test_a_signed_in_user_changes_their_password_and_stays_signed_in(
    users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    client = as_persona["alice"]
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 302  # still signed in
    assert client.get(response["Location"], follow=True).status_code == 200
    assert (_sign_in("alice", PASSWORD), _sign_in("alice", NEW_PASSWORD)) == (200, 302)
    event = AuditEvent.objects.get(verb="password_change")
    assert event.actor == users["alice"] and event.details == {"client_address": "198.51.100.7"}


def test_the_password_change_page_applies_the_validators(as_persona: dict[str, Client]) -> None:
    response = as_persona["alice"].post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "alice-123", "new_password2": "alice-123"},
    )
    assert "at least 12 characters" in response.content.decode()
    assert _sign_in("alice", PASSWORD) == 302


def test_the_navigation_links_to_the_password_change_page(as_persona: dict[str, Client]) -> None:
    page = as_persona["vera"].get(reverse("accountability:county")).content.decode()
    assert reverse("accounts:password_change") in page


def _issue_link(client: Client, user: User) -> str:
    page = client.post(reverse("accounts:user_password_reset_link", args=[user.pk])).content
    found = re.search(r'<code id="reset-link">([^<]+)</code>', page.decode())
    assert found is not None
    return found.group(1)


def _reset(link: str, password: str) -> tuple[Client, str]:
    client = Client()
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": password, "new_password2": password},
    )
    return client, response.content.decode() if response.status_code == 200 else "set"


def test_an_administrators_reset_link_sets_a_password_once(
    users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    link = _issue_link(as_persona["carol"], users["bob"])
    assert link.startswith("http://testserver/accounts/reset/")
    assert _reset(link, NEW_PASSWORD)[1] == "set"
    assert _sign_in("bob", NEW_PASSWORD) == 302
    used_again = Client().get(link, follow=True).content.decode()
    assert "This link does not work" in used_again
    verbs = list(AuditEvent.objects.filter(subject_id=str(users["bob"].pk)).values_list(
        "verb", "actor_username", "details"))  # fmt: skip
    assert ("password_reset_link_create", "carol", {"client_address": "127.0.0.1",
            "mailed": False}) in verbs  # fmt: skip
    assert ("password_reset", "bob", {"client_address": "127.0.0.1"}) in verbs
    assert link.rsplit("/", 2)[-2] not in str(verbs)  # the token is a secret


def test_a_reset_link_expires(
    users: dict[str, User], as_persona: dict[str, Client], settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    link = _issue_link(as_persona["carol"], users["bob"])
    later = default_token_generator._now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    assert "This link does not work" in Client().get(link, follow=True).content.decode()


def test_the_reset_form_applies_the_validators(
    users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    link = _issue_link(as_persona["carol"], users["bob"])
    _, page = _reset(link, "123456789012")
    assert "entirely numeric" in page
    assert _sign_in("bob", PASSWORD) == 302


def test_a_reset_link_is_mailed_when_a_mail_server_is_configured(
    users: dict[str, User], as_persona: dict[str, Client], settings: Settings
) -> None:
    settings.EMAIL_HOST = "smtp.example.org"
    users["bob"].email = "bob@example.org"
    users["bob"].save()
    link = _issue_link(as_persona["carol"], users["bob"])
    assert [message.to for message in mail.outbox] == [["bob@example.org"]]
    assert link in mail.outbox[0].body


def test_no_mail_is_sent_without_a_mail_server(
    users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    users["bob"].email = "bob@example.org"
    users["bob"].save()
    _issue_link(as_persona["carol"], users["bob"])
    assert mail.outbox == []


def test_an_administrator_cannot_issue_a_link_for_another_countys_user(
    world: World, as_persona: dict[str, Client]
) -> None:
    dora = other_county_admin_create(world)
    url = reverse("accounts:user_password_reset_link", args=[dora.pk])
    assert as_persona["carol"].post(url).status_code == 404
    assert client_for(dora).post(url).status_code == 200
    assert AuditEvent.objects.filter(verb="password_reset_link_create").count() == 1


def test_cli_prints_a_reset_link_that_works(
    users: dict[str, User], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    settings: Settings,
) -> None:  # fmt: skip
    settings.CONTINUUM_SITE_URL = "https://continuum.example.org"
    outcome = run(capsys, monkeypatch, "web", "password-reset-link", "Bob")
    assert outcome.status == 0
    link = outcome.stdout.strip()
    assert link.startswith("https://continuum.example.org/accounts/reset/")
    assert _reset(link.removeprefix("https://continuum.example.org"), NEW_PASSWORD)[1] == "set"
    assert _sign_in("bob", NEW_PASSWORD) == 302


def test_cli_reset_link_for_an_unknown_user_says_so(
    users: dict[str, User], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = run(capsys, monkeypatch, "web", "password-reset-link", "nobody")
    assert outcome.status == 2 and "no user 'nobody'" in outcome.stderr
