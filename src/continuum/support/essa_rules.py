"""ESSA rules and criteria: the rule files (``rules/essa/YYYY.toml``) and the colour patterns.

A school's all-students group, or one of its student groups, "meets the criteria" when its
counted indicators match one of the year's patterns; :func:`group_patterns` says which, with the
evidence in words.
"""

from __future__ import annotations

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
TSI = "TSI"
NO_STATUS = "No Status"
# Statuses of CDE's files that carry nothing into the next year ("General Assistance": 2018-19).
NOT_IDENTIFIED = (NO_STATUS, TSI, "General Assistance")
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
    no_status_label: str  # what CDE's file of the year writes for a school with no status

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
        "no_status_label": str,
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
        no_status_label=data["no_status_label"],
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
