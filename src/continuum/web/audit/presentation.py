"""Audit events in words: verbs as phrases ("Engagement updated"), subjects by their kind's
name, changes as "Status: Active → Closed", other details as "files: a.txt, b.txt"."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps

from continuum.errors import excerpt
from continuum.web.audit.models import AuditEvent

# Verbs whose words do not follow from their parts.
VERB_WORDS = {
    "sign_in": "Signed in",
    "sign_out": "Signed out",
    "sign_in_failed": "Sign-in failed",
    "export": "Exported",
    "totp_device_create": "Authenticator added",
    "totp_device_confirm": "Authenticator confirmed",
}
# The last word of a verb (``<noun>_<action>``) as it reads once done.
DONE = {
    "create": "created", "update": "updated", "delete": "deleted", "remove": "removed",
    "open": "opened", "propose": "proposed", "import": "imported", "queue": "queued",
    "fail": "failed", "rate": "rated", "deactivate": "deactivated", "reactivate": "reactivated",
    "confirm": "confirmed", "start": "started", "restore": "restored", "export": "exported",
    "change": "changed", "reset": "reset", "issue": "issued",
}  # fmt: skip
DETAIL_LINE_CHARS = 200


@cache
def _model_names() -> dict[str, str]:
    """Each model's lower-case name (the DA workspace's subject types) → its verbose name."""
    return {m._meta.model_name or "": str(m._meta.verbose_name) for m in apps.get_models()}


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def subject_words(subject_type: str) -> str:
    """A kind of subject in words: "datafinding" → "data finding", "county" stays."""
    return _model_names().get(subject_type) or subject_type.replace("_", " ")


def verb_words(verb: str) -> str:
    """A verb in words: "engagement_update" → "Engagement updated"."""
    if verb in VERB_WORDS:
        return VERB_WORDS[verb]
    noun, _, action = verb.rpartition("_")
    if not noun or action not in DONE:
        return _sentence(verb.replace("_", " "))
    return _sentence(f"{subject_words(noun)} {DONE[action]}")


def value_words(value: Any) -> str:
    """A stored value as a reader sees it: empty as "(empty)", yes/no, lists joined."""
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(value_words(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {value_words(item)}" for key, item in value.items())
    return str(value)


def change_lines(details: dict[str, Any]) -> list[str]:
    """The event's changed fields, one line each: "Status: Active → Closed"."""
    changes = details.get("changes")
    if not isinstance(changes, dict):
        return []
    lines = []
    for field, change in changes.items():
        if isinstance(change, dict):
            before, after = value_words(change.get("before")), value_words(change.get("after"))
            lines.append(f"{_sentence(field.replace('_', ' '))}: {before} → {after}")
    return lines


def detail_lines(details: dict[str, Any]) -> list[str]:
    """The event's other details, one "name: value" line each."""
    return [
        excerpt(
            f"{key.replace('_', ' ')}: {value_words(value)}",
            DETAIL_LINE_CHARS,
            quoted=False,
            counted=True,
        )
        for key, value in details.items()
        if key != "changes"
    ]


@dataclass(frozen=True)
class EventRow:
    """One line of the audit page."""

    event: AuditEvent
    action: str
    subject: str
    changes: list[str]
    details: list[str]


def event_row(event: AuditEvent) -> EventRow:
    """An event as the audit page shows it."""
    details = event.details if isinstance(event.details, dict) else {}
    subject = " ".join(
        part for part in (subject_words(event.subject_type), event.subject_id) if part
    )
    return EventRow(
        event=event,
        action=verb_words(event.verb),
        subject=subject,
        changes=change_lines(details),
        details=detail_lines(details),
    )
