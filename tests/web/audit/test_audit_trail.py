"""The audit trail is append-only and searchable by administrators."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from continuum.web.audit.models import AuditEvent
from continuum.web.audit.services import audit_event_record

pytestmark = pytest.mark.django_db


def test_events_cannot_be_changed_or_deleted() -> None:
    event = audit_event_record(actor=None, verb="test_event", details={"n": 1})
    event.verb = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert AuditEvent.objects.get().verb == "test_event"


def test_administrator_searches_events_by_verb(as_persona: dict[str, Client]) -> None:
    audit_event_record(actor=None, verb="agencies_import", subject_type="county", subject_id="34")
    audit_event_record(actor=None, verb="dashboard_import", subject_id="9")
    page = as_persona["carol"].get(reverse("audit:events"), {"verb": "agencies_import"})
    rows = page.content.decode().split("<tbody>")[1]
    assert "agencies_import" in rows and "dashboard_import" not in rows
