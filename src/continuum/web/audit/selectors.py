"""Reads of the audit trail."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from continuum.web.audit.models import AuditEvent


def audit_events_search(
    *, text: str = "", verb: str = "", limit: int = 200
) -> QuerySet[AuditEvent]:
    """The newest events whose actor, subject or verb match, newest first."""
    events = AuditEvent.objects.all()
    if verb:
        events = events.filter(verb=verb)
    if text:
        events = events.filter(
            Q(actor_username__icontains=text)
            | Q(subject_id__icontains=text)
            | Q(subject_type__icontains=text)
            | Q(verb__icontains=text)
        )
    return events[:limit]


def audit_verbs() -> list[str]:
    """Every verb recorded so far, for the filter."""
    return sorted(set(AuditEvent.objects.order_by().values_list("verb", flat=True).distinct()))
