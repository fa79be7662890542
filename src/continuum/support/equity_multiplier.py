"""Equity Multiplier eligibility of school sites from their prior-year rates."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl

from continuum.errors import InputError, RuleError, excerpt
from continuum.support.rules import RULES_DIR

RULE_FILE = RULES_DIR / "equity_multiplier.toml"
INPUT_COLUMNS = ("cds", "nonstability_rate", "sed_rate")
NONCLASSROOM_COLUMN = "nonclassroom_based"
YES_NO = {"y": True, "yes": True, "n": False, "no": False}


@dataclass(frozen=True)
class EquityMultiplierRules:
    """The two thresholds a school must both exceed, and whether non-classroom-based charter
    schools are left out."""

    nonstability_rate_above: float
    sed_rate_above: float
    exclude_nonclassroom_based: bool


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
    exclude = data.get("exclude_nonclassroom_based")
    if not isinstance(exclude, bool):
        raise RuleError(path, "exclude_nonclassroom_based", "must be true or false")
    return EquityMultiplierRules(**values, exclude_nonclassroom_based=exclude)


def equity_multiplier_eligibility(
    rates: pl.DataFrame, source: Path | str = "rates table"
) -> pl.DataFrame:
    """Add ``eligible`` (bool) and ``Explanation`` to a table of cds, nonstability_rate, sed_rate
    and, optionally, nonclassroom_based (Y/N or Yes/No, any case; blank is N).

    Rates are the prior year's percentages. A school with either rate missing is not eligible,
    and the explanation says which rate is missing. A non-classroom-based charter school (Y) is
    not eligible whatever its rates. ``source`` names the table in error messages; a
    nonclassroom_based value other than Y/N is refused with its line (header = line 1).
    """
    rules = load_equity_multiplier_rules()
    frame = rates.rename({c: c.lower() for c in rates.columns})
    missing = [c for c in INPUT_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(source, f"missing column(s) {', '.join(missing)}", column=missing[0])
    nonclassroom = _nonclassroom_based(frame, source) & rules.exclude_nonclassroom_based
    frame = frame.with_columns(
        pl.col("nonstability_rate").cast(pl.Float64, strict=False),
        pl.col("sed_rate").cast(pl.Float64, strict=False),
    )
    ns_ok = pl.col("nonstability_rate") > rules.nonstability_rate_above
    sed_ok = pl.col("sed_rate") > rules.sed_rate_above
    eligible = (ns_ok & sed_ok).fill_null(False) & ~nonclassroom

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

    rates_words = pl.concat_str(
        [
            describe("nonstability_rate", "non-stability", rules.nonstability_rate_above),
            pl.lit("; "),
            describe("sed_rate", "socioeconomically disadvantaged", rules.sed_rate_above),
            pl.lit(" (both must be above)."),
        ]
    )
    explanation = (
        pl.when(nonclassroom)
        .then(
            pl.concat_str(
                pl.lit(
                    "Not eligible: a non-classroom-based charter school, which the Equity "
                    "Multiplier leaves out whatever its rates ("
                ),
                rates_words.str.strip_suffix("."),
                pl.lit(")."),
            )
        )
        .otherwise(
            pl.concat_str(
                pl.when(eligible).then(pl.lit("Eligible: ")).otherwise(pl.lit("Not eligible: ")),
                rates_words,
            )
        )
    )
    return frame.with_columns(eligible.alias("eligible"), explanation.alias("Explanation"))


def _nonclassroom_based(frame: pl.DataFrame, source: Path | str) -> pl.Expr:
    """True for rows marked Y; refuses a value other than Y/N/Yes/No (blank is N)."""
    if NONCLASSROOM_COLUMN not in frame.columns:
        return pl.lit(False)
    value = pl.col(NONCLASSROOM_COLUMN).cast(pl.String).str.strip_chars().str.to_lowercase()
    bad = frame.with_row_index("line", offset=2).filter(
        value.is_not_null() & (value != "") & ~value.is_in(list(YES_NO))
    )
    if bad.height:
        row = bad.row(0, named=True)
        raise InputError(
            source,
            f"{excerpt(row[NONCLASSROOM_COLUMN])} is not Y or N",
            line=int(row["line"]),
            column=NONCLASSROOM_COLUMN,
        )
    return value.replace_strict(YES_NO, default=False, return_dtype=pl.Boolean).fill_null(False)
