"""Chronic Absenteeism (2025 Technical Guide, Chronic Absenteeism mini-guide).

A student counts in the denominator of a school (or LEA) when they have a primary (10) or
short-term (30) enrolment in grades TK-8 there, are not exempt, and were expected to attend at
least 31 days there (summed over the LEA's schools at LEA level); they are chronically absent
when out-of-school suspension days, excused and unexcused absences and non-ADA independent study
days are at least 10% of the days expected (9.999% is not).
"""

from __future__ import annotations

import polars as pl

from continuum.dashboard.students.common import Counts, attribute, collapse, counts_by_group
from continuum.dashboard.students.inputs import StudentRecords

MINIMUM_EXPECTED_DAYS = 31
HIGHEST_GRADE = 8
COUNTED_STATUSES = ("10", "30")


def eligible_records(records: StudentRecords, year: int) -> pl.DataFrame:
    """Attendance summaries of students enrolled (10 or 30) in TK-8 at the school, not exempt."""
    if records.attendance is None:
        return pl.DataFrame(
            schema={"student_id": pl.String, "cds": pl.String, "expected": pl.Float64,
                    "absent": pl.Float64}
        )  # fmt: skip
    enrolled = (
        records.enrollments.filter(
            (pl.col("year") == year)
            & pl.col("status").is_in(COUNTED_STATUSES)
            & (pl.col("grade") <= HIGHEST_GRADE)
        )
        .select("student_id", "cds")
        .unique()
    )
    absent = pl.sum_horizontal("days_oss", "days_excused", "days_unexcused", "days_nonada_is")
    return (
        records.attendance.filter((pl.col("year") == year) & pl.col("exempt").not_())
        .join(enrolled, on=["student_id", "cds"], how="semi")
        .select(
            "student_id", "cds", pl.col("days_expected").alias("expected"), absent.alias("absent")
        )
    )


def chronic_absenteeism(records: StudentRecords, year: int) -> Counts:
    """Chronically absent / eligible enrolled, per school, LEA and student group."""
    per_student = (
        collapse(
            attribute(eligible_records(records, year), records, year),
            ("cds", "rtype", "student_id"),
            (pl.col("expected").sum(), pl.col("absent").sum()),
        )
        .filter(pl.col("expected") >= MINIMUM_EXPECTED_DAYS)
        .with_columns((10 * pl.col("absent") >= pl.col("expected")).alias("chronic"))
    )
    counts = counts_by_group(
        per_student, records, year, "enrolment", {"numer": "chronic", "denom": None}
    )
    return Counts("CHRO", year, 100, counts)
