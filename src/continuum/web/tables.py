"""Every table of the site: a declarative spec applied to a list of rows from a query string.

A view builds a :class:`TableSpec` (columns, filters, page size), parses the request's query
string with :meth:`TableSpec.parse` (a :class:`TableState`: sort, filter values, page, format
and the messages for parameters it could not use), reads its rows (plain dicts, one key per
column) from a selector, and hands both to :func:`table_build`. The :class:`Table` it gets is
what the ``components/table.html`` include renders, or, for ``?format=csv`` / ``?format=xlsx``,
what :func:`table_download` writes: exactly the filtered, sorted rows of every page.

State lives only in the query string (``?sort=-level&lea_type=Unified&page=2``), so any view of a
table is a link that can be sent. A parameter that cannot be used (an unknown column, a choice
that is not offered, a page past the last) is reported on the page and ignored, never a 500.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal
from urllib.parse import urlencode

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.http import HttpResponse, QueryDict

from continuum.dashboard.rules import COLOUR_NAMES
from continuum.web.accountability.exports import csv_response, xlsx_response
from continuum.web.words import NOTHING, day, number, percent, signed

Kind = Literal["text", "number", "percent", "change", "date", "colour"]
Row = Mapping[str, Any]
FORMATS = ("csv", "xlsx")
# Query parameters the table machinery owns; a filter may not use these keys.
RESERVED = frozenset({"sort", "page", "format"})


@dataclass(frozen=True)
class Column:
    """One column: ``key`` names the row's value; ``kind`` decides how it sorts, shows and is
    exported. ``link`` and ``note`` name other row keys: a URL for the cell's link and a second,
    muted line (e.g. the CDS code). ``unit`` follows numbers ("students"). ``term`` is the
    glossary entry the heading links to. ``explain`` makes the link load into the element of
    that id by htmx (the page still works without it)."""

    key: str
    label: str
    kind: Kind = "text"
    link: str = ""
    note: str = ""
    unit: str = ""
    term: str = ""
    explain: str = ""
    sortable: bool = True
    badge: bool = False  # shown as a support-level / ESSA badge (components/badge.html)

    def text(self, value: object) -> str:
        """The value as the page shows it."""
        if value is None or value == "":
            return NOTHING
        if self.kind == "number":
            return number(_float(value), self.unit)
        if self.kind == "percent":
            return percent(_float(value))
        if self.kind == "change":
            return signed(_float(value))
        if self.kind == "date":
            assert isinstance(value, dt.date)
            return day(value)
        if self.kind == "colour":
            return COLOUR_NAMES.get(int(_float(value)), COLOUR_NAMES[0])
        return str(value)

    def export(self, value: object) -> object:
        """The value as a download holds it: numbers as numbers, colours by name, dates as
        dates, nothing as an empty cell."""
        if value is None or value == "":
            return None
        if self.kind in ("number", "percent", "change"):
            return (
                value if isinstance(value, int) and not isinstance(value, bool) else _float(value)
            )
        if self.kind == "colour":
            return COLOUR_NAMES.get(int(_float(value)), COLOUR_NAMES[0])
        if self.kind == "date":
            return value
        return str(value)

    def sort_key(self, value: object) -> tuple[int, Any]:
        """Absent values (and "no colour") sort last whichever the direction: the caller
        reverses only the second element's order."""
        if value is None or value == "":
            return (1, 0)
        if self.kind in ("number", "percent", "change"):
            return (0, _float(value))
        if self.kind == "colour":
            code = int(_float(value))
            return (0, code) if code else (1, 0)
        if self.kind == "date":
            assert isinstance(value, dt.date)
            moment = (
                value if isinstance(value, dt.datetime) else dt.datetime(*value.timetuple()[:3])
            )
            return (0, moment.replace(tzinfo=None).isoformat())
        return (0, str(value).casefold())


