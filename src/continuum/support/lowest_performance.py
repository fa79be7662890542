"""Schools, LEAs and student groups at the lowest performance level on a state indicator.

The LCAP must address every school and student group "that received the lowest performance level
on one or more state indicators" on the most recent Dashboard (EC 52064; LCAP instructions).
CDE publishes three lists for it, and :func:`lowest_performance` builds them from a levels table
in CDE's layouts (for 2023: ``lowperfsch23data``, ``lowperfschnonall23data`` and
``lowperfleasnonall23data``):

- ``schools``: every school (charters and DASS schools included) whose all-students group is at
  the lowest level on an indicator. Its ELPI column is the school's English Learner Progress
  result, which the Dashboard reports for English learners only.
- ``school_groups``: school × student group (not ALL), without an ELPI column.
- ``leas``: district, COE or charter × student group, ALL included; ELPI under EL.

"Lowest performance level" is Red; on an indicator the year's rule file marks ``status_only``
(no colours that year) it is the lowest status level, code 1, at the DA n-size. An indicator
column holds ``Y`` or CDE's blank marker ``*``; only rows with at least one ``Y`` are listed.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from continuum.errors import InputError, RuleError
from continuum.support.rules import LowestPerformanceRules, load_da_rules

# CDE's column names for the indicators, in its lists.
CDE_COLUMNS = {
    "ELA": "ELA",
    "MATH": "Math",
    "CHRO": "Chronic",
    "CCI": "CCI",
    "ELPI": "ELPI",
    "GRAD": "Grad",
    "SUSP": "Susp",
    "SCIENCE": "Science",
}
BLANK = "*"  # CDE's marker for an empty cell ("e-reader accessibility")
ENTITY_COLUMNS = ("reportingyear", "cds", "rtype", "schoolname", "districtname", "countyname")
NEEDED = ("cds", "rtype", "studentgroup", "indicator", "reportingyear", "currdenom")
NAME_COLUMNS = ("schoolname", "districtname", "countyname", "charter_flag")


@dataclass(frozen=True)
class LowestPerformanceLists:
    """CDE's three lists for one Dashboard year, and the results behind every ``Y``."""

    year: int
    schools: pl.DataFrame
    school_groups: pl.DataFrame
    leas: pl.DataFrame
    evidence: pl.DataFrame

    def file_names(self) -> dict[str, pl.DataFrame]:
        """The lists under CDE's file names (without extension), e.g. ``lowperfsch23data``."""
        yy = f"{self.year % 100:02d}"
        return {
            f"lowperfsch{yy}data": self.schools,
            f"lowperfschnonall{yy}data": self.school_groups,
            f"lowperfleasnonall{yy}data": self.leas,
        }


