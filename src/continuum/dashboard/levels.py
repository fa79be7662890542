"""Status level, change level, colour and box for every row, computed as CDE computes them.

The published level columns of the input are never read here: ``compute_levels`` works from
status, change and denominators (recomputing status and change from numerators where the file has
them) and the year's rule set. Each row also gets an ``explanation`` in words.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from continuum.dashboard.rules import (
    COLOUR_NAMES,
    HSCUTPOINTS_DEFAULT,
    HSCUTPOINTS_VARIANTS,
    VARIANT_LABELS,
    Cuts,
    IndicatorRules,
    RuleSet,
    load_rules,
)

LEVEL_COLUMNS = ("statuslevel", "changelevel", "color", "box")
STATUS_LABELS = {
    "higher": {5: "Very High", 4: "High", 3: "Medium", 2: "Low", 1: "Very Low"},
    "lower": {5: "Very Low", 4: "Low", 3: "Medium", 2: "High", 1: "Very High"},
}
CHANGE_LABELS = {
    "higher": {
        5: "Increased Significantly",
        4: "Increased",
        3: "Maintained",
        2: "Declined",
        1: "Declined Significantly",
    },
    "lower": {
        5: "Declined Significantly",
        4: "Declined",
        3: "Maintained",
        2: "Increased",
        1: "Increased Significantly",
    },
}
OUTPUT_COLUMNS = (
    "cds",
    "rtype",
    "schoolname",
    "districtname",
    "charter_flag",
    "coe_flag",
    "dass_flag",
    "studentgroup",
    "type",
    "indicator",
    "reportingyear",
    "currdenom",
    "priordenom",
    "currstatus",
    "priorstatus",
    "change",
    "statuslevel",
    "changelevel",
    "color",
    "box",
    "smalldenom",
    "explanation",
)


def compute_levels(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``statuslevel, changelevel, color, box, explanation`` (and the recomputed status and
    change) to a frame from ``read_dashboard_files``; any mix of indicators and years."""
    years = sorted(frame.get_column("reportingyear").unique().to_list())
    rule_table = _rule_table(load_rules(year) for year in years)
    keyed = frame.with_columns(_variant().alias("variant"))
    joined = keyed.join(rule_table, on=["reportingyear", "indicator", "variant"], how="left")
    return (
        joined.pipe(_status_and_change)
        .pipe(_levels)
        .pipe(_colour)
        .pipe(_explanation)
        .drop(rule_table.columns[3:])
    )


def levels_table(computed: pl.DataFrame) -> pl.DataFrame:
    """The columns of ``continuum dashboard levels`` output, in order."""
    return computed.select(OUTPUT_COLUMNS)


def _variant() -> pl.Expr:
    """Which cut table of an indicator a row uses (grade 11 cuts, suspension type, or 'all')."""
    grade_11 = HSCUTPOINTS_VARIANTS["Y"]
    return (
        pl.when(pl.col("indicator").is_in(["ELA", "MATH"]))
        .then(
            pl.when(pl.col("hscutpoints").str.to_uppercase() == "Y")
            .then(pl.lit(grade_11))
            .otherwise(pl.lit(HSCUTPOINTS_DEFAULT))
        )
        .when(pl.col("indicator") == "SUSP")
        .then(pl.col("type"))
        .otherwise(pl.lit("all"))
    )


def _rule_table(rule_sets: Iterable[RuleSet]) -> pl.DataFrame:
    """One row per (year, indicator, variant) with every number the row-wise rules need."""
    rows = []
    for rules in rule_sets:
        for indicator in rules.indicators.values():
            for variant, status_cuts in indicator.status_cuts.items():
                change_cuts = indicator.change_cuts.get(variant) or indicator.change_cuts.get("all")
                rows.append(_rule_row(rules, indicator, variant, status_cuts, change_cuts))
    return pl.DataFrame(rows, schema=_RULE_SCHEMA, orient="row")


