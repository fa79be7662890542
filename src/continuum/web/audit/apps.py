"""App configuration."""

from __future__ import annotations

from django.apps import AppConfig


class Config(AppConfig):
    """The audit app."""

    name = "continuum.web.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Connect the sign-in signal receivers."""
        from continuum.web.audit import signals  # noqa: F401
