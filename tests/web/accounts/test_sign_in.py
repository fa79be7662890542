"""Signing in: Argon2 hashes, throttling, two factors for county administrators, audit."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher, make_password
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings

from continuum.web import settings as project_settings
from continuum.web.accounts.models import User
from continuum.web.audit.models import AuditEvent
from tests.web.personas import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(username: str, password: str = PASSWORD) -> tuple[Client, int, str]:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return client, response.status_code, response.get("Location", "")


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def test_passwords_are_hashed_with_argon2_first(settings: Settings) -> None:
    # The web tests swap in a fast hasher; the project's own list is checked here.
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    assert identify_hasher(make_password("x")).algorithm == "argon2"


def test_sign_in_and_failed_sign_in_are_audited(users: dict[str, User]) -> None:
    _, status, location = _sign_in("cody")
    assert (status, location) == (302, reverse("accounts:home"))
    assert AuditEvent.objects.filter(verb="sign_in", actor=users["cody"]).exists()
    _sign_in("cody", "wrong")
    failed = AuditEvent.objects.get(verb="sign_in_failed")
    assert failed.details == {"username": "cody", "client_address": "127.0.0.1"}
    assert "password" not in str(failed.details)


def test_sign_out_is_audited(users: dict[str, User]) -> None:
    client, _, _ = _sign_in("vera")
    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.filter(verb="sign_out", actor=users["vera"]).exists()


def test_repeated_failures_lock_the_account_out(users: dict[str, User]) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in("alice", "wrong")
    _, status, _ = _sign_in("alice")
    assert status == 429


def test_county_administrator_must_set_up_and_enter_a_totp_code(users: dict[str, User]) -> None:
    client, _, _ = _sign_in("carol")
    assert client.get(reverse("accountability:county"))["Location"] == reverse(
        "accounts:two_factor"
    )
    client.post(reverse("accounts:two_factor"), {"action": "set_up"})
    device = TOTPDevice.objects.get(user=users["carol"], confirmed=False)
    response = client.post(reverse("accounts:two_factor"), {"token": _code(device)})
    assert "Your recovery codes" in response.content.decode()
    assert client.get(reverse("accountability:county")).status_code == 200
    verbs = set(AuditEvent.objects.filter(actor=users["carol"]).values_list("verb", flat=True))
    assert {"sign_in", "totp_device_create", "totp_device_confirm"} <= verbs


def test_a_wrong_totp_code_is_refused(users: dict[str, User]) -> None:
    client, _, _ = _sign_in("carol")
    client.post(reverse("accounts:two_factor"), {"action": "set_up"})
    device = TOTPDevice.objects.get(user=users["carol"])
    wrong = f"{(int(_code(device)) + 1) % 1000000:06d}"
    response = client.post(reverse("accounts:two_factor"), {"token": wrong})
    assert "That code is not right" in response.content.decode()
    assert client.get(reverse("accountability:county")).status_code == 302


def test_district_leader_is_not_asked_for_a_second_factor(users: dict[str, User]) -> None:
    client, _, location = _sign_in("alice")
    assert client.get(location, follow=True).status_code == 200