_RULE_SCHEMA: dict[str, pl.DataType] = {
    "reportingyear": pl.Int32(),
    "indicator": pl.String(),
    "variant": pl.String(),
    "r_higher": pl.Boolean(),
    "r_status_only": pl.Boolean(),
    "r_rate": pl.Boolean(),
    "r_small_mode": pl.String(),
    "r_grid": pl.List(pl.Int8()),
    "r_s1": pl.Int64(),
    "r_s2": pl.Int64(),
    "r_s3": pl.Int64(),
    "r_s4": pl.Int64(),
    "r_c1": pl.Int64(),
    "r_c2": pl.Int64(),
    "r_c3": pl.Int64(),
    "r_c4": pl.Int64(),
    "r_threshold": pl.Int64(),
    "r_n_size": pl.Int64(),
    "r_reduced_n_size": pl.Int64(),
    "r_reduced_groups": pl.List(pl.String()),
    "r_reduced_rtypes": pl.List(pl.String()),
    "r_never_coloured": pl.List(pl.String()),
    "r_small_limit": pl.Int64(),
    "r_status_labels": pl.List(pl.String()),
    "r_change_labels": pl.List(pl.String()),
    "r_variant_label": pl.String(),
}


def _rule_row(
    rules: RuleSet,
    indicator: IndicatorRules,
    variant: str,
    status_cuts: Cuts,
    change_cuts: Cuts | None,
) -> tuple[object, ...]:
    change = change_cuts.tenths if change_cuts else (None, None, None, None)
    direction = indicator.direction
    return (
        rules.year,
        indicator.code,
        variant,
        direction == "higher",
        indicator.status_only,
        indicator.status_source == "rate",
        indicator.small_denominator,
        [cell for row in indicator.grid for cell in row],
        *status_cuts.tenths,
        *change,
        rules.reporting_threshold,
        rules.colour_n_size,
        rules.reduced_n_size,
        sorted(rules.reduced_n_size_groups),
        sorted(rules.reduced_n_size_rtypes),
        sorted(rules.never_coloured_groups),
        rules.small_denominator_limit,
        # index 0 unused so that a level code indexes its own label
        [
            "",
            *(
                f"{STATUS_LABELS[direction][level]} "
                f"({describe_range(status_cuts, level, direction)})"
                for level in range(1, 6)
            ),
        ],
        [
            "",
            *(
                f"{CHANGE_LABELS[direction][level]} "
                f"({describe_range(change_cuts, level, direction, signed=True)})"
                if change_cuts
                else ""
                for level in range(1, 6)
            ),
        ],
        "" if variant == "all" else f" on the {VARIANT_LABELS.get(variant, variant)} cuts",
    )


def describe_range(cuts: Cuts, level: int, direction: str, *, signed: bool = False) -> str:
    """The values a level covers, as CDE's tables print them: '−5.1 to −70.0', '45.0 or more'."""

    def text(tenths: int) -> str:
        sign = "+" if signed and tenths > 0 else ""
        return f"{sign}{tenths / 10:.1f}"

    best_first = cuts.tenths
    index = 5 - level
    step = -1 if direction == "higher" else 1
    if level == 5:
        return f"{text(best_first[0])} or {'more' if direction == 'higher' else 'less'}"
    if level == 1:
        return f"{text(best_first[3] + step)} or {'less' if direction == 'higher' else 'more'}"
    upper = best_first[index - 1] + step
    lower = best_first[index]
    return f"{text(lower)} to {text(upper)}"


