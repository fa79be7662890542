"""Suspension Rate (2025 Technical Guide, introduction, Table 4; no Suspension mini-guide is in
../shared/reference).

Denominator: cumulative enrolment, every student with a primary (10) or short-term (30)
enrolment of at least one day at the school (once per LEA at LEA level), grades TK-12.
Numerator: those of them suspended at least once (in-school or out-of-school) at that school
(anywhere in the LEA at LEA level) during the year.
"""

from __future__ import annotations

import polars as pl

from continuum.dashboard.students.common import Counts, attribute, collapse, counts_by_group
from continuum.dashboard.students.inputs import StudentRecords

COUNTED_STATUSES = ("10", "30")


def suspension_rate(records: StudentRecords, year: int) -> Counts:
    """Students suspended at least once / cumulative enrolment, per school, LEA and group."""
    enrolled = (
        records.enrollments.filter(
            (pl.col("year") == year) & pl.col("status").is_in(COUNTED_STATUSES)
        )
        .select("student_id", "cds")
        .unique()
    )
    if records.suspensions is None:
        suspended = enrolled.clear()
    else:
        suspended = (
            records.suspensions.filter(pl.col("year") == year).select("student_id", "cds").unique()
        )
    flagged = enrolled.join(
        suspended.with_columns(pl.lit(True).alias("suspended")),
        on=["student_id", "cds"],
        how="left",
    ).with_columns(pl.col("suspended").fill_null(False))
    per_student = collapse(
        attribute(flagged, records, year),
        ("cds", "rtype", "student_id"),
        (pl.col("suspended").any(),),
    )
    counts = counts_by_group(
        per_student, records, year, "enrolment", {"numer": "suspended", "denom": None}
    )
    return Counts("SUSP", year, 100, counts)
