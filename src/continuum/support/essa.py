"""ESSA school identification: CSI Low Performing, CSI Low Graduation and ATSI.

Schools and their student groups are judged on colour patterns of their Dashboard indicators
(rules in ``rules/essa/YYYY.toml``); Title I, DASS and last year's status are inputs. The output
is shaped like CDE's ``essaassistanceYY.xlsx``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

from continuum.errors import RuleError
from continuum.rulefiles import read_rule_file, rule_years
from continuum.support.assistance import GROUP_COLUMN_NAMES
from continuum.support.explain import indicator_result
from continuum.support.rules import INDICATORS, KNOWN_GROUPS, RULES_DIR

ESSA_RULES_DIR = RULES_DIR / "essa"
PATTERNS = ("all_lowest", "all_lowest_but_one", "majority_lowest", "lowest_and_next")
PATTERN_TEXT = {
    "all_lowest": "every indicator at the lowest level",
    "all_lowest_but_one": "all indicators but one at the lowest level",
    "majority_lowest": "five or more indicators, most at the lowest level",
    "lowest_and_next": "every indicator at the lowest or next-lowest level",
}
CSI_LOW = "CSI Low Perform"
CSI_GRAD = "CSI Grad"
ATSI = "ATSI"
NO_STATUS = "No Status"
SCHOOL_COLUMNS = ("cds", "title_i", "dass")


@dataclass(frozen=True)
class EssaRules:
    """The identification rules of one Dashboard year."""

    year: int
    measure: str
    status_lowest_indicators: frozenset[str]
    patterns: tuple[str, ...]
    min_indicators: int
    n_size: int
    atsi_groups: tuple[str, ...]
    atsi_years: tuple[int, ...]
    csi_title_i_column: str
    csi_grad_below: float
    csi_grad_years: tuple[int, ...]


def essa_years() -> list[int]:
    """Dashboard years with ESSA rules."""
    return list(rule_years(ESSA_RULES_DIR))


@cache
def load_essa_rules(year: int) -> EssaRules:
    """Load and validate ``rules/essa/YYYY.toml``."""
    path, data = read_rule_file(ESSA_RULES_DIR, year, "ESSA rule file")
    return parse_essa_rules(data, path)


def parse_essa_rules(data: dict[str, Any], path: Path) -> EssaRules:
    """Build :class:`EssaRules`, rejecting unknown keys and values."""
    expected = {
        "year": int, "measure": str, "status_lowest_indicators": list, "patterns": list,
        "min_indicators": int, "n_size": int, "atsi_groups": list, "atsi_years": list,
        "csi_title_i_column": str, "csi_grad_below": float, "csi_grad_years": list,
    }  # fmt: skip
    for key, kind in expected.items():
        if not isinstance(data.get(key), kind):
            raise RuleError(path, key, f"is missing or not a {kind.__name__}")
    unknown = sorted(set(data) - set(expected))
    if unknown:
        raise RuleError(path, unknown[0], "is not a rule this engine knows")
    checks = [
        ("measure", data["measure"] in ("color", "statuslevel"), "must be color or statuslevel"),
        ("patterns", set(data["patterns"]) <= set(PATTERNS), f"must be among {list(PATTERNS)}"),
        ("atsi_groups", set(data["atsi_groups"]) <= KNOWN_GROUPS, "names an unknown group"),
        (
            "status_lowest_indicators",
            set(data["status_lowest_indicators"]) <= INDICATORS,
            "names an unknown indicator",
        ),
        ("atsi_years", data["year"] in data["atsi_years"], "must include the rule year"),
    ]
    for key, ok, message in checks:
        if not ok:
            raise RuleError(path, key, message)
    return EssaRules(
        year=data["year"],
        measure=data["measure"],
        status_lowest_indicators=frozenset(data["status_lowest_indicators"]),
        patterns=tuple(data["patterns"]),
        min_indicators=data["min_indicators"],
        n_size=data["n_size"],
        atsi_groups=tuple(data["atsi_groups"]),
        atsi_years=tuple(data["atsi_years"]),
        csi_title_i_column=data["csi_title_i_column"],
        csi_grad_below=data["csi_grad_below"],
        csi_grad_years=tuple(data["csi_grad_years"]),
    )


def indicator_levels(levels: pl.DataFrame, rules: EssaRules) -> pl.DataFrame:
    """School rows of the rule year at the n-size, with ``rank``: 1 lowest, 2 next, 3 other.

    Only indicators with a performance level count: a colour in colour years (plus the status of
    ``status_lowest_indicators``), a status level in status-only years.
    """
    rows = levels.filter(
        (pl.col("reportingyear") == rules.year)
        & (pl.col("rtype") == "S")
        & (pl.col("currdenom") >= rules.n_size)
        & pl.col("indicator").is_in(sorted(INDICATORS))
    )
    if rules.measure == "statuslevel":
        level = pl.col("statuslevel")
    else:
        by_status = pl.col("indicator").is_in(sorted(rules.status_lowest_indicators))
        level = pl.when(by_status).then(pl.col("statuslevel")).otherwise(pl.col("color"))
    return (
        rows.with_columns(level.alias("level"))
        .filter(pl.col("level") > 0)
        .with_columns(
            pl.when(pl.col("level") == 1)
            .then(1)
            .when(pl.col("level") == 2)
            .then(2)
            .otherwise(3)
            .alias("rank")
        )
    )


def pattern_met(counted: int, lowest: int, next_lowest: int, rules: EssaRules) -> str | None:
    """The first of the year's patterns the counts match, or None."""
    if counted < rules.min_indicators or lowest == 0:
        return None
    tests = {
        "all_lowest": lowest == counted,
        "all_lowest_but_one": lowest == counted - 1,
        "majority_lowest": counted >= 5 and lowest * 2 > counted,
        "lowest_and_next": lowest + next_lowest == counted,
    }
    return next((p for p in rules.patterns if tests[p]), None)