@dataclass(frozen=True)
class Filter:
    """A choice the rows are narrowed by: ``?key=value``. ``choices`` are (value, label) pairs;
    when None they are the distinct values of the rows. The row value tested is ``field``
    (default ``key``); it may name another filter in braces (``"colour_{indicator}"``: the
    colour of the indicator chosen), and it may be a collection (a row matches when it holds the
    value). ``applies=False`` for a filter the view applies itself while reading the rows (the
    year): it is validated and shown here but does not narrow the rows again."""

    key: str
    label: str
    choices: Sequence[tuple[str, str]] | None = None
    field: str = ""
    applies: bool = True
    any_label: str = "Any"
    term: str = ""

    def row_field(self, values: Mapping[str, str]) -> str | None:
        """The row key to test, once the filters it names are chosen (None while they are not)."""
        template = self.field or self.key
        try:
            return template.format_map(values) if "{" in template else template
        except KeyError:
            return None


@dataclass(frozen=True)
class TableSpec:
    """A table: its name (downloads' file names, saved views), columns, filters, a text search
    over some columns (``search`` keys, ``?q=``), the page size (None: one page) and the default
    sort (a column key, ``-`` first for descending)."""

    name: str
    title: str
    columns: tuple[Column, ...]
    filters: tuple[Filter, ...] = ()
    search: tuple[str, ...] = ()
    search_label: str = "Search"
    page_size: int | None = 50
    default_sort: str = ""
    caption: str = ""
    prefix: str = ""  # for a second table on a page: its parameters are prefix + name

    def __post_init__(self) -> None:
        keys = [c.key for c in self.columns]
        filter_keys = [f.key for f in self.filters]
        if len(set(keys)) != len(keys) or len(set(filter_keys)) != len(filter_keys):
            raise ValueError(f"table {self.name}: duplicate column or filter keys")
        if RESERVED & set(filter_keys) or (self.search and "q" in filter_keys):
            raise ValueError(f"table {self.name}: a filter uses a reserved parameter")

    def column(self, key: str) -> Column | None:
        """The column of that key, if any."""
        return next((c for c in self.columns if c.key == key), None)

    def with_choices(self, key: str, choices: Sequence[tuple[str, str]]) -> TableSpec:
        """The same spec with one filter's choices set (choices known only per request)."""
        filters = tuple(replace(f, choices=choices) if f.key == key else f for f in self.filters)
        return replace(self, filters=filters)

    def param(self, name: str) -> str:
        """The query parameter of one of the table's settings (a filter key, sort, page, q)."""
        return self.prefix + name

    def parse(self, query: QueryDict | Mapping[str, str]) -> TableState:
        """The table's state from a query string; what cannot be used is reported, not raised.
        Parameters of other tables and of the page (the year) are kept for the links."""
        messages: list[str] = []
        owned = {self.param(n) for n in (*RESERVED, "q", *(f.key for f in self.filters))}
        others = {k: str(query.get(k) or "") for k in query if k not in owned}
        sort = (query.get(self.param("sort")) or "").strip()
        if sort:
            column = self.column(sort.removeprefix("-"))
            if column is None or not column.sortable:
                names = ", ".join(c.label for c in self.columns if c.sortable)
                messages.append(f"The table cannot be sorted by “{sort}”: sort by {names}.")
                sort = ""
        values: dict[str, str] = {}
        for spec in self.filters:
            value = (query.get(self.param(spec.key)) or "").strip()[:200]
            if not value:
                continue
            if spec.choices is not None and value not in {v for v, _ in spec.choices}:
                offered = ", ".join(label for _, label in spec.choices) or "none"
                messages.append(f"{spec.label} “{value}” is not one of the choices ({offered}).")
                continue
            values[spec.key] = value
        for spec in self.filters:
            if spec.key in values and spec.row_field(values) is None:
                messages.append(f"{spec.label} needs another filter chosen with it: not applied.")
                del values[spec.key]
        search = (query.get(self.param("q")) or "").strip()[:200] if self.search else ""
        page_text = (query.get(self.param("page")) or "").strip()
        page = 1
        if page_text:
            if page_text.isdigit() and int(page_text) >= 1:
                page = int(page_text)
            else:
                messages.append(f"Page “{page_text}” is not a page number: showing page 1.")
        file_format = (query.get(self.param("format")) or "").strip()
        if file_format and file_format not in FORMATS:
            messages.append(f"“{file_format}” is not a download format: choose csv or xlsx.")
            file_format = ""
        return TableState(
            sort=sort or self.default_sort,
            filters=values,
            search=search,
            page=page,
            file_format=file_format,
            messages=messages,
            prefix=self.prefix,
            others=others,
        )


