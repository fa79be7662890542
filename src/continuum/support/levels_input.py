"""The support engine's input: a Dashboard levels table, checked and normalised.

A levels table has one row per (cds, studentgroup, indicator, reportingyear) with CDE's level
codes; it is what ``continuum dashboard levels`` writes and what
``continuum.dashboard.levels.compute_levels`` returns.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import polars as pl

from continuum.dashboard.files import read_dashboard_files
from continuum.dashboard.levels import compute_levels, levels_table
from continuum.errors import InputError, excerpt
from continuum.tables import read_table

REQUIRED_COLUMNS: dict[str, pl.DataType] = {
    "cds": pl.String(),
    "rtype": pl.String(),
    "studentgroup": pl.String(),
    "indicator": pl.String(),
    "reportingyear": pl.Int32(),
    "currdenom": pl.Float64(),
    "statuslevel": pl.Int8(),
    "color": pl.Int8(),
}
OPTIONAL_COLUMNS: dict[str, pl.DataType] = {
    "schoolname": pl.String(),
    "districtname": pl.String(),
    "countyname": pl.String(),
    "charter_flag": pl.String(),
    "coe_flag": pl.String(),
    "priordenom": pl.Float64(),
    "currstatus": pl.Float64(),
    "change": pl.Float64(),
    "changelevel": pl.Int8(),
}
LEVEL_COLUMNS = ("statuslevel", "changelevel", "color")


def normalise_levels(frame: pl.DataFrame, source: str = "levels table") -> pl.DataFrame:
    """Check the columns the engine needs and give every column its expected type.

    Column names are matched without regard to case; missing optional columns become nulls.
    """
    frame = frame.rename({c: c.lower() for c in frame.columns})
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(
            source, f"missing column(s) {', '.join(missing)}", line=1, column=missing[0]
        )
    columns = []
    for name, dtype in {**REQUIRED_COLUMNS, **OPTIONAL_COLUMNS}.items():
        if name in frame.columns:
            columns.append(pl.col(name).cast(dtype, strict=False))
        else:
            columns.append(pl.lit(None, dtype=dtype).alias(name))
    typed = frame.select(columns).with_columns(pl.col(c).fill_null(0) for c in LEVEL_COLUMNS)
    bad = typed.filter(pl.col("cds").str.len_chars() != 14)
    if bad.height:
        raise InputError(
            source, f"cds {excerpt(bad.item(0, 'cds'))} is not 14 characters", column="cds"
        )
    return typed


def read_levels_table(path: Path | str) -> pl.DataFrame:
    """Read a levels table written by ``continuum dashboard levels`` (CSV or Parquet)."""
    return normalise_levels(read_table(path), str(path))


def dashboard_directory_files(directory: Path | str) -> list[Path]:
    """The CDE download files (``*download*.txt``) in one directory."""
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError(directory, "is not a directory of Dashboard download files")
    files = sorted(p for p in directory.iterdir() if "download" in p.name.lower())
    if not files:
        raise InputError(directory, "holds no CDE download files (names like eladownload2023.txt)")
    return files


def levels_from_dashboard_files(
    paths: Iterable[Path | str], *, use_published_levels: bool = False
) -> pl.DataFrame:
    """Read CDE download files and compute their levels with the Dashboard engine.

    With ``use_published_levels`` the levels CDE printed in the files are used instead, which
    lets a user check a determination against CDE's own colours.
    """
    frame = read_dashboard_files(paths)
    if use_published_levels:
        published = frame.rename(
            {f"published_{c}": c for c in ("statuslevel", "changelevel", "color", "box")}
        )
        return normalise_levels(published)
    computed = compute_levels(frame)
    # The county name is not a levels-table column, but CDE's lists of schools carry it.
    return normalise_levels(levels_table(computed).with_columns(computed.get_column("countyname")))
