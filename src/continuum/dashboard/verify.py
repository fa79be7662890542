"""Compare the engine's levels with the levels CDE published in the same files."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from continuum.dashboard.levels import LEVEL_COLUMNS
from continuum.dashboard.rules import load_rules

EXCEPTION_SCHEMA = {
    "reportingyear": pl.Int32(),
    "exc_indicator": pl.String(),
    "exc_column": pl.String(),
    "exc_equals": pl.String(),
    "exception_id": pl.String(),
    "exception_reason": pl.String(),
}


@dataclass(frozen=True)
class Verification:
    """Agreement per indicator and year, and every row that disagrees."""

    summary: pl.DataFrame
    disagreements: pl.DataFrame

    @property
    def unexplained(self) -> pl.DataFrame:
        """Disagreements that no listed exception explains."""
        return self.disagreements.filter(pl.col("exception_id").is_null())


def verify_levels(computed: pl.DataFrame) -> Verification:
    """Check each published level column present in the files against the computed one."""
    mismatch = pl.any_horizontal(
        pl.col(f"published_{c}").is_not_null() & (pl.col(f"published_{c}") != pl.col(c))
        for c in LEVEL_COLUMNS
    )
    checked = computed.with_columns(mismatch.alias("disagrees")).pipe(_attach_exceptions)
    summary = (
        checked.group_by("reportingyear", "indicator")
        .agg(
            pl.len().alias("rows"),
            *(
                pl.col(f"published_{c}").is_not_null().sum().alias(f"{c}_checked")
                for c in LEVEL_COLUMNS
            ),
            *(
                (pl.col(f"published_{c}") == pl.col(c)).sum().alias(f"{c}_agree")
                for c in LEVEL_COLUMNS
            ),
            (pl.col("disagrees") & pl.col("exception_id").is_not_null()).sum().alias("explained"),
            (pl.col("disagrees") & pl.col("exception_id").is_null()).sum().alias("unexplained"),
        )
        .sort("reportingyear", "indicator")
    )
    disagreements = checked.filter(pl.col("disagrees")).select(
        "source_file",
        "source_line",
        "cds",
        "rtype",
        "studentgroup",
        "indicator",
        "reportingyear",
        *(col for c in LEVEL_COLUMNS for col in (f"published_{c}", c)),
        "explanation",
        "exception_id",
        "exception_reason",
    )
    return Verification(summary=summary, disagreements=disagreements)


def _attach_exceptions(frame: pl.DataFrame) -> pl.DataFrame:
    """Name the first listed exception of the row's year that matches the row, if any."""
    rows = [
        (year, e.indicator, e.column, e.equals, e.id, e.reason)
        for year in frame.get_column("reportingyear").unique().to_list()
        for e in load_rules(year).exceptions
    ]
    exceptions = pl.DataFrame(rows, schema=EXCEPTION_SCHEMA, orient="row")
    matched_id = pl.lit(None, pl.String)
    matched_reason = pl.lit(None, pl.String)
    for row in reversed(exceptions.rows(named=True)):
        column = pl.col(row["exc_column"])
        matches = (
            column.is_null()
            if row["exc_equals"] == ""
            else column.cast(pl.String).str.to_uppercase() == row["exc_equals"].upper()
        )
        applies = (pl.col("reportingyear") == row["reportingyear"]) & matches
        if row["exc_indicator"] is not None:
            applies &= pl.col("indicator") == row["exc_indicator"]
        applies = applies.fill_null(False)
        matched_id = pl.when(applies).then(pl.lit(row["exception_id"])).otherwise(matched_id)
        matched_reason = (
            pl.when(applies).then(pl.lit(row["exception_reason"])).otherwise(matched_reason)
        )
    return frame.with_columns(
        matched_id.alias("exception_id"), matched_reason.alias("exception_reason")
    )
