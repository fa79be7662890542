"""The API's query parameters, declared once: each endpoint's parameters are read strictly from
these declarations, and the OpenAPI schema and the documentation page are generated from them.

A value outside a declaration is refused (``BadParameterError``, answered 400), as is a
parameter the endpoint does not declare or one given twice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import Http404, QueryDict

from continuum.dashboard.rules import COLOUR_NAMES, INDICATORS
from continuum.errors import excerpt
from continuum.support.assistance import PRIORITY_NAMES
from continuum.support.essa_rules import ATSI, CSI_GRAD, CSI_LOW, TSI
from continuum.web.accountability import selectors
from continuum.web.accountability.selectors_lists import (
    CHANGE_DIRECTIONS,
    ESSA_STATUS_NAMES,
    SUPPORT_LEVEL_NAMES,
)
from continuum.web.agencies.models import Lea

# The first California School Dashboard is 2017's; the upper bound only refuses nonsense.
YEAR_MIN, YEAR_MAX = 2017, 2099
CDS_CODE = re.compile(r"[0-9]{14}")
WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")
PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX = 50, 200


class BadParameterError(Exception):
    """A request parameter the API cannot read; the message says which and why."""


@dataclass(frozen=True)
class Choice:
    """A filter parameter taking one of a fixed set of values (each with its meaning)."""

    name: str
    description: str
    values: Mapping[str, str]

    def schema(self) -> dict[str, Any]:
        """Its JSON schema."""
        return {"type": "string", "enum": list(self.values)}


# Colours by the names the Dashboard prints, lower case ("none" is no colour).
COLOUR_CODES = {name.lower() if code else "none": code for code, name in COLOUR_NAMES.items()}
# ESSA statuses by a short name that needs no escaping in a URL.
ESSA_STATUS_CODES = {"csi_low": CSI_LOW, "csi_grad": CSI_GRAD, "atsi": ATSI, "tsi": TSI}

LEA_TYPE = Choice("lea_type", "Kind of LEA", {k.value: k.label for k in Lea.Kind})
SUPPORT_LEVEL = Choice(
    "support_level",
    "System of Support level (3 is Level 3, EC 52072)",
    {str(level): name for level, name in SUPPORT_LEVEL_NAMES.items()},
)
GROUP = Choice("group", "Student group (CDE's code)", selectors.GROUP_NAMES)
DA_GROUP = Choice("group", "Student group behind the determination", selectors.DA_GROUP_NAMES)
INDICATOR = Choice(
    "indicator", "Indicator", {code: selectors.INDICATOR_NAMES[code] for code in INDICATORS}
)
COLOUR = Choice(
    "colour",
    "Dashboard colour (on the indicator given, else on any)",
    {name: COLOUR_NAMES[code] for name, code in COLOUR_CODES.items()},
)
ESSA_STATUS = Choice(
    "status",
    "ESSA status",
    {code: ESSA_STATUS_NAMES[status] for code, status in ESSA_STATUS_CODES.items()},
)
PRIORITY = Choice(
    "priority",
    "LCFF priority area",
    {str(number): name for number, name in PRIORITY_NAMES.items()},
)
DIRECTION = Choice("direction", "Which way the colour went", CHANGE_DIRECTIONS)


@dataclass(frozen=True)
class Query:
    """What a request asked for: the year, the filters given (by name) and the page."""

    year: int | None
    filters: dict[str, str]
    page: int
    page_size: int

    def given(self) -> dict[str, object]:
        """Everything asked for, for the audit trail."""
        paging = {"page": self.page, "page_size": self.page_size}
        year = {"year": self.year} if self.year is not None else {}
        return {**year, **self.filters, **paging}


@dataclass(frozen=True)
class Parameters:
    """An endpoint's query parameters: whether it takes ``year``, which filters, and whether
    it is paginated."""

    year: bool = True
    every_year_by_default: bool = False  # without ``year``: every year, not the newest
    filters: Sequence[Choice] = ()
    paginated: bool = True
    lea: bool = False  # takes ``lea``, an LEA's CDS code

    @property
    def names(self) -> list[str]:
        """Every parameter name it takes."""
        names = ["year"] if self.year else []
        names += [f.name for f in self.filters]
        names += ["lea"] if self.lea else []
        return names + (["page", "page_size"] if self.paginated else [])

    def read(self, query: QueryDict) -> Query:
        """The request's parameters, refused (400) when unknown, repeated or unreadable."""
        allowed = self.names
        unknown = sorted(set(query) - set(allowed))
        if unknown:
            raise BadParameterError(
                f"Unknown parameter {excerpt(unknown[0], 20)}; this endpoint takes "
                f"{', '.join(allowed) if allowed else 'none'}."
            )
        for name in query:
            if len(query.getlist(name)) > 1:
                raise BadParameterError(f"Give the {name} parameter once.")
        filters = {}
        for choice in self.filters:
            value = query.get(choice.name)
            if value is None:
                continue
            if value not in choice.values:
                raise BadParameterError(
                    f"{choice.name} is one of {', '.join(choice.values)}, not {excerpt(value, 20)}."
                )
            filters[choice.name] = value
        if self.lea and "lea" in query:
            filters["lea"] = cds_code(query.get("lea", ""))
        return Query(
            year=self._year(query.get("year")),
            filters=filters,
            page=_whole_number(query, "page", 1, None) if self.paginated else 1,
            page_size=(
                _whole_number(query, "page_size", PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX)
                if self.paginated
                else PAGE_SIZE_MAX
            ),
        )

    def _year(self, raw: str | None) -> int | None:
        if not self.year or (raw is None and self.every_year_by_default):
            return None
        return year_requested(raw)


