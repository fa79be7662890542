"""Small school levels tables for ESSA tests: one school, results by year, group and colour."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from continuum.support.essa import EssaRules, determine_essa
from tests.support.levels_rows import result, table

SCHOOL = "27000000000009"


def school_result(indicator: str, year: int = 2023, **kwargs: Any) -> dict[str, Any]:
    row = result(indicator, year=year, **kwargs)
    return row | {"cds": SCHOOL, "rtype": "S", "schoolname": "Test School"}


def red(year: int, group: str = "ALL", indicators: Sequence[str] = ("ELA", "MATH")) -> list[Any]:
    """The group Red on each indicator: meets 'every indicator at the lowest level'."""
    return [school_result(i, year, group=group, color="Red") for i in indicators]


def green(year: int, group: str = "ALL", indicators: Sequence[str] = ("ELA", "MATH")) -> list[Any]:
    """The group Green on each indicator: meets no pattern."""
    return [school_result(i, year, group=group, color="Green", statuslevel=4) for i in indicators]


def grad(year: int, rate: float, n: float = 100) -> dict[str, Any]:
    row = school_result("GRAD", year, group="ALL", statuslevel=3)
    return row | {"currstatus": rate, "currdenom": n}


def prior_frame(status: str | None, groups: Sequence[str] = (), *, flags: bool = True) -> Any:
    """Last year's statuses of the school, with 0/1 columns AA … WH unless ``flags`` is off."""
    data: dict[str, list[Any]] = {"cds": [SCHOOL], "status": [status]}
    if flags:
        for column in ("AA", "AS", "EL", "HI", "SED", "SWD", "TOM", "WH"):
            data[column] = [1 if column in groups else 0]
    return pl.DataFrame(data, schema_overrides={"status": pl.String})


def determine_row(
    year: int,
    rows: Sequence[dict[str, Any]],
    *,
    prior: pl.DataFrame | None,
    title_i: str | None = "Yes",
    dass: str = "No",
    rules: EssaRules | None = None,
) -> dict[str, Any]:
    levels = table(*rows)
    by_year = {
        int(y): levels.filter(pl.col("reportingyear") == y)
        for y in levels["reportingyear"].unique().to_list()
    }
    schools = pl.DataFrame(
        {"cds": [SCHOOL], "title_i": [title_i], "dass": [dass]},
        schema={"cds": pl.String, "title_i": pl.String, "dass": pl.String},
    )
    outcome = determine_essa(by_year, year, schools=schools, prior_status=prior, rules=rules)
    return outcome.table.row(0, named=True)
