"""Sign-in, sign-out and failed sign-in events: Django's auth signals are the only place these
happen, so they (and only they) are audited from signals."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from continuum.web.audit.services import audit_event_record


@receiver(user_logged_in)
def _signed_in(sender: object, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_event_record(actor=user, verb="sign_in", subject_type="user", subject_id=user.pk)


@receiver(user_logged_out)
def _signed_out(sender: object, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_event_record(actor=user, verb="sign_out", subject_type="user", subject_id=user.pk)


@receiver(user_login_failed)
def _sign_in_failed(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The username tried is kept in the audit trail (never in logs); the password never is.
    audit_event_record(
        actor=None,
        verb="sign_in_failed",
        subject_type="user",
        details={"username": str(credentials.get("username", ""))[:150]},
    )
