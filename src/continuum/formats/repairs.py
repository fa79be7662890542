"""What spreadsheets and editors do to delimited student files, undone and counted: records with
extra empty fields, CRLF line ends, leading zeros dropped from codes, dates rewritten. Shared by
the TOMS and CALPADS readers, which report every repair with its count."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from continuum.errors import InputError
from continuum.formats.text import open_text

ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
US_DATE = r"^(\d{1,2})/(\d{1,2})/(\d{4})$"  # 5/13/2025: what US spreadsheets write
DAY_FIRST_DATE = r"^(\d{1,2})-(\d{1,2})-(\d{4})$"  # 13-05-2025: seen in re-saved TOMS files
COMPACT_DATE = r"^(\d{4})(\d{2})(\d{2})$"  # 20250513: CALPADS's CCYYMMDD
SPREADSHEET_NUMBER = r"^(\d+)\.0+$"  # 3.0: a number a spreadsheet reformatted


def check_field_counts(
    path: Path,
    *,
    separator: str,
    quoted: bool,
    width: int,
    header_width: int | None,
    repairs: dict[str, int],
) -> None:
    """Every record of ``path`` has ``width`` fields (extra empty ones are a spreadsheet's, and
    counted as a repair); ``header_width`` is the header's own count (None: no header). CRLF
    line ends are counted."""
    extra = 0
    what = "the header has" if header_width is not None else "the layout has"
    with open_text(path) as handle:
        rows: Iterator[list[str]]
        if quoted:
            rows = csv.reader(handle, delimiter=separator)
        else:
            rows = (line.rstrip("\r\n").split(separator) for line in handle if line.strip("\r\n"))
        first = 1
        if header_width is not None:
            next(rows, None)
            first = 2
        for number, row in enumerate(rows, start=first):
            if len(row) == width:
                continue
            if len(row) > width and not any(value.strip() for value in row[width:]):
                extra += 1
                continue
            raise InputError(path, f"has {len(row)} fields where {what} {width}", line=number)
    if header_width is not None and header_width > width:
        repairs["trailing empty header columns ignored"] = header_width - width
    if extra:
        repairs["trailing empty columns removed"] = extra
    with path.open("rb") as raw:
        crlf = sum(1 for line in raw if line.endswith(b"\r\n"))
    if crlf:
        repairs["Windows line ends (CRLF) read"] = crlf


def _ymd(parts: pl.Expr, year: str, month: str, day: str) -> pl.Expr:
    return pl.concat_str(
        parts.struct.field(year),
        pl.lit("-"),
        parts.struct.field(month).str.zfill(2),
        pl.lit("-"),
        parts.struct.field(day).str.zfill(2),
    )


def iso_dates(column: pl.Expr) -> pl.Expr:
    """Dates written M/D/YYYY, D-M-YYYY or YYYYMMDD as YYYY-MM-DD; anything else unchanged."""
    return (
        pl.when(column.str.contains(US_DATE))
        .then(_ymd(column.str.extract_groups(US_DATE), "3", "1", "2"))
        .when(column.str.contains(DAY_FIRST_DATE))
        .then(_ymd(column.str.extract_groups(DAY_FIRST_DATE), "3", "2", "1"))
        .when(column.str.contains(COMPACT_DATE))
        .then(_ymd(column.str.extract_groups(COMPACT_DATE), "1", "2", "3"))
        .otherwise(column)
    )


def restored(column: pl.Expr, width: int | None) -> pl.Expr:
    """``3.0`` as ``3``, then, with a ``width``, leading zeros put back on a number (``3`` as
    ``03``)."""
    cleaned = column.str.replace(SPREADSHEET_NUMBER, "$1")
    if width is None:
        return cleaned
    return pl.when(cleaned.str.contains(r"^\d+$")).then(cleaned.str.zfill(width)).otherwise(cleaned)


def repaired_columns(
    records: pl.DataFrame,
    widths: dict[str, int | None],
    dates: set[str],
    words: dict[str, str],
    repairs: dict[str, int],
) -> pl.DataFrame:
    """``records`` with each column in ``widths`` restored and each in ``dates`` made ISO; the
    number of values changed per column added to ``repairs`` under ``words[column]``."""
    fixes = {
        name: iso_dates(pl.col(name)) if name in dates else restored(pl.col(name), width)
        for name, width in widths.items()
        if name in records.columns
    }
    changed = records.select(
        (expr != pl.col(name)).sum().alias(name) for name, expr in fixes.items()
    )
    for name in fixes:
        count = int(changed.item(0, name) or 0)
        if count:
            repairs[words.get(name, f"{name} rewritten by a spreadsheet restored")] = count
    return records.with_columns(expr.alias(name) for name, expr in fixes.items())
