"""The audit trail is append-only and records to which county each event belongs."""

from __future__ import annotations

import pytest

from continuum.web.accounts.models import Membership, Role, User
from continuum.web.accounts.services import membership_update
from continuum.web.assistance.models import Cause, FishboneCategory
from continuum.web.audit.models import AuditEvent
from continuum.web.audit.services import audit_event_record
from tests.web.personas import World

pytestmark = pytest.mark.django_db


def test_events_cannot_be_changed_or_deleted() -> None:
    event = audit_event_record(actor=None, verb="test_event", details={"n": 1})
    event.verb = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert AuditEvent.objects.get().verb == "test_event"


def test_event_about_a_workspace_record_belongs_to_its_leas_county(
    world: World, users: dict[str, User]
) -> None:
    # A cause reaches its county through its category, engagement and LEA; the actor's own
    # county (Dora's, another) does not decide it.
    category = FishboneCategory.objects.create(engagement=world.engagement, name="Students")
    cause = Cause.objects.create(category=category, text="Absent on Mondays")
    dora = User.objects.create_user(username="dora")
    Membership.objects.create(user=dora, role=Role.COUNTY_ADMIN, county=world.other_county)
    event = audit_event_record(actor=dora, verb="cause_create", subject=cause)
    assert (event.subject_type, event.subject_id) == ("cause", str(cause.pk))
    assert event.county == world.county


def test_event_without_a_subject_belongs_to_the_actors_county(
    world: World, users: dict[str, User]
) -> None:
    assert audit_event_record(actor=users["alice"], verb="sign_in").county == world.county
    assert audit_event_record(actor=users["sam"], verb="sign_in").county == world.county


def test_event_of_nobody_in_no_county_belongs_to_no_county(users: dict[str, User]) -> None:
    assert audit_event_record(actor=None, verb="dashboard_import").county is None
    assert audit_event_record(actor=users["olive"], verb="sign_in").county is None


def test_membership_moved_to_another_county_is_recorded_in_the_county_it_left(
    world: World, users: dict[str, User]
) -> None:
    membership = Membership.objects.get(user=users["bob"])
    membership_update(
        actor=users["carol"], membership=membership, role=Role.DISTRICT_LEADER, scope=world.cedar
    )
    assert AuditEvent.objects.get(verb="membership_update").county == world.county
