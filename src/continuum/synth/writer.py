"""From school rows to CDE's files: LEA and state rows by aggregation, then CDE's columns.

LEA rows are sums of their schools' counts (charter schools count only for the state, as on the
Dashboard, where charters are their own LEAs); the state row sums every school. Statuses are
computed once all rows exist, the way CDE prints them: rounded half up to 0.1 from the counts,
change from the unrounded statuses, blanks where a denominator is under the reporting threshold.
The published level columns stay empty: the engine computes them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import polars as pl

from continuum.dashboard.rules import RuleSet
from continuum.formats.dashboard_downloads import flag_no
from continuum.synth.entities import Entities
from continuum.synth.model import Measure

STATE_CDS = "00000000000000"
STATE_NAME = "State of California"
# Fixed DFS given to each student added for participation below 95% (Technical Guide; the 2023
# Dashboard changed the values and restated 2022). Science uses its 0-100 points scale.
_LOSS_POINTS = {"ELA": -333.0, "MATH": -348.0, "SCIENCE": 0.0}
_LOSS_POINTS_BEFORE_2023 = {"ELA": -277.0, "MATH": -246.0, "SCIENCE": 0.0}
_PARTICIPATION_TARGET = 95
# Share of prepared (or approaching prepared) students meeting each CCI measure.
_CCI_MEASURE_SHARE = {
    ("prep", "summative"): 0.3,
    ("prep", "ap"): 0.4,
    ("prep", "apexam"): 0.4,
    ("prep", "ibexam"): 0.01,
    ("prep", "collegecredit"): 0.25,
    ("prep", "agplus"): 0.8,
    ("prep", "cteplus"): 0.2,
    ("prep", "ssb"): 0.06,
    ("prep", "milsci"): 0.005,
    ("prep", "reg_pre"): 0.01,
    ("aprep", "summative"): 0.15,
    ("aprep", "collegecredit"): 0.12,
    ("aprep", "ag"): 0.45,
    ("aprep", "cte"): 0.3,
    ("aprep", "milsci"): 0.02,
}
_CCI_MEASURE_DEFAULT = 0.002
_CCI_COLUMN = re.compile(r"^(?P<when>curr|prior)_(?P<level>prep|aprep|nprep)(?:_(?P<measure>.+))?$")
_ALIASES = {
    "prate_enrolled": "currprate_enrolled",
    "prate_tested": "currprate_tested",
    "prate": "currprate",
    "numprloss": "currnumprloss",
    "nsizemet": "currnsizemet",
    "nsizegroup": "currnsizegroup",
}
_EMPTY = (
    "statuslevel", "changelevel", "color", "box", "pairshare_method", "certifyflag",
    "priorcertifyflag", "dataerrorflag", "flag95pct",
)  # fmt: skip


def with_lea_and_state_rows(rows: pl.DataFrame, entities: Entities) -> pl.DataFrame:
    """School rows with their attributes, plus one row per LEA and group and one state row per
    group, each the sum of its schools' counts."""
    counts = [c for c in rows.columns if c.startswith(("curr_", "prior_"))]
    schools = entities.schools.with_row_index("school").with_columns(
        pl.col("school").cast(pl.Int64)
    )
    school_rows = rows.join(schools, on="school", how="left").with_columns(
        pl.lit("S").alias("rtype"), pl.lit(None, pl.String).alias("coe_flag")
    )

    def summed() -> list[pl.Expr]:
        # A column with no values (every school new) stays empty rather than becoming 0.
        return [
            pl.when(pl.col(c).count() > 0).then(pl.col(c).sum()).otherwise(None).alias(c)
            for c in counts
        ]

    lea_rows = (
        school_rows.filter(pl.col("lea_cds").is_not_null())
        .group_by("lea_cds", "studentgroup")
        .agg(summed())
        .rename({"lea_cds": "cds"})
        .join(entities.leas, on="cds", how="left")
        .with_columns(
            pl.lit("D").alias("rtype"),
            pl.lit(None, pl.String).alias("schoolname"),
            pl.lit(None, pl.String).alias("charter_flag"),
            pl.lit(None, pl.String).alias("dass_flag"),
        )
    )
    state_rows = (
        school_rows.group_by("studentgroup")
        .agg(summed())
        .with_columns(
            pl.lit(STATE_CDS).alias("cds"),
            pl.lit("X").alias("rtype"),
            pl.lit(STATE_NAME).alias("schoolname"),
            pl.lit(STATE_NAME).alias("districtname"),
            pl.lit(None, pl.String).alias("countyname"),
            pl.lit(None, pl.String).alias("charter_flag"),
            pl.lit(None, pl.String).alias("coe_flag"),
            pl.lit(None, pl.String).alias("dass_flag"),
            pl.lit("UD").alias("suspension_type"),
            pl.lit(None, pl.String).alias("hscutpoints"),
        )
    )
    identity = [
        "cds", "rtype", "schoolname", "districtname", "countyname", "charter_flag", "coe_flag",
        "dass_flag", "suspension_type", "hscutpoints", "studentgroup",
    ]  # fmt: skip
    return pl.concat(
        [frame.select(*identity, *counts) for frame in (state_rows, lea_rows, school_rows)],
        how="vertical_relaxed",
    ).sort("cds", "studentgroup")


