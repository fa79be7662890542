"""Status level, change level, colour and box for every row, computed as CDE computes them.

The published level columns of the input are never read here: ``compute_levels`` works from
status, change and denominators (recomputing status and change from numerators where the file has
them) and the year's rule set. Each row also gets an ``explanation`` in words.

Speed matters (a statewide run is about 1.5 million rows), so the rule sets are turned into two
small lookup tables joined on integer keys: one with each cut table's numbers, one with the words
and the colour of every (cut table, status level, change level) cell.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from continuum.dashboard.files import ELPAC_COLUMNS
from continuum.dashboard.rules import (
    COLOUR_NAMES,
    DASS_VARIANT,
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
    *ELPAC_COLUMNS,
    "explanation",
)
_CUT_SCHEMA: dict[str, pl.DataType] = {
    "reportingyear": pl.Int32(),
    "indicator": pl.String(),
    "variant": pl.String(),
    "r_id": pl.Int32(),
    "r_higher": pl.Boolean(),
    "r_status_only": pl.Boolean(),
    "r_no_level": pl.Boolean(),
    "r_reported_words": pl.String(),
    "r_rate": pl.Boolean(),
    "r_small_mode": pl.String(),
    "r_small_by_flag": pl.Boolean(),
    "r_threshold": pl.Int64(),
    "r_n_size": pl.Int64(),
    "r_reduced_n_size": pl.Int64(),
    "r_small_limit": pl.Int64(),
    **{f"r_s{i}": pl.Int64() for i in range(1, 5)},
    **{f"r_c{i}": pl.Int64() for i in range(1, 5)},
}
_COLLAPSED = {1: 2, 5: 4}  # three-by-five: the significant change columns fold inward
_CELLS_PER_RULE = 6 * 6 * 6  # status level × change level × change level after three-by-five
_CELL_SCHEMA: dict[str, pl.DataType] = {
    "r_id": pl.Int32(),
    "statuslevel": pl.Int8(),
    "raw_changelevel": pl.Int8(),
    "grid_changelevel": pl.Int8(),
    "grid_colour": pl.Int8(),
    "status_words": pl.String(),
    "change_words": pl.String(),
    "cell_words": pl.String(),
}


def compute_levels(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``statuslevel, changelevel, color, box, explanation`` (and the recomputed status and
    change) to a frame from ``read_dashboard_files``; any mix of indicators and years."""
    rule_sets = [load_rules(year) for year in frame.get_column("reportingyear").unique().sort()]
    cut_table, cell_table = _lookup_tables(rule_sets)
    sentences = _sentence_table(cut_table, cell_table)
    rule_ids = {
        (year, indicator, variant): rule_id
        for year, indicator, variant, rule_id in cut_table.select(list(_CUT_SCHEMA)[:4]).rows()
    }
    # Lookups gather from the small tables by integer position instead of joining, so the wide
    # input (names, flags) is never copied.
    rule_key = pl.concat_str(
        pl.col("reportingyear").cast(pl.String),
        pl.col("indicator"),
        _variant(rule_sets),
        separator="|",
    )
    rule_id = rule_key.replace_strict(
        {f"{y}|{i}|{v}": rid for (y, i, v), rid in rule_ids.items()},
        default=None,
        return_dtype=pl.Int32,
    )
    cell_id = (
        pl.col("r_id").cast(pl.Int64) * _CELLS_PER_RULE
        + pl.col("statuslevel").cast(pl.Int64) * 36
        + pl.col("raw_changelevel").cast(pl.Int64) * 6
        + pl.col("grid_changelevel").cast(pl.Int64)
    )
    return (
        frame.lazy()
        .with_columns(rule_id.alias("r_id"))
        .with_columns(
            pl.lit(cut_table.get_column(name)).gather(pl.col("r_id")).alias(name)
            for name in list(_CUT_SCHEMA)[4:]
        )
        .pipe(_status_and_change)
        .pipe(_levels)
        .with_columns(cell_id.alias("cell_id"))
        .with_columns(
            pl.lit(cell_table.get_column("grid_colour"))
            .gather(pl.col("cell_id"))
            .alias("grid_colour")
        )
        .pipe(_colour, rule_sets)
        .pipe(_explanation, sentences)
        .drop("r_id", "cell_id", "grid_colour", *list(_CUT_SCHEMA)[4:])
        .collect()
    )


def levels_table(computed: pl.DataFrame) -> pl.DataFrame:
    """The columns of ``continuum dashboard levels`` output, in order."""
    return computed.select(OUTPUT_COLUMNS)


