"""Writing audit events. Every service calls ``audit_event_record`` inside its own transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models

from continuum.web.accounts.models import Membership, User
from continuum.web.agencies.models import County
from continuum.web.audit.changes import Changes, bounded_details
from continuum.web.audit.models import AuditEvent

EXPORT_VERB = "export"
# Links followed from a subject towards its county: an engagement's part reaches its engagement,
# the engagement its LEA, the LEA its county. More than this many links is not a workspace record.
_COUNTY_LINKS = 6


def audit_event_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    verb: str,
    subject_type: str = "",
    subject_id: str | int = "",
    details: Mapping[str, Any] | None = None,
    subject: models.Model | None = None,
    county: County | None = None,
    changes: Changes | None = None,
) -> AuditEvent:
    """Append one event; ``actor`` None or anonymous means the system or an unknown person.

    ``subject`` (a record) fills ``subject_type`` and ``subject_id`` when they are not given.
    The event belongs to ``county``, else to the subject's county, else to the actor's (see
    ``subject_county``); an event of none is read by superusers only. ``changes`` (from
    ``audit_changes``) are kept in the details under "changes"; the details are bounded in size
    (``changes.bounded_details``)."""
    user = actor if isinstance(actor, User) else None
    if subject is not None:
        subject_type = subject_type or str(subject._meta.model_name)
        subject_id = subject_id if subject_id != "" else subject.pk
    if county is None and subject is not None:
        county = subject_county(subject)
    if county is None and user is not None:
        county = user_county(user)
    payload = dict(details or {})
    if changes:
        payload["changes"] = changes
    return AuditEvent.objects.create(
        actor=user,
        actor_username=user.get_username() if user is not None else "",
        verb=verb,
        subject_type=subject_type,
        subject_id=str(subject_id),
        details=bounded_details(payload),
        county=county,
    )


def audit_export_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    what: str,
    file_format: str,
    rows: int | None,
    filters: Mapping[str, object] | None = None,
    subject: models.Model | None = None,
    subject_type: str = "",
    subject_id: str = "",
    county: County | None = None,
) -> AuditEvent:
    """Record that someone took data away: what (e.g. "lea results"), in which format ("csv",
    "pdf", "api"), with which filters, and how many rows."""
    details: dict[str, Any] = {"what": what, "format": file_format}
    if filters:
        details["filters"] = {
            key: value for key, value in filters.items() if value not in ("", None)
        }
    if rows is not None:
        details["rows"] = rows
    return audit_event_record(
        actor=actor,
        verb=EXPORT_VERB,
        subject=subject,
        subject_type=subject_type,
        subject_id=subject_id,
        county=county,
        details=details,
    )


def user_county(user: AbstractBaseUser) -> County | None:
    """The county of the user's memberships: of a county membership first, else of their LEA's
    or school's (the earliest membership when there are several); None without one."""
    memberships = Membership.objects.filter(user_id=user.pk).select_related(
        "county", "lea__county", "school__lea__county"
    )
    first = min(memberships, key=lambda m: (m.county_id is None, m.pk), default=None)
    return subject_county(first.scope) if first is not None else None


def subject_county(subject: models.Model, links: int = _COUNTY_LINKS) -> County | None:
    """The county a record belongs to: a county itself, a user's by their memberships, else the
    county reached by the record's links to other records (never through people: the author of
    a record does not make it theirs)."""
    if isinstance(subject, County):
        return subject
    if isinstance(subject, User):
        return user_county(subject)
    if links == 0:
        return None
    for field in subject._meta.concrete_fields:
        if not field.many_to_one or field.related_model is User:
            continue
        related = getattr(subject, field.name)
        if isinstance(related, models.Model):
            found = subject_county(related, links - 1)
            if found is not None:
                return found
    return None
