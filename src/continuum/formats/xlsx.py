"""Checking an Excel workbook (.xlsx) before anything parses it.

The parser (calamine, through fastexcel and Polars) holds a whole sheet in memory, sized by the
cells the sheet spans: a 5 KB file with two cells a million rows apart, or one whose XML expands
a thousandfold, would take the process down. :func:`check_workbook` reads the zip's directory and
streams each sheet's XML once, with bounded memory, and refuses a workbook past any limit.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from continuum.errors import InputError

MEGABYTE = 1 << 20
CHUNK = 1 << 20
# A cell or row reference (r="XFD1048576" or r="12"), and a sheet's declared extent.
CELL_COLUMN = re.compile(rb'\sr="([A-Z]{1,3})\d')
ROW_NUMBER = re.compile(rb'\sr="[A-Z]{0,3}(\d{1,7})"')
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="(?:[A-Z]{1,3}\d{1,7}:)?([A-Z]{1,3})(\d{1,7})"')
ROW_START = re.compile(rb"<(?:\w+:)?row[\s>/]")
# Longest pattern above, kept from one chunk to the next so no match is cut in two.
OVERLAP = 64
SHEET_MEMBER = re.compile(r"^xl/worksheets/[^/]+\.xml$")
NOT_A_WORKBOOK = "is not a text file or workbook"


@dataclass(frozen=True)
class WorkbookLimits:
    """What an accepted workbook may hold; the defaults take CDE's largest statewide downloads
    (about 300,000 rows, 5 million cells) with room to spare."""

    max_rows: int = 1_000_000
    max_cells: int = 10_000_000
    max_uncompressed_mb: int = 500
    # Sheet XML of real workbooks compresses 5–30 times; a zip bomb, thousands of times.
    max_compression_ratio: int = 200


DEFAULT_LIMITS = WorkbookLimits()
# The limits a reader uses when its caller names none: the defaults, or what the web platform's
# settings (CONTINUUM_XLSX_*) configure at start-up, so every import path of a process agrees.
_configured = [DEFAULT_LIMITS]


def workbook_limits_configure(limits: WorkbookLimits) -> None:
    """Make ``limits`` the process's limits for readers not given any."""
    _configured[0] = limits


def workbook_limits() -> WorkbookLimits:
    """The process's limits (see :func:`workbook_limits_configure`)."""
    return _configured[0]


@dataclass(frozen=True)
class SheetExtent:
    """How far one sheet reaches: its last row and column (1-based) and its row elements."""

    rows: int
    columns: int
    row_elements: int


def check_workbook(path: Path, limits: WorkbookLimits | None = None) -> None:
    """Refuse, with InputError, a file that is not an .xlsx workbook or is past ``limits`` (by
    default the process's, :func:`workbook_limits`)."""
    limits = limits or workbook_limits()
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise InputError(path, f"{NOT_A_WORKBOOK} (a zip file without a workbook in it)")
            _check_sizes(path, members, limits)
            for member in members:
                if SHEET_MEMBER.match(member.filename):
                    _check_extent(path, member.filename, _sheet_extent(archive, member), limits)
    except zipfile.BadZipFile as error:
        raise InputError(path, f"{NOT_A_WORKBOOK} (not a complete .xlsx file)") from error
    # zipfile raises NotImplementedError for a compression method it cannot read (e.g. LZMA
    # variants some tools write): the file is refused like any other unreadable workbook.
    except (OSError, EOFError, zipfile.LargeZipFile, NotImplementedError) as error:
        raise InputError(path, f"cannot read the workbook: {error}") from error


def _check_sizes(path: Path, members: list[zipfile.ZipInfo], limits: WorkbookLimits) -> None:
    total = sum(member.file_size for member in members)
    if total > limits.max_uncompressed_mb * MEGABYTE:
        raise InputError(
            path,
            f"expands to {total // MEGABYTE:,} MB, more than the "
            f"{limits.max_uncompressed_mb:,} MB allowed (CONTINUUM_XLSX_MAX_UNCOMPRESSED_MB)",
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MEGABYTE and ratio > limits.max_compression_ratio:
            raise InputError(
                path,
                f"part {member.filename[:60]} expands {ratio:,.0f} times, more than the "
                f"{limits.max_compression_ratio:,} allowed (a zip bomb?)",
            )


def _sheet_extent(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> SheetExtent:
    """The sheet's declared dimension or the farthest cell it holds, whichever is larger.

    Streams the XML; the zip module stops at the declared size, so a member that lies about
    its size cannot make this read more than was checked."""
    rows = columns = row_elements = 0
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            window = tail + chunk
            row_elements += len(ROW_START.findall(window)) - len(ROW_START.findall(tail))
            # findall, set and map keep the per-cell work in C: a sheet of millions of cells
            # is scanned in about the time the parser takes.
            numbers = ROW_NUMBER.findall(window)
            letters = set(CELL_COLUMN.findall(window))
            for dimension_letters, dimension_rows in DIMENSION.findall(window):
                numbers.append(dimension_rows)
                letters.add(dimension_letters)
            if numbers:
                rows = max(rows, *map(int, numbers))
            if letters:
                columns = max(columns, *map(_column_number, letters))
            tail = window[-OVERLAP:]
    return SheetExtent(rows=rows, columns=max(columns, 1), row_elements=row_elements)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _check_extent(path: Path, name: str, extent: SheetExtent, limits: WorkbookLimits) -> None:
    sheet = name.rsplit("/", 1)[-1].removesuffix(".xml")
    rows = max(extent.rows, extent.row_elements)
    if rows > limits.max_rows:
        raise InputError(
            path,
            f"{sheet} reaches row {rows:,}, more than the {limits.max_rows:,} rows allowed "
            "(CONTINUUM_XLSX_MAX_ROWS)",
        )
    cells = rows * extent.columns
    if cells > limits.max_cells:
        raise InputError(
            path,
            f"{sheet} spans {rows:,} rows by {extent.columns:,} columns, more than the "
            f"{limits.max_cells:,} cells allowed (CONTINUUM_XLSX_MAX_CELLS)",
        )
