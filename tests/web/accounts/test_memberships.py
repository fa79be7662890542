"""Editing and removing memberships and deactivating users: audited, and never leaving a county
without an active county administrator."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from continuum.web.accounts.models import Membership, Role, User
from continuum.web.accounts.services import (
    LastCountyAdministratorError,
    membership_remove,
    membership_update,
    user_create,
    user_deactivate,
)
from continuum.web.agencies.models import County
from continuum.web.audit.models import AuditEvent
from tests.web.personas import PASSWORD, World

pytestmark = pytest.mark.django_db

LAST_ADMIN = "This is the last county administrator of Rio Verde"


def _membership(username: str) -> Membership:
    return Membership.objects.get(user__username=username)


def test_membership_update_changes_role_and_scope_and_is_audited(
    world: World, users: dict[str, User]
) -> None:
    membership = _membership("alice")
    membership_update(
        actor=users["carol"], membership=membership, role=Role.VIEWER, scope=world.birch
    )
    membership.refresh_from_db()
    assert (membership.role, membership.lea, membership.county) == (Role.VIEWER, world.birch, None)
    event = AuditEvent.objects.get(verb="membership_update")
    assert (event.actor_username, event.subject_type, event.subject_id) == (
        "carol", "user", str(users["alice"].pk)
    )  # fmt: skip
    assert event.details == {
        "membership": membership.pk,
        "changes": {
            "role": {"before": "District leader", "after": "Read-only viewer"},
            "scope": {"before": "Alder Unified", "after": "Birch Unified"},
        },
    }


def test_membership_remove_deletes_it_and_is_audited(world: World, users: dict[str, User]) -> None:
    membership = _membership("sam")
    pk = membership.pk
    membership_remove(actor=users["carol"], membership=membership)
    assert not Membership.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(verb="membership_remove")
    assert (event.actor_username, event.subject_id) == ("carol", str(users["sam"].pk))
    assert event.details == {"membership": pk, "role": "school_leader", "scope": "Oak Elementary"}


def test_user_deactivate_stops_sign_in_keeps_memberships_and_is_audited(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    user_deactivate(actor=users["carol"], user=users["bob"])
    users["bob"].refresh_from_db()
    assert not users["bob"].is_active
    assert Membership.objects.filter(user=users["bob"]).exists()
    event = AuditEvent.objects.get(verb="user_deactivate")
    assert (event.actor_username, event.subject_id) == ("carol", str(users["bob"].pk))
    assert event.details == {
        "username": "bob",
        "changes": {"active": {"before": True, "after": False}},
    }
    # An existing session is no longer signed in.
    response = as_persona["bob"].get(reverse("accountability:lea", args=[world.birch.cds]))
    assert response.status_code == 302


def test_administrator_reactivates_a_user_who_then_signs_in_with_the_memberships_kept(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    user_deactivate(actor=users["carol"], user=users["bob"])
    listing = as_persona["carol"].get(reverse("accounts:users")).content.decode()
    assert reverse("accounts:user_reactivate", args=[users["bob"].pk]) in listing
    url = reverse("accounts:user_reactivate", args=[users["bob"].pk])
    assert as_persona["carol"].post(url).status_code == 302
    users["bob"].refresh_from_db()
    assert users["bob"].is_active
    event = AuditEvent.objects.get(verb="user_reactivate")
    assert (event.actor_username, event.details) == (
        "carol", {"username": "bob", "changes": {"active": {"before": False, "after": True}}}
    )  # fmt: skip
    client = Client()
    signed_in = client.post(reverse("accounts:login"), {"username": "bob", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert client.get(reverse("accountability:lea", args=[world.birch.cds])).status_code == 200


def test_reactivating_an_active_user_changes_nothing(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    url = reverse("accounts:user_reactivate", args=[users["bob"].pk])
    page = as_persona["carol"].post(url)
    assert "bob is active" in page.content.decode()
    assert not AuditEvent.objects.filter(verb="user_reactivate").exists()


def test_the_last_county_administrator_cannot_be_demoted_removed_or_deactivated(
    world: World, users: dict[str, User]
) -> None:
    carol = _membership("carol")
    with pytest.raises(LastCountyAdministratorError, match=LAST_ADMIN):
        membership_update(
            actor=users["carol"], membership=carol, role=Role.VIEWER, scope=world.county
        )
    with pytest.raises(LastCountyAdministratorError, match=LAST_ADMIN):
        # Still county staff, but no longer an administrator: the county would have none.
        membership_update(
            actor=users["carol"], membership=carol, role=Role.COUNTY_ANALYST, scope=world.county
        )
    with pytest.raises(LastCountyAdministratorError, match=LAST_ADMIN):
        membership_remove(actor=users["carol"], membership=carol)
    with pytest.raises(LastCountyAdministratorError, match=LAST_ADMIN):
        user_deactivate(actor=users["carol"], user=users["carol"])
    carol.refresh_from_db()
    users["carol"].refresh_from_db()
    assert carol.role == Role.COUNTY_ADMIN and carol.county == world.county
    assert users["carol"].is_active
    assert not AuditEvent.objects.filter(
        verb__in=["membership_update", "membership_remove", "user_deactivate"]
    ).exists()


def test_an_administrator_may_go_once_another_active_one_remains(
    world: World, users: dict[str, User]
) -> None:
    dana = user_create(
        actor=None, username="dana", password="pw-long-enough", role=Role.COUNTY_ADMIN,
        scope=world.county,
    )  # fmt: skip
    # A deactivated administrator does not count.
    user_deactivate(actor=users["carol"], user=dana)
    with pytest.raises(LastCountyAdministratorError):
        membership_remove(actor=users["carol"], membership=_membership("carol"))
    erin = user_create(
        actor=None, username="erin", password="pw-long-enough", role=Role.COUNTY_ADMIN,
        scope=world.county,
    )  # fmt: skip
    membership_update(
        actor=erin, membership=_membership("carol"), role=Role.COUNTY_ANALYST, scope=world.county
    )
    assert _membership("carol").role == Role.COUNTY_ANALYST
    with pytest.raises(LastCountyAdministratorError):
        user_deactivate(actor=erin, user=erin)
    # Keeping the role and the county is not a demotion.
    membership_update(
        actor=erin, membership=_membership("erin"), role=Role.COUNTY_ADMIN, scope=world.county
    )


def test_administrator_edits_a_membership_in_the_browser(
    world: World, as_persona: dict[str, Client]
) -> None:
    url = reverse("accounts:membership_edit", args=[_membership("vera").pk])
    page = as_persona["carol"].get(url).content.decode()
    assert 'value="34"' in page and "<button" in page and "csrfmiddlewaretoken" in page
    response = as_persona["carol"].post(url, {"role": Role.VIEWER, "scope": world.oak.cds})
    assert response.status_code == 302
    assert _membership("vera").school == world.oak
    users_page = as_persona["carol"].get(response["Location"]).content.decode()
    assert "vera is now Read-only viewer of Oak Elementary." in users_page
    refused = as_persona["carol"].post(url, {"role": Role.VIEWER, "scope": "01611190000000"})
    assert "No such county, LEA or school in your county." in refused.content.decode()


def test_the_last_administrator_guard_is_explained_in_the_browser(
    world: World, as_persona: dict[str, Client]
) -> None:
    pk = _membership("carol").pk
    carol = as_persona["carol"]
    edit = carol.post(
        reverse("accounts:membership_edit", args=[pk]),
        {"role": Role.VIEWER, "scope": world.county.code},
    )
    assert LAST_ADMIN in edit.content.decode()
    remove = carol.post(reverse("accounts:membership_remove", args=[pk]))
    assert remove.status_code == 200 and LAST_ADMIN in remove.content.decode()
    deactivate = carol.post(
        reverse("accounts:user_deactivate", args=[_membership("carol").user_id])
    )
    assert deactivate.status_code == 200 and LAST_ADMIN in deactivate.content.decode()
    assert _membership("carol").role == Role.COUNTY_ADMIN


def test_removal_and_deactivation_ask_for_confirmation_first(
    world: World, as_persona: dict[str, Client]
) -> None:
    membership = _membership("sam")
    remove_url = reverse("accounts:membership_remove", args=[membership.pk])
    confirm = as_persona["carol"].get(remove_url).content.decode()
    assert "Remove sam’s membership?" in confirm and 'method="post"' in confirm
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert as_persona["carol"].post(remove_url).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()

    deactivate_url = reverse("accounts:user_deactivate", args=[_membership("bob").user_id])
    assert "Deactivate bob?" in as_persona["carol"].get(deactivate_url).content.decode()
    assert User.objects.get(username="bob").is_active
    assert as_persona["carol"].post(deactivate_url).status_code == 302
    assert not User.objects.get(username="bob").is_active
    page = as_persona["carol"].get(reverse("accounts:users")).content.decode()
    assert "Deactivated" in page and deactivate_url not in page


def test_only_county_administrators_may_post(world: World, as_persona: dict[str, Client]) -> None:
    vera = _membership("vera")
    for persona in ("cody", "alice", "vera", "olive"):
        client = as_persona[persona]
        edit = reverse("accounts:membership_edit", args=[vera.pk])
        assert client.post(edit, {"role": Role.COUNTY_ADMIN, "scope": "34"}).status_code == 403
        assert client.post(reverse("accounts:membership_remove", args=[vera.pk])).status_code == 403
        deactivate = reverse("accounts:user_deactivate", args=[vera.user_id])
        assert client.post(deactivate).status_code == 403
    vera.refresh_from_db()
    assert vera.role == Role.VIEWER and vera.user.is_active
    assert (
        as_persona["anonymous"]
        .post(reverse("accounts:membership_remove", args=[vera.pk]))
        .status_code
        == 302
    )
    assert Membership.objects.filter(pk=vera.pk).exists()


def test_memberships_and_users_outside_the_county_are_not_found(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    other = County.objects.create(code="01", name="Alameda")
    outsider = user_create(
        actor=None, username="zed", password="pw-long-enough", role=Role.VIEWER, scope=other
    )
    membership = Membership.objects.get(user=outsider)
    carol = as_persona["carol"]
    assert carol.get(reverse("accounts:membership_edit", args=[membership.pk])).status_code == 404
    assert (
        carol.post(reverse("accounts:membership_remove", args=[membership.pk])).status_code == 404
    )
    assert carol.post(reverse("accounts:user_deactivate", args=[outsider.pk])).status_code == 404
    # Olive has an account but no membership in the county.
    assert (
        carol.post(reverse("accounts:user_deactivate", args=[users["olive"].pk])).status_code == 404
    )
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.get(pk=outsider.pk).is_active and users["olive"].is_active
