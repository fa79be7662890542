"""Rule sets as data: one TOML file per Dashboard year, loaded into frozen dataclasses.

Every value a domain expert might check (cut points, grids, n-sizes, status-only years, groups
that are never coloured) lives in ``rules/YYYY.toml``; nothing here knows about a particular year.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from continuum.errors import RuleError

RULES_DIR = Path(__file__).parent
INDICATORS = ("ELA", "MATH", "CHRO", "SUSP", "GRAD", "CCI", "ELPI", "SCIENCE")
COLOUR_LETTERS = {"-": 0, "R": 1, "O": 2, "Y": 3, "G": 4, "B": 5}
COLOUR_NAMES = {0: "no colour", 1: "Red", 2: "Orange", 3: "Yellow", 4: "Green", 5: "Blue"}

Direction = Literal["higher", "lower"]
StatusSource = Literal["file", "rate"]
SmallDenominator = Literal["none", "published", "colour_only"]
VariantBy = Literal["none", "hscutpoints", "type"]

# Variant names used when an indicator's cuts depend on a column of the file.
HSCUTPOINTS_VARIANTS = {"Y": "grade_11"}
HSCUTPOINTS_DEFAULT = "grades_3_8"
VARIANT_LABELS = {
    "grades_3_8": "grades 3–8",
    "grade_11": "grade 11",
    "ED": "elementary district",
    "HD": "high school district",
    "UD": "unified district",
    "ES": "elementary school",
    "MS": "middle school",
    "HS": "high school",
}


@dataclass(frozen=True)
class Cuts:
    """Four boundaries, best level first, in tenths of the indicator's unit (exact comparisons)."""

    tenths: tuple[int, int, int, int]

    def level(self, value_tenths: int, direction: Direction) -> int:
        """Level 5 (best) … 1 (worst) for a value already rounded to tenths."""
        for offset, cut in enumerate(self.tenths):
            if (value_tenths >= cut) if direction == "higher" else (value_tenths <= cut):
                return 5 - offset
        return 1


@dataclass(frozen=True)
class IndicatorRules:
    """How one indicator is levelled and coloured in one Dashboard year."""

    code: str
    name: str
    direction: Direction
    grid: tuple[tuple[int, ...], ...]  # grid[5 - statuslevel][changelevel - 1] -> colour code
    grid_name: str
    status_only: bool
    status_source: StatusSource
    small_denominator: SmallDenominator
    variant_by: VariantBy
    status_cuts: dict[str, Cuts]
    change_cuts: dict[str, Cuts]
    required_columns: tuple[str, ...]

    def colour(self, statuslevel: int, changelevel: int) -> int:
        """Colour code of a grid cell (0 for an N/A cell)."""
        return self.grid[5 - statuslevel][changelevel - 1]


EXCEPTION_COLUMNS = ("dataerrorflag", "flag95pct", "certifyflag", "priorcertifyflag")


@dataclass(frozen=True)
class KnownException:
    """Rows whose published level CDE did not derive from the file's numbers, with the reason."""

    id: str
    column: str
    equals: str
    reason: str
    indicator: str | None = None


@dataclass(frozen=True)
class RuleSet:
    """All rules of one Dashboard year."""

    year: int
    path: Path
    reporting_threshold: int
    colour_n_size: int
    reduced_n_size: int
    reduced_n_size_groups: frozenset[str]
    reduced_n_size_rtypes: frozenset[str]
    never_coloured_groups: frozenset[str]
    small_denominator_limit: int
    indicators: dict[str, IndicatorRules]
    exceptions: tuple[KnownException, ...] = ()

    def indicator(self, code: str) -> IndicatorRules:
        """Rules of one indicator, or a RuleError if the year did not report it."""
        try:
            return self.indicators[code]
        except KeyError:
            raise RuleError(
                self.path, code, f"the {self.year} Dashboard did not report this indicator"
            ) from None


def available_years() -> tuple[int, ...]:
    """Dashboard years that have a rule file."""
    return tuple(sorted(int(p.stem) for p in RULES_DIR.glob("[0-9][0-9][0-9][0-9].toml")))


@cache
def load_rules(year: int) -> RuleSet:
    """Load and validate the rule set of one Dashboard year."""
    path = RULES_DIR / f"{year}.toml"
    if not path.exists():
        years = ", ".join(str(y) for y in available_years())
        raise RuleError(path, "year", f"no rule set for {year}; rule sets exist for {years}")
    return parse_rules(path, tomllib.loads(path.read_text(encoding="utf-8")))


def parse_rules(path: Path, data: dict[str, Any]) -> RuleSet:
    """Validate a parsed rule file; every problem names the key at fault."""
    reader = _Reader(path)
    grids = {
        name: _grid(reader, f"grids.{name}", rows)
        for name, rows in reader.table(data, "grids").items()
    }
    indicators_table = reader.table(data, "indicators")
    indicators = {}
    for code, spec in indicators_table.items():
        if code not in INDICATORS:
            raise RuleError(
                path, f"indicators.{code}", f"unknown indicator; use one of {INDICATORS}"
            )
        indicators[code] = _indicator(reader, code, spec, grids)
    year = reader.integer(data, "year")
    if path.stem.isdigit() and int(path.stem) != year:
        raise RuleError(path, "year", f"says {year} but the file is named {path.name}")
    return RuleSet(
        year=year,
        path=path,
        reporting_threshold=reader.integer(data, "reporting_threshold"),
        colour_n_size=reader.integer(data, "colour_n_size"),
        reduced_n_size=reader.integer(data, "reduced_n_size"),
        reduced_n_size_groups=frozenset(reader.strings(data, "reduced_n_size_groups")),
        reduced_n_size_rtypes=frozenset(reader.strings(data, "reduced_n_size_rtypes")),
        never_coloured_groups=frozenset(reader.strings(data, "never_coloured_groups")),
        small_denominator_limit=reader.integer(data, "small_denominator_limit"),
        indicators=indicators,
        exceptions=tuple(
            _exception(reader, n, e) for n, e in enumerate(data.get("exceptions", []))
        ),
    )