def cds_code(value: str) -> str:
    """A 14-digit CDS code, or 400."""
    if not CDS_CODE.fullmatch(value):
        raise BadParameterError(f"A CDS code is 14 digits, not {excerpt(value, 20)}.")
    return value


def year_requested(raw: str | None) -> int:
    """The ``year`` parameter: a Dashboard year with stored results (400 when it is not a
    year, 404 when none are stored for it), or the newest stored year when it is absent."""
    if raw is None:
        return selectors.year_chosen(None)
    if not re.fullmatch(r"[0-9]{4}", raw) or not YEAR_MIN <= int(raw) <= YEAR_MAX:
        raise BadParameterError(
            f"year is a Dashboard year from {YEAR_MIN} to {YEAR_MAX}, not {excerpt(raw, 20)}."
        )
    year = int(raw)
    if year not in selectors.years_stored():
        raise Http404(f"No Dashboard results are stored for {year}.")
    return year


def _whole_number(query: QueryDict, name: str, default: int, maximum: int | None) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    top = f" to {maximum}" if maximum else " or more"
    if not WHOLE_NUMBER.fullmatch(raw) or int(raw) < 1 or (maximum and int(raw) > maximum):
        raise BadParameterError(f"{name} is a whole number from 1{top}, not {excerpt(raw, 20)}.")
    return int(raw)


def parameter_schemas(parameters: Parameters) -> list[dict[str, Any]]:
    """The OpenAPI description of an endpoint's query parameters."""
    described: list[dict[str, Any]] = []
    if parameters.year:
        described.append(
            {
                "name": "year", "in": "query", "required": False,
                "schema": {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX},
                "description": (
                    "Dashboard year (default: every year)" if parameters.every_year_by_default
                    else "Dashboard year (default: the newest stored)"
                ) + "; 404 when none is stored for it",
            }
        )  # fmt: skip
    for choice in parameters.filters:
        values = "; ".join(f"{code}: {meaning}" for code, meaning in choice.values.items())
        described.append(
            {
                "name": choice.name, "in": "query", "required": False,
                "schema": choice.schema(), "description": f"{choice.description} ({values})",
            }
        )  # fmt: skip
    if parameters.lea:
        described.append(
            {
                "name": "lea", "in": "query", "required": False,
                "schema": {"type": "string", "pattern": f"^{CDS_CODE.pattern}$"},
                "description": "Only this LEA's (its 14-digit CDS code)",
            }
        )  # fmt: skip
    if parameters.paginated:
        described += [
            {
                "name": "page", "in": "query", "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": 999_999_999},
                "description": "Page number (default 1; past the last page, 404)",
            },
            {
                "name": "page_size", "in": "query", "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": PAGE_SIZE_MAX},
                "description": f"Rows a page (default {PAGE_SIZE_DEFAULT}, at most "
                f"{PAGE_SIZE_MAX})",
            },
        ]  # fmt: skip
    return described
