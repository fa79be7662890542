"""Differentiated Assistance criteria per Dashboard year, loaded from ``rules/YYYY.toml``.

Each file is validated when it is loaded, so a typo in a rule file fails loudly with the file and
key at fault instead of quietly changing a determination.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import polars as pl

from continuum.dashboard.rules import COLOUR_NAMES
from continuum.errors import RuleError
from continuum.rulefiles import RuleReader, read_rule_file, rule_years

RULES_DIR = Path(__file__).parent / "rules"

COLOR_NAMES: dict[int, str] = {code: name for code, name in COLOUR_NAMES.items() if code}
COLOR_CODES: dict[str, int] = {name: code for code, name in COLOR_NAMES.items()}
INDICATORS = frozenset({"ELA", "MATH", "ELPI", "GRAD", "CHRO", "SUSP", "CCI"})
STATE_PRIORITIES = frozenset({4, 5, 6, 8})
LOCAL_PRIORITIES = frozenset({1, 2, 3, 6, 7, 9, 10})
KNOWN_GROUPS = frozenset(
    {"AA", "AI", "AS", "EL", "FI", "FOS", "HI", "HOM", "LTEL", "PI", "SED", "SWD", "MR", "WH"}
)
ENTITIES = frozenset({"district", "coe", "charter"})
# State indicators a "lowest performance level" list may name (SCIENCE from the 2025 Dashboard).
LOWEST_PERFORMANCE_INDICATORS = INDICATORS | {"SCIENCE"}

Entity = Literal["district", "coe", "charter"]


@dataclass(frozen=True)
class Condition:
    """One indicator result a criterion needs: a colour or a status level (CDE codes)."""

    indicator: str
    measure: Literal["color", "statuslevel"]
    values: tuple[int, ...]

    def describe(self) -> str:
        """Plain words, e.g. 'ELA Red' or 'CHRO status level 1'."""
        if self.measure == "color":
            return f"{self.indicator} " + " or ".join(COLOR_NAMES[v] for v in self.values)
        levels = " or ".join(str(v) for v in self.values)
        return f"{self.indicator} status level {levels}"


@dataclass(frozen=True)
class Criterion:
    """A way for a student group to meet one LCFF priority: all conditions must hold."""

    priority: int
    label: str
    conditions: tuple[Condition, ...]
    groups: frozenset[str] | None
    exclude_groups: frozenset[str]


@dataclass(frozen=True)
class LowestPerformanceRules:
    """What "the lowest performance level on a state indicator" means in one Dashboard year.

    ``indicators`` are the state indicators of the year, in the column order of CDE's lists;
    on an indicator in ``status_only`` (no colour that year) the lowest status level (code 1)
    stands in for Red, counted only at the DA n-size.
    """

    indicators: tuple[str, ...]
    status_only: frozenset[str]


@dataclass(frozen=True)
class DaRules:
    """Everything that decides Differentiated Assistance for one Dashboard year."""

    year: int
    path: Path
    entities: frozenset[str]
    student_groups: tuple[str, ...]
    n_size: int
    reduced_n_size: int
    reduced_n_size_groups: frozenset[str]
    reduced_n_size_rtypes: frozenset[str]
    methods: tuple[int, ...]
    local_priorities: frozenset[int]
    coe_local_priorities: frozenset[int]
    status_labels: Literal["single", "year1_year2"]
    charter_years: tuple[int, ...]
    level3_years: tuple[int, ...]
    goals_years: tuple[int, ...]
    criteria: tuple[Criterion, ...]
    lowest_performance: LowestPerformanceRules | None = None

    def n_size_expr(self) -> pl.Expr:
        """Per row of a levels table: the smallest denominator at which the group's result
        counts for DA (the reduced n-size for the listed groups of the listed entity types)."""
        reduced = pl.col("studentgroup").is_in(list(self.reduced_n_size_groups)) & pl.col(
            "rtype"
        ).is_in(list(self.reduced_n_size_rtypes))
        return pl.when(reduced).then(self.reduced_n_size).otherwise(self.n_size)


def available_years() -> list[int]:
    """Dashboard years that have a rule file."""
    return list(rule_years(RULES_DIR))


@cache
def load_da_rules(year: int) -> DaRules:
    """Load and validate the rule file for a Dashboard year."""
    path, data = read_rule_file(RULES_DIR, year, "DA rule file")
    return parse_da_rules(data, path)


def parse_da_rules(data: dict[str, Any], path: Path) -> DaRules:
    """Build :class:`DaRules` from parsed TOML, rejecting anything it does not understand."""
    reader = RuleReader(data, path)
    year = reader.integer("year")
    if path.stem.isdigit() and int(path.stem) != year:
        raise RuleError(path, "year", f"says {year} but the file is named for {path.stem}")
    entities = reader.strings("entities", ENTITIES)
    groups = reader.strings("student_groups", KNOWN_GROUPS)
    methods = tuple(reader.integers("methods", frozenset({1, 2, 3, 4})))
    local = frozenset(reader.integers("local_priorities", LOCAL_PRIORITIES))
    coe_local = frozenset(reader.integers("coe_local_priorities", LOCAL_PRIORITIES))
    labels = reader.choice("status_labels", ("single", "year1_year2"))
    charter_years: tuple[int, ...] = ()
    if "charter" in entities:
        charter_years = tuple(reader.integers("charter_years", None))
        if year not in charter_years:
            raise RuleError(path, "charter_years", f"must include the rule year {year}")
    level3_years = tuple(reader.integers("level3_years", None))
    if not level3_years or level3_years[-1] != year:
        raise RuleError(path, "level3_years", f"must end with the rule year {year}")
    goals_years = tuple(reader.integers("goals_years", None)) if "goals_years" in data else ()
    if goals_years and goals_years[-1] != year:
        raise RuleError(path, "goals_years", f"must end with the rule year {year}")
    raw_criteria = data.get("criteria")
    if not isinstance(raw_criteria, list) or not raw_criteria:
        raise RuleError(path, "criteria", "needs at least one [[criteria]] table")
    criteria = tuple(
        _parse_criterion(item, path, f"criteria[{i}]", frozenset(groups))
        for i, item in enumerate(raw_criteria)
    )
    known = {
        "year", "entities", "student_groups", "n_size", "reduced_n_size", "reduced_n_size_groups",
        "reduced_n_size_rtypes", "methods", "local_priorities", "coe_local_priorities",
        "status_labels", "charter_years", "level3_years", "goals_years", "criteria",
        "lowest_performance",
    }  # fmt: skip
    unknown = sorted(set(data) - known)
    if unknown:
        raise RuleError(path, unknown[0], "is not a rule this engine knows")
    return DaRules(
        year=year,
        path=path,
        entities=frozenset(entities),
        student_groups=tuple(groups),
        n_size=reader.integer("n_size"),
        reduced_n_size=reader.integer("reduced_n_size"),
        reduced_n_size_groups=frozenset(reader.strings("reduced_n_size_groups", KNOWN_GROUPS)),
        reduced_n_size_rtypes=frozenset(reader.strings("reduced_n_size_rtypes", None)),
        methods=methods,
        local_priorities=local,
        coe_local_priorities=coe_local,
        status_labels=labels,  # type: ignore[arg-type]  # checked by reader.choice
        charter_years=charter_years,
        level3_years=level3_years,
        goals_years=goals_years,
        criteria=criteria,
        lowest_performance=(
            _parse_lowest_performance(reader.table("lowest_performance"))
            if "lowest_performance" in data
            else None
        ),
    )


def lowest_performance_years() -> list[int]:
    """Dashboard years whose rule file says what the lowest performance level is."""
    return [y for y in available_years() if load_da_rules(y).lowest_performance is not None]


def _parse_lowest_performance(reader: RuleReader) -> LowestPerformanceRules:
    indicators = reader.strings("indicators", LOWEST_PERFORMANCE_INDICATORS)
    if not indicators:
        raise reader.error("indicators", "must name at least one indicator")
    if len(set(indicators)) != len(indicators):
        raise reader.error("indicators", "names an indicator twice")
    status_only = reader.strings("status_only", frozenset(indicators))
    unknown = sorted(set(reader.data) - {"indicators", "status_only"})
    if unknown:
        raise reader.error(unknown[0], "is not a rule this engine knows")
    return LowestPerformanceRules(tuple(indicators), frozenset(status_only))


def _parse_criterion(item: object, path: Path, key: str, groups: frozenset[str]) -> Criterion:
    if not isinstance(item, dict):
        raise RuleError(path, key, "must be a table")
    reader = RuleReader(item, path, prefix=key + ".")
    priority = reader.integer("priority")
    if priority not in STATE_PRIORITIES:
        raise RuleError(
            path, f"{key}.priority", f"{priority} is not one of {sorted(STATE_PRIORITIES)}"
        )
    raw_conditions = item.get("conditions")
    if not isinstance(raw_conditions, list) or not raw_conditions:
        raise RuleError(path, f"{key}.conditions", "needs at least one condition")
    conditions = tuple(
        _parse_condition(c, path, f"{key}.conditions[{i}]") for i, c in enumerate(raw_conditions)
    )
    only = frozenset(reader.strings("groups", groups)) if "groups" in item else None
    exclude = (
        frozenset(reader.strings("exclude_groups", groups))
        if "exclude_groups" in item
        else frozenset()
    )
    unknown = sorted(set(item) - {"priority", "label", "conditions", "groups", "exclude_groups"})
    if unknown:
        raise RuleError(path, f"{key}.{unknown[0]}", "is not a criterion field this engine knows")
    return Criterion(priority, reader.string("label"), conditions, only, exclude)


def _parse_condition(item: object, path: Path, key: str) -> Condition:
    if not isinstance(item, dict):
        raise RuleError(path, key, "must be an inline table")
    indicator = item.get("indicator")
    if indicator not in INDICATORS:
        raise RuleError(
            path, f"{key}.indicator", f"{indicator!r} is not one of {sorted(INDICATORS)}"
        )
    measures = [m for m in ("color", "statuslevel") if m in item]
    if len(measures) != 1 or set(item) != {"indicator", measures[0]}:
        raise RuleError(path, key, "needs an indicator and exactly one of color or statuslevel")
    raw = item[measures[0]]
    if not isinstance(raw, list) or not raw:
        raise RuleError(path, f"{key}.{measures[0]}", "must be a non-empty list")
    if measures[0] == "color":
        bad = [v for v in raw if v not in COLOR_CODES]
        if bad:
            raise RuleError(path, f"{key}.color", f"{bad[0]!r} is not one of {list(COLOR_CODES)}")
        return Condition(str(indicator), "color", tuple(COLOR_CODES[v] for v in raw))
    if any(not isinstance(v, int) or not 1 <= v <= 5 for v in raw):
        raise RuleError(path, f"{key}.statuslevel", "status levels are whole numbers 1 to 5")
    return Condition(str(indicator), "statuslevel", tuple(int(v) for v in raw))
