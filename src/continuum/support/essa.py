"""ESSA school support: CSI Low Performing, CSI Low Graduation, ATSI and TSI.

Schools and their student groups are judged on colour patterns of their Dashboard indicators
(rules in ``rules/essa/YYYY.toml``, :mod:`continuum.support.essa_rules`); Title I, DASS and last
year's status are inputs. The output is shaped like CDE's ``essaassistanceYY.xlsx``.

In an **entry year** of the three-year cycle (2022, 2023; next 2026) CSI and ATSI are decided
afresh. In the other years (2024, 2025) a school keeps last year's CSI or ATSI status unless it
meets the exit criteria, and a school that is neither may be TSI
(:mod:`continuum.support.essa_school`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from continuum.errors import InputError
from continuum.support.essa_rules import (
    ATSI,
    CSI_GRAD,
    CSI_LOW,
    ESSA_RULES_DIR,
    NO_STATUS,
    PATTERN_TEXT,
    PATTERNS,
    RECORD_LAYOUTS,
    TSI,
    EssaRules,
    essa_years,
    group_patterns,
    indicator_levels,
    load_essa_rules,
    parse_essa_rules,
    pattern_met,
)
from continuum.support.essa_school import (
    carried_record,
    entry_record,
    prior_by_school,
    year_inputs,
)

__all__ = [
    "ATSI", "CSI_GRAD", "CSI_LOW", "ESSA_RULES_DIR", "NO_STATUS", "PATTERNS", "PATTERN_TEXT",
    "RECORD_LAYOUTS", "TSI", "EssaDetermination", "EssaRules", "determine_essa", "essa_years",
    "group_patterns", "indicator_levels", "load_essa_rules", "parse_essa_rules", "pattern_met",
]  # fmt: skip
SCHOOL_COLUMNS = ("cds", "title_i", "dass")


@dataclass(frozen=True)
class EssaDetermination:
    """One year's school determinations, shaped like CDE's file, and the group evidence."""

    year: int
    table: pl.DataFrame
    groups: pl.DataFrame


def determine_essa(
    levels_by_year: Mapping[int, pl.DataFrame],
    year: int,
    *,
    schools: pl.DataFrame,
    prior_status: pl.DataFrame | None = None,
    rules: EssaRules | None = None,
) -> EssaDetermination:
    """ESSA school support for every school with Dashboard rows in ``year``.

    ``schools`` gives ``cds, title_i, dass`` ("Yes"/"No"). ``prior_status`` gives ``cds,
    status`` from last year's file (CDE's or a ``support essa`` output) and, for ATSI schools,
    the 0/1 group columns (AA … WH, TOM for two or more races) when present. In an entry year it
    only feeds the Exit column; in a non-entry year it is required (the statuses carried or ended)
    and its absence raises :class:`InputError`. ``rules`` replaces the year's rule file (tests,
    what-if). A decision that needs an input that is missing (Title I, an earlier year, a school's
    prior groups) is left empty and the explanation says why.
    """
    rules = rules or load_essa_rules(year)
    if rules.year != year:
        raise ValueError(f"rules are for {rules.year}, not {year}")
    if year not in levels_by_year:
        raise ValueError(f"no Dashboard results for {year}")
    if not rules.entry_year and prior_status is None:
        raise InputError(
            "prior_status",
            f"the {year} ESSA determinations keep or end the {year - 1} statuses ({year} is not "
            f"an entry year of the CSI/ATSI cycle); give the {year - 1} statuses: CDE's "
            f"essaassistance{(year - 1) % 100}.xlsx or a 'support essa --year {year - 1}' output",
        )
    current = levels_by_year[year]
    school_rows = current.filter((pl.col("reportingyear") == year) & (pl.col("rtype") == "S"))
    names = school_rows.group_by("cds").agg(
        pl.col("schoolname").drop_nulls().first(), pl.col("districtname").drop_nulls().first()
    )
    table = names.join(schools.select(SCHOOL_COLUMNS), on="cds", how="left")
    inputs = year_inputs(levels_by_year, rules)
    if rules.entry_year:
        records = [entry_record(s, inputs) for s in table.sort("cds").iter_rows(named=True)]
    else:
        assert prior_status is not None
        priors = prior_by_school(prior_status, rules)
        records = [
            carried_record(s, inputs, priors) for s in table.sort("cds").iter_rows(named=True)
        ]
    result = pl.DataFrame(records, schema=_record_schema(rules))
    if prior_status is not None:
        result = _with_exit(result, prior_status, year)
    else:
        result = result.with_columns(
            pl.lit(None, dtype=pl.String).alias("Exit"),
            pl.lit(None, dtype=pl.String).alias("prior"),
        )
    return EssaDetermination(year=year, table=_in_layout(result, rules), groups=inputs.patterns_now)


def _record_schema(rules: EssaRules) -> dict[str, pl.DataType]:
    return {
        "cds": pl.String(),
        "schoolname": pl.String(),
        "districtname": pl.String(),
        rules.csi_title_i_column: pl.String(),
        "DASS": pl.String(),
        f"AssistanceStatus{rules.year}": pl.String(),
        "TotStudGrps": pl.Int32(),
        "ReportingYear": pl.Int32(),
        "Explanation": pl.String(),
        **dict.fromkeys(rules.group_columns, pl.Int8()),
    }


def _in_layout(result: pl.DataFrame, rules: EssaRules) -> pl.DataFrame:
    """The columns of the rule year's CDE layout, in CDE's order, then the Explanation."""
    year = rules.year
    head = ["cds", "schoolname", "districtname", rules.csi_title_i_column, "DASS"]
    if rules.record_layout == "essaassistance23":
        return result.select(
            *head, f"AssistanceStatus{year}", "Exit", *rules.group_columns, "TotStudGrps",
            "ReportingYear", "Explanation",
        )  # fmt: skip
    status = pl.col(f"AssistanceStatus{year}")
    total = pl.col("TotStudGrps")
    return result.select(
        *head,
        pl.col("prior").alias(f"AssistanceStatus{year - 1}"),
        f"AssistanceStatus{year}",
        "Exit",
        *rules.group_columns,
        pl.when(status == ATSI).then(total).otherwise(0).alias("TotStudGrpsATSI"),
        pl.when(status == TSI).then(total).otherwise(0).alias("TotStudGrpsTSI"),
        "ReportingYear",
        "Explanation",
    )


def _with_exit(result: pl.DataFrame, prior: pl.DataFrame, year: int) -> pl.DataFrame:
    """CSIEXIT / ATSIEXIT when last year's category is not held this year, else NOEXIT.

    Keeps last year's status as ``prior``. A TSI school that is not TSI again has no exit code:
    CDE's Exit values are CSIEXIT, ATSIEXIT and NOEXIT.
    """
    now = pl.col(f"AssistanceStatus{year}")
    before = pl.col("prior")
    exit_code = (
        pl.when(now.is_null())
        .then(pl.lit(None, dtype=pl.String))
        .when(before.str.starts_with("CSI") & ~now.str.starts_with("CSI"))
        .then(pl.lit("CSIEXIT"))
        .when((before == ATSI) & (now != ATSI))
        .then(pl.lit("ATSIEXIT"))
        .otherwise(pl.lit("NOEXIT"))
    )
    joined = result.join(
        prior.select(pl.col("cds"), pl.col("status").alias("prior")), on="cds", how="left"
    )
    return joined.with_columns(exit_code.alias("Exit"))
