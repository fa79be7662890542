"""App configuration."""

from __future__ import annotations

from django.apps import AppConfig


class Config(AppConfig):
    """The accountability app."""

    name = "continuum.web.accountability"
    label = "accountability"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Every workbook an import reads is held to the settings' limits."""
        from django.conf import settings

        from continuum.formats.xlsx import workbook_limits_configure

        workbook_limits_configure(settings.CONTINUUM_XLSX_LIMITS)
