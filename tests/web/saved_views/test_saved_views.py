"""Saved views: a user names the filters of a table, reopens them, and sees only their own."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from continuum.web.audit.models import AuditEvent
from continuum.web.saved_views.models import SavedView
from tests.web.personas import World

pytestmark = pytest.mark.django_db


def _save(client: Client, name: str, path: str, query: str) -> str:
    response = client.post(
        reverse("saved_views:save"), {"name": name, "path": path, "query": query}
    )
    assert response.status_code == 302
    return str(response["Location"])


def test_saving_a_view_goes_back_to_the_page_with_its_filters_without_page_or_download(
    world: World, as_persona: dict[str, Client]
) -> None:
    location = _save(
        as_persona["cody"], "Level 2", "/county/", "level=2&sort=-name&page=3&format=csv"
    )
    assert location == "/county/?level=2&sort=-name"
    page = as_persona["cody"].get(location).content.decode()
    assert 'href="/county/?level=2&amp;sort=-name">Level 2</a>' in page


def test_saving_under_the_same_name_replaces_the_filters(
    world: World, as_persona: dict[str, Client]
) -> None:
    _save(as_persona["cody"], "Mine", "/county/", "level=2")
    _save(as_persona["cody"], "Mine", "/county/", "level=1")
    assert list(SavedView.objects.values_list("query", flat=True)) == ["level=1"]


def test_a_users_saved_views_are_theirs_alone(world: World, as_persona: dict[str, Client]) -> None:
    _save(as_persona["cody"], "Cody's districts", "/county/", "level=2")
    view = SavedView.objects.get()
    assert "Cody&#x27;s districts" not in as_persona["vera"].get("/county/").content.decode()
    assert "Cody&#x27;s districts" not in as_persona["vera"].get("/views/").content.decode()
    delete = reverse("saved_views:delete", args=[view.pk])
    assert as_persona["vera"].post(delete).status_code == 404
    assert as_persona["cody"].post(delete).status_code == 302
    assert not SavedView.objects.exists()


def test_saving_and_deleting_are_audited(world: World, as_persona: dict[str, Client]) -> None:
    _save(as_persona["cody"], "Level 2", "/county/", "level=2")
    view = SavedView.objects.get()
    as_persona["cody"].post(reverse("saved_views:delete", args=[view.pk]))
    events = AuditEvent.objects.filter(verb__startswith="saved_view").order_by("id")
    assert [(e.verb, e.details["name"]) for e in events] == [
        ("saved_view_create", "Level 2"),
        ("saved_view_delete", "Level 2"),
    ]


@pytest.mark.parametrize(
    "path", ["https://example.org/county/", "//example.org/", "/accounts/login/"]
)
def test_only_the_sites_pages_with_tables_can_be_saved(
    path: str, world: World, as_persona: dict[str, Client]
) -> None:
    client = as_persona["cody"]
    response = client.post(reverse("saved_views:save"), {"name": "x", "path": path}, follow=True)
    assert (
        "Views can be saved only of the site&#x27;s pages with tables." in response.content.decode()
    )
    assert not SavedView.objects.exists()


def test_a_view_without_a_name_is_refused_with_the_reason(
    world: World, as_persona: dict[str, Client]
) -> None:
    response = as_persona["cody"].post(
        reverse("saved_views:save"), {"name": "", "path": "/county/"}, follow=True
    )
    assert "The view was not saved: This field is required." in response.content.decode()
    assert not SavedView.objects.exists()
