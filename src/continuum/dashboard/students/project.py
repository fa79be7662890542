"""A projected Dashboard from student records: every state indicator's CDE-shaped rows, in the
schema the levels engine reads. Composing them with the support engine (DA, ESSA) is the CLI's
work (``continuum.cli.project``)."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from continuum.dashboard.files import OUTPUT_COLUMNS, OUTPUT_SCHEMA, TEXT_COLUMNS
from continuum.dashboard.students.academic import distance_from_standard
from continuum.dashboard.students.cci import college_career
from continuum.dashboard.students.chronic import chronic_absenteeism
from continuum.dashboard.students.common import Counts, with_numeric_cds, with_text_cds
from continuum.dashboard.students.elpi import english_learner_progress
from continuum.dashboard.students.graduation import graduation_rate
from continuum.dashboard.students.inputs import StudentRecords
from continuum.dashboard.students.output import (
    PREFIX,
    cde_rows,
    prior_from_counts,
    prior_from_dashboard,
)
from continuum.dashboard.students.suspension import suspension_rate

Calculator = Callable[[StudentRecords, int], Counts]


def _ela(records: StudentRecords, year: int) -> Counts:
    return distance_from_standard(records, year, "ELA")


def _math(records: StudentRecords, year: int) -> Counts:
    return distance_from_standard(records, year, "MATH")


# Indicator → (calculator, the table and the earliest year offset its prior year needs).
CALCULATORS: dict[str, tuple[Calculator, str, int]] = {
    "ELA": (_ela, "caaspp", 1),
    "MATH": (_math, "caaspp", 1),
    "CHRO": (chronic_absenteeism, "attendance", 1),
    "SUSP": (suspension_rate, "enrollments", 1),
    "GRAD": (graduation_rate, "graduation", 1),
    "CCI": (college_career, "graduation", 1),
    "ELPI": (english_learner_progress, "elpac", 2),
}
INDICATOR_NAMES = {
    "ELA": "ELA", "MATH": "Math", "CHRO": "Chronic absenteeism", "SUSP": "Suspension",
    "GRAD": "Graduation", "CCI": "College/Career", "ELPI": "English learner progress",
}  # fmt: skip


def _has_year(records: StudentRecords, table: str, year: int) -> bool:
    frame = getattr(records, table)
    return frame is not None and not frame.filter(pl.col("year") == year).is_empty()


def projected_files(
    records: StudentRecords,
    year: int,
    prior_dashboard: pl.DataFrame | None,
    advance: Callable[[str], None] = lambda _: None,
) -> tuple[dict[str, pl.DataFrame], list[str]]:
    """CDE-shaped rows per file prefix for every indicator with records in ``year``."""
    files: dict[str, pl.DataFrame] = {}
    notes: list[str] = []
    numeric = with_numeric_cds(records)
    for indicator, (calculate, table, back) in CALCULATORS.items():
        advance(INDICATOR_NAMES[indicator])
        if not _has_year(records, table, year):
            notes.append(f"{INDICATOR_NAMES[indicator]}: no {table} records for {year}")
            continue
        counts = with_text_cds(calculate(numeric, year))
        prior_counts = None
        if (
            _has_year(records, table, year - back)
            and records.students.filter(pl.col("year") == year - 1).height
        ):
            prior_counts = with_text_cds(calculate(numeric, year - 1))
            prior = prior_from_counts(prior_counts)
        elif prior_dashboard is not None:
            prior = prior_from_dashboard(
                prior_dashboard.filter(pl.col("reportingyear") == year - 1),
                indicator,
                counts.scale,
            )
        else:
            prior = None
            notes.append(f"{INDICATOR_NAMES[indicator]}: no prior year, so no change or colour")
        files[PREFIX[indicator]] = cde_rows(counts, prior, records.entities, prior_counts)
    return files, notes


def as_dashboard_frame(files: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """The projected rows in the schema ``read_dashboard_files`` returns, for the engines."""
    frames = []
    for prefix, frame in files.items():
        lowered = frame.rename({c: c.lower() for c in frame.columns})
        frames.append(
            lowered.with_row_index("source_line", offset=2).select(
                *(
                    pl.col(c).cast(OUTPUT_SCHEMA[c])
                    if c in lowered.columns and c in (*TEXT_COLUMNS, *_NUMBERS)
                    else pl.lit(None, OUTPUT_SCHEMA[c]).alias(c)
                    for c in OUTPUT_COLUMNS[:-4]
                ),
                pl.col("indicator"),
                pl.col("reportingyear").cast(pl.Int32),
                pl.lit(f"{prefix} (projected)").cast(pl.Categorical).alias("source_file"),
                pl.col("source_line").cast(pl.Int64),
            )
        )
    return pl.concat(frames, how="vertical")


_NUMBERS = ("currnumer", "currdenom", "currstatus", "priornumer", "priordenom", "priorstatus",
            "change")  # fmt: skip
