"""CALPADS report CSV exports: 1.23 Graduates and Completers, 14.2 Student Absences, 15.2 Cohort
Outcome, 7.12 Incident Results and 8.1 Student Profile List (EOY3), read by their header.

No official layout of these exports exists; the columns are those a county office's code reads
(``shared/domain/student-file-layouts/reports``), and the layouts are data
(``calpads_report_layouts/*.csv``: each column's header and synonyms, what Continuum reads it
as, its kind, and whether the shared lists name it or its spelling is ours). A report is the one
whose identifying columns are all in the file's header (names compared without case, spaces or
punctuation); :func:`read_calpads_report` says which and why, repairs what spreadsheets do (BOM,
CRLF, trailing empty columns, leading zeros, dates, ``3.0``) and counts each repair, and refuses
what it cannot read with the file, line and column, never quoting an SSID or a name.
"""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

from continuum.errors import InputError, UnknownLayoutError, excerpt
from continuum.formats.repairs import (
    ISO_DATE,
    US_DATE,
    check_field_counts,
    first_line,
    iso_dates,
    read_columns,
    repaired_columns,
    rewritten_dates,
)
from continuum.formats.text import utf8_source
from continuum.formats.toms import _header, header_key

LAYOUT_DIR = Path(__file__).with_name("calpads_report_layouts")
IDENTIFY, FEED, OPTIONAL = "identify", "feed", "optional"
SHARED, INFERRED = "shared", "inferred"
# A header holding this share of a report's identifying columns is that report, missing some.
NEAR_MATCH = 0.75
WIDTHS = {"ssid": 10, "school": 7, "grade": 2}
NUMBER = r"^\d+(\.\d+)?$"
_SCHOOL_YEAR = re.compile(r"(?<!\d)(20\d\d)[-_](?:20)?(\d\d)(?!\d)")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_REPAIR_WORDS = {
    "ssid": "SSID leading zeros restored",
    "school_code": "school code leading zeros restored",
    "grade": "grades read as two digits (1 or 1.0 → 01)",
}


@dataclass(frozen=True)
class ReportColumn:
    """One column of a report: its header and synonyms, what Continuum reads it as (blank: not
    read), its kind (``ssid``, ``school``, ``grade``, ``number``, ``date``, ``flag``, a code set,
    ``text``), its role (identifies the report, needed to feed a table, or optional) and
    whether the shared column lists name it (``shared``) or only its meaning is known
    (``inferred``: the spelling is ours)."""

    headers: tuple[str, ...]
    reads_as: str
    kind: str
    role: str
    status: str

    @property
    def header(self) -> str:
        return self.headers[0]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(header_key(h) for h in self.headers)


@dataclass(frozen=True)
class ReportLayout:
    number: str  # 14.2
    title: str
    file_stem: str  # how CALPADS names the export
    table: str | None  # the calculators' table it feeds
    feeds: str
    columns: tuple[ReportColumn, ...]

    def describe(self) -> str:
        return f"CALPADS report {self.number} {self.title}"

    @property
    def identifying(self) -> tuple[ReportColumn, ...]:
        return tuple(c for c in self.columns if c.role == IDENTIFY)


@dataclass(frozen=True)
class CalpadsReport:
    """A report read whole: its layout and why, the school year from the file name (None when
    it has none), the columns read (text, repaired; ``line`` its line), the file's own header
    of each column read, and every repair with its count."""

    path: Path
    layout: ReportLayout
    reason: str
    year: int | None
    records: pl.DataFrame
    headers: dict[str, str]  # reads_as → the file's header
    repairs: dict[str, int]

    def lacking(self) -> list[str]:
        """The columns its table needs that the file does not have (their layout headers)."""
        return [
            c.header
            for c in self.layout.columns
            if c.role == FEED and c.reads_as not in self.headers
        ]


@cache
def report_data() -> dict[str, Any]:
    with (LAYOUT_DIR / "reports.toml").open("rb") as handle:
        return tomllib.load(handle)


def codes(kind: str) -> dict[str, str]:
    """A code set of ``reports.toml``: value as the report writes it → its meaning."""
    found: dict[str, str] = report_data()["codes"][kind]
    return found


@cache
def report_layouts() -> dict[str, ReportLayout]:
    """Report number → layout."""
    layouts = {}
    for number, entry in report_data()["reports"].items():
        with (LAYOUT_DIR / f"{number}.csv").open(encoding="utf-8", newline="") as handle:
            columns = tuple(
                ReportColumn(
                    tuple(row["header"].split("|")),
                    row["reads_as"],
                    row["kind"],
                    row["role"],
                    row["status"],
                )
                for row in csv.DictReader(handle)
            )
        layouts[number] = ReportLayout(
            number, entry["title"], entry["file"], entry.get("table"), entry["feeds"], columns
        )
    return layouts


def report_year(path: Path) -> int | None:
    """The school year (spring year) in a file name: ``2024-25``, ``2024-2025`` or ``2025``."""
    school_year = _SCHOOL_YEAR.search(path.stem)
    if school_year is not None and int(school_year[2]) == (int(school_year[1]) + 1) % 100:
        return int(school_year[1]) + 1
    years = _YEAR.findall(path.stem)
    return int(years[-1]) if years else None