def group_patterns(levels: pl.DataFrame, rules: EssaRules) -> pl.DataFrame:
    """Per (cds, studentgroup): counts of indicators by rank, pattern met and evidence text."""
    ranked = indicator_levels(levels, rules)
    grouped = ranked.group_by("cds", "studentgroup").agg(
        pl.len().alias("counted"),
        (pl.col("rank") == 1).sum().alias("lowest"),
        (pl.col("rank") == 2).sum().alias("next_lowest"),
        pl.struct("indicator", "color", "statuslevel", "currstatus", "change", "currdenom")
        .sort_by("indicator")
        .alias("results"),
    )
    patterns = []
    evidence = []
    for row in grouped.iter_rows(named=True):
        patterns.append(pattern_met(row["counted"], row["lowest"], row["next_lowest"], rules))
        evidence.append("; ".join(indicator_result(r) for r in row["results"]))
    return grouped.drop("results").with_columns(
        pl.Series("pattern", patterns, dtype=pl.String),
        pl.Series("evidence", evidence, dtype=pl.String),
    )


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
) -> EssaDetermination:
    """CSI Low Performing, CSI Low Graduation and ATSI for every school with Dashboard rows.

    ``schools`` gives ``cds, title_i, dass`` ("Yes"/"No"); ``prior_status`` gives ``cds,
    status`` from last year's file, for the Exit column. A decision that needs an input that is
    missing (Title I, an earlier year) is left empty and the explanation says why.
    """
    rules = load_essa_rules(year)
    if year not in levels_by_year:
        raise ValueError(f"no Dashboard results for {year}")
    current = levels_by_year[year]
    school_rows = current.filter((pl.col("reportingyear") == year) & (pl.col("rtype") == "S"))
    names = school_rows.group_by("cds").agg(
        pl.col("schoolname").drop_nulls().first(), pl.col("districtname").drop_nulls().first()
    )
    info = schools.select(SCHOOL_COLUMNS)
    table = names.join(info, on="cds", how="left")
    patterns_now = group_patterns(current, rules)
    atsi, atsi_missing = _atsi_groups(levels_by_year, rules)
    grad = _graduation_average(levels_by_year, rules)
    records = []
    for school in table.sort("cds").iter_rows(named=True):
        records.append(_school_record(school, rules, patterns_now, (atsi, atsi_missing), grad))
    result = pl.DataFrame(records, schema=_output_schema(rules))
    if prior_status is not None:
        result = _with_exit(result, prior_status, year)
    else:
        result = result.with_columns(pl.lit(None, dtype=pl.String).alias("Exit"))
    ordered = [
        "cds", "schoolname", "districtname", rules.csi_title_i_column, "DASS",
        f"AssistanceStatus{year}", "Exit",
        *[GROUP_COLUMN_NAMES.get(g, g) for g in rules.atsi_groups],
        "TotStudGrps", "ReportingYear", "Explanation",
    ]  # fmt: skip
    return EssaDetermination(year=year, table=result.select(ordered), groups=patterns_now)


def _atsi_groups(
    levels_by_year: Mapping[int, pl.DataFrame], rules: EssaRules
) -> tuple[pl.DataFrame, list[int]]:
    """(cds, studentgroup) meeting the criteria in every ATSI year, and the years missing."""
    missing = [y for y in rules.atsi_years if y not in levels_by_year or y not in essa_years()]
    if missing:
        return pl.DataFrame(schema={"cds": pl.String, "studentgroup": pl.String}), missing
    frames = []
    for y in rules.atsi_years:
        met = group_patterns(levels_by_year[y], load_essa_rules(y)).filter(
            pl.col("pattern").is_not_null() & pl.col("studentgroup").is_in(rules.atsi_groups)
        )
        frames.append(met.select("cds", "studentgroup"))
    both = frames[0]
    for frame in frames[1:]:
        both = both.join(frame, on=["cds", "studentgroup"], how="inner")
    return both, []


