"""Equity Multiplier eligibility of school sites from their prior-year rates."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl

from continuum.errors import InputError, RuleError
from continuum.support.rules import RULES_DIR

RULE_FILE = RULES_DIR / "equity_multiplier.toml"
INPUT_COLUMNS = ("cds", "nonstability_rate", "sed_rate")


@dataclass(frozen=True)
class EquityMultiplierRules:
    """The two thresholds a school must both exceed."""

    nonstability_rate_above: float
    sed_rate_above: float


@cache
def load_equity_multiplier_rules(path: Path = RULE_FILE) -> EquityMultiplierRules:
    """Load and check the thresholds (percentages between 0 and 100)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    values = {}
    for key in ("nonstability_rate_above", "sed_rate_above"):
        value = data.get(key)
        if not isinstance(value, int | float) or not 0 <= value <= 100:
            raise RuleError(path, key, "must be a percentage between 0 and 100")
        values[key] = float(value)
    return EquityMultiplierRules(**values)


def equity_multiplier_eligibility(rates: pl.DataFrame) -> pl.DataFrame:
    """Add ``eligible`` (bool) and ``Explanation`` to a table of cds, nonstability_rate, sed_rate.

    Rates are the prior year's percentages. A school with either rate missing is not eligible,
    and the explanation says which rate is missing.
    """
    rules = load_equity_multiplier_rules()
    frame = rates.rename({c: c.lower() for c in rates.columns})
    missing = [c for c in INPUT_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(
            "rates table", f"missing column(s) {', '.join(missing)}", column=missing[0]
        )
    frame = frame.with_columns(
        pl.col("nonstability_rate").cast(pl.Float64, strict=False),
        pl.col("sed_rate").cast(pl.Float64, strict=False),
    )
    ns_ok = pl.col("nonstability_rate") > rules.nonstability_rate_above
    sed_ok = pl.col("sed_rate") > rules.sed_rate_above
    eligible = (ns_ok & sed_ok).fill_null(False)

    def describe(column: str, label: str, limit: float) -> pl.Expr:
        value = pl.col(column)
        return (
            pl.when(value.is_null())
            .then(pl.lit(f"{label} rate missing"))
            .otherwise(
                pl.format(
                    "{} rate {}% {} {}%",
                    pl.lit(label),
                    value.round(1),
                    pl.when(value > limit)
                    .then(pl.lit("is above"))
                    .otherwise(pl.lit("is not above")),
                    pl.lit(limit),
                )
            )
        )

    explanation = pl.concat_str(
        [
            pl.when(eligible).then(pl.lit("Eligible: ")).otherwise(pl.lit("Not eligible: ")),
            describe("nonstability_rate", "non-stability", rules.nonstability_rate_above),
            pl.lit("; "),
            describe("sed_rate", "socioeconomically disadvantaged", rules.sed_rate_above),
            pl.lit(" (both must be above)."),
        ]
    )
    return frame.with_columns(eligible.alias("eligible"), explanation.alias("Explanation"))