def _variant(rule_sets: Iterable[RuleSet]) -> pl.Expr:
    """Which cut table of an indicator a row uses (a DASS school's where the year has one, grade
    11 cuts, suspension type, or 'all')."""
    with_dass = [
        (rules.year, code)
        for rules in rule_sets
        for code, indicator in rules.indicators.items()
        if DASS_VARIANT in indicator.status_cuts
    ]
    dass_school = pl.col("dass_flag").str.to_uppercase() == "Y"
    dass = pl.any_horizontal(
        pl.lit(False),
        *((pl.col("reportingyear") == y) & (pl.col("indicator") == i) for y, i in with_dass),
    )
    return (
        pl.when(dass & dass_school)
        .then(pl.lit(DASS_VARIANT))
        .when(pl.col("indicator").is_in(["ELA", "MATH"]))
        .then(
            pl.when(pl.col("hscutpoints").str.to_uppercase() == "Y")
            .then(pl.lit(HSCUTPOINTS_VARIANTS["Y"]))
            .otherwise(pl.lit(HSCUTPOINTS_DEFAULT))
        )
        .when(pl.col("indicator") == "SUSP")
        .then(pl.col("type"))
        .otherwise(pl.lit("all"))
    )


def _lookup_tables(rule_sets: Iterable[RuleSet]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The cut table (one row per year, indicator and variant) and the cell table (its words)."""
    cut_rows: list[tuple[object, ...]] = []
    cell_rows: list[tuple[object, ...]] = []
    for rules in rule_sets:
        for indicator in rules.indicators.values():
            variants: dict[str, Cuts | None] = dict(indicator.status_cuts) or {"all": None}
            for variant, status_cuts in variants.items():
                rule_id = len(cut_rows)
                change_cuts = indicator.change_cuts.get(variant) or indicator.change_cuts.get("all")
                cut_rows.append(
                    (
                        rules.year,
                        indicator.code,
                        variant,
                        rule_id,
                        indicator.direction == "higher",
                        indicator.status_only,
                        indicator.no_level,
                        _reported_words(indicator, rules.year),
                        indicator.status_source == "rate",
                        indicator.small_denominator,
                        indicator.small_denominator_by == "safetynet",
                        rules.reporting_threshold,
                        rules.colour_n_size,
                        rules.reduced_n_size,
                        rules.small_denominator_limit,
                        *(status_cuts.tenths if status_cuts else (None,) * 4),
                        *(change_cuts.tenths if change_cuts else (None,) * 4),
                    )
                )
                cell_rows.extend(
                    _cells(rule_id, rules, indicator, variant, status_cuts, change_cuts)
                )
    return (
        pl.DataFrame(cut_rows, schema=_CUT_SCHEMA, orient="row"),
        pl.DataFrame(cell_rows, schema=_CELL_SCHEMA, orient="row"),
    )


def _reported_words(indicator: IndicatorRules, year: int) -> str:
    """What the explanation says about a year that reported the indicator without colours."""
    if indicator.no_level and indicator.note:
        return indicator.note
    if indicator.no_level:
        return (
            f"{indicator.code} had no performance level in {year}: the status is kept as CDE "
            "published it."
        )
    return f"; {indicator.code} was status only in {year}."


def _cells(
    rule_id: int,
    rules: RuleSet,
    indicator: IndicatorRules,
    variant: str,
    status_cuts: Cuts | None,
    change_cuts: Cuts | None,
) -> Iterable[tuple[object, ...]]:
    """Words and grid colour of every (status, change, change after three-by-five) triple, in the
    order ``compute_levels`` indexes them; triples that cannot occur are harmless padding."""
    direction = indicator.direction
    on_cuts = "" if variant == "all" else f" on the {VARIANT_LABELS.get(variant, variant)} cuts"
    small_limit = rules.small_denominator_limit
    for status in range(6):
        status_words = (
            f" is {STATUS_LABELS[direction][status]} "
            f"({describe_range(status_cuts, status, direction)}){on_cuts}"
            if status and status_cuts
            else ""
        )
        for raw in range(6):
            for grid in range(6):
                if grid not in (raw, _COLLAPSED.get(raw, raw)):
                    yield (rule_id, status, raw, grid, 0, "", "", "")
                    continue
                change_words = ""
                if raw and change_cuts:
                    change_words = (
                        f" is {CHANGE_LABELS[direction][raw]} "
                        f"({describe_range(change_cuts, raw, direction, signed=True)})"
                    )
                    if grid != raw:
                        change_words += (
                            f", read as {CHANGE_LABELS[direction][grid]} because the current "
                            f"denominator is below {small_limit} (three-by-five rule)"
                        )
                colour = indicator.colour(status, grid) if status and grid else 0
                cell_words = (
                    f"; grid cell {STATUS_LABELS[direction][status]} × "
                    f"{CHANGE_LABELS[direction][grid]} is {COLOUR_NAMES[colour]}."
                    if colour
                    else ""
                )
                yield (rule_id, status, raw, grid, colour, status_words, change_words, cell_words)


def describe_range(cuts: Cuts, level: int, direction: str, *, signed: bool = False) -> str:
    """The values a level covers, as CDE's tables print them: '-70.0 to -5.1', '45.0 or more'."""

    def text(tenths: int) -> str:
        sign = "+" if signed and tenths > 0 else ""
        return f"{sign}{tenths / 10:.1f}"

    best_first = cuts.tenths
    step = -1 if direction == "higher" else 1
    if level == 5:
        return f"{text(best_first[0])} or {'more' if direction == 'higher' else 'less'}"
    if level == 1:
        return f"{text(best_first[3] + step)} or {'less' if direction == 'higher' else 'more'}"
    index = 5 - level
    bounds = sorted((best_first[index], best_first[index - 1] + step))
    return f"{text(bounds[0])} to {text(bounds[1])}"


def _half_up_tenths(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """round(numerator / denominator, 1) in tenths, halves away from zero, in exact integers."""
    sign = pl.when(numerator < 0).then(-1).otherwise(1)
    return sign * ((2 * numerator.abs() + denominator) // (2 * denominator))


def _status_and_change(frame: pl.LazyFrame) -> pl.LazyFrame:
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
        (pl.col("status_tenths") / 10).round(1).alias("computed_status"),
        (pl.col("change_tenths") / 10).round(1).alias("computed_change"),
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


def _levels(frame: pl.LazyFrame) -> pl.LazyFrame:
    curr_d = pl.col("currdenom")
    reported = (
        pl.col("status_tenths").is_not_null()
        & (curr_d >= pl.col("r_threshold"))
        & ~pl.col("r_no_level")
    )
    has_change = (
        reported
        & ~pl.col("r_status_only")
        & pl.col("change_tenths").is_not_null()
        & (pl.col("priordenom") >= pl.col("r_threshold"))
    )
    small = (pl.col("r_small_mode") != "none") & (
        pl.when(pl.col("r_small_by_flag"))
        .then(pl.col("safetynet").str.to_uppercase() == "Y")
        .otherwise(curr_d < pl.col("r_small_limit"))
    )
    raw = pl.col("raw_changelevel")
    collapsed = pl.when(small).then(raw.replace(_COLLAPSED)).otherwise(raw)
    return frame.with_columns(
        pl.when(reported)
        .then(_band(pl.col("status_tenths"), "s"))
        .otherwise(0)
        .cast(pl.Int8)
        .alias("statuslevel"),
        pl.when(has_change)
        .then(_band(pl.col("change_tenths"), "c"))
        .otherwise(0)
        .cast(pl.Int8)
        .alias("raw_changelevel"),
        small.fill_null(False).alias("small_denominator_applies"),
    ).with_columns(
        collapsed.cast(pl.Int8).alias("grid_changelevel"),
        pl.when(pl.col("r_small_mode") == "published")
        .then(collapsed)
        .otherwise(raw)
        .cast(pl.Int8)
        .alias("changelevel"),
    )


def _colour(frame: pl.LazyFrame, rule_sets: list[RuleSet]) -> pl.LazyFrame:
    group, rtype = pl.col("studentgroup"), pl.col("rtype")
    n_size = pl.lit(0, pl.Int64)
    informational = pl.lit(False)
    curr_count, prior_count = pl.col("currdenom"), pl.col("priordenom")
    for rules in rule_sets:
        in_year = pl.col("reportingyear") == rules.year
        for indicator in rules.indicators.values():
            this = in_year & (pl.col("indicator") == indicator.code)
            overrides = [(this, indicator.n_size_columns)] + [
                (this & (group == name), columns)
                for name, columns in indicator.group_n_size_columns.items()
            ]
            for applies, (curr, prior) in overrides:
                if (curr, prior) != ("currdenom", "priordenom"):
                    curr_count = pl.when(applies).then(pl.col(curr)).otherwise(curr_count)
                    prior_count = pl.when(applies).then(pl.col(prior)).otherwise(prior_count)
        reduced = rtype.is_in(sorted(rules.reduced_n_size_rtypes)) & group.is_in(
            sorted(rules.reduced_n_size_groups)
        )
        n_size = (
            pl.when(in_year)
            .then(pl.when(reduced).then(rules.reduced_n_size).otherwise(rules.colour_n_size))
            .otherwise(n_size)
        )
        informational = (
            pl.when(in_year)
            .then(group.is_in(sorted(rules.never_coloured_groups)))
            .otherwise(informational)
        )
    meets_n_size = (curr_count >= n_size) & (prior_count >= n_size)
    coloured = meets_n_size.fill_null(False) & ~informational & ~pl.col("r_status_only")
    colour = pl.when(coloured).then(pl.col("grid_colour")).otherwise(0).fill_null(0)
    box = 50 * (5 - pl.col("statuslevel").cast(pl.Int16)) + 10 * pl.col("grid_changelevel")
    return frame.with_columns(
        n_size.alias("n_size"),
        informational.alias("informational_group"),
        colour.cast(pl.Int8).alias("color"),
    ).with_columns(
        pl.when(pl.col("color") > 0).then(box).otherwise(0).cast(pl.Int16).alias("box"),
        pl.when(pl.col("r_small_mode") == "none")
        .then(pl.lit(None, pl.String))
        .when(pl.col("small_denominator_applies"))
        .then(pl.lit("Y"))
        .otherwise(pl.lit("N"))
        .alias("smalldenom"),
    )


# Why a row has the explanation it has; each reason has its own sentence pattern.
(
    _NOT_REPORTED,
    _NO_STATUS,
    _STATUS_ONLY,
    _NO_CHANGE,
    _COLOURED,
    _INFORMATIONAL,
    _N_SIZE,
    _NA_CELL,
    _NO_LEVEL,
) = range(9)
_REASONS = 9
_N_SIZES = 2  # the standard colour n-size, or the reduced one (LEA foster, homeless, LTEL)


def _sentence_table(cut_table: pl.DataFrame, cell_table: pl.DataFrame) -> pl.DataFrame:
    """Every explanation there can be, one row per (cell, reason, n-size) in the order
    ``_explanation`` indexes them. The row's own numbers stand beside it in the output
    (currstatus, change, currdenom, priordenom), so the sentence names cuts, cells and rules only,
    and a million rows share a few thousand sentences."""
    reason = pl.col("reason")
    n_size = pl.when(pl.col("reduced") == 1).then("r_reduced_n_size").otherwise("r_n_size")
    status = pl.concat_str(pl.lit("Status"), pl.col("status_words"))
    change = pl.concat_str(pl.lit("; change"), pl.col("change_words"))
    sentence = (
        pl.when(reason == _NO_LEVEL)
        .then(pl.col("r_reported_words"))
        .when(reason == _NOT_REPORTED)
        .then(pl.format("Not reported: fewer than {} students.", pl.col("r_threshold")))
        .when(reason == _NO_STATUS)
        .then(pl.lit("No status in the file."))
        .when(reason == _STATUS_ONLY)
        .then(pl.concat_str(status, pl.col("r_reported_words")))
        .when(reason == _NO_CHANGE)
        .then(pl.concat_str(status, pl.lit("; no change level (no prior-year status to compare).")))
        .when(reason == _COLOURED)
        .then(pl.concat_str(status, change, pl.col("cell_words")))
        .when(reason == _INFORMATIONAL)
        .then(
            pl.concat_str(
                status, change, pl.lit("; no colour: this group is reported for information only.")
            )
        )
        .when(reason == _N_SIZE)
        .then(
            pl.concat_str(
                status,
                change,
                pl.format(
                    "; no colour: the current or prior denominator is below {} students.", n_size
                ),
            )
        )
        .otherwise(pl.concat_str(status, change, pl.lit("; the grid has no colour for this cell.")))
    )
    variants = pl.DataFrame(
        [(r, n) for r in range(_REASONS) for n in range(_N_SIZES)],
        schema={"reason": pl.Int64, "reduced": pl.Int64},
        orient="row",
    )
    return (
        cell_table.with_row_index("cell")
        .join(
            cut_table.select(
                "r_id", "r_threshold", "r_reported_words", "r_n_size", "r_reduced_n_size"
            ),
            on="r_id",
        )
        .join(variants, how="cross")
        .sort("cell", "reason", "reduced")
        .select(sentence.alias("text"))
    )


def _explanation(frame: pl.LazyFrame, sentences: pl.DataFrame) -> pl.LazyFrame:
    """One sentence per row: which cuts and grid cell gave the result, or why there is none."""
    status = pl.col("statuslevel")
    reason = (
        pl.when(pl.col("r_no_level"))
        .then(_NO_LEVEL)
        .when(status == 0)
        .then(
            pl.when(pl.col("currdenom") < pl.col("r_threshold"))
            .then(_NOT_REPORTED)
            .otherwise(_NO_STATUS)
        )
        .when(pl.col("r_status_only"))
        .then(_STATUS_ONLY)
        .when(pl.col("raw_changelevel") == 0)
        .then(_NO_CHANGE)
        .when(pl.col("color") > 0)
        .then(_COLOURED)
        .when(pl.col("informational_group"))
        .then(_INFORMATIONAL)
        .when(pl.col("grid_colour") > 0)
        .then(_N_SIZE)
        .otherwise(_NA_CELL)
    )
    reduced = (pl.col("n_size") != pl.col("r_n_size")).cast(pl.Int64)
    index = (pl.col("cell_id") * _REASONS + reason) * _N_SIZES + reduced
    return frame.with_columns(
        pl.lit(sentences.get_column("text")).gather(index).alias("explanation")
    )
