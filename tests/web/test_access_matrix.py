"""Every URL × every persona: the status each one gets. A URL missing from the matrix fails."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from continuum.web.accountability.models import DashboardImport
from continuum.web.accounts.models import Membership
from continuum.web.assistance.models import ChangeIdea, Driver, MtssAssessment, PdsaCycle
from tests.web.personas import PERSONAS, World

pytestmark = pytest.mark.django_db

Args = Callable[[World, DashboardImport], list[object]]
COUNTY_READERS = {"carol": 200, "cody": 200, "vera": 200}
ADMIN_ONLY = {"carol": 200, "cody": 403, "alice": 403, "bob": 403, "sam": 403, "vera": 403,
              "olive": 403, "anonymous": 302}  # fmt: skip
LEA_A = {**COUNTY_READERS, "alice": 200, "bob": 404, "sam": 404, "olive": 404, "anonymous": 302}
SCHOOL_A = {**COUNTY_READERS, "alice": 200, "bob": 404, "sam": 200, "olive": 404, "anonymous": 302}
COUNTY_RUNNERS = {"carol": 200, "cody": 200, "vera": 403, "alice": 403, "bob": 403, "sam": 403,
                  "anonymous": 302}  # fmt: skip
# Carol administers the county, Cody coaches Alder's engagement, Alice leads Alder.
ENGAGEMENT_EDIT = {**LEA_A, "vera": 403}
EVENT_READ = {**COUNTY_READERS, "alice": 200, "bob": 200, "sam": 200, "olive": 404,
              "anonymous": 302}  # fmt: skip
EVENT_EDIT = {**COUNTY_RUNNERS, "olive": 404}
COUNTY_ONLY = {**COUNTY_READERS, "alice": 403, "bob": 403, "sam": 403, "olive": 403,
               "anonymous": 302}  # fmt: skip


def _vera_membership() -> Membership:
    return Membership.objects.get(user__username="vera")


def _assessment(world: World) -> MtssAssessment:
    return MtssAssessment.objects.create(engagement=world.engagement, date=world.meeting.date)


def _cycle(world: World) -> PdsaCycle:
    driver = Driver.objects.create(engagement=world.engagement, text="Attendance routines")
    idea = ChangeIdea.objects.create(driver=driver, text="Call home on the first absence")
    return PdsaCycle.objects.create(
        engagement=world.engagement, change_idea=idea, title="Calls", question="q", prediction="p"
    )


# Alice leads Alder (Oak's district); Bob leads Birch; Sam leads Oak; Olive has no membership.
MATRIX: dict[str, tuple[str, Args, dict[str, int]]] = {
    "accounts:home": ("get", lambda w, i: [], {
        "carol": 302, "cody": 302, "alice": 302, "bob": 302, "sam": 302, "vera": 302,
        "olive": 403, "anonymous": 302}),
    "accounts:login": ("get", lambda w, i: [], dict.fromkeys(PERSONAS, 200)),
    "accounts:logout": ("post", lambda w, i: [], dict.fromkeys(PERSONAS, 302)),
    "accounts:two_factor": ("get", lambda w, i: [], {
        "carol": 302, "cody": 200, "alice": 200, "bob": 200, "sam": 200, "vera": 200,
        "olive": 200, "anonymous": 302}),
    "accountability:county": ("get", lambda w, i: [], COUNTY_ONLY),
    "accountability:county_csv": ("get", lambda w, i: [], COUNTY_ONLY),
    "accountability:lea": ("get", lambda w, i: [w.alder.cds], LEA_A),
    "accountability:lea_csv": ("get", lambda w, i: [w.alder.cds], LEA_A),
    "accountability:lea_equity": ("get", lambda w, i: [w.alder.cds], LEA_A),
    "accountability:lea_pdf": ("get", lambda w, i: [w.alder.cds], LEA_A),
    "accountability:school": ("get", lambda w, i: [w.oak.cds], SCHOOL_A),
    "accountability:school_csv": ("get", lambda w, i: [w.oak.cds], SCHOOL_A),
    "accountability:school_equity": ("get", lambda w, i: [w.oak.cds], SCHOOL_A),
    "accountability:result": ("get", lambda w, i: [w.oak_result.pk], SCHOOL_A),
    "accountability:api_openapi": ("get", lambda w, i: [], dict.fromkeys(PERSONAS, 200)),
    "accountability:api_leas": ("get", lambda w, i: [], {
        **dict.fromkeys(PERSONAS, 200), "anonymous": 401}),
    "accountability:api_lea": ("get", lambda w, i: [w.alder.cds], {**LEA_A, "anonymous": 401}),
    "accountability:api_school": ("get", lambda w, i: [w.oak.cds], {
        **SCHOOL_A, "anonymous": 401}),
    "accountability:imports": ("get", lambda w, i: [], ADMIN_ONLY),
    "accountability:import": ("get", lambda w, i: [i.pk], ADMIN_ONLY),
    # A queued import cannot be discarded: Carol is sent back to its page with the reason.
    "accountability:import_action": ("post", lambda w, i: [i.pk, "discard"], {
        **ADMIN_ONLY, "carol": 302}),
    "audit:events": ("get", lambda w, i: [], ADMIN_ONLY),
    "accounts:users": ("get", lambda w, i: [], ADMIN_ONLY),
    # GET shows the form or the confirmation; the writes are POSTs (tests/web/accounts).
    "accounts:membership_edit": ("get", lambda w, i: [_vera_membership().pk], ADMIN_ONLY),
    "accounts:membership_remove": ("get", lambda w, i: [_vera_membership().pk], ADMIN_ONLY),
    "accounts:user_deactivate": ("get", lambda w, i: [_vera_membership().user_id], ADMIN_ONLY),
    "accounts:user_reactivate": ("get", lambda w, i: [_vera_membership().user_id], ADMIN_ONLY),
    "assistance:engagements": ("get", lambda w, i: [], COUNTY_ONLY),
    "assistance:propose": ("post", lambda w, i: [], {
        **COUNTY_RUNNERS, "carol": 302, "cody": 302, "olive": 403}),
    "assistance:lea": ("get", lambda w, i: [w.alder.cds], LEA_A),
    "assistance:engagement": ("get", lambda w, i: [w.engagement.pk], LEA_A),
    "assistance:engagement_pdf": ("get", lambda w, i: [w.engagement.pk], LEA_A),
    "assistance:engagements_pdf": ("get", lambda w, i: [], COUNTY_ONLY),
    "assistance:engagements_csv": ("get", lambda w, i: [], COUNTY_ONLY),
    "assistance:attendance": ("get", lambda w, i: [], COUNTY_ONLY),
    "assistance:attendance_csv": ("get", lambda w, i: [], COUNTY_ONLY),
    "assistance:open": ("post", lambda w, i: [w.engagement.pk], {
        **LEA_A, "carol": 302, "cody": 302, "vera": 403, "alice": 403}),
    "assistance:root_causes": ("get", lambda w, i: [w.engagement.pk], LEA_A),
    "assistance:fishbone_start": ("post", lambda w, i: [w.engagement.pk], {
        **ENGAGEMENT_EDIT, "carol": 302, "cody": 302, "alice": 302}),
    "assistance:mtss": ("get", lambda w, i: [w.engagement.pk], LEA_A),
    "assistance:mtss_rate": ("get", lambda w, i: [w.engagement.pk, _assessment(w).pk],
                             ENGAGEMENT_EDIT),
    "assistance:part_new": ("get", lambda w, i: [w.engagement.pk, "meeting"], ENGAGEMENT_EDIT),
    "assistance:part_edit": ("get", lambda w, i: [w.engagement.pk, "meeting", w.meeting.pk],
                             ENGAGEMENT_EDIT),
    "assistance:part_delete": ("get", lambda w, i: [w.engagement.pk, "meeting", w.meeting.pk],
                               ENGAGEMENT_EDIT),
    "assistance:driver_diagram": ("get", lambda w, i: [w.engagement.pk], LEA_A),
    "assistance:pdsa": ("get", lambda w, i: [w.engagement.pk], LEA_A),
    "assistance:cycle": ("get", lambda w, i: [w.engagement.pk, _cycle(w).pk], LEA_A),
    "assistance:events": ("get", lambda w, i: [], {**EVENT_READ, "olive": 200}),
    "assistance:event": ("get", lambda w, i: [w.event.pk], EVENT_READ),
    "assistance:event_new": ("get", lambda w, i: [], {**COUNTY_RUNNERS, "olive": 403}),
    "assistance:event_part_new": ("get", lambda w, i: [w.event.pk, "session"], EVENT_EDIT),
    "assistance:event_part_edit": ("get", lambda w, i: [w.event.pk, "session", w.session.pk],
                                   EVENT_EDIT),
    "assistance:event_part_delete": ("get", lambda w, i: [w.event.pk, "session", w.session.pk],
                                     EVENT_EDIT),
}  # fmt: skip


def url_names(patterns: list[URLPattern | URLResolver], namespace: str = "") -> Iterator[str]:
    """Every named URL of the URLconf, with its namespace."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_has_an_entry_for_every_persona() -> None:
    assert set(url_names(get_resolver().url_patterns)) == set(MATRIX)
    for name, (_, _, expected) in MATRIX.items():
        assert set(expected) == set(PERSONAS), name


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_persona_gets_the_expected_status(
    name: str, persona: str, world: World, as_persona: dict[str, Client]
) -> None:
    method, args, expected = MATRIX[name]
    run = DashboardImport.objects.create(
        directory="/nonexistent", file_names=["x.txt"], county=world.county
    )
    url = reverse(name, args=args(world, run))
    response = getattr(as_persona[persona], method)(url)
    assert response.status_code == expected[persona], f"{persona} {method.upper()} {url}"


def test_district_leader_never_sees_another_districts_school_in_the_lea_list(
    world: World, as_persona: dict[str, Client]
) -> None:
    page = as_persona["alice"].get(reverse("accountability:lea", args=[world.alder.cds]))
    assert world.oak.name in page.content.decode()
    assert world.pine.name not in page.content.decode()