def lowest_performance(levels: pl.DataFrame, year: int) -> LowestPerformanceLists:
    """CDE's lowest-performance lists for ``year`` from a levels table (``compute_levels`` output
    or a normalised levels table; rows of other years are ignored)."""
    rules = load_da_rules(year)
    lowest = rules.lowest_performance
    if lowest is None:
        raise RuleError(rules.path, "lowest_performance", f"is not given for {year}")
    missing = [c for c in (*NEEDED, "statuslevel", "color") if c not in levels.columns]
    if missing:
        raise InputError(
            "levels table", f"missing column(s) {', '.join(missing)}", column=missing[0]
        )
    results = (
        levels.lazy()
        .filter(
            (pl.col("reportingyear") == year)
            & pl.col("indicator").is_in(list(lowest.indicators))
            & pl.col("rtype").is_in(["S", "D"])
        )
        .with_columns(
            *(
                (pl.col(c) if c in levels.columns else pl.lit(None)).cast(pl.String).alias(c)
                for c in NAME_COLUMNS
            ),
            pl.col("statuslevel").cast(pl.Int64).fill_null(0),
            pl.col("color").cast(pl.Int64).fill_null(0),
            (pl.col("changelevel") if "changelevel" in levels.columns else pl.lit(0))
            .cast(pl.Int64)
            .fill_null(0)
            .alias("changelevel"),
            pl.col("currdenom").cast(pl.Float64),
        )
        .with_columns(rules.n_size_expr().alias("n_size"))
        .with_columns(_is_lowest(lowest).alias("lowest"))
        .collect()
    )
    names = _names(results)
    flagged = results.filter("lowest")
    indicators = list(lowest.indicators)
    groups = list(rules.student_groups)

    school_all = flagged.filter(
        (pl.col("rtype") == "S")
        & ((pl.col("studentgroup") == "ALL") | (pl.col("indicator") == "ELPI"))
        & ((pl.col("indicator") != "ELPI") | pl.col("studentgroup").is_in(["ALL", "EL"]))
    ).with_columns(pl.lit("ALL").alias("studentgroup"))
    schools = _layout(school_all, names, year, indicators, with_group=False).sort(
        *_sort_keys("countyname", "districtname"), "cds"
    )

    school_groups_long = flagged.filter(
        (pl.col("rtype") == "S")
        & pl.col("studentgroup").is_in(groups)
        & (pl.col("indicator") != "ELPI")
    )
    school_groups = _layout(
        school_groups_long, names, year, [i for i in indicators if i != "ELPI"], with_group=True
    ).sort(*_sort_keys("countyname", "districtname"), "cds", "studentgroup")

    lea_long = flagged.filter(
        ((pl.col("rtype") == "D") | (pl.col("charter_flag") == "Y"))
        & pl.col("studentgroup").is_in(["ALL", *groups])
    )
    leas = _layout(lea_long, names, year, indicators, with_group=True).sort(
        "rtype", *_sort_keys("countyname", "districtname", "schoolname"), "cds", "studentgroup"
    )
    evidence = flagged.select(
        "cds",
        "rtype",
        "studentgroup",
        "indicator",
        "color",
        "statuslevel",
        "currdenom",
        pl.when(pl.col("indicator").is_in(list(lowest.status_only)))
        .then(
            pl.format(
                "lowest status level (no colour in {}) with {} students (n-size {})",
                pl.lit(year),
                pl.col("currdenom").cast(pl.Int64),
                pl.col("n_size"),
            )
        )
        .otherwise(
            pl.format(
                "Red (status level {}, change level {}) with {} students",
                pl.col("statuslevel"),
                pl.col("changelevel"),
                pl.col("currdenom").cast(pl.Int64),
            )
        )
        .alias("reason"),
    ).sort("cds", "studentgroup", "indicator")
    return LowestPerformanceLists(year, schools, school_groups, leas, evidence)


def _is_lowest(lowest: LowestPerformanceRules) -> pl.Expr:
    """Red; or, on a status-only indicator, status level 1 with enough students."""
    status_only = pl.col("indicator").is_in(list(lowest.status_only))
    lowest_status = (pl.col("statuslevel") == 1) & (pl.col("currdenom") >= pl.col("n_size"))
    return pl.when(status_only).then(lowest_status).otherwise(pl.col("color") == 1).fill_null(False)


def _names(results: pl.DataFrame) -> pl.DataFrame:
    """One row of names and flags per CDS code (the first one any file gives)."""
    return results.group_by("cds").agg(
        pl.col("rtype").first(), *(pl.col(c).drop_nulls().first() for c in NAME_COLUMNS)
    )


def _layout(
    flagged: pl.DataFrame,
    names: pl.DataFrame,
    year: int,
    indicators: list[str],
    *,
    with_group: bool,
) -> pl.DataFrame:
    """One row per entity (and group) with ``Y`` or ``*`` per indicator, in CDE's column order."""
    keys = ["cds", "studentgroup"] if with_group else ["cds"]
    wide = flagged.group_by(keys).agg(
        pl.when((pl.col("indicator") == indicator).any())
        .then(pl.lit("Y"))
        .otherwise(pl.lit(BLANK))
        .alias(CDE_COLUMNS[indicator])
        for indicator in indicators
    )
    entity = [
        pl.lit(year, dtype=pl.Int32).alias("reportingyear"),
        pl.col("cds"),
        pl.col("rtype"),
        *(pl.col(c).fill_null(BLANK).replace("", BLANK) for c in ENTITY_COLUMNS[3:]),
        pl.when(pl.col("charter_flag") == "Y")
        .then(pl.lit("Y"))
        .otherwise(pl.lit(BLANK))
        .alias("charter_flag"),
    ]
    group = [pl.col("studentgroup")] if with_group else []
    return wide.join(names, on="cds", how="left").select(
        *entity, *group, *(pl.col(CDE_COLUMNS[i]) for i in indicators)
    )


def _sort_keys(*columns: str) -> list[pl.Expr]:
    """CDE sorts names without regard to case ("San Lorenzo Unified" before "SBE - …")."""
    return [pl.col(c).str.to_lowercase() for c in columns]
