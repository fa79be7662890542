"""ESSA school support: CSI Low Performing, CSI Low Graduation, ATSI and TSI.

Schools and their student groups are judged on colour patterns of their Dashboard indicators
(rules in ``rules/essa/YYYY.toml``); Title I, DASS and last year's status are inputs. The output
is shaped like CDE's ``essaassistanceYY.xlsx``.

In an **entry year** of the three-year cycle (2022, 2023; next 2026) CSI and ATSI are decided
afresh. In the other years (2024, 2025) a school keeps last year's CSI or ATSI status unless it
meets the exit criteria, and a school that is neither may be TSI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

from continuum.errors import InputError, RuleError
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
TSI = "TSI"
NO_STATUS = "No Status"
# Statuses of CDE's files that carry nothing into the next year ("General Assistance": 2018-19).
NOT_IDENTIFIED = (NO_STATUS, TSI, "General Assistance")
SCHOOL_COLUMNS = ("cds", "title_i", "dass")
# CDE's column layouts: essaassistance23 has one TotStudGrps; essaassistance24 adds last year's
# status and counts ATSI and TSI groups apart (TotStudGrpsATSI, TotStudGrpsTSI).
RECORD_LAYOUTS = ("essaassistance23", "essaassistance24")


@dataclass(frozen=True)
class EssaRules:
    """The identification rules of one Dashboard year."""

    year: int
    entry_year: bool
    record_layout: str
    measure: str
    status_lowest_indicators: frozenset[str]
    patterns: tuple[str, ...]
    min_indicators: int
    n_size: int
    atsi_groups: tuple[str, ...]
    atsi_years: tuple[int, ...]
    tsi_years: tuple[int, ...]
    csi_title_i_column: str
    csi_grad_entry: bool
    csi_grad_below: float
    csi_grad_years: tuple[int, ...]
    csi_grad_exit_at_or_above: float
    csi_grad_exit_years: tuple[int, ...]

    @property
    def group_columns(self) -> list[str]:
        """The output's student group columns (CDE's names: TOM for MR)."""
        return [GROUP_COLUMN_NAMES.get(g, g) for g in self.atsi_groups]


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
        "year": int, "entry_year": bool, "record_layout": str, "measure": str,
        "status_lowest_indicators": list, "patterns": list, "min_indicators": int,
        "n_size": int, "atsi_groups": list, "atsi_years": list, "tsi_years": list,
        "csi_title_i_column": str, "csi_grad_entry": bool, "csi_grad_below": float,
        "csi_grad_years": list, "csi_grad_exit_at_or_above": float, "csi_grad_exit_years": list,
    }  # fmt: skip
    for key, kind in expected.items():
        if not isinstance(data.get(key), kind):
            raise RuleError(path, key, f"is missing or not a {kind.__name__}")
    unknown = sorted(set(data) - set(expected))
    if unknown:
        raise RuleError(path, unknown[0], "is not a rule this engine knows")
    for key in ("atsi_years", "tsi_years", "csi_grad_years", "csi_grad_exit_years"):
        if not all(isinstance(y, int) and not isinstance(y, bool) for y in data[key]):
            raise RuleError(path, key, "must be a list of years")
    year, entry = data["year"], data["entry_year"]
    tsi, grad_exit = data["tsi_years"], data["csi_grad_exit_years"]
    grad_entry = data["csi_grad_years"]
    checks = [
        ("measure", data["measure"] in ("color", "statuslevel"), "must be color or statuslevel"),
        ("record_layout", data["record_layout"] in RECORD_LAYOUTS, f"is not in {RECORD_LAYOUTS}"),
        ("patterns", set(data["patterns"]) <= set(PATTERNS), f"must be among {list(PATTERNS)}"),
        ("atsi_groups", set(data["atsi_groups"]) <= KNOWN_GROUPS, "names an unknown group"),
        (
            "status_lowest_indicators",
            set(data["status_lowest_indicators"]) <= INDICATORS,
            "names an unknown indicator",
        ),
        (
            "atsi_years",
            year in data["atsi_years"] if entry else not data["atsi_years"],
            "must include the rule year in an entry year and be empty otherwise "
            "(ATSI entry determinations are made only in entry years)",
        ),
        (
            "tsi_years",
            not tsi or (not entry and len(tsi) >= 2 and tsi[-1] == year),
            "must be empty in an entry year (TSI is determined only in non-entry years) and "
            "otherwise list two or more years ending with the rule year",
        ),
        (
            "tsi_years",
            not tsi or data["record_layout"] == "essaassistance24",
            "needs record_layout essaassistance24 (the layout with TotStudGrpsTSI)",
        ),
        (
            "csi_grad_years",
            year in grad_entry if data["csi_grad_entry"] else not grad_entry,
            "must include the rule year when csi_grad_entry is true and be empty otherwise",
        ),
        (
            "csi_grad_exit_years",
            not grad_exit if entry else bool(grad_exit) and grad_exit[-1] == year,
            "must be empty in an entry year and end with the rule year otherwise",
        ),
    ]  # fmt: skip
    for key, ok, message in checks:
        if not ok:
            raise RuleError(path, key, message)
    return EssaRules(
        year=year,
        entry_year=entry,
        record_layout=data["record_layout"],
        measure=data["measure"],
        status_lowest_indicators=frozenset(data["status_lowest_indicators"]),
        patterns=tuple(data["patterns"]),
        min_indicators=data["min_indicators"],
        n_size=data["n_size"],
        atsi_groups=tuple(data["atsi_groups"]),
        atsi_years=tuple(data["atsi_years"]),
        tsi_years=tuple(tsi),
        csi_title_i_column=data["csi_title_i_column"],
        csi_grad_entry=data["csi_grad_entry"],
        csi_grad_below=data["csi_grad_below"],
        csi_grad_years=tuple(data["csi_grad_years"]),
        csi_grad_exit_at_or_above=data["csi_grad_exit_at_or_above"],
        csi_grad_exit_years=tuple(grad_exit),
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


@dataclass(frozen=True)
class _YearInputs:
    """What every school's decision of one year draws on, computed once."""

    rules: EssaRules
    levels_by_year: Mapping[int, pl.DataFrame]
    patterns_now: pl.DataFrame
    atsi: pl.DataFrame
    atsi_missing: list[int]
    tsi: pl.DataFrame
    tsi_missing: list[int]
    grad_entry: pl.DataFrame
    grad_exit: pl.DataFrame
    grad_exit_missing: list[int]


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
    inputs = _year_inputs(levels_by_year, rules)
    if rules.entry_year:
        records = [_school_record(s, inputs) for s in table.sort("cds").iter_rows(named=True)]
    else:
        assert prior_status is not None
        prior = _prior_by_school(prior_status, rules)
        records = [
            _carried_record(s, inputs, prior) for s in table.sort("cds").iter_rows(named=True)
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


def _year_inputs(levels_by_year: Mapping[int, pl.DataFrame], rules: EssaRules) -> _YearInputs:
    atsi, atsi_missing = _groups_meeting_every_year(levels_by_year, rules.atsi_years, rules)
    tsi, tsi_missing = _groups_meeting_every_year(levels_by_year, rules.tsi_years, rules)
    return _YearInputs(
        rules=rules,
        levels_by_year=levels_by_year,
        patterns_now=group_patterns(levels_by_year[rules.year], rules),
        atsi=atsi,
        atsi_missing=atsi_missing,
        tsi=tsi,
        tsi_missing=tsi_missing,
        grad_entry=_graduation_average(levels_by_year, rules.csi_grad_years),
        grad_exit=_graduation_average(levels_by_year, rules.csi_grad_exit_years),
        grad_exit_missing=[y for y in rules.csi_grad_exit_years if y not in levels_by_year],
    )


def _groups_meeting_every_year(
    levels_by_year: Mapping[int, pl.DataFrame], years: tuple[int, ...], rules: EssaRules
) -> tuple[pl.DataFrame, list[int]]:
    """(cds, studentgroup) of ``rules.atsi_groups`` meeting the criteria in every one of
    ``years`` (each year by its own rule file, the rule year by ``rules``), and the years
    missing."""
    empty = pl.DataFrame(schema={"cds": pl.String, "studentgroup": pl.String})
    missing = [
        y for y in years if y not in levels_by_year or (y != rules.year and y not in essa_years())
    ]
    if missing or not years:
        return empty, missing
    frames = []
    for y in years:
        year_rules = rules if y == rules.year else load_essa_rules(y)
        met = group_patterns(levels_by_year[y], year_rules).filter(
            pl.col("pattern").is_not_null() & pl.col("studentgroup").is_in(rules.atsi_groups)
        )
        frames.append(met.select("cds", "studentgroup"))
    both = frames[0]
    for frame in frames[1:]:
        both = both.join(frame, on=["cds", "studentgroup"], how="inner")
    return both, []


def _graduation_average(
    levels_by_year: Mapping[int, pl.DataFrame], years: tuple[int, ...]
) -> pl.DataFrame:
    """(cds, grad_average, grad_years) for the ALL group over ``years``, one decimal."""
    rows = [
        levels_by_year[y].filter(
            (pl.col("reportingyear") == y)
            & (pl.col("rtype") == "S")
            & (pl.col("indicator") == "GRAD")
            & (pl.col("studentgroup") == "ALL")
            & pl.col("currstatus").is_not_null()
        )
        for y in years
        if y in levels_by_year
    ]
    if not rows:
        return pl.DataFrame(
            schema={"cds": pl.String, "grad_average": pl.Float64, "grad_years": pl.UInt32}
        )
    # Graduates are recovered from rate × cohort so the average weighs each year by its cohort
    # (csilowgradrate.asp: graduates of the cohorts over their students, × 100, one decimal).
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


def _group_row(inputs: _YearInputs, cds: str, group: str) -> tuple[str | None, str]:
    """The pattern a school's group meets now (or None) and its evidence in words."""
    row = inputs.patterns_now.filter((pl.col("cds") == cds) & (pl.col("studentgroup") == group))
    if not row.height:
        return None, "no indicator with a performance level and enough students"
    return row.item(0, "pattern"), row.item(0, "evidence")


def _school_record(school: dict[str, Any], inputs: _YearInputs) -> dict[str, Any]:
    """An entry year: CSI Low Performing, CSI Low Graduation and ATSI decided afresh."""
    rules = inputs.rules
    cds = school["cds"]
    reasons: list[str] = []
    all_pattern, all_evidence = _group_row(inputs, cds, "ALL")
    status: str | None = NO_STATUS
    if all_pattern is not None:
        reasons.append(f"All students: {PATTERN_TEXT[all_pattern]} [{all_evidence}].")
        if school["title_i"] is None:
            status = None
            reasons.append("Title I status not given, so CSI Low Performing is undetermined.")
        elif school["title_i"] == "Yes":
            status = CSI_LOW
        else:
            reasons.append("Not Title I-funded, so not CSI Low Performing.")
    if status == NO_STATUS:
        status = _csi_grad_entry(school, inputs, reasons)
    flags = dict.fromkeys(rules.atsi_groups, 0)
    if inputs.atsi_missing:
        status = None if status == NO_STATUS else status
        reasons.append(f"ATSI needs the {inputs.atsi_missing[0]} Dashboard results, not supplied.")
    for group in inputs.atsi.filter(pl.col("cds") == cds)["studentgroup"].to_list():
        flags[group] = 1
        pattern, evidence = _group_row(inputs, cds, group)
        years = " and ".join(str(y) for y in rules.atsi_years)
        reasons.append(
            f"{group}: met the criteria in {years}; {rules.year}: "
            f"{PATTERN_TEXT[str(pattern)]} [{evidence}]."
        )
    if status == NO_STATUS and any(flags.values()):
        status = ATSI
    elif status in (CSI_LOW, CSI_GRAD):
        # CDE flags student groups only for ATSI schools; CSI takes precedence.
        flags = dict.fromkeys(flags, 0)
    return _record(school, rules, status, flags, reasons)


def _csi_grad_entry(school: dict[str, Any], inputs: _YearInputs, reasons: list[str]) -> str:
    """CSI Grad when the average of ``csi_grad_years`` is below the threshold, else No Status."""
    rules = inputs.rules
    if not rules.csi_grad_entry:
        return NO_STATUS
    grad_row = inputs.grad_entry.filter(pl.col("cds") == school["cds"])
    if not grad_row.height:
        return NO_STATUS
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
        reasons.append(
            f"Graduation rate averaged over {years}: {average}%, below {rules.csi_grad_below}%."
        )
        return CSI_GRAD
    return NO_STATUS


@dataclass(frozen=True)
class _Prior:
    """Last year's status of one school and, when the input has group columns, its groups."""

    status: str | None
    groups: tuple[str, ...] | None


def _prior_by_school(prior_status: pl.DataFrame, rules: EssaRules) -> dict[str, _Prior]:
    columns = {
        GROUP_COLUMN_NAMES.get(g, g): g
        for g in rules.atsi_groups
        if GROUP_COLUMN_NAMES.get(g, g) in prior_status.columns
    }
    flags = prior_status.with_columns(
        pl.col(c).cast(pl.String).str.strip_chars().cast(pl.Int8, strict=False) for c in columns
    )
    prior = {}
    for row in flags.iter_rows(named=True):
        groups = tuple(g for c, g in columns.items() if row[c] == 1) if columns else None
        prior[row["cds"]] = _Prior(status=row["status"], groups=groups)
    return prior


def _carried_record(
    school: dict[str, Any], inputs: _YearInputs, prior_by_school: Mapping[str, _Prior]
) -> dict[str, Any]:
    """A non-entry year: last year's CSI or ATSI status kept or ended, then TSI."""
    rules = inputs.rules
    cds = school["cds"]
    before_year = rules.year - 1
    flags = dict.fromkeys(rules.atsi_groups, 0)
    reasons: list[str] = []
    prior = prior_by_school.get(cds)
    status: str | None
    if prior is None:
        reasons.append(f"Not listed in the {before_year} statuses given; taken as No Status.")
        status = NO_STATUS
    elif prior.status is None:
        reasons.append(f"The {before_year} status is undetermined, so this year's is too.")
        return _record(school, rules, None, flags, reasons)
    elif prior.status == CSI_LOW:
        status = _csi_low_kept(cds, inputs, reasons)
    elif prior.status == CSI_GRAD:
        status = _csi_grad_kept(school, inputs, reasons)
    elif prior.status == ATSI:
        status, flags = _atsi_kept(cds, inputs, prior.groups, reasons)
    elif prior.status in NOT_IDENTIFIED:
        reasons.append(f"{before_year}: {prior.status}.")
        status = NO_STATUS
    else:
        reasons.append(f"The {before_year} status {prior.status!r} is not one this engine knows.")
        return _record(school, rules, None, flags, reasons)
    if status == NO_STATUS:
        status = _csi_grad_entry(school, inputs, reasons)
    if status == NO_STATUS and rules.tsi_years:
        status, flags = _tsi(cds, inputs, reasons)
    return _record(school, rules, status, flags, reasons)


def _csi_low_kept(cds: str, inputs: _YearInputs, reasons: list[str]) -> str:
    """CSI Low Perform stays while the all-students group still meets a pattern."""
    year = inputs.rules.year
    pattern, evidence = _group_row(inputs, cds, "ALL")
    if pattern is not None:
        reasons.append(
            f"CSI Low Performing in {year - 1}; all students still meet the criteria in {year}: "
            f"{PATTERN_TEXT[pattern]} [{evidence}]. Stays CSI Low Performing."
        )
        return CSI_LOW
    reasons.append(
        f"CSI Low Performing in {year - 1}; all students no longer meet the criteria in {year} "
        f"[{evidence}]. Exits CSI Low Performing."
    )
    return NO_STATUS


def _csi_grad_kept(school: dict[str, Any], inputs: _YearInputs, reasons: list[str]) -> str | None:
    """CSI Grad stays while the three-year average is below the exit threshold."""
    rules = inputs.rules
    years = ", ".join(str(y) for y in rules.csi_grad_exit_years)
    threshold = rules.csi_grad_exit_at_or_above
    head = f"CSI Low Graduation in {rules.year - 1}"
    if inputs.grad_exit_missing:
        reasons.append(
            f"{head}; its exit needs the graduation rates of {years}, but the "
            f"{inputs.grad_exit_missing[0]} Dashboard results were not supplied."
        )
        return None
    if school["dass"] == "Yes":
        reasons.append(
            f"{head}; a DASS school, whose graduation test uses the DASS graduation rate, which "
            "the Dashboard files do not carry: exit undetermined."
        )
        return None
    grad_row = inputs.grad_exit.filter(pl.col("cds") == school["cds"])
    if not grad_row.height or grad_row.item(0, "grad_years") < len(rules.csi_grad_exit_years):
        reasons.append(f"{head}; graduation rate not available for every year of {years}.")
        return None
    average = grad_row.item(0, "grad_average")
    if average >= threshold:
        reasons.append(
            f"{head}; graduation rate averaged over {years}: {average}%, at or above "
            f"{threshold}%. Exits CSI Low Graduation."
        )
        return NO_STATUS
    reasons.append(
        f"{head}; graduation rate averaged over {years}: {average}%, below {threshold}%. "
        "Stays CSI Low Graduation."
    )
    return CSI_GRAD


def _atsi_kept(
    cds: str, inputs: _YearInputs, groups: tuple[str, ...] | None, reasons: list[str]
) -> tuple[str | None, dict[str, int]]:
    """ATSI stays while one of last year's flagged groups still meets a pattern."""
    year = inputs.rules.year
    flags = dict.fromkeys(inputs.rules.atsi_groups, 0)
    if not groups:
        reasons.append(
            f"ATSI in {year - 1}, but the statuses given do not name its student groups "
            "(columns AA … WH): ATSI exit undetermined."
        )
        return None, flags
    for group in groups:
        pattern, evidence = _group_row(inputs, cds, group)
        if pattern is None:
            reasons.append(
                f"{group} (ATSI in {year - 1}): no longer meets the criteria [{evidence}]."
            )
        else:
            flags[group] = 1
            reasons.append(
                f"{group} (ATSI in {year - 1}): still meets the criteria: "
                f"{PATTERN_TEXT[pattern]} [{evidence}]."
            )
    if any(flags.values()):
        reasons.append("Stays ATSI.")
        return ATSI, flags
    reasons.append("No ATSI student group still meets the criteria: exits ATSI.")
    return NO_STATUS, flags


def _tsi(cds: str, inputs: _YearInputs, reasons: list[str]) -> tuple[str | None, dict[str, int]]:
    """TSI when a student group met the criteria in every one of ``tsi_years``."""
    rules = inputs.rules
    flags = dict.fromkeys(rules.atsi_groups, 0)
    years = " and ".join(str(y) for y in rules.tsi_years)
    if inputs.tsi_missing:
        reasons.append(f"TSI needs the {inputs.tsi_missing[0]} Dashboard results, not supplied.")
        return None, flags
    for group in inputs.tsi.filter(pl.col("cds") == cds)["studentgroup"].to_list():
        flags[group] = 1
        pattern, evidence = _group_row(inputs, cds, group)
        reasons.append(
            f"{group}: met the criteria in {years}; {rules.year}: "
            f"{PATTERN_TEXT[str(pattern)]} [{evidence}]."
        )
    if any(flags.values()):
        return TSI, flags
    reasons.append(f"No student group met the criteria in both {years}: not TSI.")
    return NO_STATUS, flags


def _record(
    school: dict[str, Any],
    rules: EssaRules,
    status: str | None,
    flags: dict[str, int],
    reasons: list[str],
) -> dict[str, Any]:
    text = f"{school['schoolname'] or school['cds']}, {rules.year} Dashboard: "
    record = {
        "cds": school["cds"],
        "schoolname": school["schoolname"],
        "districtname": school["districtname"],
        rules.csi_title_i_column: school["title_i"],
        "DASS": school["dass"],
        f"AssistanceStatus{rules.year}": status,
        "TotStudGrps": sum(flags.values()),
        "ReportingYear": rules.year,
        "Explanation": " ".join([text + f"{status or 'undetermined'}.", *reasons]),
    }
    record |= {GROUP_COLUMN_NAMES.get(g, g): v for g, v in flags.items()}
    return record


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
