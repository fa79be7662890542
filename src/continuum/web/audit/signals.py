"""Sign-in, sign-out and failed sign-in events: Django's auth signals are the only place these
happen, so they (and only they) are audited from signals. Each records the client's address.

A user whose role needs a second factor has not signed in when the password is accepted: their
sign-in is recorded by ``second_factor_verify`` once the second factor passes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from continuum.web.accounts.client import client_address
from continuum.web.accounts.services import sign_in_record
from continuum.web.accounts.two_factor import needs_two_factor
from continuum.web.audit.services import audit_event_record


def _address(request: HttpRequest | None) -> str:
    return client_address(request) if request is not None else ""


@receiver(user_logged_in)
def _signed_in(sender: object, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if not needs_two_factor(user):
        sign_in_record(user=user, client_address=_address(request))


@receiver(user_logged_out)
def _signed_out(sender: object, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_event_record(
            actor=user,
            verb="sign_out",
            subject_type="user",
            subject_id=user.pk,
            details={"client_address": _address(request)},
        )


@receiver(user_login_failed)
def _sign_in_failed(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The username tried is kept in the audit trail (never in logs); the password never is.
    audit_event_record(
        actor=None,
        verb="sign_in_failed",
        subject_type="user",
        details={
            "username": str(credentials.get("username", ""))[:150],
            "client_address": _address(request),
        },
    )