def cde_frame(
    rows: pl.DataFrame,
    *,
    prefix: str,
    indicator: str,
    measure: Measure,
    layout: tuple[str, ...],
    rules: RuleSet,
    rng: np.random.Generator,
) -> pl.DataFrame:
    """All rows in the file's own columns, every value as CDE prints it."""
    threshold = rules.reporting_threshold
    numbers = _STATUS[measure](rows, indicator, rules.year)
    numbers = numbers.with_columns(
        pl.when(pl.col("_cd") >= threshold).then(pl.col("_cs")).alias("_cs"),
        pl.when(pl.col("_pd") >= threshold).then(pl.col("_ps")).alias("_ps"),
    ).with_columns(
        pl.when(pl.col("_cs").is_not_null() & pl.col("_ps").is_not_null())
        .then(pl.col("_ch"))
        .alias("_ch"),
    )
    columns = _common_columns(indicator, rules) | _MEASURE_COLUMNS[measure](threshold)
    if measure == "cci":
        numbers = _with_cci_measures(numbers, layout, rng)
        columns |= _cci_columns(layout, threshold)
    selected = []
    for name in layout:
        key = _ALIASES.get(name.lower(), name.lower())
        if key in _EMPTY:
            selected.append(pl.lit(None, pl.String).alias(name))
        elif key in _FLAGS:
            selected.append(_yes(_FLAGS[key](rules), flag_no(prefix, key)).alias(name))
        else:
            selected.append(columns[key].cast(pl.String).alias(name))
    return numbers.select(selected)


# --- status, change and denominators per measure (in tenths, before blanking) ---------------


