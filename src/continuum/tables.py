"""Reading and writing the plain tables (CSV or Parquet) that every command takes and gives."""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from continuum.errors import InputError, excerpt
from continuum.formats.text import open_text, utf8_source

TABLE_SUFFIXES = (".csv", ".parquet")
MISSING_VALUES = ["", "*"]


def check_output_path(path: Path | None) -> None:
    """Refuse, before any work is done, an output that could not be written."""
    if path is None:
        return
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise InputError(path, "the output must end in .csv or .parquet")
    if not path.parent.is_dir():
        raise InputError(path, f"the folder {path.parent} does not exist")


def write_table(table: pl.DataFrame, path: Path) -> None:
    """Write CSV or Parquet by the extension, through a temporary file beside ``path`` that is
    renamed at the end, so that ``path`` is never left half-written."""
    check_output_path(path)
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix
    )
    os.close(handle)
    try:
        if path.suffix.lower() == ".parquet":
            table.write_parquet(temporary)
        else:
            table.write_csv(temporary)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_table(path: Path | str) -> pl.DataFrame:
    """Read a CSV (every column as text; blanks and ``*`` missing) or a Parquet table."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such file")
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputError(path, "a table must end in .csv or .parquet")
    try:
        if suffix == ".parquet":
            return pl.read_parquet(path)
        return read_csv_text(path)
    except pl.exceptions.PolarsError as error:
        raise InputError(path, f"cannot read the table: {excerpt(error, 120)}") from error


def read_csv_text(path: Path) -> pl.DataFrame:
    """A CSV file in any encoding ``continuum.formats.text`` reads, every column as text; a row
    with more or fewer fields than the header is refused with its line."""
    try:
        frame = pl.read_csv(utf8_source(path), infer_schema_length=0, null_values=MISSING_VALUES)
    except pl.exceptions.ComputeError as error:
        ragged = _ragged_row(path)
        if ragged is None:
            raise
        raise ragged from error
    # Polars pads a short row with nulls: only a file whose last column has a null can hold one.
    if frame.width and frame.get_column(frame.columns[-1]).null_count():
        ragged = _ragged_row(path)
        if ragged is not None:
            raise ragged
    return frame


def csv_rows(path: Path, reader: Iterator[list[str]]) -> Iterator[list[str]]:
    """The rows of a ``csv`` reader, its errors (a field over the module's size limit, a stray
    quote) turned into InputError naming the line."""
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            line = getattr(reader, "line_num", None)
            raise InputError(path, f"cannot read the row: {excerpt(error, 120)}", line) from error
        yield fields


def _ragged_row(path: Path) -> InputError | None:
    """The first row whose field count differs from the header's (slow path)."""
    with open_text(path) as handle:
        reader = csv.reader(handle)
        width = len(next(reader, []))
        for fields in csv_rows(path, reader):
            if fields and len(fields) != width:
                return InputError(
                    path,
                    f"row has {len(fields)} fields but the header has {width}",
                    line=reader.line_num,
                )
    return None