@dataclass
class TableState:
    """What the query string asked of a table, once checked."""

    sort: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    search: str = ""
    page: int = 1
    file_format: str = ""
    messages: list[str] = field(default_factory=list)
    prefix: str = ""
    others: dict[str, str] = field(default_factory=dict)  # the page's other parameters

    def value(self, key: str, default: str = "") -> str:
        """A filter's chosen value."""
        return self.filters.get(key, default)

    def own(self) -> dict[str, object]:
        """The table's own settings by name (filters, q, sort; not page and format)."""
        params: dict[str, object] = {**self.filters}
        if self.search:
            params["q"] = self.search
        if self.sort:
            params["sort"] = self.sort
        return params

    def query(self, **changes: object) -> str:
        """The page's query string with this table's settings changed (page and format only
        when given): the link of another view of the same page."""
        params = {**self.own(), **changes}
        merged = {**self.others, **{self.prefix + k: v for k, v in params.items()}}
        return urlencode({k: v for k, v in merged.items() if v not in ("", None)})


@dataclass(frozen=True)
class Cell:
    """A cell as the page shows it."""

    column: Column
    value: object
    text: str
    link: str
    note: str

    @property
    def empty(self) -> bool:
        """Whether the row has no value here (shown as a dash, an empty cell in downloads)."""
        return self.value is None or self.value == ""

    @property
    def badge(self) -> tuple[str, str] | None:
        """(css modifier, words) of a badge column's cell: level-1 … level-3, csi, atsi, tsi,
        or none."""
        if not self.column.badge:
            return None
        words = self.text.casefold().split()
        if len(words) >= 2 and words[0] == "level" and words[1].rstrip(":") in {"1", "2", "3"}:
            return (f"level-{words[1].rstrip(':')}", self.text)
        if words and words[0] in {"csi", "atsi", "tsi"}:
            return (words[0], self.text)
        return ("none", self.text)

    @property
    def colour_code(self) -> int:
        """The Dashboard colour's code (0 when none) of a colour cell."""
        if self.column.kind != "colour" or self.value in (None, ""):
            return 0
        return int(_float(self.value))


@dataclass(frozen=True)
class Heading:
    """A column heading with the link that sorts by it and its current direction."""

    column: Column
    sort_link: str
    aria_sort: str  # "ascending", "descending" or "none"


@dataclass(frozen=True)
class Choice:
    """One option of a filter's select."""

    value: str
    label: str
    selected: bool


@dataclass(frozen=True)
class FilterField:
    """A filter as the filter bar shows it."""

    spec: Filter
    choices: list[Choice]


