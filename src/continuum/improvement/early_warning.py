"""Early warning: which students' attendance, behaviour and course performance put them at risk,
by rules a district can read, copy, edit and date.

A rule set is a TOML file (``early_warning_presets/*.toml`` ships the published ones): its
name, key, version, the date it takes effect, the grades it applies to, its sources, and
indicators, each with levels from the most severe down; a level holds when ``any`` (or ``all``)
of its conditions holds, a condition being ``measure operator number`` (``attendance_rate <
80``). The measures are computed per student from three documented tables
(docs/improvement/early-warning.md) over a window of dates: ``attendance`` (one row per
student and school day enrolled), ``incidents`` and ``marks``. Every flag carries its evidence:
the rule set and version, the indicator and level, the condition that held, the student's
figure and the counts and dates behind it.

Pure: Polars in, Polars out; no Django, no CLI.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from continuum.dashboard.students.inputs import (
    GRADE_CODES,
    Column,
    TableSpec,
    find_table,
    read_input_table,
)
from continuum.errors import InputError, RuleError
from continuum.rulefiles import RuleReader

PRESET_DIR = Path(__file__).with_name("early_warning_presets")

CORE_SUBJECTS = ("ELA", "MATH", "SCI", "SOC")
SUBJECTS = (*CORE_SUBJECTS, "OTHER")
LETTERS = ("A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "F")
# Grade points on the usual unweighted four-point scale, plus and minus a third of a point
# (A+ counts as 4.0, as most California high schools report it).
GRADE_POINTS = {"A+": 4.0, "A": 4.0, "A-": 3.7, "B+": 3.3, "B": 3.0, "B-": 2.7, "C+": 2.3}
GRADE_POINTS |= {"C": 2.0, "C-": 1.7, "D+": 1.3, "D": 1.0, "D-": 0.7, "F": 0.0}
INCIDENT_KINDS = ("violation", "state_offense")
AREAS = ("attendance", "behaviour", "course performance", "assessment", "social-emotional")

SPECS: dict[str, TableSpec] = {
    "roster": TableSpec(
        "roster",
        (
            Column("student_id", "text", identifies_student=True),
            Column("cds", "cds"),
            Column("grade", "grade"),
        ),
        key=("student_id",),
        key_meaning="a second row for the same student",
    ),
    "attendance": TableSpec(
        "attendance",
        (
            Column("student_id", "text", identifies_student=True),
            Column("date", "date"),
            Column("present", "flag", required=True),
        ),
        key=("student_id", "date"),
        key_meaning="a second row for the same student and day",
    ),
    "incidents": TableSpec(
        "incidents",
        (
            Column("student_id", "text", identifies_student=True),
            Column("date", "date"),
            Column("kind", "code", codes=INCIDENT_KINDS),
            Column("suspension_days", "number", required=False, minimum=0),
        ),
        required=False,
    ),
    "marks": TableSpec(
        "marks",
        (
            Column("student_id", "text", identifies_student=True),
            Column("date", "date"),
            Column("course", "text"),
            Column("subject", "code", codes=SUBJECTS),
            Column("letter", "code", required=False, codes=LETTERS),
            Column("percent", "number", required=False, minimum=0),
            Column("credits_attempted", "number", required=False, minimum=0),
            Column("credits_earned", "number", required=False, minimum=0),
            Column("behaviour", "code", required=False, codes=("S", "N", "U")),
        ),
        key=("student_id", "date", "course"),
        key_meaning="a second mark for the same student, course and date",
        required=False,
    ),
}


@dataclass(frozen=True)
class Measure:
    """A figure computed per student, the table it comes from, and how its evidence reads."""

    name: str
    table: str
    meaning: str


MEASURES = {
    m.name: m
    for m in (
        Measure("attendance_rate", "attendance", "percent of enrolled days present"),
        Measure("absence_rate", "attendance", "percent of enrolled days absent"),
        Measure("days_absent", "attendance", "days absent"),
        Measure("suspension_days", "incidents", "days suspended"),
        Measure("violations", "incidents", "code-of-conduct violations"),
        Measure("state_offenses", "incidents", "state-reportable offenses"),
        Measure("failures", "marks", "F marks in any course"),
        Measure("core_failures", "marks", "F marks in English, math, science or social science"),
        Measure("ela_math_failures", "marks", "F marks in English or math"),
        Measure("ela_percent", "marks", "average English percent mark"),
        Measure("math_percent", "marks", "average math percent mark"),
        Measure("ela_math_low_percent", "marks", "the lower of the English and math averages"),
        Measure("gpa", "marks", "grade point average (unweighted, by credits attempted)"),
        Measure("credits_earned", "marks", "credits earned"),
        Measure("unsatisfactory_behaviour", "marks", "unsatisfactory behaviour marks"),
    )
}
OPERATORS: dict[str, Callable[[pl.Expr, float], pl.Expr]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
}
CONDITION = re.compile(r"^\s*([a-z_]+)\s*(<=|>=|==|<|>)\s*(-?\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Condition:
    measure: str
    operator: str
    value: float

    def expr(self) -> pl.Expr:
        return OPERATORS[self.operator](pl.col(self.measure), self.value)

    def __str__(self) -> str:
        return f"{self.measure} {self.operator} {self.value:g}"


@dataclass(frozen=True)
class Level:
    """One level of an indicator: it holds when any (or all) of its conditions hold."""

    name: str
    conditions: tuple[Condition, ...]
    every: bool  # all conditions must hold (else any)


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    area: str
    levels: tuple[Level, ...]  # most severe first

    def measures(self) -> set[str]:
        return {c.measure for level in self.levels for c in level.conditions}


@dataclass(frozen=True)
class RuleSet:
    """A versioned, dated set of early-warning indicators."""

    key: str
    name: str
    version: int
    effective: dt.date
    grades: tuple[int, ...]
    sources: tuple[str, ...]
    indicators: tuple[Indicator, ...]
    path: Path

    @property
    def label(self) -> str:
        return f"{self.name} (v{self.version}, from {self.effective.isoformat()})"


def preset_keys() -> list[str]:
    """The keys of the rule sets that ship with Continuum."""
    return sorted(path.stem for path in PRESET_DIR.glob("*.toml"))


def load_rule_set(source: str | Path) -> RuleSet:
    """A preset by key (``balfanz-abc-grade-6``) or a rule file by path, validated; a problem
    raises RuleError naming the file and the key."""
    path = Path(source)
    if not path.suffix and (PRESET_DIR / f"{source}.toml").exists():
        path = PRESET_DIR / f"{source}.toml"
    if not path.is_file():
        raise RuleError(path, "(file)", f"no such rule file or preset ({', '.join(preset_keys())})")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise RuleError(path, "(file)", f"is not valid TOML: {error}") from error
    reader = RuleReader(data, path)
    effective = data.get("effective")
    if not isinstance(effective, dt.date) or isinstance(effective, dt.datetime):
        raise reader.error("effective", "must be a date (effective = 2026-07-01)")
    grade_codes = frozenset(GRADE_CODES)
    grades = tuple(GRADE_CODES[g] for g in reader.strings("grades", grade_codes))
    if not grades:
        raise reader.error("grades", "must name at least one grade")
    indicators = _indicators(reader)
    return RuleSet(
        key=reader.string("key"),
        name=reader.string("name"),
        version=reader.integer("version", minimum=1),
        effective=effective,
        grades=grades,
        sources=tuple(reader.strings("sources")),
        indicators=indicators,
        path=path,
    )


def _indicators(reader: RuleReader) -> tuple[Indicator, ...]:
    entries = reader.data.get("indicator")
    if not isinstance(entries, list) or not entries:
        raise reader.error("indicator", "must be a list of [[indicator]] tables")
    indicators = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise reader.error(f"indicator[{number}]", "must be a table")
        table = RuleReader(entry, reader.path, f"indicator[{number}].")
        levels_data = entry.get("level")
        if not isinstance(levels_data, list) or not levels_data:
            raise table.error("level", "must be a list of [[indicator.level]] tables")
        levels = []
        for index, level_data in enumerate(levels_data, start=1):
            level = RuleReader(level_data, reader.path, f"{table.prefix}level[{index}].")
            if ("any" in level_data) == ("all" in level_data):
                raise level.error("any", "give either 'any' or 'all', a list of conditions")
            every = "all" in level_data
            texts = level.strings("all" if every else "any")
            conditions = tuple(_condition(level, "all" if every else "any", t) for t in texts)
            if not conditions:
                raise level.error("all" if every else "any", "must hold at least one condition")
            levels.append(Level(level.string("level"), conditions, every))
        indicators.append(
            Indicator(
                key=table.string("key"),
                name=table.string("name"),
                area=table.choice("area", AREAS),
                levels=tuple(levels),
            )
        )
    keys = [i.key for i in indicators]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise reader.error("indicator", f"keys repeat: {', '.join(repeated)}")
    return tuple(indicators)


def _condition(reader: RuleReader, key: str, text: str) -> Condition:
    match = CONDITION.match(text)
    if match is None:
        raise reader.error(key, f"{text!r} is not 'measure operator number' (attendance_rate < 80)")
    measure, op, value = match.groups()
    if measure not in MEASURES:
        raise reader.error(key, f"{measure!r} is not a measure ({', '.join(MEASURES)})")
    return Condition(measure, op, float(value))


@dataclass(frozen=True)
class Window:
    """The dates the measures are computed over (both included)."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("the window ends before it starts")

    def rows(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The rows dated in the window; the frame itself when all are (no copy of a
        45-million-row attendance table)."""
        first, last = frame.select(pl.col("date").min().alias("first"), pl.col("date").max()).row(0)
        if first is None or (first >= self.start and last <= self.end):
            return frame
        return frame.filter(pl.col("date").is_between(self.start, self.end))


def measures(
    roster: pl.DataFrame,
    tables: dict[str, pl.DataFrame],
    window: Window,
) -> pl.DataFrame:
    """One row per roster student: every measure the given tables allow (null where the student
    has no rows in that table), and the figures the evidence quotes."""
    frame = roster.select("student_id", "cds", "grade")
    if "attendance" in tables:
        days = window.rows(tables["attendance"])
        attendance = days.group_by("student_id").agg(
            pl.len().alias("days_enrolled"),
            pl.col("present").sum().alias("days_present"),
            pl.col("date").min().alias("attendance_from"),
            pl.col("date").max().alias("attendance_to"),
        )
        rate = 100 * pl.col("days_present") / pl.col("days_enrolled")
        frame = frame.join(attendance, on="student_id", how="left").with_columns(
            rate.round(1).alias("attendance_rate"),
            (100 - rate).round(1).alias("absence_rate"),
            (pl.col("days_enrolled") - pl.col("days_present")).alias("days_absent"),
        )
    if "incidents" in tables:
        kind = pl.col("kind")
        incidents = (
            window.rows(tables["incidents"])
            .group_by("student_id")
            .agg(
                pl.col("suspension_days").fill_null(0).sum().alias("suspension_days"),
                (kind == "violation").sum().alias("violations"),
                (kind == "state_offense").sum().alias("state_offenses"),
                pl.len().alias("incidents"),
            )
        )
        frame = frame.join(incidents, on="student_id", how="left").with_columns(
            pl.col("suspension_days", "violations", "state_offenses", "incidents").fill_null(0)
        )
    if "marks" in tables:
        frame = frame.join(
            _mark_measures(window.rows(tables["marks"])), on="student_id", how="left"
        )
    return frame


def _mark_measures(marks: pl.DataFrame) -> pl.DataFrame:
    failed = pl.col("letter") == "F"
    subject = pl.col("subject")
    points = pl.col("letter").replace_strict(GRADE_POINTS, default=None, return_dtype=pl.Float64)
    weight = pl.col("credits_attempted").fill_null(1.0)
    graded = points.is_not_null()
    return (
        marks.group_by("student_id")
        .agg(
            pl.len().alias("marks"),
            failed.sum().alias("failures"),
            (failed & subject.is_in(CORE_SUBJECTS)).sum().alias("core_failures"),
            (failed & subject.is_in(("ELA", "MATH"))).sum().alias("ela_math_failures"),
            pl.col("percent").filter(subject == "ELA").mean().alias("ela_percent"),
            pl.col("percent").filter(subject == "MATH").mean().alias("math_percent"),
            ((points * weight).filter(graded).sum() / weight.filter(graded).sum()).alias("gpa"),
            pl.col("credits_earned").sum().alias("credits_earned"),
            (pl.col("behaviour") == "U").sum().alias("unsatisfactory_behaviour"),
            pl.col("date").min().alias("marks_from"),
            pl.col("date").max().alias("marks_to"),
        )
        .with_columns(
            pl.min_horizontal("ela_percent", "math_percent").alias("ela_math_low_percent"),
            pl.col("ela_percent", "math_percent").round(1),
            pl.col("gpa").round(2),
        )
    )


FLAG_SCHEMA = {
    "student_id": pl.String,
    "cds": pl.String,
    "grade": pl.Int8,
    "ruleset": pl.String,
    "version": pl.Int64,
    "indicator": pl.String,
    "area": pl.String,
    "level": pl.String,
    "condition": pl.String,
    "value": pl.Float64,
    "evidence": pl.String,
}


def flags(rules: RuleSet, measured: pl.DataFrame) -> pl.DataFrame:
    """One row per student and indicator that holds at some level (the most severe that holds),
    with its evidence. Students outside the rule set's grades, and indicators whose measures
    the tables did not give, are not judged."""
    judged = measured.filter(pl.col("grade").is_in(rules.grades))
    parts = []
    for indicator in rules.indicators:
        if not indicator.measures() <= set(judged.columns):
            continue
        parts.append(_indicator_flags(rules, indicator, judged))
    if not parts:
        return pl.DataFrame(schema=FLAG_SCHEMA)
    return pl.concat(parts).sort("student_id", "indicator")


def _indicator_flags(rules: RuleSet, indicator: Indicator, judged: pl.DataFrame) -> pl.DataFrame:
    held: list[tuple[str, Condition, pl.Expr]] = []
    for level in indicator.levels:
        if level.every:
            # All hold: the evidence names the first; the others are in the rule.
            every = pl.all_horizontal(c.expr().fill_null(False) for c in level.conditions)
            held.append((level.name, level.conditions[0], every))
        else:
            held.extend((level.name, c, c.expr().fill_null(False)) for c in level.conditions)

    def first_holding(value: Callable[[str, Condition], pl.Expr]) -> pl.Expr:
        """Of the conditions in order (most severe level first), the value of the first that
        holds."""
        return pl.coalesce(pl.when(holds).then(value(name, c)) for name, c, holds in held)

    level_expr = first_holding(lambda name, _: pl.lit(name))
    condition_expr = first_holding(lambda _, c: pl.lit(str(c)))
    value_expr = first_holding(lambda _, c: pl.col(c.measure).cast(pl.Float64))
    evidence_expr = first_holding(lambda _, c: _evidence(c))
    return (
        judged.select(
            "student_id",
            "cds",
            "grade",
            pl.lit(rules.key).alias("ruleset"),
            pl.lit(rules.version, pl.Int64).alias("version"),
            pl.lit(indicator.key).alias("indicator"),
            pl.lit(indicator.area).alias("area"),
            level_expr.alias("level"),
            condition_expr.alias("condition"),
            value_expr.alias("value"),
            evidence_expr.alias("evidence"),
        )
        .filter(pl.col("level").is_not_null())
        .cast(FLAG_SCHEMA)  # type: ignore[arg-type]
    )


def _evidence(condition: Condition) -> pl.Expr:
    """The sentence a flag carries: the figure against the rule, the counts and dates behind."""
    measure = MEASURES[condition.measure]
    number = pl.col(condition.measure).cast(pl.Float64)
    # Counts read as counts (2, not 2.0); rates and averages keep their decimals.
    figure = (
        pl.when(number == number.round(0))
        .then(number.cast(pl.Int64).cast(pl.String))
        .otherwise(number.round(2).cast(pl.String))
    )
    parts: list[pl.Expr | str] = [f"{measure.meaning} ", figure, f" {condition.operator} "]
    parts.append(f"{condition.value:g}: ")
    if measure.table == "attendance":
        parts += [
            "present ",
            pl.col("days_present").cast(pl.String),
            " of ",
            pl.col("days_enrolled").cast(pl.String),
            " days enrolled, ",
            pl.col("attendance_from").cast(pl.String),
            " to ",
            pl.col("attendance_to").cast(pl.String),
        ]
    elif measure.table == "incidents":
        parts += [
            pl.col("incidents").cast(pl.String),
            " incident(s): ",
            pl.col("violations").cast(pl.String),
            " violation(s), ",
            pl.col("state_offenses").cast(pl.String),
            " state offense(s), ",
            pl.col("suspension_days").cast(pl.Float64).round(1).cast(pl.String),
            " day(s) suspended",
        ]
    else:
        parts += [
            pl.col("marks").cast(pl.String),
            " mark(s), ",
            pl.col("marks_from").cast(pl.String),
            " to ",
            pl.col("marks_to").cast(pl.String),
        ]
    return pl.concat_str([pl.lit(p) if isinstance(p, str) else p for p in parts])


def flag_changes(before: pl.DataFrame, after: pl.DataFrame) -> pl.DataFrame:
    """What a rules change does: per student and indicator whose flag differs, the level before
    and after (null: not flagged), and ``change`` (``new``, ``cleared`` or ``level``)."""
    key = ["student_id", "indicator"]
    joined = before.select(*key, pl.col("level").alias("before")).join(
        after.select(*key, pl.col("level").alias("after")), on=key, how="full", coalesce=True
    )
    change = (
        pl.when(pl.col("before").is_null())
        .then(pl.lit("new"))
        .when(pl.col("after").is_null())
        .then(pl.lit("cleared"))
        .otherwise(pl.lit("level"))
    )
    return (
        joined.filter(pl.col("before").ne_missing(pl.col("after")))
        .with_columns(change.alias("change"))
        .sort(key)
    )


@dataclass(frozen=True)
class Tables:
    """The roster and the tables read beside it, each with the path its errors name."""

    roster: pl.DataFrame
    tables: dict[str, pl.DataFrame]
    paths: dict[str, Path]


def read_tables(directory: Path) -> Tables:
    """``roster`` and whichever of ``attendance``, ``incidents`` and ``marks`` are in
    ``directory`` (``.csv`` or ``.parquet``), every value checked (docs/improvement/
    early-warning.md); a student missing from the roster is refused with file and line."""
    if not directory.is_dir():
        raise InputError(directory, "no such directory")
    paths: dict[str, Path] = {}
    read: dict[str, pl.DataFrame] = {}
    for name, spec in SPECS.items():
        path = find_table(directory, spec.stem)
        if path is None:
            if spec.required:
                raise InputError(directory, f"{spec.stem}.csv (or .parquet) is required")
            continue
        paths[name], read[name] = path, read_input_table(path, spec)
    roster = read.pop("roster")
    for name, frame in read.items():
        unknown = frame.with_row_index("row").join(roster, on="student_id", how="anti")
        if unknown.height:
            raise InputError(
                paths[name],
                "a student who is not in the roster",
                line=int(unknown.sort("row").item(0, "row")) + 2,
                column="student_id",
            )
    return Tables(roster, read, paths)


def summary(rules: RuleSet, measured: pl.DataFrame, flagged: pl.DataFrame) -> pl.DataFrame:
    """Per indicator and level: students judged and flagged (counts only)."""
    judged = measured.filter(pl.col("grade").is_in(rules.grades)).height
    counts = flagged.group_by("indicator", "level").agg(pl.len().alias("students"))
    return counts.with_columns(pl.lit(judged).alias("judged")).sort("indicator", "level")


def rule_lines(rules: RuleSet) -> Sequence[str]:
    """The rule set in words, one line per level."""
    lines = [rules.label]
    for indicator in rules.indicators:
        for level in indicator.levels:
            joiner = " and " if level.every else " or "
            text = joiner.join(str(c) for c in level.conditions)
            lines.append(f"  {indicator.key} ({indicator.area}): {level.name} when {text}")
    return lines
