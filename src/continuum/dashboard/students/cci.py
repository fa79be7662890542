"""College/Career Indicator, Prepared only, with a simplified set of measures.

No CCI mini-guide is in ../shared/reference, so this is not CDE's full rule set (which also has
an Approaching level and measures such as the State Seal of Civic Engagement, pre-apprenticeships
and transition classwork). What is implemented, exactly (docs/dashboard/projection.md):

A graduate of the four-year cohort or a fifth-year graduate is Prepared when any of these holds,
and is counted under the first that does:

1. summative: CAASPP grade 11 level 3 or 4 in both ELA and mathematics;
2. ap: two or more AP exams passed;
3. ibexam: two or more IB exams passed;
4. collegecredit: two or more college-credit courses passed;
5. agplus: A-G completed, plus one of: a CTE pathway, one AP or IB exam passed, one
   college-credit course, or level 3+ in one CAASPP subject and level 2+ in the other;
6. cteplus: a CTE pathway, plus one of: one college-credit course, or level 3+ in one CAASPP
   subject and level 2+ in the other;
7. ssb: State Seal of Biliteracy, plus CAASPP ELA level 3+ and mathematics level 2+;
8. milsci: two years of military science, plus CAASPP level 2+ in both subjects.

Denominator: the four-year cohort plus the fifth-year graduates who are Prepared (2025
Technical Guide, introduction, Table 4). Students with no row in cci count as Not Prepared.
"""

from __future__ import annotations

import polars as pl

from continuum.dashboard.students.common import Counts, attribute, counts_by_group
from continuum.dashboard.students.graduation import cohort_records
from continuum.dashboard.students.inputs import StudentRecords

MEASURES = (
    "summative", "ap", "ibexam", "collegecredit", "agplus", "cteplus", "ssb", "milsci",
)  # fmt: skip


def _measure_rules() -> dict[str, pl.Expr]:
    ela = pl.col("ela_level").cast(pl.Int8).fill_null(0)
    math = pl.col("math_level").cast(pl.Int8).fill_null(0)
    ap = pl.col("ap_passed").fill_null(0)
    ib = pl.col("ib_passed").fill_null(0)
    credit = pl.col("college_credit_courses").fill_null(0)
    one_met_other_near = ((ela >= 3) & (math >= 2)) | ((ela >= 2) & (math >= 3))
    return {
        "summative": (ela >= 3) & (math >= 3),
        "ap": ap >= 2,
        "ibexam": ib >= 2,
        "collegecredit": credit >= 2,
        "agplus": pl.col("a_g")
        & (pl.col("cte_pathway") | (ap >= 1) | (ib >= 1) | (credit >= 1) | one_met_other_near),
        "cteplus": pl.col("cte_pathway") & ((credit >= 1) | one_met_other_near),
        "ssb": pl.col("seal_biliteracy") & (ela >= 3) & (math >= 2),
        "milsci": pl.col("military_science") & (ela >= 2) & (math >= 2),
    }


def prepared_measure(records: StudentRecords, year: int) -> pl.DataFrame:
    """Cohort rows with ``measure``: the first Prepared measure a graduate met, else null."""
    cohort = cohort_records(records, year)
    if records.cci is None:
        return cohort.with_columns(pl.lit(None, pl.String).alias("measure"))
    measures = records.cci.filter(pl.col("year") == year).drop("year")
    rules = _measure_rules()
    first: pl.Expr = pl.lit(None, pl.String)
    for name in reversed(MEASURES):
        first = pl.when(rules[name].fill_null(False)).then(pl.lit(name)).otherwise(first)
    return (
        cohort.join(measures, on="student_id", how="left")
        .with_columns(pl.col(c).fill_null(False) for c in ("a_g", "cte_pathway",
                      "seal_biliteracy", "military_science"))
        .with_columns(pl.when(pl.col("graduated")).then(first).alias("measure"))
        .select("student_id", "cds", "cohort", "measure")
    )  # fmt: skip


def college_career(records: StudentRecords, year: int) -> Counts:
    """Prepared / (four-year cohort + Prepared fifth-year graduates) per entity and group."""
    rows = prepared_measure(records, year).with_columns(
        pl.col("measure").is_not_null().alias("prepared")
    )
    counted = rows.filter((pl.col("cohort") == "4YR") | pl.col("prepared"))
    per_student = attribute(counted, records, year).with_columns(
        (pl.col("measure") == name).fill_null(False).alias(f"prep_{name}") for name in MEASURES
    )
    counts = counts_by_group(
        per_student,
        records,
        year,
        "cohort",
        {"numer": "prepared", "denom": None, **{f"prep_{m}": f"prep_{m}" for m in MEASURES}},
    )
    return Counts("CCI", year, 100, counts)
