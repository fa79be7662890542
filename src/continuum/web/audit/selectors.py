"""Reads of the audit trail, scoped to the reader: a county administrator reads the events of
their county (or counties); a superuser (the operator) reads every event, those of no county
included."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from continuum.web.accounts.access import AUDIT_ROLES, UserLike, user_scope
from continuum.web.audit.models import AuditEvent


@dataclass(frozen=True)
class AuditFilters:
    """What the audit page is asked to show (blank or None: any)."""

    actor: str = ""
    verb: str = ""
    subject_type: str = ""
    subject_id: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None


def access_audit_events(user: UserLike) -> QuerySet[AuditEvent]:
    """The events the user may read; 403 for a user who may read none."""
    if user.is_authenticated and getattr(user, "is_superuser", False):
        return AuditEvent.objects.all()
    counties = [
        county for county, roles in user_scope(user).roles_by_county.items() if roles & AUDIT_ROLES
    ]
    if not counties:
        raise PermissionDenied
    return AuditEvent.objects.filter(county_id__in=counties)


# The audit table's sortable columns and the fields each sorts by (the id keeps ties stable).
AUDIT_SORTS = {
    "time": ("time", "id"),
    "actor": ("actor_username", "time", "id"),
    "action": ("verb", "time", "id"),
    "subject": ("subject_type", "subject_id", "time", "id"),
}


def audit_events_search(
    events: QuerySet[AuditEvent], filters: AuditFilters, *, sort: str = "-time"
) -> QuerySet[AuditEvent]:
    """The events (already scoped to the reader) that match the filters, sorted by one of
    ``AUDIT_SORTS`` (``-`` first: descending; default newest first); the dates are whole days,
    both included, in the site's time zone."""
    if filters.actor:
        events = events.filter(actor_username=filters.actor)
    if filters.verb:
        events = events.filter(verb=filters.verb)
    if filters.subject_type:
        events = events.filter(subject_type=filters.subject_type)
    if filters.subject_id:
        events = events.filter(subject_id=filters.subject_id)
    if filters.start is not None:
        events = events.filter(time__gte=_day_start(filters.start))
    if filters.end is not None:
        events = events.filter(time__lt=_day_start(filters.end + datetime.timedelta(days=1)))
    descending = sort.startswith("-")
    fields = AUDIT_SORTS.get(sort.removeprefix("-"), AUDIT_SORTS["time"])
    return events.order_by(*(f"-{f}" if descending else f for f in fields))


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class AuditChoices:
    """The values the filters offer: only those in the reader's own events."""

    actors: list[str]
    verbs: list[str]
    subject_types: list[str]


def audit_filter_choices(events: QuerySet[AuditEvent]) -> AuditChoices:
    """Actors, verbs and kinds of subject that occur among the (scoped) events."""

    def distinct(field: str) -> list[str]:
        values = events.order_by().exclude(**{field: ""}).values_list(field, flat=True)
        return sorted(set(values.distinct()))

    return AuditChoices(
        actors=distinct("actor_username"),
        verbs=distinct("verb"),
        subject_types=distinct("subject_type"),
    )
