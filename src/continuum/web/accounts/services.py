"""Writes to accounts: users, memberships, passwords, sign-ins and second factors, each audited.

A county always keeps at least one active county administrator: editing, removing or
deactivating that would leave none is refused with ``LastCountyAdministratorError``. A role is
held only over its kind of scope (``models.ROLE_SCOPES``): anything else is refused with
``RoleScopeError``. A username or password that breaks the rules is refused with Django's
``ValidationError``, its messages keyed by field. Audit details never hold a password, a code or
a secret.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from continuum.web.accounts.models import ROLE_SCOPES, Membership, Role, User
from continuum.web.accounts.two_factor import recovery_device, throttle_wait_seconds
from continuum.web.accounts.usernames import username_normalise
from continuum.web.agencies.models import County, Lea, School
from continuum.web.audit.changes import audit_changes
from continuum.web.audit.services import audit_event_record, subject_county

log = logging.getLogger(__name__)


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
    """Create a user with one membership (role over a county, LEA or school).

    Refused with ``RoleScopeError`` when the role is not held over that kind of scope. The
    username is normalised (``username_normalise``) and must be free in any case; the password
    must pass ``AUTH_PASSWORD_VALIDATORS``. Otherwise ``ValidationError``, by field."""
    _refuse_role_outside_its_scope(role, scope)
    username = _account_checked(username=username, password=password)
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


def _account_checked(*, username: str, password: str) -> str:
    """The normalised username, once it and the password pass the rules."""
    errors: dict[str, list[ValidationError]] = {}
    try:
        username = username_normalise(username)
        User._meta.get_field("username").clean(username, None)
        if User.objects.with_username(username).exists():
            raise ValidationError("That username is taken.", code="taken")
    except ValidationError as error:
        errors["username"] = error.error_list
    try:
        validate_password(password, user=User(username=username))
    except ValidationError as error:
        errors["password"] = error.error_list
    if errors:
        raise ValidationError(errors)
    return username


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


def _address(client_address: str | None) -> dict[str, str]:
    """The client's address for audit details (none for the command line)."""
    return {"client_address": client_address} if client_address is not None else {}


def sign_in_record(*, user: User, client_address: str | None, second_factor: str = "") -> None:
    """Record a completed sign-in: after the password, or after the second factor for those
    who need one (``second_factor`` names it: totp or recovery_code)."""
    details = _address(client_address)
    if second_factor:
        details["second_factor"] = second_factor
    audit_event_record(
        actor=user, verb="sign_in", subject_type="user", subject_id=user.pk, details=details
    )


@dataclass(frozen=True)
class SecondFactorOutcome:
    """What became of a code entered at the second-factor prompt."""

    device: Device | None  # the device that accepted the code; None when it was refused
    enrolled: bool = False  # the code confirmed a new authenticator
    throttled: bool = False  # the code was not tried: too many wrong ones came just before
    wait_seconds: int = 0  # the device accepts no code for this long


def second_factor_verify(
    *, user: User, token: str, client_address: str | None
) -> SecondFactorOutcome:
    """Check a code from the user's authenticator (six digits) or one of their recovery codes
    (used up by this). A correct code confirms a new authenticator and records the sign-in; a
    wrong or throttled one is recorded as a failed second factor."""
    code = "".join(token.split()).replace("-", "").lower()
    device: TOTPDevice | StaticDevice | None
    if code.isdigit() and len(code) == 6:
        kind = "totp"
        device = (
            TOTPDevice.objects.filter(user=user, confirmed=True).first()
            or TOTPDevice.objects.filter(user=user, confirmed=False).first()
        )
    else:
        kind, device = "recovery_code", recovery_device(user)
    failure = {**_address(client_address), "second_factor": kind}
    with transaction.atomic():
        wait = throttle_wait_seconds(device) if device is not None else 0
        if device is not None and not wait and device.verify_token(code):
            enrolled = isinstance(device, TOTPDevice) and not device.confirmed
            if enrolled:
                totp_device_confirm(user=user, device=device)
            sign_in_record(user=user, client_address=client_address, second_factor=kind)
            return SecondFactorOutcome(device=device, enrolled=enrolled)
        audit_event_record(
            actor=user,
            verb="two_factor_failed",
            subject_type="user",
            subject_id=user.pk,
            details={**failure, "reason": "throttled" if wait else "wrong_code"},
        )
    return SecondFactorOutcome(
        device=None,
        throttled=bool(wait),
        wait_seconds=throttle_wait_seconds(device) if device is not None else 0,
    )


