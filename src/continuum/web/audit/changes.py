"""What a write changed, as the audit trail keeps it: each changed field's value before and
after, in the words a reader knows (choice labels, related records by name), excerpted so that
no event ever holds a whole text, and the details of one event bounded in size."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models

from continuum.errors import excerpt

# A changed value longer than this is kept as its start, an ellipsis and its length.
CHANGE_CHARS = 80
# Any other text in an event's details (file names, problems reported) is cut at this length.
DETAIL_CHARS = 300
# Lists in details (files, items changed) keep this many entries and say how many more there were.
DETAIL_ITEMS = 50
# The serialised details of one event never exceed this; larger ones are cut down, then summarised.
DETAILS_MAX_BYTES = 16 * 1024
_TIGHT_CHARS, _TIGHT_ITEMS, _DEPTH = 80, 10, 4

Changes = dict[str, dict[str, Any]]


def audit_value(value: object) -> Any:
    """A value as the trail stores it: JSON-native, text excerpted, a record by its name, a set
    of records as a sorted list of names."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return excerpt(value, CHANGE_CHARS, quoted=False, counted=True)
    if isinstance(value, datetime.date | Decimal):
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
    if isinstance(value, models.Model):
        return excerpt(value, CHANGE_CHARS, quoted=False, counted=True)
    if isinstance(value, Iterable):
        return _listed(sorted(str(audit_value(item)) for item in value), DETAIL_ITEMS)
    return excerpt(value, CHANGE_CHARS, quoted=False, counted=True)


def audit_snapshot(record: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """A record's fields as the trail compares them: a choice by its label, a link by the linked
    record's name, many-to-many links as the sorted names of the linked records; whole values
    (``audit_changes`` excerpts them). Take it before a write to compare with the record after."""
    values: dict[str, Any] = {}
    for name in fields:
        field = record._meta.get_field(name)
        if field.many_to_many:
            value: Any = sorted(str(item) for item in getattr(record, name).all())
        elif getattr(field, "choices", None):
            value = getattr(record, f"get_{name}_display")()
        else:
            value = getattr(record, name)
        values[name] = str(value) if isinstance(value, models.Model) else value
    return values


def audit_changes(
    *,
    before: models.Model | Mapping[str, Any],
    after: models.Model | Mapping[str, Any],
    fields: Iterable[str],
) -> Changes:
    """``{field: {"before": old, "after": new}}`` for each of ``fields`` whose value differs, the
    values excerpted (``audit_value``). A record is read with ``audit_snapshot``; a mapping's
    values are taken as they are (a field missing from it counts as empty)."""
    names = list(fields)
    old = _values(before, names)
    new = _values(after, names)
    return {
        name: {"before": audit_value(old.get(name)), "after": audit_value(new.get(name))}
        for name in names
        if old.get(name) != new.get(name)
    }


def _values(source: models.Model | Mapping[str, Any], names: list[str]) -> dict[str, Any]:
    if isinstance(source, models.Model):
        return audit_snapshot(source, names)
    return {name: source[name] for name in names if name in source}


def bounded_details(details: Mapping[str, Any]) -> dict[str, Any]:
    """An event's details made JSON-safe and small: long text cut, long lists shortened, and, if
    still over ``DETAILS_MAX_BYTES``, cut harder, then replaced by a note of what was left out."""
    for chars, items in ((DETAIL_CHARS, DETAIL_ITEMS), (_TIGHT_CHARS, _TIGHT_ITEMS)):
        trimmed = _trimmed(details, chars, items, 0)
        size = len(json.dumps(trimmed).encode())
        if size <= DETAILS_MAX_BYTES:
            return dict(trimmed)
    return {
        "omitted": f"the details were {size:,} bytes, over the {DETAILS_MAX_BYTES:,}-byte limit",
        "keys": _listed(
            sorted(excerpt(key, 60, quoted=False, counted=True) for key in details), _TIGHT_ITEMS
        ),
    }


def _trimmed(value: Any, chars: int, items: int, depth: int) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return excerpt(value, chars, quoted=False, counted=True)
    if depth >= _DEPTH:
        return excerpt(value, chars, quoted=False, counted=True)
    if isinstance(value, Mapping):
        pairs = list(value.items())
        kept = {
            excerpt(key, 60, quoted=False, counted=True): _trimmed(item, chars, items, depth + 1)
            for key, item in pairs[: items * 2]
        }
        if len(pairs) > items * 2:
            kept["…"] = f"{len(pairs) - items * 2:,} more"
        return kept
    if isinstance(value, list | tuple | set | frozenset):
        return _listed([_trimmed(item, chars, items, depth + 1) for item in value], items)
    return _trimmed(audit_value(value), chars, items, depth + 1)


def _listed(values: list[Any], limit: int) -> list[Any]:
    if len(values) <= limit:
        return values
    return [*values[:limit], f"… {len(values) - limit:,} more"]
