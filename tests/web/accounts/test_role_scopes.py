"""Each role is held over its kind of scope (county staff a county, a district leader an LEA, a
school leader a school, a viewer any), in the services, the users pages and the CLI."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from continuum.web.accounts.models import Membership, Role, User
from continuum.web.accounts.services import RoleScopeError, membership_update, user_create
from continuum.web.agencies.models import County, Lea, School
from continuum.web.audit.models import AuditEvent
from tests.cli_runner import run
from tests.web.migrations import migrated_back
from tests.web.personas import World

pytestmark = pytest.mark.django_db

ALLOWED = {
    Role.COUNTY_ADMIN: {"county"},
    Role.COUNTY_ANALYST: {"county"},
    Role.DISTRICT_LEADER: {"lea"},
    Role.SCHOOL_LEADER: {"school"},
    Role.VIEWER: {"county", "lea", "school"},
}


def _scope(world: World, kind: str) -> County | Lea | School:
    scopes: dict[str, County | Lea | School] = {
        "county": world.county, "lea": world.alder, "school": world.oak
    }  # fmt: skip
    return scopes[kind]


@pytest.mark.parametrize("kind", ["county", "lea", "school"])
@pytest.mark.parametrize("role", list(ALLOWED))
def test_user_create_accepts_a_role_only_over_its_kind_of_scope(
    role: str, kind: str, world: World
) -> None:
    scope = _scope(world, kind)
    if kind in ALLOWED[role]:
        user = user_create(actor=None, username="dana", password="x" * 12, role=role, scope=scope)
        assert Membership.objects.get(user=user).scope == scope
    else:
        with pytest.raises(RoleScopeError, match="is a member of"):
            user_create(actor=None, username="dana", password="x" * 12, role=role, scope=scope)
        assert not User.objects.filter(username="dana").exists()


def test_school_leader_of_a_county_is_refused_with_the_scope_it_needs(world: World) -> None:
    with pytest.raises(RoleScopeError) as refused:
        user_create(
            actor=None, username="dana", password="x" * 12, role=Role.SCHOOL_LEADER,
            scope=world.county,
        )  # fmt: skip
    assert str(refused.value) == "A school leader is a member of a school (its 14-digit CDS code)."


def test_membership_update_refuses_a_district_leader_over_a_school(
    world: World, users: dict[str, User]
) -> None:
    membership = Membership.objects.get(user__username="alice")
    with pytest.raises(RoleScopeError):
        membership_update(
            actor=users["carol"], membership=membership, role=Role.DISTRICT_LEADER,
            scope=world.oak,
        )  # fmt: skip
    membership.refresh_from_db()
    assert (membership.role, membership.lea) == (Role.DISTRICT_LEADER, world.alder)


def test_users_page_refuses_a_school_leader_over_an_lea_with_a_message(
    world: World, as_persona: dict[str, Client]
) -> None:
    response = as_persona["carol"].post(reverse("accounts:users"), {
        "username": "dana", "password": "a-long-password", "role": Role.SCHOOL_LEADER,
        "scope": world.alder.cds,
    })  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["scope"] == [
        "A school leader is a member of a school (its 14-digit CDS code)."
    ]
    assert not User.objects.filter(username="dana").exists()


def test_membership_edit_page_refuses_county_staff_over_a_school(
    world: World, as_persona: dict[str, Client]
) -> None:
    membership = Membership.objects.get(user__username="vera")
    url = reverse("accounts:membership_edit", args=[membership.pk])
    response = as_persona["carol"].post(url, {"role": Role.COUNTY_ANALYST, "scope": world.oak.cds})
    assert "is a member of a county" in response.context["form"].errors["scope"][0]
    membership.refresh_from_db()
    assert (membership.role, membership.county) == (Role.VIEWER, world.county)


def test_user_create_command_refuses_a_district_leader_of_a_county(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = run(
        capsys, monkeypatch, "web", "user-create", "dana", "--role", "district_leader",
        "--scope", world.county.code, "--password", "a-long-password",
    )  # fmt: skip
    assert outcome.status == 2
    assert "A district leader is a member of an LEA" in outcome.stderr
    assert "Traceback" not in outcome.stderr
    assert not User.objects.filter(username="dana").exists()


MISFITS = [
    (role, kind)
    for role in ALLOWED
    for kind in ("county", "lea", "school")
    if kind not in ALLOWED[role]
]


@pytest.mark.parametrize(("role", "kind"), MISFITS)
def test_the_database_refuses_a_membership_whose_role_does_not_fit_its_scope(
    role: str, kind: str, world: World, users: dict[str, User]
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=users["alice"], role=role, **{kind: _scope(world, kind)})


@pytest.mark.django_db(transaction=True)
def test_the_migration_removes_stored_misfit_memberships_and_audits_each(
    world: World, users: dict[str, User]
) -> None:
    with migrated_back("accounts", "0002_username_unique_in_any_case") as old:
        misfit = old.get_model("accounts", "Membership").objects.create(
            user_id=users["bob"].pk, role=Role.SCHOOL_LEADER, county_id=world.county.pk
        )
        kept = set(Membership.objects.values_list("pk", flat=True)) - {misfit.pk}
    assert set(Membership.objects.values_list("pk", flat=True)) == kept
    event = AuditEvent.objects.get(verb="membership_remove")
    assert (event.subject_id, event.county, event.details["role"]) == (
        str(users["bob"].pk), world.county, Role.SCHOOL_LEADER
    )  # fmt: skip
    assert event.details["scope"] == world.county.name
