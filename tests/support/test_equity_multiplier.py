"""Equity Multiplier: both prior-year rates must exceed their thresholds."""

from __future__ import annotations

import polars as pl
import pytest

from continuum.errors import InputError
from continuum.support.equity_multiplier import equity_multiplier_eligibility


def eligible(nonstability: float | None, sed: float | None) -> tuple[bool, str]:
    rates = pl.DataFrame(
        {"CDS": ["27659616025985"], "NonStability_Rate": [nonstability], "SED_Rate": [sed]},
        schema={"CDS": pl.String, "NonStability_Rate": pl.Float64, "SED_Rate": pl.Float64},
    )
    row = equity_multiplier_eligibility(rates).row(0, named=True)
    return row["eligible"], row["Explanation"]


def test_a_school_above_both_thresholds_is_eligible() -> None:
    assert eligible(25.1, 70.1)[0] is True


@pytest.mark.parametrize(("nonstability", "sed"), [(25.0, 90.0), (40.0, 70.0), (10.0, 95.0)])
def test_a_rate_at_or_below_its_threshold_makes_a_school_ineligible(
    nonstability: float, sed: float
) -> None:
    assert eligible(nonstability, sed)[0] is False


def test_a_missing_rate_makes_a_school_ineligible_and_is_named() -> None:
    result, text = eligible(None, 80.0)
    assert result is False
    assert "non-stability rate missing" in text


def test_the_explanation_gives_both_rates_against_their_thresholds() -> None:
    text = eligible(31.0, 72.5)[1]
    assert text.startswith("Eligible: non-stability rate 31.0% is above 25.0%")
    assert "socioeconomically disadvantaged rate 72.5% is above 70.0%" in text


def test_a_table_without_the_rates_is_refused() -> None:
    with pytest.raises(InputError, match="nonstability_rate"):
        equity_multiplier_eligibility(pl.DataFrame({"cds": ["27659616025985"]}))


def with_nonclassroom(values: list[str | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "cds": [f"2765961602598{n}" for n in range(len(values))],
            "nonstability_rate": [40.0] * len(values),
            "sed_rate": [90.0] * len(values),
            "NonClassroom_Based": values,
        },
        schema_overrides={"NonClassroom_Based": pl.String},
    )


def test_a_nonclassroom_based_charter_above_both_rates_is_not_eligible() -> None:
    result = equity_multiplier_eligibility(with_nonclassroom(["Y", "N", "yes", None, ""]))
    assert result.get_column("eligible").to_list() == [False, True, False, True, True]
    assert result.item(0, "Explanation").startswith(
        "Not eligible: a non-classroom-based charter school"
    )
    assert "non-stability rate 40.0% is above 25.0%" in result.item(0, "Explanation")


def test_a_nonclassroom_based_value_other_than_y_or_n_is_refused_with_its_line() -> None:
    with pytest.raises(InputError) as error:
        equity_multiplier_eligibility(with_nonclassroom(["N", "maybe"]), "rates.csv")
    assert (error.value.line, error.value.column) == (3, "nonclassroom_based")
    assert "'maybe' is not Y or N" in str(error.value)
