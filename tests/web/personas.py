"""Named people and places for web tests.

Rio Verde County has two districts: Alder Unified (Alice leads it; Sam leads its Oak
Elementary) and Birch Unified (Bob leads it). Carol is the county administrator, Cody the county
coach, Vera a read-only viewer of the county; Olive has an account and no membership at all.
Alder is in Differentiated Assistance: its 2025 engagement is active with Cody as its COE coach,
and the county runs an improvement-science institute.

Sierra Alta County is another county in the same database, with Cedar Unified and its Elm
Middle: Dora administers it (she is not one of PERSONAS, so the access matrix does not list her;
tests of county scoping create her with ``other_county_admin_create``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from continuum.web.accountability.models import (
    DaEvidence,
    DaResult,
    IndicatorResult,
    ResultYear,
)
from continuum.web.accounts.models import Membership, Role, User
from continuum.web.agencies.models import County, Lea, School
from continuum.web.assistance.models import (
    Engagement,
    LearningEvent,
    LearningSession,
    Meeting,
    TeamMember,
)

PASSWORD = "a-long-test-password"
PERSONAS = ("carol", "cody", "alice", "bob", "sam", "vera", "olive", "anonymous")


@dataclass(frozen=True)
class World:
    """The places and results every web test can use."""

    county: County
    alder: Lea
    birch: Lea
    oak: School
    pine: School
    oak_result: IndicatorResult
    pine_result: IndicatorResult
    engagement: Engagement
    meeting: Meeting
    event: LearningEvent
    session: LearningSession
    other_county: County
    cedar: Lea
    elm: School
    elm_result: IndicatorResult


def world_create() -> World:
    """The county, its two districts, a school in each, results and DA determinations."""
    county = County.objects.create(code="34", name="Rio Verde")
    alder = Lea.objects.create(
        cds="34600010000000", name="Alder Unified", kind=Lea.Kind.UNIFIED, county=county
    )
    birch = Lea.objects.create(
        cds="34600020000000", name="Birch Unified", kind=Lea.Kind.UNIFIED, county=county
    )
    oak = School.objects.create(
        cds="34600010100001", name="Oak Elementary", lea=alder, kind="Elementary", low_grade="K",
        high_grade="5",
    )  # fmt: skip
    pine = School.objects.create(
        cds="34600020100002", name="Pine High", lea=birch, kind="High", low_grade="9",
        high_grade="12",
    )  # fmt: skip
    other_county = County.objects.create(code="35", name="Sierra Alta")
    cedar = Lea.objects.create(
        cds="35700010000000", name="Cedar Unified", kind=Lea.Kind.UNIFIED, county=other_county
    )
    elm = School.objects.create(
        cds="35700010100003", name="Elm Middle", lea=cedar, kind="Middle", low_grade="6",
        high_grade="8",
    )  # fmt: skip
    results = {}
    for cds, rtype, name in (
        (alder.cds, "D", alder.name),
        (birch.cds, "D", birch.name),
        (oak.cds, "S", oak.name),
        (pine.cds, "S", pine.name),
        (cedar.cds, "D", cedar.name),
        (elm.cds, "S", elm.name),
    ):
        for group, color in (("ALL", 3), ("SWD", 1)):
            results[(cds, group)] = IndicatorResult.objects.create(
                year=2025, cds=cds, rtype=rtype, name=name, studentgroup=group, indicator="ELA",
                currdenom=120, currstatus=-40.5, change=-3.2, statuslevel=2, changelevel=2,
                color=color, explanation=f"{name} {group}: status Low, change Declined.",
            )  # fmt: skip
    ResultYear.objects.create(year=2025, rows=len(results), imported_at=timezone.now())
    DaResult.objects.create(
        year=2025, cds=alder.cds, name=alder.name, entity="district",
        status="Differentiated Assistance, Year 1", groups={"SWD": "B"}, total_groups=1,
        level3="N", explanation="Students with Disabilities met priorities 4 and 5.",
    )  # fmt: skip
    DaEvidence.objects.create(
        year=2025, cds=alder.cds, studentgroup="SWD", priority=4, criterion="Red on ELA",
        indicator="ELA", color=1, statuslevel=1, currstatus=-90.1, change=-5.0, currdenom=80,
    )  # fmt: skip
    DaResult.objects.create(
        year=2025, cds=birch.cds, name=birch.name, entity="district", status="General Assistance"
    )
    engagement = Engagement.objects.create(lea=alder, year=2025, status=Engagement.Status.ACTIVE)
    engagement.groups.create(studentgroup="SWD", code="B", priorities=[4, 5])
    meeting = Meeting.objects.create(
        engagement=engagement, date=datetime.date(2025, 12, 9), title="Kick-off"
    )
    event = LearningEvent.objects.create(county=county, title="Improvement science institute")
    session = LearningSession.objects.create(
        event=event, title="Day 1", date=datetime.date(2026, 1, 20)
    )
    return World(
        county=county, alder=alder, birch=birch, oak=oak, pine=pine,
        oak_result=results[(oak.cds, "ALL")], pine_result=results[(pine.cds, "ALL")],
        engagement=engagement, meeting=meeting, event=event, session=session,
        other_county=other_county, cedar=cedar, elm=elm, elm_result=results[(elm.cds, "ALL")],
    )  # fmt: skip


def personas_create(world: World) -> dict[str, User]:
    """One user per persona (anonymous has none)."""
    plan: dict[str, tuple[str, County | Lea | School] | None] = {
        "carol": (Role.COUNTY_ADMIN, world.county),
        "cody": (Role.COUNTY_ANALYST, world.county),
        "alice": (Role.DISTRICT_LEADER, world.alder),
        "bob": (Role.DISTRICT_LEADER, world.birch),
        "sam": (Role.SCHOOL_LEADER, world.oak),
        "vera": (Role.VIEWER, world.county),
        "olive": None,
    }
    users = {}
    for name, membership in plan.items():
        user = User.objects.create_user(username=name, password=PASSWORD)
        if membership is not None:
            role, scope = membership
            Membership.objects.create(
                user=user,
                role=role,
                county=scope if isinstance(scope, County) else None,
                lea=scope if isinstance(scope, Lea) else None,
                school=scope if isinstance(scope, School) else None,
            )
        users[name] = user
    TeamMember.objects.create(
        engagement=world.engagement, user=users["cody"], part=TeamMember.Part.COACH
    )
    return users


def other_county_admin_create(world: World) -> User:
    """Dora, administrator of Sierra Alta County (the other county)."""
    user = User.objects.create_user(username="dora", password=PASSWORD)
    Membership.objects.create(user=user, role=Role.COUNTY_ADMIN, county=world.other_county)
    return user


def client_for(user: User | None) -> Client:
    """A client signed in as the user, with two factors verified for those who need them."""
    client = Client()
    if user is None:
        return client
    client.force_login(user)
    if user.memberships.filter(role=Role.COUNTY_ADMIN).exists():
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
