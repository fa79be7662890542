"""Writes to accounts: users, memberships and two-factor devices, each audited.

A county always keeps at least one active county administrator: editing, removing or
deactivating that would leave none is refused with ``LastCountyAdministratorError``. A role is
held only over its kind of scope (``models.ROLE_SCOPES``): anything else is refused with
``RoleScopeError``.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from continuum.web.accounts.models import ROLE_SCOPES, Membership, Role, User
from continuum.web.agencies.models import County, Lea, School
from continuum.web.audit.changes import audit_changes
from continuum.web.audit.services import audit_event_record, subject_county


class LastCountyAdministratorError(Exception):
    """The change would leave a county without an active county administrator."""

    def __init__(self, county: County) -> None:
        super().__init__(
            f"This is the last county administrator of {county}: add another county "
            "administrator first."
        )
        self.county = county


class RoleScopeError(ValueError):
    """A role over a kind of scope it cannot be held over (e.g. a school leader of a county)."""


SCOPE_WORDS = {
    County: "a county (its two-digit code)",
    Lea: "an LEA (its 14-digit CDS code)",
    School: "a school (its 14-digit CDS code)",
}


def _refuse_role_outside_its_scope(role: str, scope: County | Lea | School) -> None:
    if role not in ROLE_SCOPES:
        raise RoleScopeError(f"“{role[:40]}” is not a role.")
    kinds = ROLE_SCOPES[role]
    if not isinstance(scope, kinds):
        where = " or ".join(SCOPE_WORDS[kind] for kind in kinds)
        raise RoleScopeError(f"A {Role(role).label.lower()} is a member of {where}.")


def _scope_fields(scope: County | Lea | School) -> dict[str, County | Lea | School | None]:
    return {
        "county": scope if isinstance(scope, County) else None,
        "lea": scope if isinstance(scope, Lea) else None,
        "school": scope if isinstance(scope, School) else None,
    }


def _county_keeps_an_administrator(*, county: County, without: Membership | User) -> bool:
    """Whether the county has an active administrator besides one membership (or one user).

    The county's administrator memberships are locked first, so that two administrators
    removing each other at the same moment cannot both succeed (on PostgreSQL; SQLite
    serialises writes anyway)."""
    admins = Membership.objects.filter(role=Role.COUNTY_ADMIN, county=county)
    list(admins.select_for_update().values_list("pk", flat=True))
    remaining = admins.filter(user__is_active=True)
    if isinstance(without, Membership):
        remaining = remaining.exclude(pk=without.pk)
    else:
        remaining = remaining.exclude(user_id=without.pk)
    return remaining.exists()


def _refuse_losing_the_last_administrator(membership: Membership) -> None:
    if (
        membership.role == Role.COUNTY_ADMIN
        and membership.county is not None
        and membership.user.is_active
        and not _county_keeps_an_administrator(county=membership.county, without=membership)
    ):
        raise LastCountyAdministratorError(membership.county)


def user_create(
    *,
    actor: AbstractBaseUser | None,
    username: str,
    password: str,
    role: str,
    scope: County | Lea | School,
) -> User:
    """Create a user with one membership (role over a county, LEA or school); refused with
    ``RoleScopeError`` when the role is not held over that kind of scope."""
    _refuse_role_outside_its_scope(role, scope)
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password)
        membership = Membership.objects.create(user=user, role=role, **_scope_fields(scope))
        audit_event_record(
            actor=actor,
            verb="user_create",
            subject=user,
            details={"role": role, "scope": str(membership.scope)},
        )
    return user


def membership_update(
    *,
    actor: AbstractBaseUser | None,
    membership: Membership,
    role: str,
    scope: County | Lea | School,
) -> Membership:
    """Change a membership's role and scope; refused if it takes away a county's last
    administrator, or gives a role over a kind of scope it is not held over."""
    _refuse_role_outside_its_scope(role, scope)
    with transaction.atomic():
        before = _membership_words(membership)
        # Recorded in the county the membership was in: where its administrator changed it.
        county = subject_county(membership)
        stays_admin = role == Role.COUNTY_ADMIN and scope == membership.county
        if not stays_admin:
            _refuse_losing_the_last_administrator(membership)
        membership.role = role
        for field, value in _scope_fields(scope).items():
            setattr(membership, field, value)
        membership.save(update_fields=["role", "county", "lea", "school"])
        audit_event_record(
            actor=actor,
            verb="membership_update",
            subject_type="user",
            subject_id=membership.user_id,
            county=county,
            details={"membership": membership.pk},
            changes=audit_changes(
                before=before, after=_membership_words(membership), fields=["role", "scope"]
            ),
        )
    return membership


def _membership_words(membership: Membership) -> dict[str, str]:
    """A membership's role and scope as the audit trail shows them."""
    return {"role": membership.get_role_display(), "scope": str(membership.scope)}


def membership_remove(*, actor: AbstractBaseUser | None, membership: Membership) -> None:
    """Delete a membership; refused if it is a county's last administrator."""
    with transaction.atomic():
        _refuse_losing_the_last_administrator(membership)
        details = {
            "membership": membership.pk,
            "role": membership.role,
            "scope": str(membership.scope),
        }
        user_id = membership.user_id
        county = subject_county(membership)
        membership.delete()
        audit_event_record(
            actor=actor,
            verb="membership_remove",
            subject_type="user",
            subject_id=user_id,
            county=county,
            details=details,
        )


def user_deactivate(*, actor: AbstractBaseUser | None, user: User) -> User:
    """Stop a user signing in (their sessions end at their next request); memberships are
    kept for the record. Refused if they are a county's last active administrator."""
    with transaction.atomic():
        was_active = user.is_active
        if user.is_active:
            counties = County.objects.filter(
                membership__user=user, membership__role=Role.COUNTY_ADMIN
            ).distinct()
            for county in counties:
                if not _county_keeps_an_administrator(county=county, without=user):
                    raise LastCountyAdministratorError(county)
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_event_record(
            actor=actor,
            verb="user_deactivate",
            subject=user,
            details={"username": user.get_username()},
            changes=audit_changes(
                before={"active": was_active}, after={"active": user.is_active}, fields=["active"]
            ),
        )
    return user


def user_reactivate(*, actor: AbstractBaseUser | None, user: User) -> User:
    """Let a deactivated user sign in again, with the memberships they kept."""
    with transaction.atomic():
        was_active = user.is_active
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit_event_record(
            actor=actor,
            verb="user_reactivate",
            subject=user,
            details={"username": user.get_username()},
            changes=audit_changes(
                before={"active": was_active}, after={"active": user.is_active}, fields=["active"]
            ),
        )
    return user


def totp_device_create(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator for the user (replacing any earlier unconfirmed one)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)
        audit_event_record(
            actor=user, verb="totp_device_create", subject_type="user", subject_id=user.pk
        )
    return device


def totp_device_confirm(*, user: User, device: TOTPDevice) -> None:
    """Mark the authenticator confirmed after the user entered a valid code from it."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_event_record(
            actor=user, verb="totp_device_confirm", subject_type="user", subject_id=user.pk
        )
