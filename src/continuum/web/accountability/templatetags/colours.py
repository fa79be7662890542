"""Template filters for Dashboard colours."""

from __future__ import annotations

from django import template

from continuum.dashboard.rules import COLOUR_NAMES

register = template.Library()


@register.filter
def colour_name(code: int | None) -> str:
    """A colour code (1 Red … 5 Blue) as its name, so that colour is never the only signal."""
    return COLOUR_NAMES.get(code or 0, "no colour")
