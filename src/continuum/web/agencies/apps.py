"""App configuration."""

from __future__ import annotations

from django.apps import AppConfig


class Config(AppConfig):
    """The agencies app."""

    name = "continuum.web.agencies"
    label = "agencies"
    default_auto_field = "django.db.models.BigAutoField"