@dataclass(frozen=True)
class Table:
    """A spec applied to rows: what the page and the downloads need."""

    spec: TableSpec
    state: TableState
    rows: list[Row]  # every filtered, sorted row (all pages)
    page: int
    pages: int
    total_before_filters: int

    @property
    def page_rows(self) -> list[Row]:
        """The rows of the current page."""
        size = self.spec.page_size
        if size is None:
            return self.rows
        return self.rows[(self.page - 1) * size : self.page * size]

    @property
    def headings(self) -> list[Heading]:
        """Each column with its sort link (first ascending, then descending)."""
        headings = []
        for column in self.spec.columns:
            if self.state.sort == column.key:
                aria, nxt = "ascending", f"-{column.key}"
            elif self.state.sort == f"-{column.key}":
                aria, nxt = "descending", column.key
            else:
                aria, nxt = "none", column.key
            headings.append(Heading(column, "?" + self.state.query(sort=nxt), aria))
        return headings

    @property
    def body(self) -> list[list[Cell]]:
        """The current page's rows as cells."""
        return [
            [
                Cell(
                    column=c,
                    value=row.get(c.key),
                    text=c.text(row.get(c.key)),
                    link=str(row.get(c.link) or "") if c.link else "",
                    note=str(row.get(c.note) or "") if c.note else "",
                )
                for c in self.spec.columns
            ]
            for row in self.page_rows
        ]

    @property
    def filter_fields(self) -> list[FilterField]:
        """The filter bar's selects, with the chosen values selected."""
        fields = []
        for spec in self.spec.filters:
            chosen = self.state.value(spec.key)
            pairs = spec.choices if spec.choices is not None else ()
            fields.append(FilterField(spec, [Choice(v, label, v == chosen) for v, label in pairs]))
        return fields

    @property
    def first_shown(self) -> int:
        """The number of the page's first row (0 when there are none)."""
        if not self.rows:
            return 0
        return 1 if self.spec.page_size is None else (self.page - 1) * self.spec.page_size + 1

    @property
    def last_shown(self) -> int:
        """The number of the page's last row."""
        return self.first_shown + len(self.page_rows) - 1 if self.rows else 0

    @property
    def hidden_fields(self) -> list[tuple[str, str]]:
        """What the filter bar's form carries unchanged: the page's other parameters and the
        sort (a new filter starts again at page 1)."""
        kept = [(k, v) for k, v in self.state.others.items() if v]
        if self.state.sort:
            kept.append((self.spec.param("sort"), self.state.sort))
        return kept

    @property
    def clear_link(self) -> str:
        """The same table without filters or search (sort and the page's parameters kept)."""
        others = {k: v for k, v in self.state.others.items() if v}
        if self.state.sort:
            others[self.spec.param("sort")] = self.state.sort
        return "?" + urlencode(others)

    @property
    def filtered(self) -> bool:
        """Whether any filter or search narrows the rows."""
        return bool(self.state.search) or any(
            f.applies and self.state.value(f.key) for f in self.spec.filters
        )

    def page_link(self, page: int) -> str:
        """The link to another page of the same view."""
        return "?" + self.state.query(page=page)

    @property
    def previous_link(self) -> str:
        """The previous page's link, or "" on the first."""
        return self.page_link(self.page - 1) if self.page > 1 else ""

    @property
    def next_link(self) -> str:
        """The next page's link, or "" on the last."""
        return self.page_link(self.page + 1) if self.page < self.pages else ""

    def download_link(self, file_format: str) -> str:
        """The link that downloads what is shown (every page) as csv or xlsx."""
        return "?" + self.state.query(format=file_format)

    @property
    def csv_link(self) -> str:
        """The CSV download of what is shown."""
        return self.download_link("csv")

    @property
    def xlsx_link(self) -> str:
        """The Excel download of what is shown."""
        return self.download_link("xlsx")

    @property
    def filters_described(self) -> list[tuple[str, str]]:
        """The filters in force and the sort, as (label, value in words) pairs."""
        described = []
        for spec in self.spec.filters:
            value = self.state.value(spec.key)
            if value:
                labels = dict(spec.choices or ())
                described.append((spec.label, labels.get(value, value)))
        if self.state.search:
            described.append((self.spec.search_label, self.state.search))
        if self.state.sort:
            column = self.spec.column(self.state.sort.removeprefix("-"))
            if column is not None:
                order = "descending" if self.state.sort.startswith("-") else "ascending"
                described.append(("Sorted by", f"{column.label}, {order}"))
        return described


