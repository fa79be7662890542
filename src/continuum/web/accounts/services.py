"""Writes to accounts: users, memberships and two-factor devices, each audited."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from continuum.web.accounts.models import Membership, User
from continuum.web.agencies.models import County, Lea, School
from continuum.web.audit.services import audit_event_record


def user_create(
    *,
    actor: AbstractBaseUser | None,
    username: str,
    password: str,
    role: str,
    scope: County | Lea | School,
) -> User:
    """Create a user with one membership (role over a county, LEA or school)."""
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password)
        membership = Membership.objects.create(
            user=user,
            role=role,
            county=scope if isinstance(scope, County) else None,
            lea=scope if isinstance(scope, Lea) else None,
            school=scope if isinstance(scope, School) else None,
        )
        audit_event_record(
            actor=actor,
            verb="user_create",
            subject_type="user",
            subject_id=user.pk,
            details={"role": role, "scope": str(membership.scope)},
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
