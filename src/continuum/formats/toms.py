"""TOMS CAASPP and Summative ELPAC Student Score Data Files, 2014-15 to 2024-25.

An LEA downloads these from TOMS in three shapes: caret-delimited with a header (``…_DLMTR.csv``),
the same re-saved by a spreadsheet (comma-delimited, often with leading zeros and dates
rewritten), and fixed width (``.dat``, no header). Every year's layout is data
(``toms_layouts/*.csv``, derived from the layouts in ``shared/domain/student-file-layouts``), and
the fields Continuum reads are found by name with each year's synonyms (``toms_layouts/
fields.toml``). :func:`read_toms_file` says which layout it chose and why, repairs what
spreadsheets do (and counts each repair), and refuses what it cannot read with the file, line
and field. Messages never quote an SSID or a name: only line numbers and field names.
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

from continuum.errors import InputError, UnknownLayoutError, excerpt
from continuum.formats.repairs import (
    ISO_DATE,
    check_field_counts,
    first_line,
    repaired_columns,
    stripped,
)
from continuum.formats.text import utf8_source

LAYOUT_DIR = Path(__file__).with_name("toms_layouts")
TESTS = {"caaspp": "CAASPP", "elpac": "ELPAC"}
CARET, COMMA, FIXED = "caret", "comma", "fixed width"
# Columns that say a file is a CDE Dashboard download (``eladownload2025.txt`` and the like).
DASHBOARD_COLUMNS = frozenset({"cds", "rtype", "studentgroup", "currstatus"})
_LAYOUT_NAME = re.compile(r"^(?P<test>caaspp|elpac)_(?P<year>\d{4}-\d{2})_(?P<kind>\w+)$")


def header_key(name: str) -> str:
    """A header name without case, spaces or punctuation: how names are compared."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


@dataclass(frozen=True)
class FieldSpec:
    """A field Continuum reads: its names over the years, and how to repair and quote it."""

    name: str
    names: frozenset[str]  # header keys
    width: int | None = None
    personal: bool = False


@dataclass(frozen=True)
class RecordType:
    """What a record type code (field 1) means."""

    code: str
    label: str
    subject: str | None = None
    test: str | None = None


@dataclass(frozen=True)
class LayoutField:
    """One row of a layout: the field's number and name, its position in the fixed-width file
    (1-based start and length; None where the year has no fixed-width layout) and its column
    names in the delimited file (several for a grouped blank span, none where unknown)."""

    number: str
    name: str
    start: int | None
    length: int | None
    headers: tuple[str, ...]


@dataclass(frozen=True)
class TomsLayout:
    """One year's layout of one test's Student Score Data File."""

    test: str  # CAASPP or ELPAC
    school_year: str  # 2024-25
    source: str  # the layout file's stem
    fields: tuple[LayoutField, ...]

    @property
    def year(self) -> int:
        """The spring year of the administration (2025 for 2024-25): the Dashboard year."""
        return int(self.school_year[:4]) + 1

    @property
    def columns(self) -> tuple[str, ...]:
        """The delimited file's header, in order (empty when the year has none)."""
        return tuple(header for field in self.fields for header in field.headers)

    @property
    def record_length(self) -> int | None:
        """Characters per record of the fixed-width file (None when the year has none)."""
        ends = [f.start + f.length - 1 for f in self.fields if f.start and f.length]
        return max(ends) if ends else None

    def describe(self) -> str:
        return f"{self.school_year} {self.test} Student Score Data File"

    def column_of(self) -> dict[str, int]:
        """Field Continuum reads → its column index in the delimited file."""
        return _first_match(header_key(c) for c in self.columns)

    def position_of(self) -> dict[str, tuple[int, int]]:
        """Field Continuum reads → (0-based start, length) in the fixed-width record."""
        placed = [(f.start, f.length, f) for f in self.fields if f.start and f.length]
        found = _first_match(header_key(f.headers[0] if f.headers else f.name) for *_, f in placed)
        return {name: (placed[i][0] - 1, placed[i][1]) for name, i in found.items()}


