"""Account services record their audit events."""

from __future__ import annotations

import pytest

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
