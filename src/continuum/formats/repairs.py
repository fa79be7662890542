"""What spreadsheets and editors do to delimited student files, undone and counted: records with
extra empty fields, CRLF line ends, leading zeros dropped from codes, dates rewritten. Shared by
the TOMS and CALPADS readers, which report every repair with its count."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
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
    encoding: str | None = None,
) -> None:
    """Every record of ``path`` has ``width`` fields (extra empty ones are a spreadsheet's, and
    counted as a repair); ``header_width`` is the header's own count (None: no header). CRLF
    line ends are counted. ``encoding``: the file's, if known."""
    extra = 0
    what = "the header has" if header_width is not None else "the layout has"
    first = 2 if header_width is not None else 1
    crlf = 0
    if quoted:
        with open_text(path, encoding) as handle:
            if header_width is not None:
                handle.readline()
            rows = enumerate(csv.reader(handle, delimiter=separator), start=first)
            for number, row in rows:
                if len(row) != width and not (len(row) > width and _empty(row[width:])):
                    raise InputError(
                        path, f"has {len(row)} fields where {what} {width}", line=number
                    )
                extra += len(row) > width
    else:
        # Bytes, not text: the separator and line ends are ASCII in every encoding read here.
        mark = separator.encode("ascii")
        with path.open("rb") as raw:
            if header_width is not None:
                crlf += raw.readline().endswith(b"\r\n")
            for number, line in enumerate(raw, start=first):
                crlf += line.endswith(b"\r\n")
                count = line.count(mark) + 1
                if count == width or not line.strip(b"\r\n"):
                    continue
                if count > width and _empty(line.rstrip(b"\r\n").split(mark)[width:]):
                    extra += 1
                    continue
                raise InputError(path, f"has {count} fields where {what} {width}", line=number)
    if header_width is not None and header_width > width:
        repairs["trailing empty header columns ignored"] = header_width - width
    if extra:
        repairs["trailing empty columns removed"] = extra
    if quoted:
        with path.open("rb") as raw:
            crlf = sum(1 for line in raw if line.endswith(b"\r\n"))
    if crlf:
        repairs["Windows line ends (CRLF) read"] = crlf


def _empty(values: Sequence[str] | Sequence[bytes]) -> bool:
    return not any(value.strip() for value in values)


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
    repaired = records.with_columns(expr.alias(name) for name, expr in fixes.items())
    for name in fixes:
        count = int((repaired.get_column(name) != records.get_column(name)).sum())
        if count:
            repairs[words.get(name, f"{name} rewritten by a spreadsheet restored")] = count
    return repaired


def rewritten_dates(
    records: pl.DataFrame, names: Sequence[str], native: str, repairs: dict[str, int]
) -> pl.DataFrame:
    """``records`` with the date columns ``names`` made YYYY-MM-DD; the values not in the
    file's ``native`` form (a pattern: ``COMPACT_DATE`` for CALPADS extracts, ``US_DATE`` for
    its reports) that a spreadsheet rewrote are counted in ``repairs``."""
    present = [name for name in names if name in records.columns]
    if not present:
        return records
    rewritten = records.select(
        ((pl.col(n) != "") & pl.col(n).str.contains(native).not_()
         & (iso_dates(pl.col(n)) != pl.col(n))).sum().alias(n)
        for n in present
    )  # fmt: skip
    count = sum(int(rewritten.item(0, n) or 0) for n in present)
    if count:
        repairs["dates rewritten by a spreadsheet restored"] = count
    return records.with_columns(iso_dates(pl.col(n)).alias(n) for n in present)


def read_columns(
    source: Path | io.BytesIO,
    columns: dict[str, int],
    *,
    separator: str,
    has_header: bool,
    quoted: bool,
) -> pl.DataFrame:
    """The ``columns`` (name → 0-based index) of a delimited file as stripped text, with
    ``line``, each record's line in the file (the header is line 1)."""
    indices = sorted(columns.values())
    frame = pl.read_csv(
        source,
        separator=separator,
        has_header=has_header,
        infer_schema=False,
        quote_char='"' if quoted else None,
        columns=indices,
        truncate_ragged_lines=True,
        empty_string_is_null=False,
    )
    by_index = dict(zip(indices, frame.columns, strict=True))
    first = 2 if has_header else 1
    return frame.select(
        pl.int_range(first, pl.len() + first, dtype=pl.Int64).alias("line"),
        *(pl.col(by_index[i]).str.strip_chars().alias(name) for name, i in columns.items()),
    )
