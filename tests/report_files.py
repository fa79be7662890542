"""Synthetic CALPADS report fields for the reader's and the CLI's tests: a small unified
district of county 03 with a high school (so that 15.2 has a cohort), whose school codes start
with 0, so a spreadsheet's re-save drops a digit from each."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl

from continuum.formats.calpads_reports import report_layouts
from continuum.synth.calpads_reports import (
    absence_fields,
    cohort_fields,
    completer_fields,
    incident_fields,
    profile_fields,
    write_calpads_report,
)
from continuum.synth.entities import CountyPlan, LeaPlan
from continuum.synth.students import generate_student_records

COUNTY = CountyPlan(name="Sierra", code=3, leas=(LeaPlan("unified", {"elementary": 1, "high": 1}),))
NUMBERS = ["1.23", "14.2", "15.2", "7.12", "8.1"]


@cache
def report_fields() -> dict[str, pl.DataFrame]:
    """Each report's 2025 rows for the county, by report number."""
    records = generate_student_records([COUNTY], year=2025, seed=5)
    assert records.attendance is not None and records.suspensions is not None
    assert records.graduation is not None
    return {
        "1.23": completer_fields(records.graduation, records.students, 2025),
        "14.2": absence_fields(records.attendance, records.enrollments, 2025),
        "15.2": cohort_fields(records.graduation, records.students, 2025),
        "7.12": incident_fields(records.suspensions, records.enrollments, 2025),
        "8.1": profile_fields(records.students, records.enrollments, 2025),
    }


def written_report(
    directory: Path, number: str, *, damaged: bool = False, rows: int | None = None
) -> Path:
    """Report ``number`` written to ``directory`` under CALPADS's name with the year 2024-25."""
    fields = report_fields()[number]
    path = directory / f"{report_layouts()[number].file_stem}_2024-25.csv"
    write_calpads_report(
        fields if rows is None else fields.head(rows), number, path, damaged=damaged
    )
    return path
