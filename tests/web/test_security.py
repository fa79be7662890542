"""Caching headers of signed-in answers, and the one-line log of refused requests."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.personas import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("accountability:county", ""),
        ("accountability:county", "?format=csv"),
        ("accountability:county", "?format=xlsx"),
        ("accountability:api_leas", ""),
    ],
)
def test_signed_in_pages_and_exports_are_private_and_not_stored(
    name: str, query: str, world: World, as_persona: dict[str, Client]
) -> None:
    response = as_persona["carol"].get(reverse(name) + query)
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_the_sign_out_answer_is_private_and_not_stored(
    world: World, as_persona: dict[str, Client]
) -> None:
    response = as_persona["carol"].post(reverse("accounts:logout"))
    assert "no-store" in response["Cache-Control"]


def test_a_public_document_asked_for_anonymously_carries_no_private_marking(
    world: World, as_persona: dict[str, Client]
) -> None:
    response = as_persona["anonymous"].get(reverse("accountability:api_openapi"))
    assert response.status_code == 200
    assert "private" not in response.get("Cache-Control", "")


def test_static_files_stay_cacheable_for_a_signed_in_user(
    world: World, as_persona: dict[str, Client]
) -> None:
    response = as_persona["carol"].get("/static/continuum/site.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_404_is_logged_as_one_line_without_traceback(
    world: World,
    as_persona: dict[str, Client],
    users: dict[str, object],
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = reverse("accountability:lea", args=[world.alder.cds])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert as_persona["bob"].get(url, {"q": "secret search"}).status_code == 404
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    bob = users["bob"]
    assert record.getMessage() == f"GET {url} 404 user={bob.pk}"  # type: ignore[attr-defined]
    assert record.exc_info is None
    assert "secret" not in caplog.text and "Traceback" not in caplog.text


def test_a_403_is_logged_as_one_line_without_traceback(
    world: World,
    as_persona: dict[str, Client],
    users: dict[str, object],
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = reverse("audit:events")
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert as_persona["vera"].get(url).status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    vera = users["vera"]
    assert record.getMessage() == f"GET {url} 403 user={vera.pk}"  # type: ignore[attr-defined]
    assert record.exc_info is None and "Traceback" not in caplog.text
