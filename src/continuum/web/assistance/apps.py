"""App configuration."""

from __future__ import annotations

from django.apps import AppConfig


class Config(AppConfig):
    """The Differentiated Assistance workspace."""

    name = "continuum.web.assistance"
    label = "assistance"
    default_auto_field = "django.db.models.BigAutoField"
