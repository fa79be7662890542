"""Build small frames shaped like ``read_dashboard_files`` output, for unit tests."""

from __future__ import annotations

from typing import Any

import polars as pl

from continuum.dashboard.files import OUTPUT_COLUMNS, OUTPUT_SCHEMA
from continuum.dashboard.levels import compute_levels


def row(**values: Any) -> dict[str, Any]:
    """One input row with sensible defaults: a school's ALL group, 2025, large denominators."""
    defaults: dict[str, Any] = {
        "cds": "01611190130229",
        "rtype": "S",
        "studentgroup": "ALL",
        "indicator": "ELA",
        "reportingyear": 2025,
        "currdenom": 500.0,
        "priordenom": 500.0,
        "currstatus": 0.0,
        "priorstatus": 0.0,
        "change": 0.0,
        "source_file": "test",
        "source_line": 2,
    }
    defaults.update(values)
    return defaults


def frame(*rows: dict[str, Any]) -> pl.DataFrame:
    """A frame with the reader's full schema from a few rows."""
    filled = [{column: r.get(column) for column in OUTPUT_COLUMNS} for r in rows]
    return pl.DataFrame(filled, schema=OUTPUT_SCHEMA)


def levels(*rows: dict[str, Any]) -> list[dict[str, Any]]:
    """compute_levels over the rows, as dicts."""
    return compute_levels(frame(*rows)).to_dicts()


def one(**values: Any) -> dict[str, Any]:
    """compute_levels over a single row built by ``row``."""
    return levels(row(**values))[0]
