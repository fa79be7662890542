"""CALPADS ODS extracts: SENR (enrolments), SINF (student information), SELA (English language
acquisition), SPRG (programs), STAS (absence summaries), SPED (special education), SINC and SIRS
(incidents and their results), caret-delimited without a header, fields in CFS order.

The layouts are data (``calpads_layouts/*.csv``, from the field lists in
``shared/domain/student-file-layouts/calpads``: SENR, SINF, SPRG, SPED, SINC and SIRS by the
CALPADS Data Guide v11, SELA 12.01-12.16, STAS 13.01-13.22; each file's comment says which
fields are assumed) and so are the code sets checked (``calpads_layouts/codes.toml``). The
record type in field 1 says which file it is; an ODS extract writes it with ``-R`` (``SENR-R``)
and adds two trailing fields, the upload and last-updated dates. A record type with more than
one layout (SENR: the Data Guide's 39 fields and the 2021-2025 pages' 40) is told by the first
record's field count. Repairs (a
spreadsheet's dropped leading zeros, rewritten dates, extra empty fields, BOM, CRLF) are made
and counted as for TOMS files; a record Continuum cannot read is refused with file, line and
field, never quoting an SSID or a name.
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
    COMPACT_DATE,
    ISO_DATE,
    check_field_counts,
    first_line,
    repaired_columns,
    rewritten_dates,
    stripped,
)
from continuum.formats.text import utf8_source

LAYOUT_DIR = Path(__file__).with_name("calpads_layouts")
ODS_SUFFIX = "-R"
ODS_FIELDS = ("upload_date", "last_updated_date")
_REPAIR_WORDS = {
    "ssid": "SSID leading zeros restored",
    "lea": "reporting LEA code leading zeros restored",
    "school": "school code leading zeros restored",
    "grade": "grade level restored to two digits (1 → 01)",
    "dsea": "special education accountability district leading zeros restored",
}


@dataclass(frozen=True)
class CalpadsField:
    """One CFS field: its number and name, what Continuum reads it as (blank: not read) and its
    width in digits where a spreadsheet may drop leading zeros."""

    number: str
    name: str
    reads_as: str
    width: int | None


@dataclass(frozen=True)
class CalpadsLayout:
    name: str  # the layout file's stem: SENR, SENR_grade_1.25, SINF, …
    record_type: str  # SENR, SINF, SELA, SPRG, STAS, SPED, SINC, SIRS
    label: str
    fields: tuple[CalpadsField, ...]
    numbering: str = ""  # for a variant layout, which numbering it is

    def dates(self) -> tuple[str, ...]:
        """The fields read as CCYYMMDD dates."""
        return tuple(f.reads_as for f in self.fields if f.reads_as.endswith("_date"))

    def index_of(self) -> dict[str, int]:
        return {f.reads_as: i for i, f in enumerate(self.fields) if f.reads_as}


@dataclass(frozen=True)
class CalpadsFile:
    """An extract read whole: its layout, whether it is an ODS extract, why, the fields read
    (text, repaired; ``line`` its line) and the repairs with counts."""

    path: Path
    layout: CalpadsLayout
    ods: bool
    reason: str
    records: pl.DataFrame
    repairs: dict[str, int]

    @property
    def years(self) -> list[int]:
        """School years (spring year) of the records."""
        return sorted(self.records.get_column("year").unique().to_list())


@cache
def _codes() -> dict[str, Any]:
    with (LAYOUT_DIR / "codes.toml").open("rb") as handle:
        return tomllib.load(handle)


def _fields(name: str) -> tuple[CalpadsField, ...]:
    with (LAYOUT_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return tuple(
            CalpadsField(
                row["field"],
                row["name"],
                row["reads_as"],
                int(row["width"]) if row["width"] else None,
            )
            for row in rows
        )


@cache
def calpads_layouts() -> dict[str, CalpadsLayout]:
    """Record type → its own layout (``<record type>.csv``)."""
    return {
        record_type: CalpadsLayout(record_type, record_type, label, _fields(record_type))
        for record_type, label in _codes()["record_types"].items()
    }


@cache
def calpads_variants() -> dict[str, CalpadsLayout]:
    """Every layout by name: each record type's own and the variants (``SENR_grade_1.25``)."""
    layouts = {layout.name: layout for layout in calpads_layouts().values()}
    labels = _codes()["record_types"]
    for name, variant in _codes()["variants"].items():
        record_type = variant["record_type"]
        layouts[name] = CalpadsLayout(
            name, record_type, labels[record_type], _fields(name), variant["numbering"]
        )
    return layouts


def calpads_codes() -> dict[str, Any]:
    """The code sets and mappings of ``codes.toml`` (programs, race groups, suspension results)."""
    return _codes()


