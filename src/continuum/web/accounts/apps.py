"""App configuration."""

from __future__ import annotations

from django.apps import AppConfig


class Config(AppConfig):
    """The accounts app."""

    name = "continuum.web.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
