"""Numbers are printed as CDE prints them: statuses follow from counts, blanks under 11."""

from __future__ import annotations

import polars as pl

RATE_FILES = ("chronic", "susp", "grad", "elpi")


def _int(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.Int64)


def _half_up_tenths(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    return (2 * numerator.abs() + denominator) // (2 * denominator) * numerator.sign()


def test_rate_status_is_the_rounded_share_of_numerator_over_denominator(
    raw_2025: dict[str, pl.DataFrame],
) -> None:
    for name in RATE_FILES:
        shown = raw_2025[name].filter(pl.col("currstatus").is_not_null())
        expected = _half_up_tenths(1000 * _int("currnumer"), _int("currdenom"))
        status_tenths = (pl.col("currstatus").cast(pl.Float64) * 10).round(0).cast(pl.Int64)
        assert shown.filter(expected != status_tenths).height == 0, name
        assert shown.height > 0


def test_change_is_computed_from_unrounded_rates(raw_2025: dict[str, pl.DataFrame]) -> None:
    for name in RATE_FILES:
        rows = raw_2025[name].filter(pl.col("change").is_not_null())
        cn, cd, pn, pd = (_int(c) for c in ("currnumer", "currdenom", "priornumer", "priordenom"))
        expected = _half_up_tenths(1000 * (cn * pd - pn * cd), cd * pd)
        change_tenths = (pl.col("change").cast(pl.Float64) * 10).round(0).cast(pl.Int64)
        assert rows.filter(expected != change_tenths).height == 0, name


def test_status_and_numerator_are_blank_under_11_students(
    raw_2025: dict[str, pl.DataFrame],
) -> None:
    for name in RATE_FILES:
        small = raw_2025[name].filter(_int("currdenom") < 11)
        assert small.height > 0
        assert small.get_column("currstatus").null_count() == small.height
        assert small.get_column("currnumer").null_count() == small.height
        assert small.get_column("change").null_count() == small.height
        large = raw_2025[name].filter(_int("currdenom") >= 11)
        assert large.get_column("currstatus").null_count() == 0


def test_statuses_have_exactly_one_decimal_and_no_negative_zero(
    raw_2025: dict[str, pl.DataFrame],
) -> None:
    for name, frame in raw_2025.items():
        for column in ("currstatus", "priorstatus", "change"):
            values = frame.get_column(column).drop_nulls()
            assert values.str.contains(r"^-?\d+\.\d$").all(), (name, column)
            assert not (values == "-0.0").any(), (name, column)


def test_academic_denominator_adds_participation_loss(raw_2025: dict[str, pl.DataFrame]) -> None:
    for name in ("ela", "math", "science"):
        frame = raw_2025[name]
        loss = _int("currnumPRLOSS").fill_null(0)
        mismatched = frame.filter(_int("currdenom") != _int("currdenom_withoutPRLOSS") + loss)
        assert mismatched.height == 0, name
        penalised = frame.filter(pl.col("currnumPRLOSS").is_not_null())
        assert penalised.height > 0, name
        assert (penalised.get_column("currprate").cast(pl.Int64) < 95).all(), name


def test_elpi_counts_add_up_to_numerator_and_denominator(
    raw_2025: dict[str, pl.DataFrame],
) -> None:
    elpi = raw_2025["elpi"].filter(pl.col("currnumer").is_not_null())
    progressing = ["currprogressed", "currmaintainPL4", "currprogressed_Alternate"]
    progressing.append("currmaintainPL3_Alternate")
    others = ["currmaintainOth", "currdeclined", "currnotprognotmain_Alternate", "curr95"]
    numer = pl.sum_horizontal(_int(c) for c in progressing)
    denom = numer + pl.sum_horizontal(_int(c) for c in others)
    assert elpi.filter((numer != _int("currnumer")) | (denom != _int("currdenom"))).height == 0


def test_lea_rows_sum_their_non_charter_schools(raw_2025: dict[str, pl.DataFrame]) -> None:
    susp = raw_2025["susp"]
    schools = (
        susp.filter((pl.col("rtype") == "S") & pl.col("charter_flag").is_null())
        .group_by(pl.col("cds").str.slice(0, 7).alias("lea"), "studentgroup")
        .agg(_int("currdenom").sum().alias("summed"))
    )
    leas = susp.filter(pl.col("rtype") == "D").select(
        pl.col("cds").str.slice(0, 7).alias("lea"), "studentgroup", _int("currdenom")
    )
    joined = leas.join(schools, on=["lea", "studentgroup"])
    assert joined.height == leas.height
    assert (joined.get_column("currdenom") == joined.get_column("summed")).all()


def test_prior_and_current_rates_correlate(raw_2025: dict[str, pl.DataFrame]) -> None:
    rows = raw_2025["chronic"].filter(_int("currdenom") >= 100).filter(_int("priordenom") >= 100)
    correlation = rows.select(
        pl.corr(pl.col("currstatus").cast(pl.Float64), pl.col("priorstatus").cast(pl.Float64))
    ).item()
    assert correlation > 0.8
