"""ESSA decisions for one school: entry years afresh, other years kept, ended or TSI.

Used by :func:`continuum.support.essa.determine_essa`, which computes the :class:`YearInputs`
once and asks for one record per school.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import polars as pl

from continuum.support.assistance import GROUP_COLUMN_NAMES
from continuum.support.essa_rules import (
    ATSI,
    CSI_GRAD,
    CSI_LOW,
    NO_STATUS,
    NOT_IDENTIFIED,
    PATTERN_TEXT,
    TSI,
    EssaRules,
    essa_years,
    group_patterns,
    load_essa_rules,
)


@dataclass(frozen=True)
class YearInputs:
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

    # Lookups by school, built once: each school's decision reads them (a filter per school
    # would scan the whole year's tables once per school).
    @cached_property
    def patterns(self) -> dict[tuple[str, str], tuple[str | None, str]]:
        """(cds, student group) → the pattern the group meets now (or None) and its evidence."""
        return {
            (row["cds"], row["studentgroup"]): (row["pattern"], row["evidence"])
            for row in self.patterns_now.iter_rows(named=True)
        }

    @cached_property
    def atsi_groups(self) -> dict[str, list[str]]:
        """cds → the groups meeting the criteria in every ATSI year."""
        return _groups_by_school(self.atsi)

    @cached_property
    def tsi_groups(self) -> dict[str, list[str]]:
        """cds → the groups meeting the criteria in every TSI year."""
        return _groups_by_school(self.tsi)

    @cached_property
    def grad_entry_average(self) -> dict[str, tuple[float, int]]:
        """cds → the graduation average over the CSI Grad entry years, and years found."""
        return _averages_by_school(self.grad_entry)

    @cached_property
    def grad_exit_average(self) -> dict[str, tuple[float, int]]:
        """cds → the graduation average over the CSI Grad exit years, and years found."""
        return _averages_by_school(self.grad_exit)


def _groups_by_school(groups: pl.DataFrame) -> dict[str, list[str]]:
    by_school: dict[str, list[str]] = {}
    for cds, group in groups.select("cds", "studentgroup").iter_rows():
        by_school.setdefault(cds, []).append(group)
    return by_school


def _averages_by_school(averages: pl.DataFrame) -> dict[str, tuple[float, int]]:
    return {
        cds: (average, years)
        for cds, average, years in averages.select("cds", "grad_average", "grad_years").iter_rows()
    }


def year_inputs(levels_by_year: Mapping[int, pl.DataFrame], rules: EssaRules) -> YearInputs:
    """Patterns of the rule year, ATSI and TSI groups over their years, graduation averages."""
    atsi, atsi_missing = _groups_meeting_every_year(levels_by_year, rules.atsi_years, rules)
    tsi, tsi_missing = _groups_meeting_every_year(levels_by_year, rules.tsi_years, rules)
    return YearInputs(
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


def _group_row(inputs: YearInputs, cds: str, group: str) -> tuple[str | None, str]:
    """The pattern a school's group meets now (or None) and its evidence in words."""
    return inputs.patterns.get(
        (cds, group), (None, "no indicator with a performance level and enough students")
    )


def entry_record(school: dict[str, Any], inputs: YearInputs) -> dict[str, Any]:
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
    for group in inputs.atsi_groups.get(cds, []):
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


def _csi_grad_entry(school: dict[str, Any], inputs: YearInputs, reasons: list[str]) -> str:
    """CSI Grad when the average of ``csi_grad_years`` is below the threshold, else No Status."""
    rules = inputs.rules
    if not rules.csi_grad_entry:
        return NO_STATUS
    found = inputs.grad_entry_average.get(school["cds"])
    if found is None:
        return NO_STATUS
    average, years_found = found
    years = ", ".join(str(y) for y in rules.csi_grad_years)
    if years_found < len(rules.csi_grad_years):
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


def prior_by_school(prior_status: pl.DataFrame, rules: EssaRules) -> dict[str, _Prior]:
    """Last year's status and flagged groups by CDS; groups None when the input has no group
    columns (AA … WH, TOM)."""
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


def carried_record(
    school: dict[str, Any], inputs: YearInputs, priors: Mapping[str, _Prior]
) -> dict[str, Any]:
    """A non-entry year: last year's CSI or ATSI status kept or ended, then TSI."""
    rules = inputs.rules
    cds = school["cds"]
    before_year = rules.year - 1
    flags = dict.fromkeys(rules.atsi_groups, 0)
    reasons: list[str] = []
    prior = priors.get(cds)
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


def _csi_low_kept(cds: str, inputs: YearInputs, reasons: list[str]) -> str:
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


def _csi_grad_kept(school: dict[str, Any], inputs: YearInputs, reasons: list[str]) -> str | None:
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
    found = inputs.grad_exit_average.get(school["cds"])
    if found is None or found[1] < len(rules.csi_grad_exit_years):
        reasons.append(f"{head}; graduation rate not available for every year of {years}.")
        return None
    average = found[0]
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
    cds: str, inputs: YearInputs, groups: tuple[str, ...] | None, reasons: list[str]
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


def _tsi(cds: str, inputs: YearInputs, reasons: list[str]) -> tuple[str | None, dict[str, int]]:
    """TSI when a student group met the criteria in every one of ``tsi_years``."""
    rules = inputs.rules
    flags = dict.fromkeys(rules.atsi_groups, 0)
    years = " and ".join(str(y) for y in rules.tsi_years)
    if inputs.tsi_missing:
        reasons.append(f"TSI needs the {inputs.tsi_missing[0]} Dashboard results, not supplied.")
        return None, flags
    for group in inputs.tsi_groups.get(cds, []):
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
    status = rules.no_status_label if status == NO_STATUS else status
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
