"""App configuration."""

from __future__ import annotations

from django.apps import AppConfig


class Config(AppConfig):
    """The accountability app."""

    name = "continuum.web.accountability"
    label = "accountability"
    default_auto_field = "django.db.models.BigAutoField"
