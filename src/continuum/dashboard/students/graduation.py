"""Graduation Rate: the combined four- and five-year rate (2025 Technical Guide, introduction,
Tables 4 and 5).

Denominator: the four-year cohort plus the fifth-year graduates (students of last year's cohort
who graduated this year). Numerator: graduates of the four-year cohort plus those fifth-year
graduates. Rows of the fifth-year kind that did not graduate are not counted at all.
"""

from __future__ import annotations

import polars as pl

from continuum.dashboard.students.common import Counts, attribute, counts_by_group
from continuum.dashboard.students.inputs import StudentRecords


def cohort_records(records: StudentRecords, year: int) -> pl.DataFrame:
    """The year's cohort rows that count: the four-year cohort and fifth-year graduates."""
    if records.graduation is None:
        return pl.DataFrame(
            schema={"student_id": pl.String, "cds": pl.String, "cohort": pl.String,
                    "graduated": pl.Boolean}
        )  # fmt: skip
    return records.graduation.filter(
        (pl.col("year") == year) & ((pl.col("cohort") == "4YR") | pl.col("graduated"))
    ).select("student_id", "cds", "cohort", "graduated")


def graduation_rate(records: StudentRecords, year: int) -> Counts:
    """Combined four- and five-year graduation rate per school, LEA and student group."""
    per_student = attribute(cohort_records(records, year), records, year).with_columns(
        (pl.col("cohort") == "5YR").alias("fifth_year")
    )
    counts = counts_by_group(
        per_student,
        records,
        year,
        "cohort",
        {"numer": "graduated", "denom": None, "fiveyrnumer": "fifth_year"},
    )
    return Counts("GRAD", year, 100, counts)
