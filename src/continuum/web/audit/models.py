"""The audit trail: one append-only row for every write, import and sign-in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from continuum.web.agencies.models import County


class AuditEvent(models.Model):
    """Who did what to which subject, when, with details. Rows are never changed or deleted."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # Kept when the actor's account is deleted, so the trail still says who it was.
    actor_username = models.CharField(max_length=150, blank=True)
    verb = models.CharField(max_length=60, db_index=True)
    subject_type = models.CharField(max_length=60, blank=True)
    subject_id = models.CharField(max_length=60, blank=True)
    time = models.DateTimeField(auto_now_add=True, db_index=True)
    details = models.JSONField(default=dict)
    # Whose trail the event belongs to: a county administrator reads their county's events only.
    # Empty for events of no county (the operator's command-line work, failed sign-ins of unknown
    # names), which only superusers read. Protected: a county with a trail is never deleted.
    county = models.ForeignKey(
        County, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["county", "time"], name="audit_county_time")]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.actor_username or '-'} {self.verb}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only: an existing event is never rewritten."""
        if self.pk is not None:
            raise ValueError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refused: the trail is append-only."""
        raise ValueError("audit events are append-only")
