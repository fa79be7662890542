"""What spreadsheets and editors do to delimited student files, undone and counted: records with
extra empty fields, CRLF line ends, leading zeros dropped from codes, dates rewritten. Shared by
the TOMS and CALPADS readers, which report every repair with its count."""

from __future__ import annotations

import csv
import io
import mmap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from continuum.errors import InputError
from continuum.formats.text import UTF8_BOM, open_text, text_encoding

ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
US_DATE = r"^(\d{1,2})/(\d{1,2})/(\d{4})$"  # 5/13/2025: what US spreadsheets write
DAY_FIRST_DATE = r"^(\d{1,2})-(\d{1,2})-(\d{4})$"  # 13-05-2025: seen in re-saved TOMS files
COMPACT_DATE = r"^(\d{4})(\d{2})(\d{2})$"  # 20250513: CALPADS's CCYYMMDD
SPREADSHEET_NUMBER = r"^(\d+)\.0+$"  # 3.0: a number a spreadsheet reformatted
FIELD_COUNT_CHUNK = 1 << 23
NEWLINE, CR = 0x0A, 0x0D


def first_line(path: Path) -> tuple[str, str, dict[str, int]]:
    """A delimited student file's encoding, its first line as text (no byte-order mark, no line
    end) and the repairs made so far (a byte-order mark removed), for its reader to add to."""
    encoding = text_encoding(path)
    repairs = {"byte-order mark removed": 1} if encoding == UTF8_BOM else {}
    with path.open("rb") as handle:
        line = handle.readline().decode(encoding).lstrip("\ufeff").rstrip("\r\n")
    return encoding, line, repairs


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
        with path.open("rb") as raw:
            header_end = 0
            if header_width is not None:
                header = raw.readline()
                crlf += header.endswith(b"\r\n")
                header_end = len(header)
        extra, crlf_records = _unquoted_field_counts(
            path, separator.encode("ascii")[0], width, header_end, first, what
        )
        crlf += crlf_records
    if header_width is not None and header_width > width:
        repairs["trailing empty header columns ignored"] = header_width - width
    if extra:
        repairs["trailing empty columns removed"] = extra
    if quoted:
        with path.open("rb") as raw:
            crlf = sum(1 for line in raw if line.endswith(b"\r\n"))
    if crlf:
        repairs["Windows line ends (CRLF) read"] = crlf


def _unquoted_field_counts(
    path: Path, mark: int, width: int, start: int, first: int, what: str
) -> tuple[int, int]:
    """Check the field count of every line of ``path`` after byte ``start`` (the first is line
    ``first``); return how many lines had extra empty fields and how many end in CRLF.

    NumPy counts separators per line over a memory map, a chunk of whole lines at a time (a
    Python loop over the 3 million lines of a statewide file took most of its read); only the
    lines whose count is off are looked at one by one."""
    if path.stat().st_size <= start:
        return 0, 0
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
        # The arrays pointing into the map live only inside the call: the map can then close.
        extra, crlf, problem = _count_fields(
            np.frombuffer(view, dtype=np.uint8), mark, width, start
        )
    if problem is not None:
        index, count = problem
        message = (
            f"has {count} fields where {what} {width}"
            if count
            else f"has a line longer than {FIELD_COUNT_CHUNK >> 20} MB"
        )
        raise InputError(path, message, line=first + index)
    return extra, crlf


def _count_fields(
    octets: np.ndarray[Any, np.dtype[np.uint8]], mark: int, width: int, start: int
) -> tuple[int, int, tuple[int, int] | None]:
    """(lines with extra empty fields, CRLF lines, the first bad line as (index from the start,
    field count; 0 for a line too long to check) or None)."""
    extra = crlf = lines = 0
    # Reused for every chunk: on some machines fresh pages cost more than the comparisons.
    marks = np.empty(FIELD_COUNT_CHUNK, dtype=np.bool_)
    newlines = np.empty(FIELD_COUNT_CHUNK, dtype=np.bool_)
    while start < octets.size:
        chunk = octets[start : start + FIELD_COUNT_CHUNK]
        ends = np.flatnonzero(np.equal(chunk, NEWLINE, out=newlines[: chunk.size]))
        if start + chunk.size < octets.size:
            if ends.size == 0:
                return extra, crlf, (lines, 0)
            chunk = chunk[: ends[-1] + 1]
        elif chunk[-1] != NEWLINE:  # the last line has no line end
            ends = np.append(ends, chunk.size)
        begins = np.concatenate(([0], ends[:-1] + 1))
        lengths = ends - begins
        # Separators from each line's start to the next's (a line end is not one), summed as
        # 16-bit counts (four times faster than 64-bit) when no line is long enough to overflow.
        separators = np.equal(chunk, mark, out=marks[: chunk.size]).view(np.uint8)
        total = np.uint16 if int(lengths.max()) < 1 << 16 else np.int64
        counts = np.add.reduceat(separators, begins, dtype=total).astype(np.int64) + 1
        is_crlf = (ends < chunk.size) & (lengths > 0) & (chunk[np.maximum(ends - 1, 0)] == CR)
        crlf += int(np.count_nonzero(is_crlf))
        blank = lengths - is_crlf == 0
        for index in np.flatnonzero((counts != width) & ~blank):
            fields = bytes(chunk[begins[index] : ends[index]]).rstrip(b"\r\n").split(bytes([mark]))
            if len(fields) > width and _empty(fields[width:]):
                extra += 1
                continue
            return extra, crlf, (lines + int(index), len(fields))
        lines += ends.size
        start += chunk.size
    return extra, crlf, None


def stripped(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame``'s text columns without surrounding white space: only the columns that have
    any are rewritten (a regular-expression test costs a fraction of stripping every value)."""
    padded = frame.select(pl.all().str.contains(r"^\s|\s$").any()).row(0, named=True)
    return frame.with_columns(pl.col(name).str.strip_chars() for name, has in padded.items() if has)


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


def _may_need_repair(column: pl.Expr, width: int | None, *, date: bool) -> pl.Expr:
    """False only where the value is surely left as it is: by :func:`iso_dates` (``date``) or
    :func:`restored` (``width`` digits, or None)."""
    if date:
        return (column != "") & column.str.contains(ISO_DATE).not_()
    spreadsheet_number = column.str.contains(".", literal=True)
    if width is None:
        return spreadsheet_number
    length = column.str.len_bytes()
    return spreadsheet_number | ((length > 0) & (length != width))


def repaired_columns(
    records: pl.DataFrame,
    widths: dict[str, int | None],
    dates: set[str],
    words: dict[str, str],
    repairs: dict[str, int],
) -> pl.DataFrame:
    """``records`` with each column in ``widths`` restored and each in ``dates`` made ISO; the
    number of values changed per column added to ``repairs`` under ``words[column]``."""
    present = {name: width for name, width in widths.items() if name in records.columns}
    # One cheap pass says which columns hold anything to repair: a clean file (the usual case)
    # then costs no regular expression over its millions of values.
    needs = (
        records.select(
            _may_need_repair(pl.col(name), width, date=name in dates).any().alias(name)
            for name, width in present.items()
        ).row(0, named=True)
        if present
        else {}
    )
    fixes = {
        name: iso_dates(pl.col(name)) if name in dates else restored(pl.col(name), width)
        for name, width in present.items()
        if needs[name]
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