def _exception(reader: _Reader, number: int, spec: dict[str, Any]) -> KnownException:
    key = f"exceptions[{number}]"
    indicator = spec.get("indicator")
    if indicator is not None and indicator not in INDICATORS:
        raise RuleError(reader.path, f"{key}.indicator", f"must be one of {INDICATORS}")
    return KnownException(
        id=reader.string(spec, "id", key),
        column=reader.choice(spec, "column", EXCEPTION_COLUMNS, key),
        equals=reader.string(spec, "equals", key),
        reason=reader.string(spec, "reason", key),
        indicator=indicator,
    )


def _indicator(
    reader: _Reader, code: str, spec: dict[str, Any], grids: dict[str, tuple[tuple[int, ...], ...]]
) -> IndicatorRules:
    key = f"indicators.{code}"
    status_only = bool(spec.get("status_only", False))
    grid_name = reader.choice(spec, "grid", tuple(grids), key)
    variant_by = reader.choice(spec, "variant_by", ("none", "hscutpoints", "type"), key, "none")
    status_cuts = _cut_table(reader, spec, "status_cuts", key)
    change_cuts = {} if status_only else _cut_table(reader, spec, "change_cuts", key)
    direction = reader.choice(spec, "direction", ("higher", "lower"), key)
    for table_name, table in (("status_cuts", status_cuts), ("change_cuts", change_cuts)):
        for variant, cuts in table.items():
            ordered = sorted(cuts.tenths, reverse=direction == "higher")
            if list(cuts.tenths) != ordered:
                raise RuleError(
                    reader.path,
                    f"{key}.{table_name}.{variant}",
                    f"cuts must run from the best level to the worst for direction {direction!r}",
                )
    return IndicatorRules(
        code=code,
        name=reader.string(spec, "name", key),
        direction=direction,  # type: ignore[arg-type]
        grid=grids[grid_name],
        grid_name=grid_name,
        status_only=status_only,
        status_source=reader.choice(spec, "status_source", ("file", "rate"), key),  # type: ignore[arg-type]
        small_denominator=reader.choice(  # type: ignore[arg-type]
            spec, "small_denominator", ("none", "published", "colour_only"), key, "none"
        ),
        variant_by=variant_by,  # type: ignore[arg-type]
        status_cuts=status_cuts,
        change_cuts=change_cuts,
        required_columns=tuple(c.lower() for c in reader.strings(spec, "required_columns", key)),
    )


def _cut_table(reader: _Reader, spec: dict[str, Any], name: str, key: str) -> dict[str, Cuts]:
    table = spec.get(name)
    if not isinstance(table, dict) or not table:
        raise RuleError(reader.path, f"{key}.{name}", "missing or empty table of cut points")
    cuts = {}
    for variant, values in table.items():
        if not isinstance(values, list) or len(values) != 4:
            raise RuleError(reader.path, f"{key}.{name}.{variant}", "needs exactly four numbers")
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            raise RuleError(reader.path, f"{key}.{name}.{variant}", "cut points must be numbers")
        tenths = tuple(round(v * 10) for v in values)
        cuts[variant] = Cuts((tenths[0], tenths[1], tenths[2], tenths[3]))
    return cuts


def _grid(reader: _Reader, key: str, rows: object) -> tuple[tuple[int, ...], ...]:
    if not isinstance(rows, list) or len(rows) != 5:
        raise RuleError(reader.path, key, "a grid needs five rows, status level 5 first")
    grid = []
    for number, row in enumerate(rows, start=1):
        cells = row.split() if isinstance(row, str) else []
        if len(cells) != 5 or any(cell not in COLOUR_LETTERS for cell in cells):
            raise RuleError(
                reader.path, f"{key}[{number}]", "each row needs five of R O Y G B or -"
            )
        grid.append(tuple(COLOUR_LETTERS[cell] for cell in cells))
    return tuple(grid)


@dataclass(frozen=True)
class _Reader:
    """Typed access to the parsed TOML with errors that name the key."""

    path: Path

    def table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key)
        if not isinstance(value, dict):
            raise RuleError(self.path, key, "missing table")
        return value

    def integer(self, data: dict[str, Any], key: str) -> int:
        value = data.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise RuleError(self.path, key, "needs a whole number ≥ 0")
        return value

    def string(self, data: dict[str, Any], key: str, prefix: str = "") -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value:
            raise RuleError(self.path, _join(prefix, key), "needs a text value")
        return value

    def strings(self, data: dict[str, Any], key: str, prefix: str = "") -> list[str]:
        value = data.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RuleError(self.path, _join(prefix, key), "needs a list of text values")
        return value

    def choice(
        self,
        data: dict[str, Any],
        key: str,
        allowed: tuple[str, ...],
        prefix: str,
        default: str | None = None,
    ) -> str:
        value = data.get(key, default)
        if value not in allowed:
            raise RuleError(self.path, _join(prefix, key), f"must be one of {allowed}")
        return str(value)


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key
