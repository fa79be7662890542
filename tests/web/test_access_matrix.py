"""Every URL × every persona: the status each one gets (a URL missing from the matrix fails);
and every form × every persona who may open it: the choices it offers are in scope, and a choice
from outside is refused."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from continuum.web.accountability.models import DashboardImport
from continuum.web.accounts.access import visible_leas, visible_schools
from continuum.web.accounts.models import Membership, User
from continuum.web.agencies.models import Lea
from continuum.web.api.models import ApiToken
from continuum.web.api.services import api_token_create
from continuum.web.assistance.access import engagement_readers, visible_engagements
from continuum.web.assistance.models import (
    ChangeIdea,
    DataFinding,
    Driver,
    Engagement,
    FishboneCategory,
    LearningEvent,
    LearningSession,
    Measure,
    MtssAssessment,
    PdsaCycle,
)
from continuum.web.assistance.parts import PARTS, owner_path
from tests.web.personas import PERSONAS, World, client_for, other_county_admin_create

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
SIGNED_IN = {**dict.fromkeys(PERSONAS, 200), "anonymous": 302}
API_LIST = {**dict.fromkeys(PERSONAS, 200), "anonymous": 401}
COUNTY_ONLY = {**COUNTY_READERS, "alice": 403, "bob": 403, "sam": 403, "olive": 403,
               "anonymous": 302}  # fmt: skip


def _carols_token() -> ApiToken:
    carol = User.objects.get(username="carol")
    return api_token_create(actor=carol, user=carol, name="matrix", days=None).token


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


def _measure(world: World) -> Measure:
    return Measure.objects.create(engagement=world.engagement, name="Calls made")


# Alice leads Alder (Oak's district); Bob leads Birch; Sam leads Oak; Olive has no membership.
MATRIX: dict[str, tuple[str, Args, dict[str, int]]] = {
    "accounts:home": ("get", lambda w, i: [], {
        "carol": 302, "cody": 302, "alice": 302, "bob": 302, "sam": 302, "vera": 302,
        "olive": 403, "anonymous": 302}),
    "accounts:login": ("get", lambda w, i: [], dict.fromkeys(PERSONAS, 200)),
    "glossary": ("get", lambda w, i: [], dict.fromkeys(PERSONAS, 200)),
    "saved_views:list": ("get", lambda w, i: [], SIGNED_IN),
    # An empty form goes back home with its message; a view of nobody's is not found.
    "saved_views:save": ("post", lambda w, i: [], dict.fromkeys(PERSONAS, 302)),
    "saved_views:delete": ("post", lambda w, i: [0], {**dict.fromkeys(PERSONAS, 404),
                                                       "anonymous": 302}),
    "accounts:logout": ("post", lambda w, i: [], dict.fromkeys(PERSONAS, 302)),
    "accounts:two_factor": ("get", lambda w, i: [], {
        "carol": 302, "cody": 200, "alice": 200, "bob": 200, "sam": 200, "vera": 200,
        "olive": 200, "anonymous": 302}),
    "accounts:recovery_codes": ("get", lambda w, i: [], SIGNED_IN),
    "accounts:password_change": ("get", lambda w, i: [], SIGNED_IN),
    # A link that does not check out says so, to anyone (tests/web/accounts/test_passwords.py).
    "accounts:password_reset": ("get", lambda w, i: ["MQ", "not-a-token"],
                                dict.fromkeys(PERSONAS, 200)),
    "accountability:county": ("get", lambda w, i: [], COUNTY_ONLY),
    "accountability:lea": ("get", lambda w, i: [w.alder.cds], LEA_A),
    "accountability:lea_csv": ("get", lambda w, i: [w.alder.cds], LEA_A),
    "accountability:lea_equity": ("get", lambda w, i: [w.alder.cds], LEA_A),
    "accountability:lea_pdf": ("get", lambda w, i: [w.alder.cds], LEA_A),
    "accountability:school": ("get", lambda w, i: [w.oak.cds], SCHOOL_A),
    "accountability:school_csv": ("get", lambda w, i: [w.oak.cds], SCHOOL_A),
    "accountability:school_equity": ("get", lambda w, i: [w.oak.cds], SCHOOL_A),
    "accountability:result": ("get", lambda w, i: [w.oak_result.pk], SCHOOL_A),
    "accountability:api_openapi": ("get", lambda w, i: [], dict.fromkeys(PERSONAS, 200)),
    "accountability:api_leas": ("get", lambda w, i: [], API_LIST),
    "accountability:api_lea": ("get", lambda w, i: [w.alder.cds], {**LEA_A, "anonymous": 401}),
    "accountability:api_school": ("get", lambda w, i: [w.oak.cds], {
        **SCHOOL_A, "anonymous": 401}),
    # Lists are of what the caller may see: an LEA's own rows, or none for Olive.
    **{name: ("get", lambda w, i: [], API_LIST) for name in (
        "accountability:api_essa_schools", "accountability:api_priority_areas",
        "accountability:api_group_matrix", "accountability:api_colour_changes",
        "accountability:api_engagements")},
    "accountability:api_lea_equity_gaps": ("get", lambda w, i: [w.alder.cds], {
        **LEA_A, "anonymous": 401}),
    "accountability:api_lea_trends": ("get", lambda w, i: [w.alder.cds], {
        **LEA_A, "anonymous": 401}),
    "accountability:api_school_equity_gaps": ("get", lambda w, i: [w.oak.cds], {
        **SCHOOL_A, "anonymous": 401}),
    "accountability:api_school_trends": ("get", lambda w, i: [w.oak.cds], {
        **SCHOOL_A, "anonymous": 401}),
    **{name: ("get", lambda w, i: [], COUNTY_ONLY) for name in (
        "accountability:county_essa_schools", "accountability:county_priority_areas",
        "accountability:county_group_matrix", "accountability:county_colour_changes")},
    "api:docs": ("get", lambda w, i: [], dict.fromkeys(PERSONAS, 200)),
    "api:tokens": ("get", lambda w, i: [], SIGNED_IN),
    # Only Carol's own token is hers to revoke; anyone else's answer is 404.
    "api:token_revoke": ("post", lambda w, i: [_carols_token().pk], {
        **dict.fromkeys(PERSONAS, 404), "carol": 302, "anonymous": 302}),
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
    "accounts:user_password_reset_link": ("get", lambda w, i: [_vera_membership().user_id],
                                          ADMIN_ONLY),
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
    "assistance:points_paste": ("get", lambda w, i: [w.engagement.pk, _measure(w).pk],
                                ENGAGEMENT_EDIT),
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


# Forms × personas: every choice a form offers lies within the persona's scope and the form's
# owner, and a choice from outside (another engagement's record, another county's LEA, a person
# who may not see the engagement, another district's CDS code) is refused. Dora, who administers
# the other county, opens the forms of her county's engagement and training.
ENGAGEMENT_EDITORS = ("carol", "cody", "alice", "dora")
EVENT_RUNNERS = ("carol", "cody", "dora")
FORM_CASES = [
    (kind, persona)
    for kind, part in sorted(PARTS.items())
    for persona in (ENGAGEMENT_EDITORS if part.owner is Engagement else EVENT_RUNNERS)
]


@dataclass(frozen=True)
class Owned:
    """An engagement or a training, and one record of each kind its forms can point at."""

    owner: Engagement | LearningEvent
    records: dict[type[Model], Model]


def _engagement_records(engagement: Engagement) -> Owned:
    driver = Driver.objects.create(engagement=engagement, text="Attendance routines")
    records: list[Model] = [
        driver,
        ChangeIdea.objects.create(driver=driver, text="Call home on the first absence"),
        FishboneCategory.objects.create(engagement=engagement, name="Practices"),
        DataFinding.objects.create(engagement=engagement, statement="SWD are absent"),
        Measure.objects.create(engagement=engagement, name="Weekly attendance"),
        MtssAssessment.objects.create(engagement=engagement, date="2026-01-10"),
    ]
    return Owned(engagement, {type(record): record for record in records})


def _event_records(event: LearningEvent) -> Owned:
    session = event.sessions.first() or LearningSession.objects.create(
        event=event, title="Day 1", date="2026-01-20"
    )
    return Owned(event, {LearningSession: session})


@dataclass(frozen=True)
class FormPlaces:
    """What each side of the county line owns, and who may not see the other side."""

    rio_verde: dict[str, Owned]
    sierra_alta: dict[str, Owned]
    dora: User


@pytest.fixture
def form_places(world: World, users: dict[str, User]) -> FormPlaces:
    cedar_engagement = Engagement.objects.create(lea=world.cedar, year=2025, status="active")
    Engagement.objects.create(lea=world.birch, year=2025)  # a neighbour in the same county
    sierra_event = LearningEvent.objects.create(county=world.other_county, title="Sierra network")
    return FormPlaces(
        rio_verde={"engagement": _engagement_records(world.engagement),
                   "event": _event_records(world.event)},
        sierra_alta={"engagement": _engagement_records(cedar_engagement),
                     "event": _event_records(sierra_event)},
        dora=other_county_admin_create(world),
    )  # fmt: skip


def _form_url(kind: str, owner: Engagement | LearningEvent) -> str:
    if isinstance(owner, LearningEvent):
        if kind == "event":
            return reverse("assistance:event_part_edit", args=[owner.pk, kind, owner.pk])
        return reverse("assistance:event_part_new", args=[owner.pk, kind])
    if kind == "engagement":
        return reverse("assistance:part_edit", args=[owner.pk, kind, owner.pk])
    return reverse("assistance:part_new", args=[owner.pk, kind])


def _within(user: User, owner: Engagement | LearningEvent, choice: Model) -> bool:
    """Whether a form of ``owner`` opened by ``user`` may offer ``choice``."""
    if isinstance(choice, User):
        return choice.is_active and visible_engagements(choice).filter(pk=owner.pk).exists()
    if isinstance(choice, Lea):
        county_id = owner.county_id if isinstance(owner, LearningEvent) else owner.lea.county_id
        return choice.county_id == county_id and visible_leas(user).filter(pk=choice.pk).exists()
    if isinstance(choice, LearningSession):
        return choice.event_id == owner.pk
    lookup = {owner_path(type(choice)): owner.pk}
    return type(choice)._default_manager.filter(pk=choice.pk, **lookup).exists()


def _visible_codes(user: User) -> set[str]:
    leas = visible_leas(user).values_list("cds", flat=True)
    return {*leas, *visible_schools(user).values_list("cds", flat=True)}


def _outside(
    field: str, model: type[Model] | None, world: World, own: dict[str, Owned],
    other: dict[str, Owned], users: dict[str, User],
) -> object:  # fmt: skip
    """A value for ``field`` from the other side of the county line (or the same county's
    other district, for codes and people)."""
    on_rio_verde = own["engagement"].owner == world.engagement
    if field == "cds":
        return world.pine.cds if on_rio_verde else world.oak.cds
    if model is User:
        return (users["bob"] if on_rio_verde else users["alice"]).pk
    if model is Lea:
        return (world.cedar if on_rio_verde else world.alder).pk
    assert model is not None
    owned = other["event"] if model is LearningSession else other["engagement"]
    return owned.records[model].pk


@pytest.mark.parametrize(("kind", "persona"), FORM_CASES)
def test_form_offers_only_choices_in_scope_and_refuses_one_from_outside(
    kind: str, persona: str, world: World, users: dict[str, User], form_places: FormPlaces
) -> None:
    dora = persona == "dora"
    user = form_places.dora if dora else users[persona]
    own, other = (
        (form_places.sierra_alta, form_places.rio_verde) if dora
        else (form_places.rio_verde, form_places.sierra_alta)
    )  # fmt: skip
    part = PARTS[kind]
    owner = own["event" if part.owner is LearningEvent else "engagement"].owner
    client = client_for(user)
    url = _form_url(kind, owner)
    page = client.get(url)
    assert page.status_code == 200, url
    form = page.context["form"]
    choice_fields = []
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is not None:
            choice_fields.append((name, queryset.model))
            for choice in queryset:
                assert _within(user, owner, choice), f"{kind}.{name} offers {choice}"
        elif name == "cds":
            choice_fields.append((name, None))
            offered = {code for code, _ in field.choices if code}
            assert offered and offered <= _visible_codes(user), f"{kind}.cds offers {offered}"
    for name, model in choice_fields:
        before = part.model._default_manager.count()
        value = _outside(name, model, world, own, other, users)
        refused = client.post(url, {name: value})
        errors = refused.context["form"].errors.as_data()
        assert [e.code for e in errors.get(name, [])] == ["invalid_choice"], f"{kind}.{name}"
        assert part.model._default_manager.count() == before


def test_team_pickers_offer_exactly_the_people_who_may_see_the_engagement(
    world: World, users: dict[str, User], form_places: FormPlaces
) -> None:
    charter = Lea.objects.create(
        cds="34600010123456", name="Alder Charter", kind=Lea.Kind.CHARTER, county=world.county
    )
    for engagement in (
        world.engagement,
        Engagement.objects.create(lea=charter, year=2025),
        form_places.sierra_alta["engagement"].owner,
    ):
        assert isinstance(engagement, Engagement)
        readers = set(engagement_readers(engagement))
        for user in User.objects.all():
            sees = visible_engagements(user).filter(pk=engagement.pk).exists()
            assert (user in readers) is sees, f"{user} on {engagement}"


@pytest.mark.parametrize("page", ["accounts:users", "accounts:membership_edit"])
def test_membership_scope_pickers_refuse_a_scope_in_another_county(
    page: str, world: World, users: dict[str, User], form_places: FormPlaces
) -> None:
    sierra_viewer = User.objects.create_user(username="sierra.viewer")
    Membership.objects.create(user=sierra_viewer, role="viewer", county=world.other_county)
    sides = (
        (users["carol"], "vera", (world.other_county.code, world.cedar.cds, world.elm.cds)),
        (form_places.dora, "sierra.viewer", (world.county.code, world.alder.cds, world.oak.cds)),
    )
    memberships = set(Membership.objects.values_list("pk", "role", "county", "lea", "school"))
    for admin, member, outside in sides:
        client = client_for(admin)
        if page == "accounts:users":
            url = reverse(page)
            data = {"username": "pat", "password": "a-long-password", "role": "viewer"}
        else:
            url = reverse(page, args=[Membership.objects.get(user__username=member).pk])
            data = {"role": "viewer"}
        for code in outside:
            response = client.post(url, {**data, "scope": code})
            assert response.context["form"].errors["scope"] == [
                "No such county, LEA or school in your county."
            ], (admin, code)
    assert set(Membership.objects.values_list("pk", "role", "county", "lea", "school")) == (
        memberships
    )
