"""One way to write dates and numbers on every page: "7 Dec 2026", "1,234 students", "42.1%".

The functions are used by the table machinery (``continuum.web.tables``) and, as template
filters, by every template: the module is a template builtin (settings ``TEMPLATES``), so no
``{% load %}`` is needed: ``{{ value|day }}``, ``{{ value|day_time }}``, ``{{ n|number }}``,
``{{ n|number:"student" }}``, ``{{ rate|percent }}``, ``{{ gap|signed }}``.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from continuum.formats.pasted import day_words

register = template.Library()

NOTHING = "–"


@register.filter
def day(value: dt.date | dt.datetime | None) -> str:
    """A date as "7 Dec 2026" (a datetime in the site's time zone); a dash when absent."""
    if value is None or value == "":
        return NOTHING
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return day_words(value)


@register.filter
def day_time(value: dt.datetime | None) -> str:
    """A moment as "7 Dec 2026, 14:05" in the site's time zone; a dash when absent."""
    if value is None or value == "":
        return NOTHING
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{day(value)}, {value:%H:%M}"


@register.filter
def number(value: float | int | str | None, unit: str = "") -> str:
    """A count or measure with thousands separators and at most one decimal, and its unit
    when given ("1,234 students", "1 student"); a dash when absent."""
    if value is None or value == "":
        return NOTHING
    amount = float(value)
    whole = amount.is_integer()
    text = f"{int(amount):,}" if whole else f"{amount:,.1f}"
    if not unit:
        return text
    plural = unit if whole and abs(int(amount)) == 1 else _plural(unit)
    return f"{text} {plural}"


@register.filter
def percent(value: float | int | str | None) -> str:
    """A rate already in percent as "42.1%"; a dash when absent."""
    if value is None or value == "":
        return NOTHING
    return f"{float(value):,.1f}%"


@register.filter
def signed(value: float | int | str | None) -> str:
    """A change or gap with its sign ("+3.2", "−4.0", "0.0"); a dash when absent."""
    if value is None or value == "":
        return NOTHING
    number_ = float(value)
    if number_ < 0:
        return f"−{abs(number_):,.1f}"
    return f"+{number_:,.1f}" if number_ > 0 else "0.0"


def _plural(unit: str) -> str:
    if unit.endswith("s"):
        return unit
    if unit.endswith("y") and unit[-2:-1] not in set("aeiou"):
        return unit[:-1] + "ies"
    return unit + "s"
