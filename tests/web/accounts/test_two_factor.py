"""The second factor: QR code at enrolment, recovery codes, honest throttling, its audit."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings

from continuum.web.accounts.models import User
from continuum.web.audit.models import AuditEvent
from tests.web.personas import PASSWORD

pytestmark = pytest.mark.django_db

ADDRESS = "198.51.100.7"


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def _wrong(device: TOTPDevice) -> str:
    return f"{(int(_code(device)) + 1) % 1000000:06d}"


def _signed_in_with_password(username: str = "carol") -> Client:
    client = Client(REMOTE_ADDR=ADDRESS)
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _enter(client: Client, token: str) -> str:
    return client.post(reverse("accounts:two_factor"), {"token": token}).content.decode()


def _verified(client: Client) -> bool:
    return client.get(reverse("accountability:county")).status_code == 200


def _enrolled(users: dict[str, User]) -> tuple[Client, list[str]]:
    """Carol signed in, with a confirmed authenticator and the recovery codes she was shown."""
    client = _signed_in_with_password()
    client.post(reverse("accounts:two_factor"), {"action": "set_up"})
    device = TOTPDevice.objects.get(user=users["carol"])
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", _enter(client, _code(device)))
    return client, codes


def test_enrolment_shows_the_key_as_an_svg_qr_code_the_csp_allows(
    users: dict[str, User],
) -> None:
    client = _signed_in_with_password()
    client.post(reverse("accounts:two_factor"), {"action": "set_up"})
    response = client.get(reverse("accounts:two_factor"))
    page = response.content.decode()
    image = re.search(r'<img src="(data:image/svg\+xml[^"]+)"', page)
    assert image is not None and "svg" in image.group(1)
    assert "img-src 'self' data:" in response["Content-Security-Policy"]
    assert "style=" not in page and "<script>" not in page
    assert 'id="totp-secret"' in page  # the key is still there to type


def test_enrolment_ends_on_recovery_codes_shown_only_once(users: dict[str, User]) -> None:
    client, codes = _enrolled(users)
    assert len(codes) == 10 and len(set(codes)) == 10
    status_page = client.get(reverse("accounts:recovery_codes")).content.decode()
    assert "You have 10 unused recovery codes" in status_page
    assert not any(code in status_page for code in codes)


def test_a_recovery_code_passes_the_second_factor_once(users: dict[str, User]) -> None:
    _, codes = _enrolled(users)
    first = _signed_in_with_password()
    _enter(first, codes[0].upper())
    assert _verified(first)
    again = _signed_in_with_password()
    assert "That code is not right" in _enter(again, codes[0])
    assert not _verified(again)
    sign_in = AuditEvent.objects.filter(verb="sign_in").latest("id")
    assert sign_in.details == {"client_address": ADDRESS, "second_factor": "recovery_code"}


def test_new_recovery_codes_replace_the_old_ones(users: dict[str, User]) -> None:
    client, old = _enrolled(users)
    page = client.post(reverse("accounts:recovery_codes")).content.decode()
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(new) == 10 and not set(new) & set(old)
    assert "That code is not right" in _enter(_signed_in_with_password(), old[1])


@pytest.fixture
def slow_throttle(settings: Settings) -> None:
    # A wrong code makes the device wait a minute (not a second), so that the test's next
    # request surely comes within the wait, however slow the machine.
    settings.OTP_TOTP_THROTTLE_FACTOR = 60


@pytest.mark.usefixtures("slow_throttle")
def test_a_correct_code_right_after_a_wrong_one_is_refused_as_throttled_not_wrong(
    users: dict[str, User],
) -> None:
    device = TOTPDevice.objects.create(user=users["carol"], name="phone", confirmed=True)
    client = _signed_in_with_password()
    assert "That code is not right" in _enter(client, _wrong(device))
    page = _enter(client, _code(device))
    assert re.search(r"Too many attempts: wait (60|59) seconds and try again\.", page)
    assert "not right" not in page and not _verified(client)


@pytest.mark.usefixtures("slow_throttle")
def test_a_correct_code_after_the_throttling_wait_passes(users: dict[str, User]) -> None:
    device = TOTPDevice.objects.create(user=users["carol"], name="phone", confirmed=True)
    client = _signed_in_with_password()
    _enter(client, _wrong(device))
    device.refresh_from_db()
    # The wait is over: the failure happened longer ago than the minute it imposed.
    device.throttling_failure_timestamp = timezone.now() - timedelta(seconds=61)
    device.save()
    _enter(client, _code(device))
    assert _verified(client)


def test_sign_in_is_recorded_only_once_the_second_factor_passes(users: dict[str, User]) -> None:
    device = TOTPDevice.objects.create(user=users["carol"], name="phone", confirmed=True)
    client = _signed_in_with_password()
    assert not AuditEvent.objects.filter(verb="sign_in").exists()
    _enter(client, _code(device))
    sign_in = AuditEvent.objects.get(verb="sign_in")
    assert sign_in.actor == users["carol"]
    assert sign_in.details == {"client_address": ADDRESS, "second_factor": "totp"}


@pytest.mark.usefixtures("slow_throttle")
def test_a_failed_second_factor_is_audited_without_the_code(users: dict[str, User]) -> None:
    device = TOTPDevice.objects.create(user=users["carol"], name="phone", confirmed=True)
    client = _signed_in_with_password()
    wrong = _wrong(device)
    _enter(client, wrong)
    _enter(client, _code(device))  # throttled
    failures = AuditEvent.objects.filter(verb="two_factor_failed", actor=users["carol"])
    assert [event.details for event in failures.order_by("id")] == [
        {"client_address": ADDRESS, "second_factor": "totp", "reason": "wrong_code"},
        {"client_address": ADDRESS, "second_factor": "totp", "reason": "throttled"},
    ]
    assert wrong not in str(list(failures.values_list("details", flat=True)))


def test_no_code_or_secret_is_in_the_audit_trail(users: dict[str, User]) -> None:
    _, codes = _enrolled(users)
    device = TOTPDevice.objects.get(user=users["carol"])
    trail = str(list(AuditEvent.objects.values_list("details", flat=True)))
    assert device.key not in trail and not any(code in trail for code in codes)
    assert "recovery_codes_create" in AuditEvent.objects.values_list("verb", flat=True)