def read_calpads_extract(path: Path | str) -> CalpadsFile:
    """Read a CALPADS SENR, SINF, SELA, SPRG, STAS, SPED, SINC or SIRS file (input file or ODS
    extract) whole."""
    path = Path(path)
    encoding, first, repairs = first_line(path)
    layout, ods, reason = _identify(path, first)
    width = len(layout.fields) + (len(ODS_FIELDS) if ods else 0)
    check_field_counts(
        path,
        separator="^",
        quoted=False,
        width=width,
        header_width=None,
        repairs=repairs,
        encoding=encoding,
    )
    columns = layout.index_of()
    frame = pl.read_csv(
        utf8_source(path, encoding),
        separator="^",
        has_header=False,
        infer_schema=False,
        quote_char=None,
        columns=sorted(columns.values()),
        truncate_ragged_lines=True,
        empty_string_is_null=False,
    )
    by_index = dict(zip(sorted(columns.values()), frame.columns, strict=True))
    named = frame.select(pl.col(by_index[i]).alias(name) for name, i in columns.items())
    records = stripped(named).select(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("line"), pl.all()
    )
    widths: dict[str, int | None] = {f.reads_as: f.width for f in layout.fields if f.width}
    records = repaired_columns(records, widths, set(), _REPAIR_WORDS, repairs)
    records = rewritten_dates(records, layout.dates(), COMPACT_DATE, repairs)
    _check_values(path, layout, records)
    year = pl.col("academic_year").str.slice(5, 4).cast(pl.Int32, strict=False)
    return CalpadsFile(path, layout, ods, reason, records.with_columns(year.alias("year")), repairs)


def _identify(path: Path, first: str) -> tuple[CalpadsLayout, bool, str]:
    code = first.split("^", 1)[0].strip()
    ods = code.endswith(ODS_SUFFIX)
    record_type = code.removesuffix(ODS_SUFFIX)
    candidates = [v for v in calpads_variants().values() if v.record_type == record_type]
    if "^" not in first or not candidates:
        known = ", ".join(calpads_layouts())
        raise UnknownLayoutError(
            path,
            "is not a CALPADS extract Continuum reads: its first field is not a record type "
            f"code ({known}, with -R in an ODS extract)",
            line=1,
        )
    kind = "ODS extract" if ods else "input file"
    extra = len(ODS_FIELDS) if ods else 0
    count = first.count("^") + 1
    # The widest layout the first record fills (more fields are a spreadsheet's extra empty ones,
    # checked on every line) whose grade, where it has one, is a grade code: a Data Guide SENR
    # with an extra empty field has the 40 fields of the 2021-2025 numbering, but its field 1.25
    # is the exit date. Failing that, the record type's own layout.
    values = [v.strip() for v in first.split("^")]
    fitting = sorted((v for v in candidates if len(v.fields) + extra <= count), key=_width)
    graded = [v for v in fitting if _grade_fits(v, values)]
    layout = graded[-1] if graded else fitting[-1] if fitting else candidates[0]
    fields = len(layout.fields) + extra
    numbering = f", {layout.numbering}" if layout.numbering else ""
    if len(candidates) > 1 and not layout.numbering:
        numbering = ", the CALPADS Data Guide v11 numbering"
    return (
        layout,
        ods,
        f"its record type is {code} ({layout.label}, {kind}): {fields} caret-delimited "
        f"fields{numbering}",
    )


def _width(layout: CalpadsLayout) -> int:
    return len(layout.fields)


GRADE_CODE = r"^(\d{1,2}(\.0)?|IN|TD|PS|TK|KN|UE|US|AD)$"  # CALPADS grade level codes


def _grade_fits(layout: CalpadsLayout, values: list[str]) -> bool:
    """The layout has no grade, or a grade code where it reads the grade."""
    at = layout.index_of().get("grade")
    return at is None or (at < len(values) and re.match(GRADE_CODE, values[at]) is not None)


def _check_values(path: Path, layout: CalpadsLayout, records: pl.DataFrame) -> None:
    codes = _codes()["codes"]
    names = {f.reads_as: f"{f.number} {f.name}" for f in layout.fields if f.reads_as}
    checks: list[tuple[str, pl.Expr, str, bool]] = [
        ("ssid", pl.col("ssid").str.contains(r"^\d{10}$").not_(), "is not a 10-digit SSID", False),
        ("lea", pl.col("lea").str.contains(r"^\d{7}$").not_(), "is not a 7-digit CD code", True),
        (
            "school",
            pl.col("school").str.contains(r"^\d{7}$").not_(),
            "is not a 7-digit school code",
            True,
        ),
        (
            "academic_year",
            pl.col("academic_year").str.contains(r"^\d{4}-\d{4}$").not_(),
            "is not an academic year (YYYY-YYYY)",
            True,
        ),
    ]
    required = set(_codes()["required_dates"])
    for name in layout.dates():
        real = pl.col(name).str.to_date("%Y-%m-%d", strict=False).is_not_null()
        wrong = (pl.col(name).str.contains(ISO_DATE) & real).not_()  # 2025-31-31 is no date
        if name not in required:
            wrong = wrong & (pl.col(name) != "")
        checks.append((name, wrong, "is not a date (CCYYMMDD)", True))
    blank_ok = set(_codes()["blank_codes"])
    patterns = _codes()["patterns"]
    for name in names:
        base = re.sub(r"_\d$", "", name)
        if base in codes:
            allowed = list(codes[base])
            wrong = pl.col(name).is_in(allowed).not_()
            words = f"is not one of {', '.join(allowed)}"
        elif base in patterns:
            wrong = pl.col(name).str.contains(patterns[base]["regex"]).not_()
            words = patterns[base]["words"]
        else:
            continue
        if base in blank_ok:
            wrong = wrong & (pl.col(name) != "")
        checks.append((name, wrong, words, True))
    for name, wrong, words, quote in checks:
        if name not in records.columns:
            continue
        bad = records.filter(wrong)
        if bad.height:
            row = bad.row(0, named=True)
            shown = f" ({excerpt(row[name])})" if quote else ""
            raise InputError(path, f"{words}{shown}", line=int(row["line"]), column=names[name])
