"""Usernames: one account per name whatever its case or Unicode form, nothing invisible."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from continuum.web.accounts.models import Role, User
from continuum.web.accounts.services import user_create
from tests.web.personas import PASSWORD, World

pytestmark = pytest.mark.django_db


def _create(world: World, username: str) -> User:
    return user_create(
        actor=None, username=username, password=PASSWORD, role=Role.VIEWER, scope=world.county
    )


def test_a_username_is_stored_in_its_nfkc_form(world: World) -> None:
    assert _create(world, "\uff44\uff41\uff4e\uff41").username == "dana"  # full-width letters


def test_a_username_taken_in_another_case_is_refused(world: World) -> None:
    _create(world, "dana")
    with pytest.raises(ValidationError) as refused:
        _create(world, "DANA")
    assert refused.value.message_dict == {"username": ["That username is taken."]}


def test_the_database_refuses_two_usernames_differing_only_in_case(world: World) -> None:
    User.objects.create_user(username="dana", password=PASSWORD)
    with pytest.raises(IntegrityError):
        User.objects.create_user(username="Dana", password=PASSWORD)


@pytest.mark.parametrize(
    "username",
    ["da\u200bna", "dana\u202e", "da\u2066na", "da na", "da\u0007na", "da\ufeffna"],
    ids=["zero-width space", "right-to-left override", "bidi isolate", "space", "bell", "BOM"],
)
def test_a_username_with_an_invisible_or_control_character_is_refused(
    world: World, username: str
) -> None:
    with pytest.raises(ValidationError, match="invisible characters"):
        _create(world, username)
    assert not User.objects.filter(username__startswith="da").exists()


def test_sign_in_ignores_the_case_of_the_username(users: dict[str, User]) -> None:
    response = Client().post(reverse("accounts:login"), {"username": "ALICE", "password": PASSWORD})
    assert response.status_code == 302


def test_lockout_counts_failures_in_every_case_of_a_username_together(
    users: dict[str, User], settings: Settings
) -> None:
    client = Client()
    for index in range(settings.AXES_FAILURE_LIMIT):
        spelling = "alice" if index % 2 else "Alice"
        client.post(reverse("accounts:login"), {"username": spelling, "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "ALICE", "password": PASSWORD})
    assert response.status_code == 429