def _first_match(keys: Iterator[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, key in enumerate(keys):
        for spec in field_specs().values():
            if spec.name not in found and key in spec.names:
                found[spec.name] = index
    return found


@cache
def _fields_data() -> dict[str, Any]:
    with (LAYOUT_DIR / "fields.toml").open("rb") as handle:
        return tomllib.load(handle)


@cache
def field_specs() -> dict[str, FieldSpec]:
    """The fields Continuum reads, by name (``ssid``, ``scale_score``, …)."""
    return {
        name: FieldSpec(
            name,
            frozenset(header_key(n) for n in entry["names"]),
            entry.get("width"),
            bool(entry.get("personal", False)),
        )
        for name, entry in _fields_data().items()
        if name != "record_types"
    }


@cache
def record_types(test: str) -> dict[str, RecordType]:
    """Record type code → meaning, for CAASPP or ELPAC."""
    return {
        code: RecordType(code, entry["label"], entry.get("subject"), entry.get("test"))
        for code, entry in _fields_data()["record_types"][test].items()
    }


@cache
def toms_layouts() -> tuple[TomsLayout, ...]:
    """Every layout, by test and year (2015-16 has separate delimited and fixed-width ones)."""
    layouts = []
    for path in sorted(LAYOUT_DIR.glob("*.csv")):
        match = _LAYOUT_NAME.match(path.stem)
        if match is None:
            raise InputError(path, "is not named test_YYYY-YY_kind.csv")
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        fields = tuple(
            LayoutField(
                row["field"],
                row["name"],
                int(row["start"]) if row["start"] else None,
                int(row["length"]) if row["length"] else None,
                tuple(row["header"].split("|")) if row["header"] else (),
            )
            for row in rows
        )
        layouts.append(TomsLayout(TESTS[match["test"]], match["year"], path.stem, fields))
    return tuple(layouts)


def toms_layout(source: str) -> TomsLayout:
    """The layout of that name (``caaspp_2024-25_delimited``: its file in ``toms_layouts``)."""
    for layout in toms_layouts():
        if layout.source == source:
            return layout
    names = ", ".join(layout.source for layout in toms_layouts())
    raise InputError(LAYOUT_DIR, f"no TOMS layout {source!r}; the layouts are {names}")


@dataclass(frozen=True)
class TomsFile:
    """A Student Score Data File read whole: which layout and why, the fields Continuum reads
    (text, repaired, one row per record, ``line`` its line in the file), and every repair."""

    path: Path
    layout: TomsLayout
    shape: str  # caret, comma or fixed width
    variant: str | None  # Enrolled or Tested (from the file name), None when not stated
    reason: str
    records: pl.DataFrame
    repairs: dict[str, int]

    @property
    def test(self) -> str:
        return self.layout.test

    @property
    def year(self) -> int:
        return self.layout.year


def read_toms_file(path: Path | str) -> TomsFile:
    """Read a TOMS Student Score Data File whole; raises InputError (UnknownLayoutError for a
    file that is no TOMS layout) naming the file, line and field."""
    path = Path(path)
    encoding, line, repairs = first_line(path)
    if "^" in line or "," in line:
        header = _header(line)
        layout, reason = _identify_delimited(path, header)
        shape = header.shape
        records = _read_delimited(path, header, repairs, encoding)
    else:
        if "\t" in line and {header_key(n) for n in line.split("\t")} >= DASHBOARD_COLUMNS:
            raise UnknownLayoutError(
                path,
                "is a CDE Dashboard download file, not a student file: "
                "'continuum dashboard levels' reads it",
            )
        layout, reason = _identify_fixed(path, line)
        shape = FIXED
        records = _read_fixed(path, layout, repairs, encoding)
    records = _repaired(path, layout, records, repairs)
    return TomsFile(path, layout, shape, _variant(path), reason, records, repairs)


def _variant(path: Path) -> str | None:
    name = path.name.lower()
    for variant in ("Enrolled", "Tested"):
        if variant.lower() in name:
            return variant
    return None


@dataclass(frozen=True)
class _Header:
    """A delimited file's first line: its shape, and its names up to the last non-empty one."""

    shape: str
    names: tuple[str, ...]
    width: int  # columns up to the last named one (spreadsheets add empty ones)

    @property
    def keys(self) -> list[str]:
        return [header_key(n) for n in self.names[: self.width]]


def _header(line: str) -> _Header:
    shape = CARET if "^" in line else COMMA
    names = tuple(next(csv.reader([line], delimiter="^" if shape == CARET else ",")))
    width = len(names)
    while width and not names[width - 1].strip():
        width -= 1
    return _Header(shape, names, width)


def _identify_delimited(path: Path, header: _Header) -> tuple[TomsLayout, str]:
    keys = header.keys
    if set(keys) >= DASHBOARD_COLUMNS:
        raise UnknownLayoutError(
            path,
            "is a CDE Dashboard download file, not a student file: "
            "'continuum dashboard levels' reads it",
        )
    delimited = [layout for layout in toms_layouts() if layout.columns]
    for layout in delimited:
        if [header_key(c) for c in layout.columns] == keys:
            return layout, f"its header is the {len(keys)} columns of the {layout.describe()}"
    best = max(delimited, key=lambda layout: _overlap(layout, keys))
    known = _overlap(best, keys)
    if known >= 0.9 * len(keys) and {"record_type", "ssid"} <= set(_first_match(iter(keys))):
        return best, (
            f"{known} of its {len(keys)} header names are the {best.describe()}'s, more than "
            "any other year's"
        )
    raise UnknownLayoutError(
        path,
        "is not a TOMS CAASPP or ELPAC Student Score Data File: its header matches no year's "
        f"layout ({len(keys)} columns; a TOMS file starts with RecordType and has SSID)",
        line=1,
    )


def _overlap(layout: TomsLayout, keys: list[str]) -> int:
    return len({header_key(c) for c in layout.columns} & set(keys))


def _identify_fixed(path: Path, line: str) -> tuple[TomsLayout, str]:
    for layout in toms_layouts():
        if layout.record_length == len(line):
            return layout, (
                f"it has no header and its records are {len(line)} characters long, the record "
                f"length of the {layout.describe()} (fixed width)"
            )
    raise UnknownLayoutError(
        path,
        "is not a TOMS CAASPP or ELPAC Student Score Data File: the first line has no delimiter "
        f"and is {len(line)} characters long, no year's fixed-width record length",
        line=1,
    )


def _read_delimited(
    path: Path, header: _Header, repairs: dict[str, int], encoding: str
) -> pl.DataFrame:
    separator = "^" if header.shape == CARET else ","
    check_field_counts(
        path, separator=separator, quoted=header.shape == COMMA, width=header.width,
        header_width=len(header.names), repairs=repairs, encoding=encoding,
    )  # fmt: skip
    columns = _first_match(iter(header.keys))
    indices = sorted(columns.values())
    frame = pl.read_csv(
        utf8_source(path, encoding),
        separator=separator,
        has_header=True,
        infer_schema=False,
        quote_char='"' if header.shape == COMMA else None,
        columns=indices,
        truncate_ragged_lines=True,
        empty_string_is_null=False,
    )
    by_index = dict(zip(indices, frame.columns, strict=True))
    named = frame.select(pl.col(by_index[index]).alias(name) for name, index in columns.items())
    return stripped(named).select(
        pl.int_range(2, pl.len() + 2, dtype=pl.Int64).alias("line"), pl.all()
    )


def _read_fixed(
    path: Path, layout: TomsLayout, repairs: dict[str, int], encoding: str
) -> pl.DataFrame:
    length = layout.record_length or 0
    lines = pl.read_csv(
        utf8_source(path, encoding),
        has_header=False,
        separator="\x1f",
        quote_char=None,
        new_columns=["record"],
        infer_schema=False,
        empty_string_is_null=False,
    ).with_columns(pl.col("record").str.strip_prefix("\ufeff"))
    crlf = lines.get_column("record").str.ends_with("\r").sum()
    record = pl.col("record").str.strip_suffix("\r")
    lines = lines.select(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("line"), record.alias("record")
    )
    sizes = lines.get_column("record").str.len_chars()
    too_long = lines.filter(sizes > length)
    if too_long.height:
        raise InputError(
            path,
            f"the record is longer than the {length} characters of the {layout.describe()}",
            line=int(too_long.item(0, "line")),
        )
    short = int((sizes < length).sum())
    if short:
        repairs[f"records shorter than {length} characters padded with blanks"] = short
    if crlf:
        repairs["Windows line ends (CRLF) read"] = int(crlf)
    padded = pl.col("record").str.pad_end(length)
    return lines.select(
        "line",
        *(
            padded.str.slice(start, size).str.strip_chars().alias(name)
            for name, (start, size) in layout.position_of().items()
        ),
    )


def _repaired(
    path: Path, layout: TomsLayout, records: pl.DataFrame, repairs: dict[str, int]
) -> pl.DataFrame:
    """Leading zeros, spreadsheet numbers and dates put back; then every value checked."""
    widths = {name: spec.width for name, spec in field_specs().items()}
    repaired = repaired_columns(records, widths, {"test_date"}, _REPAIR_WORDS, repairs)
    _check_values(path, layout, repaired)
    return repaired


_REPAIR_WORDS = {
    "ssid": "SSID leading zeros restored",
    "district_code": "district CDS code leading zeros restored",
    "school_code": "school CDS code leading zeros restored",
    "record_type": "record type leading zero restored (1 → 01)",
    "grade": "grade assessed restored to two digits (3 or 3.0 → 03)",
    "scale_score": "scale score written with decimals restored (2450.0 → 2450)",
    "test_date": "test dates rewritten by a spreadsheet restored to YYYY-MM-DD",
}


def _check_values(path: Path, layout: TomsLayout, records: pl.DataFrame) -> None:
    """Refuse the first value Continuum cannot read, naming its line and field (never an SSID)."""
    codes = list(record_types(layout.test))
    checks: list[tuple[str, pl.Expr, str]] = [
        ("ssid", pl.col("ssid").str.contains(r"^\d{10}$").not_(), "is not a 10-digit SSID"),
        (
            "record_type",
            pl.col("record_type").is_in(codes).not_(),
            f"is not a {layout.test} record type ({', '.join(codes)})",
        ),
        (
            "school_code",
            (pl.col("school_code") != "") & pl.col("school_code").str.contains(r"^\d{14}$").not_(),
            "is not a 14-digit CDS code",
        ),
        (
            "scale_score",
            (pl.col("scale_score") != "") & pl.col("scale_score").str.contains(r"^\d+$").not_(),
            "is not a whole-number scale score",
        ),
        (
            "test_date",
            (pl.col("test_date") != "") & pl.col("test_date").str.contains(ISO_DATE).not_(),
            "is not a date (YYYY-MM-DD, M/D/YYYY or D-M-YYYY)",
        ),
    ]
    for name, wrong, words in checks:
        if name not in records.columns:
            continue
        bad = records.filter(wrong)
        if bad.height:
            row = bad.row(0, named=True)
            shown = "" if field_specs()[name].personal else f" ({excerpt(row[name])})"
            raise InputError(
                path, f"{words}{shown}", line=int(row["line"]), column=_header_of(layout, name)
            )


def _header_of(layout: TomsLayout, name: str) -> str:
    """The field's name as the layout spells it (its header, else its layout name)."""
    for field in layout.fields:
        key = header_key(field.headers[0] if field.headers else field.name)
        if key in field_specs()[name].names:
            return field.headers[0] if field.headers else field.name
    return name
