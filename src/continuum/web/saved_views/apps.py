"""App configuration."""

from __future__ import annotations

from django.apps import AppConfig


class Config(AppConfig):
    """The saved views app."""

    name = "continuum.web.saved_views"
    label = "saved_views"
    default_auto_field = "django.db.models.BigAutoField"
