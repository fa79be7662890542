"""Small levels tables for unit tests: one dict per indicator result, sensible defaults."""

from __future__ import annotations

from typing import Any

import polars as pl

from continuum.support.levels_input import normalise_levels

DISTRICT = "27000000000001"
OTHER_DISTRICT = "27000000000002"
COE = "27100000000000"
CHARTER = "27000001234567"
COLORS = {"Red": 1, "Orange": 2, "Yellow": 3, "Green": 4, "Blue": 5}


def result(
    indicator: str,
    *,
    group: str = "SWD",
    color: str | None = None,
    statuslevel: int = 0,
    n: float = 100,
    year: int = 2023,
    cds: str = DISTRICT,
) -> dict[str, Any]:
    """One row of a levels table; a colour implies status level 1 unless one is given."""
    rtype = "S" if cds == CHARTER else "D"
    level = statuslevel or (1 if color else 0)
    return {
        "cds": cds,
        "rtype": rtype,
        "districtname": "Test District",
        "schoolname": "Test Charter" if rtype == "S" else None,
        "charter_flag": "Y" if rtype == "S" else None,
        "coe_flag": None,
        "studentgroup": group,
        "indicator": indicator,
        "reportingyear": year,
        "currdenom": n,
        "priordenom": n,
        "currstatus": -50.0,
        "change": -1.0,
        "statuslevel": level,
        "changelevel": 2 if color else 0,
        "color": COLORS[color] if color else 0,
    }


def table(*rows: dict[str, Any]) -> pl.DataFrame:
    """A normalised levels table from result() rows."""
    return normalise_levels(pl.DataFrame(list(rows)))