def _half_up_tenths(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """round(numerator / denominator, 1) in tenths, halves away from zero, exactly."""
    sign = pl.when(numerator < 0).then(-1).otherwise(1)
    return sign * ((2 * numerator.abs() + denominator) // (2 * denominator))


def _tenths_of(value: pl.Expr) -> pl.Expr:
    """A float rounded to tenths, halves away from zero."""
    return (value.sign() * (value.abs() * 10 + 0.5).floor()).cast(pl.Int64)


def _rate_change(cn: pl.Expr, cd: pl.Expr, pn: pl.Expr, pd: pl.Expr) -> pl.Expr:
    return _half_up_tenths(1000 * (cn * pd - pn * cd), cd * pd)


def _rate_status(rows: pl.DataFrame, indicator: str, year: int) -> pl.DataFrame:
    cn, cd = pl.col("curr_numer"), pl.col("curr_denom")
    pn, pd = pl.col("prior_numer"), pl.col("prior_denom")
    return rows.with_columns(
        cd.alias("_cd"),
        pd.alias("_pd"),
        _half_up_tenths(1000 * cn, cd).alias("_cs"),
        _half_up_tenths(1000 * pn, pd).alias("_ps"),
        _rate_change(cn, cd, pn, pd).alias("_ch"),
    )


def _elpi_status(rows: pl.DataFrame, indicator: str, year: int) -> pl.DataFrame:
    progressing = ("progressed", "maintainpl4", "progressed_alternate", "maintainpl3_alternate")
    others = ("maintainoth", "declined", "notprognotmain_alternate", "adjust95")
    numbers = rows.with_columns(
        pl.sum_horizontal(pl.col(f"{when}_{c}") for c in progressing).alias(f"{when}_numer")
        for when in ("curr", "prior")
    ).with_columns(
        (pl.col(f"{when}_numer") + pl.sum_horizontal(pl.col(f"{when}_{c}") for c in others))
        .cast(pl.Int64)
        .alias(f"{when}_denom")
        for when in ("curr", "prior")
    )
    # sum_horizontal treats null as 0; a new school's prior year must stay empty.
    numbers = numbers.with_columns(
        pl.when(pl.col("prior_progressed").is_null()).then(None).otherwise(pl.col(c)).alias(c)
        for c in ("prior_numer", "prior_denom")
    )
    return _rate_status(numbers, indicator, year)


def _cci_status(rows: pl.DataFrame, indicator: str, year: int) -> pl.DataFrame:
    numbers = rows.with_columns(
        pl.col("curr_prep").alias("curr_numer"), pl.col("prior_prep").alias("prior_numer")
    )
    return _rate_status(numbers, indicator, year).with_columns(
        pl.col("curr_denom").filter(pl.col("studentgroup") == "ALL").first().over("cds")
        .alias("_all_denom")
    )  # fmt: skip


def _mean_status(rows: pl.DataFrame, indicator: str, year: int) -> pl.DataFrame:
    loss_points = (_LOSS_POINTS_BEFORE_2023 if year < 2023 else _LOSS_POINTS)[indicator]
    numbers = rows
    for when in ("curr", "prior"):
        enrolled, tested = pl.col(f"{when}_enrolled"), pl.col(f"{when}_tested")
        rate = pl.when(enrolled > 0).then((200 * tested + enrolled) // (2 * enrolled))
        needed = (_PARTICIPATION_TARGET * enrolled + 99) // 100
        loss = pl.when(rate < _PARTICIPATION_TARGET).then((needed - tested).clip(0)).otherwise(0)
        numbers = numbers.with_columns(
            rate.alias(f"{when}_rate"), loss.fill_null(0).alias(f"{when}_loss")
        ).with_columns(
            (pl.col(f"{when}_denom_wo") + pl.col(f"{when}_loss")).alias(f"{when}_denom"),
        )
        numbers = numbers.with_columns(
            # No students, no mean (SBA = ALL - CAA can leave a float crumb over a zero count).
            pl.when(pl.col(f"{when}_denom_wo") > 0)
            .then(pl.col(f"{when}_sum_wo") / pl.col(f"{when}_denom_wo"))
            .alias(f"{when}_mean_wo"),
            pl.when(pl.col(f"{when}_denom") > 0)
            .then(
                (pl.col(f"{when}_sum_wo") + loss_points * pl.col(f"{when}_loss"))
                / pl.col(f"{when}_denom")
            )
            .alias(f"{when}_mean"),
        )
    return numbers.with_columns(
        pl.col("curr_denom").alias("_cd"),
        pl.col("prior_denom").alias("_pd"),
        _tenths_of(pl.col("curr_mean")).alias("_cs"),
        _tenths_of(pl.col("prior_mean")).alias("_ps"),
        _tenths_of(pl.col("curr_mean") - pl.col("prior_mean")).alias("_ch"),
    )


_STATUS: dict[Measure, Callable[[pl.DataFrame, str, int], pl.DataFrame]] = {
    "rate": _rate_status,
    "mean": _mean_status,
    "elpi": _elpi_status,
    "cci": _cci_status,
}


# --- printing ------------------------------------------------------------------------------


def _decimal(tenths: pl.Expr) -> pl.Expr:
    """Tenths as CDE prints them: -51.3, 0.0, 100.0 (never -0.0)."""
    magnitude = tenths.abs()
    return pl.concat_str(
        pl.when(tenths < 0).then(pl.lit("-")).otherwise(pl.lit("")),
        (magnitude // 10).cast(pl.String),
        pl.lit("."),
        (magnitude % 10).cast(pl.String),
    )


def _shown(value: pl.Expr, denominator: str, threshold: int) -> pl.Expr:
    return pl.when(pl.col(denominator) >= threshold).then(value)


def _common_columns(indicator: str, rules: RuleSet) -> dict[str, pl.Expr]:
    same = (
        "cds", "rtype", "schoolname", "districtname", "countyname", "charter_flag", "coe_flag",
        "dass_flag", "studentgroup", "hscutpoints",
    )  # fmt: skip
    columns = {name: pl.col(name) for name in same}
    return columns | {
        "type": pl.col("suspension_type"),
        "indicator": pl.lit(indicator),
        "reportingyear": pl.lit(str(rules.year)),
        "currdenom": pl.col("_cd"),
        "priordenom": pl.col("_pd"),
        "currstatus": _decimal(pl.col("_cs")),
        "priorstatus": _decimal(pl.col("_ps")),
        "change": _decimal(pl.col("_ch")),
        "currnsizegroup": _size_group("_cd", rules),
        "priornsizegroup": _size_group("_pd", rules),
    }


def _size_group(denominator: str, rules: RuleSet) -> pl.Expr:
    low, high = rules.reporting_threshold, rules.colour_n_size
    return (
        pl.when(pl.col(denominator) < low)
        .then(pl.lit(f"0 to {low - 1}"))
        .when(pl.col(denominator) < high)
        .then(pl.lit(f"{low} to {high - 1}"))
        .when(pl.col(denominator).is_not_null())
        .then(pl.lit(f"{high} and Up"))
    )


def _rate_columns(threshold: int) -> dict[str, pl.Expr]:
    return {
        "currnumer": _shown(pl.col("curr_numer"), "_cd", threshold),
        "priornumer": _shown(pl.col("prior_numer"), "_pd", threshold),
        "fiveyrnumer": _shown(pl.col("curr_fiveyr"), "_cd", threshold),
    }


def _mean_columns(threshold: int) -> dict[str, pl.Expr]:
    columns: dict[str, pl.Expr] = {}
    for when in ("curr", "prior"):
        columns |= {
            f"{when}prate_enrolled": pl.col(f"{when}_enrolled"),
            f"{when}prate_tested": pl.col(f"{when}_tested"),
            f"{when}prate": pl.col(f"{when}_rate"),
            f"{when}numprloss": pl.when(pl.col(f"{when}_loss") > 0).then(pl.col(f"{when}_loss")),
            f"{when}denom_withoutprloss": pl.col(f"{when}_denom_wo"),
            f"{when}status_withoutprloss": _shown(
                _decimal(_tenths_of(pl.col(f"{when}_mean_wo"))), f"{when}_denom_wo", threshold
            ),
        }
    return columns


def _elpi_columns(threshold: int) -> dict[str, pl.Expr]:
    columns = _rate_columns(threshold)
    parts = (
        "progressed", "maintainpl4", "maintainoth", "declined", "progressed_alternate",
        "maintainpl3_alternate", "notprognotmain_alternate",
    )  # fmt: skip
    for when, denominator in (("curr", "_cd"), ("prior", "_pd")):
        for part in parts:
            columns[f"{when}{part}"] = _shown(pl.col(f"{when}_{part}"), denominator, threshold)
            columns[f"pct{when}{part}"] = _shown(
                _decimal(_half_up_tenths(1000 * pl.col(f"{when}_{part}"), pl.col(denominator))),
                denominator,
                threshold,
            )
        columns[f"{when}95"] = pl.col(f"{when}_adjust95")
    return columns


def _cci_base_columns(threshold: int) -> dict[str, pl.Expr]:
    return {
        "studentgroup_pct": pl.when(pl.col("_all_denom") > 0).then(
            _decimal(_half_up_tenths(1000 * pl.col("_cd"), pl.col("_all_denom")))
        )
    }


_MEASURE_COLUMNS: dict[Measure, Callable[[int], dict[str, pl.Expr]]] = {
    "rate": _rate_columns,
    "mean": _mean_columns,
    "elpi": _elpi_columns,
    "cci": _cci_base_columns,
}


def _cci_parts(layout: tuple[str, ...]) -> list[tuple[str, str, str, str | None, bool]]:
    """(column, when, level, measure, is_percent) for each prepared-measure column."""
    parts = []
    for name in layout:
        key = name.lower()
        percent = key.endswith(("_pct", "_pc"))
        base = key.rsplit("_", 1)[0] if percent else key
        match = _CCI_COLUMN.match(base)
        if match:
            parts.append((key, match["when"], match["level"], match["measure"], percent))
    return parts


def _with_cci_measures(
    numbers: pl.DataFrame, layout: tuple[str, ...], rng: np.random.Generator
) -> pl.DataFrame:
    """Counts of students meeting each measure: a share of the prepared (or approaching) count."""
    drawn = {}
    for key, when, level, measure, percent in _cci_parts(layout):
        if measure is None or percent:
            continue
        parent = numbers.get_column(f"{when}_{level}").fill_null(0).to_numpy()
        share = _CCI_MEASURE_SHARE.get((level, measure), _CCI_MEASURE_DEFAULT)
        drawn[f"_m_{key}"] = rng.binomial(parent, share)
    return numbers.with_columns(pl.Series(name, values) for name, values in drawn.items())


def _cci_columns(layout: tuple[str, ...], threshold: int) -> dict[str, pl.Expr]:
    columns: dict[str, pl.Expr] = {}
    for key, when, level, measure, percent in _cci_parts(layout):
        denominator = "_cd" if when == "curr" else "_pd"
        parent = f"{when}_{level}"
        if measure is None:
            count, base = pl.col(parent), pl.col(denominator)
        else:
            count_key = key.rsplit("_", 1)[0] if percent else key
            count, base = pl.col(f"_m_{count_key}"), pl.col(parent)
        value = (
            pl.when(base > 0).then(_decimal(_half_up_tenths(1000 * count, base)))
            if percent
            else count
        )
        columns[key] = _shown(value, denominator, threshold)
    return columns


# --- Y/N flags from the year's n-size rules ------------------------------------------------


def _n_size(rules: RuleSet) -> pl.Expr:
    reduced = pl.col("rtype").is_in(sorted(rules.reduced_n_size_rtypes)) & pl.col(
        "studentgroup"
    ).is_in(sorted(rules.reduced_n_size_groups))
    return pl.when(reduced).then(rules.reduced_n_size).otherwise(rules.colour_n_size)


def _meets(denominator: str, rules: RuleSet) -> pl.Expr:
    coloured = ~pl.col("studentgroup").is_in(sorted(rules.never_coloured_groups))
    return ((pl.col(denominator) >= _n_size(rules)) & coloured).fill_null(False)


_FLAGS: dict[str, Callable[[RuleSet], pl.Expr]] = {
    "currnsizemet": lambda rules: _meets("_cd", rules),
    "priornsizemet": lambda rules: _meets("_pd", rules),
    "accountabilitymet": lambda rules: _meets("_cd", rules) & _meets("_pd", rules),
    "smalldenom": lambda rules: pl.col("_cd") < rules.small_denominator_limit,
}


def _yes(condition: pl.Expr, no: str | None) -> pl.Expr:
    return pl.when(condition).then(pl.lit("Y")).otherwise(pl.lit(no, pl.String))