def _half_up_tenths(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """round(numerator / denominator, 1) in tenths, halves away from zero, in exact integers."""
    sign = pl.when(numerator < 0).then(-1).otherwise(1)
    magnitude = numerator.abs()
    return sign * ((2 * magnitude + denominator) // (2 * denominator))


def _status_and_change(frame: pl.DataFrame) -> pl.DataFrame:
    """Status and change in tenths; recomputed from numerators where the file has them."""
    curr_n = pl.col("currnumer").cast(pl.Int64)
    curr_d = pl.col("currdenom").cast(pl.Int64)
    prior_n = pl.col("priornumer").cast(pl.Int64)
    prior_d = pl.col("priordenom").cast(pl.Int64)
    has_curr_rate = pl.col("r_rate") & curr_n.is_not_null() & (curr_d > 0)
    has_both_rates = has_curr_rate & prior_n.is_not_null() & (prior_d > 0)
    status_tenths = (
        pl.when(has_curr_rate)
        .then(_half_up_tenths(1000 * curr_n, curr_d))
        .otherwise((pl.col("currstatus") * 10).round(0).cast(pl.Int64))
    )
    # CDE: change = unrounded current status − unrounded prior status, then rounded.
    change_tenths = (
        pl.when(has_both_rates)
        .then(_half_up_tenths(1000 * (curr_n * prior_d - prior_n * curr_d), curr_d * prior_d))
        .otherwise((pl.col("change") * 10).round(0).cast(pl.Int64))
    )
    return frame.with_columns(
        status_tenths.alias("status_tenths"), change_tenths.alias("change_tenths")
    ).with_columns(
        (pl.col("status_tenths") / 10).alias("computed_status"),
        (pl.col("change_tenths") / 10).alias("computed_change"),
    )


def _band(value: pl.Expr, prefix: str) -> pl.Expr:
    """Level 5..1 of a value in tenths against the row's four cuts (best first)."""
    higher = pl.col("r_higher")
    expression = pl.lit(1, pl.Int8)
    for offset in (3, 2, 1, 0):
        cut = pl.col(f"r_{prefix}{offset + 1}")
        reached = pl.when(higher).then(value >= cut).otherwise(value <= cut)
        expression = pl.when(reached).then(pl.lit(5 - offset, pl.Int8)).otherwise(expression)
    return expression


def _levels(frame: pl.DataFrame) -> pl.DataFrame:
    curr_d = pl.col("currdenom")
    prior_d = pl.col("priordenom")
    reported = pl.col("status_tenths").is_not_null() & (curr_d >= pl.col("r_threshold"))
    statuslevel = pl.when(reported).then(_band(pl.col("status_tenths"), "s")).otherwise(0)
    has_change = (
        reported
        & ~pl.col("r_status_only")
        & pl.col("change_tenths").is_not_null()
        & (prior_d >= pl.col("r_threshold"))
    )
    raw_change = pl.when(has_change).then(_band(pl.col("change_tenths"), "c")).otherwise(0)
    small = (pl.col("r_small_mode") != "none") & (curr_d < pl.col("r_small_limit"))
    collapsed = (
        pl.when(small & (pl.col("raw_changelevel") == 1))
        .then(2)
        .when(small & (pl.col("raw_changelevel") == 5))
        .then(4)
        .otherwise(pl.col("raw_changelevel"))
    )
    return frame.with_columns(
        statuslevel.cast(pl.Int8).alias("statuslevel"),
        raw_change.cast(pl.Int8).alias("raw_changelevel"),
        small.alias("small_denominator_applies"),
    ).with_columns(
        collapsed.cast(pl.Int8).alias("grid_changelevel"),
        pl.when(pl.col("r_small_mode") == "published")
        .then(collapsed)
        .otherwise(pl.col("raw_changelevel"))
        .cast(pl.Int8)
        .alias("changelevel"),
    )


def _colour(frame: pl.DataFrame) -> pl.DataFrame:
    reduced = pl.col("rtype").is_in(pl.col("r_reduced_rtypes")) & pl.col("studentgroup").is_in(
        pl.col("r_reduced_groups")
    )
    n_size = pl.when(reduced).then(pl.col("r_reduced_n_size")).otherwise(pl.col("r_n_size"))
    meets_n_size = (pl.col("currdenom") >= n_size) & (pl.col("priordenom") >= n_size)
    informational = pl.col("studentgroup").is_in(pl.col("r_never_coloured"))
    eligible = (
        (pl.col("statuslevel") > 0)
        & (pl.col("grid_changelevel") > 0)
        & meets_n_size.fill_null(False)
        & ~informational
    )
    cell = (5 - pl.col("statuslevel").cast(pl.Int32)) * 5 + pl.col("grid_changelevel") - 1
    colour = pl.when(eligible).then(pl.col("r_grid").list.get(cell, null_on_oob=True)).otherwise(0)
    box = 50 * (5 - pl.col("statuslevel").cast(pl.Int16)) + 10 * pl.col("grid_changelevel")
    return frame.with_columns(
        n_size.alias("n_size"),
        informational.alias("informational_group"),
        colour.fill_null(0).cast(pl.Int8).alias("color"),
    ).with_columns(
        pl.when(pl.col("color") > 0).then(box).otherwise(0).cast(pl.Int16).alias("box"),
        pl.when(pl.col("r_small_mode") == "none")
        .then(None)
        .otherwise(
            pl.when(pl.col("small_denominator_applies")).then(pl.lit("Y")).otherwise(pl.lit("N"))
        )
        .alias("smalldenom"),
    )


def _number(column: str, *, signed: bool = False) -> pl.Expr:
    text = pl.col(column).round(1).cast(pl.String)
    text = pl.when(text.str.contains(r"\.")).then(text).otherwise(text + ".0")
    if signed:
        text = pl.when(pl.col(column) > 0).then("+" + text).otherwise(text)
    return text


def _explanation(frame: pl.DataFrame) -> pl.DataFrame:
    """One sentence per row: which cuts and grid cell gave the result, or why there is none."""
    denominators = pl.format(
        "current denominator {}, prior {}",
        pl.col("currdenom").cast(pl.Int64).cast(pl.String).fill_null("none"),
        pl.col("priordenom").cast(pl.Int64).cast(pl.String).fill_null("none"),
    )
    status_part = (
        pl.when(pl.col("statuslevel") > 0)
        .then(
            pl.format(
                "Status {} is {}{}",
                _number("computed_status"),
                pl.col("r_status_labels").list.get(pl.col("statuslevel").cast(pl.Int32)),
                pl.col("r_variant_label"),
            )
        )
        .when(pl.col("currdenom") < pl.col("r_threshold"))
        .then(pl.format("Not reported: fewer than {} students", pl.col("r_threshold")))
        .otherwise(pl.lit("No status in the file"))
    )
    change_part = (
        pl.when(pl.col("statuslevel") == 0)
        .then(pl.lit(""))
        .when(pl.col("r_status_only"))
        .then(pl.format("; {} was status only in {}", pl.col("indicator"), pl.col("reportingyear")))
        .when(pl.col("raw_changelevel") == 0)
        .then(pl.lit("; no change level (no prior-year status to compare)"))
        .otherwise(
            pl.format(
                "; change {} is {}{}",
                _number("computed_change", signed=True),
                pl.col("r_change_labels").list.get(pl.col("raw_changelevel").cast(pl.Int32)),
                pl.when(pl.col("grid_changelevel") != pl.col("raw_changelevel"))
                .then(
                    pl.format(
                        ", read as {} because the current denominator is below {} "
                        "(three-by-five rule)",
                        pl.col("r_change_labels")
                        .list.get(pl.col("grid_changelevel").cast(pl.Int32))
                        .str.replace(r" \(.*", ""),
                        pl.col("r_small_limit"),
                    )
                )
                .otherwise(pl.lit("")),
            )
        )
    )
    colour_names = pl.col("color").replace_strict(COLOUR_NAMES, return_dtype=pl.String)
    colour_part = (
        pl.when(pl.col("color") > 0)
        .then(
            pl.format(
                "; grid cell {} × {} is {}.",
                pl.col("r_status_labels")
                .list.get(pl.col("statuslevel").cast(pl.Int32))
                .str.replace(r" \(.*", ""),
                pl.col("r_change_labels")
                .list.get(pl.col("grid_changelevel").cast(pl.Int32))
                .str.replace(r" \(.*", ""),
                colour_names,
            )
        )
        .when(
            (pl.col("statuslevel") == 0)
            | pl.col("r_status_only")
            | (pl.col("raw_changelevel") == 0)
        )
        .then(pl.lit("."))
        .when(pl.col("informational_group"))
        .then(
            pl.format("; no colour: {} is reported for information only.", pl.col("studentgroup"))
        )
        .when(pl.col("grid_changelevel") > 0)
        .then(
            pl.format(
                "; no colour: fewer than {} students in the current or prior year ({}).",
                pl.col("n_size"),
                denominators,
            )
        )
        .otherwise(pl.lit("."))
    )
    return frame.with_columns(
        pl.concat_str(status_part, change_part, colour_part).alias("explanation")
    )
