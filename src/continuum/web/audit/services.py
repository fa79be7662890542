"""Writing audit events. Every service calls ``audit_event_record`` inside its own transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from continuum.web.accounts.models import User
from continuum.web.audit.models import AuditEvent


def audit_event_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    verb: str,
    subject_type: str = "",
    subject_id: str | int = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event; ``actor`` None or anonymous means the system or an unknown person."""
    user = actor if isinstance(actor, User) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_username=user.get_username() if user is not None else "",
        verb=verb,
        subject_type=subject_type,
        subject_id=str(subject_id),
        details=details or {},
    )
