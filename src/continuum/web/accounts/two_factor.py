"""Reads and pictures for the second factor: who needs one, the enrolment QR code, how long a
throttled device makes the user wait."""

from __future__ import annotations

import math
from datetime import datetime

import segno
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone
from django_otp.models import ThrottlingMixin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from continuum.web.accounts.models import Membership


def needs_two_factor(user: AbstractBaseUser) -> bool:
    """Whether the user holds a role that signs in with two factors."""
    return Membership.objects.filter(
        user_id=user.pk, role__in=settings.CONTINUUM_TWO_FACTOR_ROLES
    ).exists()


def totp_qr_code_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an SVG QR code in a data: URI, for an <img> (the
    Content-Security-Policy allows data: images; an image's SVG runs no script)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2))


def throttle_wait_seconds(device: ThrottlingMixin) -> int:
    """Whole seconds before the device accepts another code (0: it accepts one now)."""
    allowed, details = device.verify_is_allowed()
    if allowed or not details or "locked_until" not in details:
        return 0
    locked_until: datetime = details["locked_until"]
    remaining = (locked_until - timezone.now()).total_seconds()
    return max(1, math.ceil(remaining))


def recovery_device(user: AbstractBaseUser) -> StaticDevice | None:
    """The user's recovery codes (django-otp's static device), if they have any."""
    return StaticDevice.objects.filter(user_id=user.pk, confirmed=True).first()


def recovery_codes_left(user: AbstractBaseUser) -> int:
    """How many unused recovery codes the user has."""
    device = recovery_device(user)
    return device.token_set.count() if device is not None else 0
