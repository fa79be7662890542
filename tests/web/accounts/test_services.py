"""Account services record their audit events."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from continuum.web.accounts.models import Membership, Role
from continuum.web.accounts.services import user_create
from continuum.web.audit.models import AuditEvent
from tests.web.personas import World

pytestmark = pytest.mark.django_db


def test_user_create_gives_one_membership_and_an_audit_event(world: World) -> None:
    user = user_create(
        actor=None, username="dana", password="pw-long-enough", role=Role.DISTRICT_LEADER,
        scope=world.birch,
    )  # fmt: skip
    membership = Membership.objects.get(user=user)
    assert membership.lea == world.birch and membership.role == Role.DISTRICT_LEADER
    event = AuditEvent.objects.get(verb="user_create")
    assert event.subject_id == str(user.pk)
    assert event.details == {"role": "district_leader", "scope": "Birch Unified"}


def test_administrator_adds_a_school_leader_in_the_browser(
    world: World, as_persona: dict[str, Client]
) -> None:
    response = as_persona["carol"].post(
        reverse("accounts:users"),
        {"username": "pat", "password": "a-long-password", "role": Role.SCHOOL_LEADER,
         "scope": world.pine.cds},
    )  # fmt: skip
    assert response.status_code == 302
    assert Membership.objects.get(user__username="pat").school == world.pine
    event = AuditEvent.objects.get(verb="user_create")
    assert event.actor_username == "carol" and event.details["role"] == "school_leader"


def test_administrator_cannot_give_a_scope_outside_the_county(
    world: World, as_persona: dict[str, Client]
) -> None:
    response = as_persona["carol"].post(
        reverse("accounts:users"),
        {"username": "pat", "password": "a-long-password", "role": Role.VIEWER,
         "scope": "01611190000000"},
    )  # fmt: skip
    assert "No such county, LEA or school in your county." in response.content.decode()
    assert not AuditEvent.objects.filter(verb="user_create").exists()
