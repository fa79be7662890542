"""The API's query parameters. A list endpoint takes exactly its page table's parameters
(``continuum.web.tables``: its filters, ``sort``, ``q``, ``page``), read by the tables' own
parser, plus ``page_size``; an endpoint of one entity takes ``year``. Where a page shows a
message and carries on (a choice not offered, a page that is not a number), the API refuses:
400 with the message. The OpenAPI description of the parameters is made from the same specs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from django.http import Http404, QueryDict

from continuum.errors import excerpt
from continuum.web.accountability import selectors
from continuum.web.tables import TableSpec, TableState

# The first California School Dashboard is 2017's; the upper bound only refuses nonsense.
YEAR_MIN, YEAR_MAX = 2017, 2099
CDS_CODE = re.compile(r"[0-9]{14}")
WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")
PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX = 50, 200
PAGE_MAX = 999_999_999
SEARCH_MAX = 200  # as long as the tables read a search


class BadParameterError(Exception):
    """A request parameter the API cannot read; the message says which and why."""


def _quoted(value: str) -> str:
    """A value as the API's messages quote it: at most 20 characters, in quotation marks."""
    return f"“{excerpt(value, 20, quoted=False)}”"


def parameters_check(query: QueryDict, allowed: Iterable[str]) -> None:
    """400 for a parameter the endpoint does not take, or one given twice."""
    names = list(allowed)
    unknown = sorted(set(query) - set(names))
    if unknown:
        raise BadParameterError(
            f"Unknown parameter {_quoted(unknown[0])}; this endpoint takes "
            f"{', '.join(names) if names else 'none'}."
        )
    for name in query:
        if len(query.getlist(name)) > 1:
            raise BadParameterError(f"Give the {name} parameter once.")


def table_parameters(spec: TableSpec) -> list[str]:
    """The names of a table's parameters, as the API takes them (no download format)."""
    return [
        *(f.key for f in spec.filters),
        *(["q"] if spec.search else []),
        "sort",
        "page",
        "page_size",
    ]


def table_state(spec: TableSpec, query: QueryDict) -> tuple[TableSpec, TableState]:
    """The table's spec with the page size asked for, and its state from the query: 400 for
    anything the page would only report (a choice not offered, a sort by no column …)."""
    size = page_size(query.get("page_size"))
    page = query.get("page")
    if page is not None and not (WHOLE_NUMBER.fullmatch(page) and 1 <= int(page) <= PAGE_MAX):
        raise BadParameterError(
            f"page is a whole number from 1 to {PAGE_MAX:,}, not {_quoted(page)}."
        )
    search = query.get("q")
    if search is not None and len(search) > SEARCH_MAX:
        raise BadParameterError(f"q is at most {SEARCH_MAX} characters, not {len(search):,}.")
    spec = replace(spec, page_size=size)
    for f in spec.filters:
        value = query.get(f.key)
        if value is not None and not value.strip():
            # The pages read a blank choice as "all"; the API says so instead of guessing.
            raise BadParameterError(f"{f.key} is empty: leave it out for every value, or give one.")
        if f.choices is None and value is not None:
            # A filter whose choices are the rows' values takes any value: one that no row
            # holds matches nothing (the page, which offers only the rows' values, says so).
            spec = spec.with_choices(f.key, [(value.strip()[:SEARCH_MAX], value)])
    state = spec.parse(query)
    messages_refused(state)
    return spec, state


def messages_refused(state: TableState) -> None:
    """400 with the first thing the table could not use, if any."""
    if state.messages:
        raise BadParameterError(state.messages[0])


def page_size(raw: str | None) -> int:
    """``page_size``: a whole number from 1 to the maximum (default when absent)."""
    if raw is None:
        return PAGE_SIZE_DEFAULT
    if not WHOLE_NUMBER.fullmatch(raw) or not 1 <= int(raw) <= PAGE_SIZE_MAX:
        raise BadParameterError(
            f"page_size is a whole number from 1 to {PAGE_SIZE_MAX}, not {_quoted(raw)}."
        )
    return int(raw)


def cds_code(value: str) -> str:
    """A 14-digit CDS code, or 400."""
    if not CDS_CODE.fullmatch(value):
        raise BadParameterError(f"A CDS code is 14 digits, not {_quoted(value)}.")
    return value


def year_requested(raw: str | None) -> int:
    """The ``year`` parameter: a Dashboard year with stored results (400 when it is not a
    year, 404 when none are stored for it), or the newest stored year when it is absent."""
    if raw is None:
        return selectors.year_chosen(None)
    if not re.fullmatch(r"[0-9]{4}", raw) or not YEAR_MIN <= int(raw) <= YEAR_MAX:
        raise BadParameterError(
            f"year is a Dashboard year from {YEAR_MIN} to {YEAR_MAX}, not {_quoted(raw)}."
        )
    year = int(raw)
    if year not in selectors.years_stored():
        raise Http404(f"No Dashboard results are stored for {year}.")
    return year


YEAR_SCHEMA = {
    "name": "year", "in": "query", "required": False,
    "schema": {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX},
    "description": "Dashboard year (default: the newest stored; 404 when none is stored)",
}  # fmt: skip


def table_parameter_schemas(spec: TableSpec, *, year: bool) -> list[dict[str, Any]]:
    """The OpenAPI description of a list endpoint's parameters, from its table."""
    described: list[dict[str, Any]] = []
    for f in spec.filters:
        if f.key == "year" and year:
            described.append(YEAR_SCHEMA)
            continue
        schema: dict[str, Any] = {"type": "string", "minLength": 1, "pattern": r"\S"}
        meaning = f.label
        if f.choices is not None:
            schema["enum"] = [value for value, _ in f.choices]
            meaning += " (" + "; ".join(f"{v}: {label}" for v, label in f.choices) + ")"
        else:
            meaning += " (any value: one that no row holds matches nothing)"
        if "{" in (f.field or ""):
            meaning += "; needs " + f.field.strip("{}") + " chosen with it"
        described.append(_query(f.key, schema, meaning))
    if spec.search:
        search = {"type": "string", "maxLength": SEARCH_MAX}
        described.append(_query("q", search, spec.search_label))
    sortable = [c.key for c in spec.columns if c.sortable]
    described += [
        _query("sort", {"type": "string", "enum": [*sortable, *(f"-{k}" for k in sortable)]},
               "Column to sort by; a leading - sorts descending"),
        _query("page", {"type": "integer", "minimum": 1, "maximum": PAGE_MAX},
               "Page number (default 1; past the last page, 404)"),
        _query("page_size", {"type": "integer", "minimum": 1, "maximum": PAGE_SIZE_MAX},
               f"Rows a page (default {PAGE_SIZE_DEFAULT}, at most {PAGE_SIZE_MAX})"),
    ]  # fmt: skip
    return described


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}  # fmt: skip