def table_build(spec: TableSpec, state: TableState, rows: Iterable[Row]) -> Table:
    """Filter, search, sort and paginate the rows; filters whose choices were left to the rows
    get the rows' distinct values (before filtering, so every choice stays offered)."""
    every = list(rows)
    spec = _choices_from_rows(spec, every, state)
    kept = [row for row in every if _matches(spec, state, row)]
    if state.search:
        needle = state.search.casefold()
        kept = [
            r for r in kept if any(needle in str(r.get(k) or "").casefold() for k in spec.search)
        ]
    kept = _sorted(spec, state.sort, kept)
    size = spec.page_size
    pages = max(1, -(-len(kept) // size)) if size else 1
    page = state.page
    if page > pages:
        state.messages.append(f"There is no page {page}: the table has {pages} page"
                              f"{'s' if pages != 1 else ''}; showing the last.")  # fmt: skip
        page = pages
    return Table(spec, state, kept, page, pages, len(every))


def _choices_from_rows(spec: TableSpec, rows: list[Row], state: TableState) -> TableSpec:
    for f in spec.filters:
        if f.choices is not None:
            continue
        found: set[str] = set()
        target = f.row_field(state.filters) or f.key
        for row in rows:
            value = row.get(target)
            if isinstance(value, Collection) and not isinstance(value, str):
                found.update(str(v) for v in value)
            elif value not in (None, ""):
                found.add(str(value))
        spec = spec.with_choices(f.key, [(v, v) for v in sorted(found, key=str.casefold)])
        chosen = state.value(f.key)
        if chosen and chosen not in found:
            offered = ", ".join(sorted(found, key=str.casefold)) or "none"
            state.messages.append(f"{f.label} “{chosen}” is not one of the choices ({offered}).")
            del state.filters[f.key]
    return spec


def _matches(spec: TableSpec, state: TableState, row: Row) -> bool:
    for f in spec.filters:
        chosen = state.value(f.key)
        if not chosen or not f.applies:
            continue
        target = f.row_field(state.filters)
        if target is None:
            continue
        value = row.get(target)
        if isinstance(value, Collection) and not isinstance(value, str):
            if chosen not in {str(v) for v in value}:
                return False
        elif str(value if value is not None else "") != chosen:
            return False
    return True


def _sorted(spec: TableSpec, sort: str, rows: list[Row]) -> list[Row]:
    column = spec.column(sort.removeprefix("-")) if sort else None
    if column is None:
        return rows
    present = [r for r in rows if column.sort_key(r.get(column.key))[0] == 0]
    absent = [r for r in rows if column.sort_key(r.get(column.key))[0] == 1]
    present.sort(key=lambda r: column.sort_key(r.get(column.key))[1], reverse=sort[0] == "-")
    return present + absent


def choice_links(
    query: QueryDict, key: str, values: Sequence[object], chosen: object
) -> list[tuple[str, str, bool]]:
    """Links that set one page parameter (the year) to each value, keeping the others but not
    any table's page or download: (value, link, whether it is the current one)."""
    kept = {
        k: str(query.get(k) or "")
        for k in query
        if k != key and not k.endswith("page") and not k.endswith("format")
    }
    return [(str(v), "?" + urlencode({**kept, key: v}), str(v) == str(chosen)) for v in values]


def download_requested(tables: Iterable[Table]) -> Table | None:
    """The page's table whose download was asked for (``?format=`` with its prefix), if any."""
    return next((table for table in tables if table.state.file_format), None)


def table_download(
    table: Table,
    *,
    actor: AbstractBaseUser | AnonymousUser,
    subject: models.Model,
    subject_id: str,
    filename: str,
    made: Callable[[], dt.datetime] | None = None,
) -> HttpResponse:
    """What the table shows (every page) as the state's format, through the export audit and
    the CSV row cap. ``filename`` has no extension."""
    header = [c.label for c in table.spec.columns]
    rows = ([c.export(row.get(c.key)) for c in table.spec.columns] for row in table.rows)
    filters: dict[str, object] = dict(table.state.filters)
    if table.state.search:
        filters["q"] = table.state.search
    if table.state.sort:
        filters["sort"] = table.state.sort
    common: dict[str, Any] = {
        "actor": actor, "subject": subject, "subject_id": subject_id,
        "what": table.spec.title, "filters": filters,
    }  # fmt: skip
    if table.state.file_format == "xlsx":
        return xlsx_response(
            f"{filename}.xlsx", header, rows, kinds=[c.kind for c in table.spec.columns],
            title=table.spec.title, described=table.filters_described, made=made, **common,
        )  # fmt: skip
    return csv_response(f"{filename}.csv", header, rows, **common)


def _float(value: object) -> float:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    return float(str(value))
