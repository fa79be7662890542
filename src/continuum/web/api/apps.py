"""App configuration."""

from __future__ import annotations

from django.apps import AppConfig


class Config(AppConfig):
    """The API app: endpoints, schema, documentation and personal API tokens."""

    name = "continuum.web.api"
    label = "api"
    default_auto_field = "django.db.models.BigAutoField"
