"""Rule sets as data: one TOML file per Dashboard year, loaded into frozen dataclasses.

Every value a domain expert might check (cut points, grids, n-sizes, status-only years, groups
that are never coloured) lives in ``rules/YYYY.toml``; nothing here knows about a particular year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from continuum.errors import RuleError
from continuum.rulefiles import RuleReader, read_rule_file, rule_years

RULES_DIR = Path(__file__).parent
INDICATORS = ("ELA", "MATH", "CHRO", "SUSP", "GRAD", "CCI", "ELPI", "SCIENCE", "ELA11", "MATH11")
COLOUR_LETTERS = {"-": 0, "R": 1, "O": 2, "Y": 3, "G": 4, "B": 5}
COLOUR_NAMES = {0: "no colour", 1: "Red", 2: "Orange", 3: "Yellow", 4: "Green", 5: "Blue"}

Direction = Literal["higher", "lower"]
# How a Dashboard year reported an indicator: status and change levels with a colour, a status
# level only, or the rows alone (no level at all: the file's level columns are 0 or absent).
Reported = Literal["levels", "status", "none"]
REPORTED = ("levels", "status", "none")
StatusSource = Literal["file", "rate"]
SmallDenominator = Literal["none", "published", "colour_only"]
# What decides that the three-by-five rule applies to a row: its current denominator below the
# limit, or the file's own safetynet flag (Fall 2017 graduation, decided by CDE per entity).
SmallDenominatorBy = Literal["denominator", "safetynet"]
VariantBy = Literal["none", "hscutpoints", "type"]

# Variant names used when an indicator's cuts depend on a column of the file.
HSCUTPOINTS_VARIANTS = {"Y": "grade_11"}
HSCUTPOINTS_DEFAULT = "grades_3_8"
# A DASS school's rows use the indicator's "dass" cut tables where the year has them (2018).
DASS_VARIANT = "dass"
VARIANT_LABELS = {
    "grades_3_8": "grades 3–8",
    "grade_11": "grade 11",
    "ED": "elementary district",
    "HD": "high school district",
    "UD": "unified district",
    "ES": "elementary school",
    "MS": "middle school",
    "HS": "high school",
    DASS_VARIANT: "DASS school",
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
    reported: Reported
    source: str  # where the year's reporting of this indicator is documented
    note: str  # what the explanation says of a year with no level ("" for the standard words)
    status_source: StatusSource
    small_denominator: SmallDenominator
    variant_by: VariantBy
    small_denominator_by: SmallDenominatorBy
    status_cuts: dict[str, Cuts]
    change_cuts: dict[str, Cuts]
    required_columns: tuple[str, ...]
    # Values for columns a year's file layout does not have (the 2017 ELPI has no student group).
    absent_columns: dict[str, str]
    # The current and prior counts the colour n-size is tested on (the 2017 ELPI: test takers).
    n_size_columns: tuple[str, str] = ("currdenom", "priordenom")
    # Per student group, other counts for the n-size (2018 academic: SWD counts its own way).
    group_n_size_columns: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def status_only(self) -> bool:
        """A status level but no change level or colour."""
        return self.reported == "status"

    @property
    def no_level(self) -> bool:
        """Rows are stored as published, with no level of any kind."""
        return self.reported == "none"

    def colour(self, statuslevel: int, changelevel: int) -> int:
        """Colour code of a grid cell (0 for an N/A cell)."""
        return self.grid[5 - statuslevel][changelevel - 1]


# Columns an exception can match on; ``equals = ""`` matches a blank value.
EXCEPTION_COLUMNS = (
    "dataerrorflag",
    "flag95pct",
    "flag50pct",
    "certifyflag",
    "priorcertifyflag",
    "cds",
    "priordenom",
)
N_SIZE_COLUMNS = (
    "currdenom",
    "priordenom",
    "currtesters",
    "priortesters",
    "currdenom_swd",
    "priordenom_swd",
)


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
    labels: tuple[str, ...]  # how CDE's file names and reportingyear column write the year
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
    return rule_years(RULES_DIR)


def latest_rules() -> RuleSet:
    """The newest year's rule set: every indicator, for facts that do not change by year
    (an indicator's direction, where its status comes from)."""
    return load_rules(available_years()[-1])


def lower_is_better(indicator: str) -> bool:
    """True for the indicators where a lower rate is better (Chronic Absenteeism, Suspension)."""
    return latest_rules().indicator(indicator).direction == "lower"


@cache
def year_of_label(label: str) -> int | None:
    """The Dashboard year CDE wrote as ``label`` ('2017f' for fall 2017, '2025'), or None."""
    wanted = label.strip().lower()
    for year in available_years():
        if wanted in load_rules(year).labels:
            return year
    return None


@cache
def load_rules(year: int) -> RuleSet:
    """Load and validate the rule set of one Dashboard year."""
    return parse_rules(*read_rule_file(RULES_DIR, year, "rule set"))


def parse_rules(path: Path, data: dict[str, Any]) -> RuleSet:
    """Validate a parsed rule file; every problem names the key at fault."""
    reader = RuleReader(data, path)
    grids_reader = reader.table("grids")
    grids = {name: _grid(grids_reader, name) for name in grids_reader.data}
    indicators_reader = reader.table("indicators")
    indicators = {}
    for code in indicators_reader.data:
        if code not in INDICATORS:
            raise indicators_reader.error(code, f"unknown indicator; use one of {INDICATORS}")
        indicators[code] = _indicator(indicators_reader.table(code), code, grids)
    exceptions = data.get("exceptions", [])
    if not isinstance(exceptions, list) or not all(isinstance(e, dict) for e in exceptions):
        raise reader.error("exceptions", "must be a list of [[exceptions]] tables")
    year = reader.integer("year")
    labels = reader.strings("labels") if "labels" in data else [str(year)]
    return RuleSet(
        year=year,
        path=path,
        labels=tuple(label.lower() for label in labels),
        reporting_threshold=reader.integer("reporting_threshold", minimum=0),
        colour_n_size=reader.integer("colour_n_size", minimum=0),
        reduced_n_size=reader.integer("reduced_n_size", minimum=0),
        reduced_n_size_groups=frozenset(reader.strings("reduced_n_size_groups")),
        reduced_n_size_rtypes=frozenset(reader.strings("reduced_n_size_rtypes")),
        never_coloured_groups=frozenset(reader.strings("never_coloured_groups")),
        small_denominator_limit=reader.integer("small_denominator_limit", minimum=0),
        indicators=indicators,
        exceptions=tuple(
            _exception(RuleReader(spec, path, f"exceptions[{number}]."))
            for number, spec in enumerate(exceptions)
        ),
    )


def _exception(reader: RuleReader) -> KnownException:
    indicator = reader.choice("indicator", INDICATORS) if "indicator" in reader.data else None
    return KnownException(
        id=reader.string("id"),
        column=reader.choice("column", EXCEPTION_COLUMNS),
        equals=reader.data["equals"]
        if reader.data.get("equals") == ""
        else reader.string("equals"),
        reason=reader.string("reason"),
        indicator=indicator,
    )


def _indicator(
    reader: RuleReader, code: str, grids: dict[str, tuple[tuple[int, ...], ...]]
) -> IndicatorRules:
    reported = reader.choice("reported", REPORTED, "levels")
    grid_name = reader.choice("grid", tuple(grids))
    direction = reader.choice("direction", ("higher", "lower"))
    status_cuts = {} if reported == "none" else _cut_table(reader, "status_cuts", direction)
    change_cuts = {} if reported != "levels" else _cut_table(reader, "change_cuts", direction)
    absent = reader.table("absent_columns").data if "absent_columns" in reader.data else {}
    if not all(isinstance(v, str) and v for v in absent.values()):
        raise reader.error("absent_columns", "each value must be a non-empty string")
    return IndicatorRules(
        code=code,
        name=reader.string("name"),
        direction=direction,  # type: ignore[arg-type]  # checked by reader.choice
        grid=grids[grid_name],
        grid_name=grid_name,
        reported=reported,  # type: ignore[arg-type]  # checked by reader.choice
        source=reader.string("source"),
        note=reader.string("note") if "note" in reader.data else "",
        status_source=reader.choice("status_source", ("file", "rate")),  # type: ignore[arg-type]
        small_denominator=reader.choice(  # type: ignore[arg-type]
            "small_denominator", ("none", "published", "colour_only"), "none"
        ),
        variant_by=reader.choice(  # type: ignore[arg-type]
            "variant_by", ("none", "hscutpoints", "type"), "none"
        ),
        small_denominator_by=reader.choice(  # type: ignore[arg-type]
            "small_denominator_by", ("denominator", "safetynet"), "denominator"
        ),
        status_cuts=status_cuts,
        change_cuts=change_cuts,
        required_columns=tuple(c.lower() for c in reader.strings("required_columns")),
        absent_columns={str(k).lower(): str(v) for k, v in absent.items()},
        n_size_columns=_n_size_columns(reader, "n_size_columns"),
        group_n_size_columns=_group_n_size_columns(reader),
    )


def _group_n_size_columns(reader: RuleReader) -> dict[str, tuple[str, str]]:
    if "group_n_size_columns" not in reader.data:
        return {}
    groups = reader.table("group_n_size_columns")
    return {group: _n_size_columns(groups, group) for group in groups.data}


def _n_size_columns(reader: RuleReader, key: str) -> tuple[str, str]:
    if key not in reader.data:
        return ("currdenom", "priordenom")
    names = reader.strings(key, frozenset(N_SIZE_COLUMNS))
    if len(names) != 2:
        raise reader.error(key, "needs the current and the prior column")
    return (names[0], names[1])


def _cut_table(reader: RuleReader, name: str, direction: str) -> dict[str, Cuts]:
    """Four cut points per variant, best level first, as exact tenths."""
    table = reader.table(name)
    if not table.data:
        raise reader.error(name, "needs at least one list of cut points")
    cuts = {}
    for variant, values in table.data.items():
        if not isinstance(values, list) or len(values) != 4:
            raise table.error(variant, "needs exactly four numbers")
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            raise table.error(variant, "cut points must be numbers")
        tenths = tuple(round(v * 10) for v in values)
        if list(tenths) != sorted(tenths, reverse=direction == "higher"):
            raise table.error(
                variant, f"cuts must run from the best level to the worst for {direction!r}"
            )
        cuts[variant] = Cuts((tenths[0], tenths[1], tenths[2], tenths[3]))
    return cuts


def _grid(reader: RuleReader, name: str) -> tuple[tuple[int, ...], ...]:
    rows = reader.data[name]
    if not isinstance(rows, list) or len(rows) != 5:
        raise reader.error(name, "a grid needs five rows, status level 5 first")
    grid = []
    for number, row in enumerate(rows, start=1):
        cells = row.split() if isinstance(row, str) else []
        if len(cells) != 5 or any(cell not in COLOUR_LETTERS for cell in cells):
            raise reader.error(f"{name}[{number}]", "each row needs five of R O Y G B or -")
        grid.append(tuple(COLOUR_LETTERS[cell] for cell in cells))
    return tuple(grid)