def _graduation_average(
    levels_by_year: Mapping[int, pl.DataFrame], rules: EssaRules
) -> pl.DataFrame:
    """(cds, grad_average, grad_years) for the ALL group over the CSI graduation years."""
    rows = [
        levels_by_year[y].filter(
            (pl.col("reportingyear") == y)
            & (pl.col("rtype") == "S")
            & (pl.col("indicator") == "GRAD")
            & (pl.col("studentgroup") == "ALL")
            & pl.col("currstatus").is_not_null()
        )
        for y in rules.csi_grad_years
        if y in levels_by_year
    ]
    if not rows:
        return pl.DataFrame(
            schema={"cds": pl.String, "grad_average": pl.Float64, "grad_years": pl.UInt32}
        )
    # Graduates are recovered from rate × cohort so the average weighs each year by its cohort.
    return (
        pl.concat(rows)
        .group_by("cds")
        .agg(
            ((pl.col("currstatus") * pl.col("currdenom")).sum() / pl.col("currdenom").sum())
            .round(1)
            .alias("grad_average"),
            pl.col("reportingyear").n_unique().alias("grad_years"),
        )
    )


def _school_record(
    school: dict[str, Any],
    rules: EssaRules,
    patterns_now: pl.DataFrame,
    atsi_and_missing: tuple[pl.DataFrame, list[int]],
    grad: pl.DataFrame,
) -> dict[str, Any]:
    cds = school["cds"]
    atsi, atsi_missing = atsi_and_missing
    reasons: list[str] = []
    all_row = patterns_now.filter((pl.col("cds") == cds) & (pl.col("studentgroup") == "ALL"))
    all_pattern = all_row.item(0, "pattern") if all_row.height else None
    status: str | None = NO_STATUS
    if all_pattern is not None:
        reasons.append(
            f"All students: {PATTERN_TEXT[all_pattern]} [{all_row.item(0, 'evidence')}]."
        )
        if school["title_i"] is None:
            status = None
            reasons.append("Title I status not given, so CSI Low Performing is undetermined.")
        elif school["title_i"] == "Yes":
            status = CSI_LOW
        else:
            reasons.append("Not Title I-funded, so not CSI Low Performing.")
    grad_row = grad.filter(pl.col("cds") == cds)
    if status == NO_STATUS and grad_row.height:
        average = grad_row.item(0, "grad_average")
        years = ", ".join(str(y) for y in rules.csi_grad_years)
        if grad_row.item(0, "grad_years") < len(rules.csi_grad_years):
            reasons.append(f"Graduation rate not available for every year of {years}.")
        elif average < rules.csi_grad_below and school["dass"] == "Yes":
            reasons.append(
                f"Graduation rate {average}% ({years}) is below {rules.csi_grad_below}%, but this "
                "is a DASS school, whose CSI graduation test uses the DASS graduation rate, "
                "which the Dashboard files do not carry; CSI Graduation not evaluated."
            )
        elif average < rules.csi_grad_below:
            status = CSI_GRAD
            reasons.append(
                f"Graduation rate averaged over {years}: {average}%, below {rules.csi_grad_below}%."
            )
    flags = dict.fromkeys(rules.atsi_groups, 0)
    school_atsi = atsi.filter(pl.col("cds") == cds)
    if atsi_missing:
        status = None if status == NO_STATUS else status
        reasons.append(f"ATSI needs the {atsi_missing[0]} Dashboard results, not supplied.")
    for group in school_atsi["studentgroup"].to_list():
        flags[group] = 1
        evidence = patterns_now.filter((pl.col("cds") == cds) & (pl.col("studentgroup") == group))
        years = " and ".join(str(y) for y in rules.atsi_years)
        reasons.append(
            f"{group}: met the criteria in {years}; {rules.year}: "
            f"{PATTERN_TEXT[evidence.item(0, 'pattern')]} [{evidence.item(0, 'evidence')}]."
        )
    if status == NO_STATUS and any(flags.values()):
        status = ATSI
    elif status in (CSI_LOW, CSI_GRAD):
        # CDE flags student groups only for ATSI schools; CSI takes precedence.
        flags = dict.fromkeys(flags, 0)
    text = f"{school['schoolname'] or cds}, {rules.year} Dashboard: {status or 'undetermined'}."
    record = {
        "cds": cds,
        "schoolname": school["schoolname"],
        "districtname": school["districtname"],
        rules.csi_title_i_column: school["title_i"],
        "DASS": school["dass"],
        f"AssistanceStatus{rules.year}": status,
        "TotStudGrps": sum(flags.values()),
        "ReportingYear": rules.year,
        "Explanation": " ".join([text, *reasons]),
    }
    record |= {GROUP_COLUMN_NAMES.get(g, g): v for g, v in flags.items()}
    return record


def _output_schema(rules: EssaRules) -> dict[str, pl.DataType]:
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
        **{GROUP_COLUMN_NAMES.get(g, g): pl.Int8() for g in rules.atsi_groups},
    }


def _with_exit(result: pl.DataFrame, prior: pl.DataFrame, year: int) -> pl.DataFrame:
    """CSIEXIT / ATSIEXIT when last year's category is not held this year, else NOEXIT."""
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
    return joined.with_columns(exit_code.alias("Exit")).drop("prior")