def recovery_codes_replace(*, user: User, client_address: str | None) -> list[str]:
    """New single-use recovery codes for the user (any earlier ones stop working); the codes
    are returned to be shown once and are not recorded in the audit trail."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(settings.CONTINUUM_RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
        audit_event_record(
            actor=user,
            verb="recovery_codes_create",
            subject_type="user",
            subject_id=user.pk,
            details={**_address(client_address), "count": len(codes)},
        )
    return codes


def _password_set(
    *, actor: User | None, user: User, password: str, verb: str, client_address: str | None
) -> None:
    """Set a password that passes ``AUTH_PASSWORD_VALIDATORS`` (``ValidationError`` if not)."""
    validate_password(password, user=user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_event_record(
            actor=actor,
            verb=verb,
            subject_type="user",
            subject_id=user.pk,
            details=_address(client_address),
        )


def user_password_change(*, user: User, password: str, client_address: str | None) -> None:
    """The signed-in user's new password (their other sessions end)."""
    _password_set(
        actor=user, user=user, password=password, verb="password_change",
        client_address=client_address,
    )  # fmt: skip


def user_password_reset(*, user: User, password: str, client_address: str | None) -> None:
    """A new password set through a reset link (which then stops working)."""
    _password_set(
        actor=user, user=user, password=password, verb="password_reset",
        client_address=client_address,
    )  # fmt: skip


@dataclass(frozen=True)
class PasswordResetLink:
    """A one-time link to set a new password, to pass on to its user."""

    url: str
    expires: datetime
    mailed_to: str  # the address it was mailed to; empty when it was not mailed


def password_reset_link_create(
    *, actor: User | None, user: User, site_url: str, client_address: str | None
) -> PasswordResetLink:
    """A reset link for the user, valid once and for ``PASSWORD_RESET_TIMEOUT`` seconds; mailed
    to the user when a mail server is configured (``CONTINUUM_EMAIL_HOST``) and they have an
    address. The link (a secret) is not recorded in the audit trail."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    url = site_url.rstrip("/") + reverse("accounts:password_reset", args=[uid, token])
    expires = timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    link = PasswordResetLink(
        url=url, expires=expires, mailed_to=_reset_link_mail(user=user, url=url, expires=expires)
    )
    audit_event_record(
        actor=actor,
        verb="password_reset_link_create",
        subject_type="user",
        subject_id=user.pk,
        details={**_address(client_address), "mailed": bool(link.mailed_to)},
    )
    return link


def _reset_link_mail(*, user: User, url: str, expires: datetime) -> str:
    """Mail the link when mail is configured and the user has an address; the address it went
    to, or "" (the administrator then passes the link on)."""
    if not (settings.EMAIL_HOST and user.email):
        return ""
    when = timezone.localtime(expires).strftime("%Y-%m-%d %H:%M")
    try:
        send_mail(
            subject="Set your Continuum password",
            message=(
                f"Open this link to set a new password for {user.get_username()} (it works once, "
                f"until {when}):\n\n{url}\n"
            ),
            from_email=None,
            recipient_list=[user.email],
        )
    except (smtplib.SMTPException, OSError) as error:
        # The link is still shown to the administrator; the log names neither user nor link.
        log.warning("password reset mail not sent: %s", type(error).__name__)
        return ""
    return user.email
