"""The client's address behind proxies: one function for lockout and the audit trail."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from pytest_django.fixtures import Settings

from continuum.web.accounts.client import client_address
from continuum.web.accounts.models import User
from continuum.web.audit.models import AuditEvent
from tests.web.personas import PASSWORD

PROXY = "10.0.0.2"
CLIENT_A = "198.51.100.7"
CLIENT_B = "198.51.100.8"


def _address(forwarded: str | None, proxies: int, settings: Settings) -> str:
    settings.CONTINUUM_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=PROXY, **headers))


def test_without_a_proxy_a_forwarded_header_is_ignored(settings: Settings) -> None:
    assert _address(CLIENT_A, 0, settings) == PROXY


def test_behind_one_proxy_the_address_it_appended_is_the_client(settings: Settings) -> None:
    assert _address(CLIENT_A, 1, settings) == CLIENT_A


def test_addresses_a_client_wrote_before_the_proxy_are_ignored(settings: Settings) -> None:
    assert _address(f"203.0.113.9, not-an-address, {CLIENT_A}", 1, settings) == CLIENT_A


def test_behind_two_proxies_the_client_is_second_from_the_end(settings: Settings) -> None:
    assert _address(f"203.0.113.9, {CLIENT_A}, 10.0.0.1", 2, settings) == CLIENT_A


def test_a_request_that_bypassed_the_proxy_is_keyed_on_its_connection(
    settings: Settings,
) -> None:
    assert _address(None, 1, settings) == PROXY


def _sign_in_through_proxy(client: Client, address: str, password: str) -> int:
    response = client.post(
        reverse("accounts:login"),
        {"username": "alice", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )
    return response.status_code


@pytest.mark.django_db
def test_lockout_behind_a_proxy_keys_on_the_real_client_not_the_proxy(
    users: dict[str, User], settings: Settings
) -> None:
    settings.CONTINUUM_PROXY_COUNT = 1
    attacker, colleague = Client(), Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in_through_proxy(attacker, CLIENT_A, "wrong")
    assert _sign_in_through_proxy(attacker, CLIENT_A, PASSWORD) == 429
    # A forged header from the locked-out client does not get round the lockout either.
    assert _sign_in_through_proxy(attacker, f"{CLIENT_B}, {CLIENT_A}", PASSWORD) == 429
    assert _sign_in_through_proxy(colleague, CLIENT_B, PASSWORD) == 302


@pytest.mark.django_db
def test_sign_in_events_record_the_real_client_address(
    users: dict[str, User], settings: Settings
) -> None:
    settings.CONTINUUM_PROXY_COUNT = 1
    client = Client()
    _sign_in_through_proxy(client, CLIENT_A, "wrong")
    _sign_in_through_proxy(client, CLIENT_A, PASSWORD)
    client.post(reverse("accounts:logout"), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_B)
    recorded = dict(
        AuditEvent.objects.filter(verb__in=["sign_in_failed", "sign_in", "sign_out"]).values_list(
            "verb", "details__client_address"
        )
    )
    assert recorded == {"sign_in_failed": CLIENT_A, "sign_in": CLIENT_A, "sign_out": CLIENT_B}