def read_calpads_report(path: Path | str) -> CalpadsReport:
    """Read a CALPADS report CSV whole; UnknownLayoutError when its header is no report's,
    InputError (with line and column) for what cannot be read."""
    path = Path(path)
    encoding, first, repairs = first_line(path)
    header = _header(first)
    names, width, keys = header.names, header.width, header.keys
    layout, reason = _identify(path, keys)
    check_field_counts(
        path, separator=",", quoted=True, width=width, header_width=len(names),
        repairs=repairs, encoding=encoding,
    )  # fmt: skip
    found = {
        column.reads_as: keys.index(next(k for k in keys if k in column.keys))
        for column in layout.columns
        if column.reads_as and column.keys & set(keys)
    }
    records = read_columns(
        utf8_source(path, encoding), found, separator=",", has_header=True, quoted=True
    )
    headers = {name: names[i] for name, i in found.items()}
    kinds = {c.reads_as: c.kind for c in layout.columns if c.reads_as in found}
    widths: dict[str, int | None] = {n: WIDTHS.get(k) for n, k in kinds.items() if k in WIDTHS}
    records = repaired_columns(records, widths, set(), _REPAIR_WORDS, repairs)
    optional = {c.reads_as for c in layout.columns if c.role == OPTIONAL}
    _check_values(path, records, kinds, headers, optional)
    dates = [n for n, k in kinds.items() if k == "date"]
    records = rewritten_dates(records, dates, US_DATE, repairs)
    return CalpadsReport(path, layout, reason, report_year(path), records, headers, repairs)


def _identify(path: Path, keys: list[str]) -> tuple[ReportLayout, str]:
    present = set(keys)

    def share(layout: ReportLayout) -> tuple[float, int]:
        wanted = layout.identifying
        return sum(bool(c.keys & present) for c in wanted) / len(wanted), len(wanted)

    best = max(report_layouts().values(), key=share)
    matched, _ = share(best)
    missing = [c.header for c in best.identifying if not c.keys & present]
    if not missing:
        named = ", ".join(c.header for c in best.identifying)
        return best, (
            f"its header has all {len(best.identifying)} columns that name {best.describe()} "
            f"({named})"
        )
    if matched >= NEAR_MATCH:
        raise InputError(
            path,
            f"looks like {best.describe()} but its header has no column "
            f"{', '.join(repr(m) for m in missing)}",
            line=1,
            column=missing[0],
        )
    raise UnknownLayoutError(
        path,
        "is not a CALPADS report Continuum reads (1.23, 14.2, 15.2, 7.12, 8.1): its header has "
        f"{len(keys)} columns, not a report's",
        line=1,
    )


def _check_values(
    path: Path,
    records: pl.DataFrame,
    kinds: dict[str, str],
    headers: dict[str, str],
    optional: set[str],
) -> None:
    """Refuse the first value Continuum cannot read, naming its line and column; an SSID is
    never quoted. An optional column may be blank."""
    for name, kind in kinds.items():
        value = pl.col(name)
        words, quote = "", True
        if kind == "ssid":
            wrong, words, quote = (
                value.str.contains(r"^\d{10}$").not_(),
                "is not a 10-digit SSID",
                False,
            )
        elif kind == "school":
            wrong, words = value.str.contains(r"^\d{7}$").not_(), "is not a 7-digit school code"
        elif kind == "number":
            wrong, words = value.str.contains(NUMBER).not_(), "is not a number of days"
        elif kind == "date":
            iso = iso_dates(value)
            parsed = iso.str.to_date("%Y-%m-%d", strict=False)
            blank = pl.lit(False) if name == "incident_date" else value == ""
            wrong = ~blank & (iso.str.contains(ISO_DATE).not_() | parsed.is_null())
            words = "is not a date (M/D/YYYY, YYYY-MM-DD or D-M-YYYY)"
        elif kind == "result":
            wrong, words = value.str.contains(r"^\d{3}$").not_(), "is not an incident result code"
        elif kind == "cohort":
            wrong, words = value == "", "is blank: every cohort student has a category"
        elif kind == "status":
            allowed = list(codes("status"))
            wrong = value.str.slice(0, 2).is_in(allowed).not_()
            words = f"does not start with an enrolment status ({', '.join(allowed)})"
        elif kind in ("race", "flag", "elas", "grade"):
            allowed = list(codes(kind))
            wrong = value.is_in(allowed).not_()
            if kind == "elas":
                wrong = wrong & (value != "")
            shown = [a or "blank" for a in allowed]
            words = f"is not one of {', '.join(shown)}"
        else:
            continue
        if name in optional:
            wrong = wrong & (value != "")
        bad = records.filter(wrong)
        if bad.height:
            row = bad.row(0, named=True)
            shown_value = f" ({excerpt(row[name])})" if quote else ""
            raise InputError(
                path, f"{words}{shown_value}", line=int(row["line"]), column=headers[name]
            )
