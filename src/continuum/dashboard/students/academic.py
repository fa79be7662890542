"""Academic Indicators, ELA and mathematics: average distance from standard (DFS), following the
2025 Technical Guide, Academic Indicators mini-guide.

Per student and subject:

* Participation: the caaspp rows are the students enrolled during the school's accountability
  testing window. Not counted at all: ELs who entered a U.S. school after 15 April of the
  previous year, and students marked NTE (medical emergency) who did not log on. Tested means
  logged on (both CAT and PT for Smarter Balanced, or the CAA).
* DFS: only students who tested and were continuously enrolled (from Fall Census Day, the first
  Wednesday in October, to their test date, with no gap of more than 30 days; judged separately
  at the school and at the LEA). Smarter Balanced: scale score minus the grade's lowest Level 3
  score; no score, or a testing irregularity (IRR), counts as the grade's lowest obtainable
  scale score (LOSS). CAA: the top Smarter Balanced score of the same achievement level
  ("top of the range") minus the Level 3 minimum; a CAA at its LOSS or without a score is left out.
* Participation below 95% (rounded half up to a whole percent) adds students scored at a fixed
  DFS: -333 in ELA and -348 in mathematics (``AdjustmentRule``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from continuum.dashboard.students.common import (
    Counts,
    attribute,
    collapse,
    count_by_group,
    group_flags,
    student_info,
)
from continuum.dashboard.students.inputs import (
    CAA_LEVEL_1_TOP,
    CAA_LEVEL_2_TOP,
    SBA_RANGES,
    StudentRecords,
)

PENALTY_POINTS = {"ELA": -333, "MATH": -348}
MAXIMUM_GAP_DAYS = 30
INDICATOR = {"ELA": "ELA", "MATH": "MATH"}


@dataclass(frozen=True)
class AdjustmentRule:
    """How many students are added when participation is under 95%, and what the status
    divides by.

    ``target_permille``: students needed = ceil(target × enrolled / 1000).
    ``divide_by_needed``: divide by the students needed (tested + added) instead of the
    continuously enrolled testers + added.
    """

    target_permille: int
    divide_by_needed: bool


# What CDE's 2023-2025 download files do: every row with currnumPRLOSS > 0 in the 2025 sample
# and Monterey's 2023 files has numPRLOSS = ceil(0.945 × enrolled) - tested (the fewest testers
# whose rate rounds to 95%) and currdenom = currdenom_withoutPRLOSS + numPRLOSS.
FILES_RULE = AdjustmentRule(target_permille=945, divide_by_needed=False)
# What the Technical Guide's worked examples do (Table 6, Examples 1 and 2): ceil(0.95 ×
# enrolled) students needed, and the status divided by that number.
GUIDE_RULE = AdjustmentRule(target_permille=950, divide_by_needed=True)


def census_day(year: int) -> dt.date:
    """Fall Census Day of the school year ending in ``year``: the first Wednesday in October."""
    first = dt.date(year - 1, 10, 1)
    return first + dt.timedelta(days=(2 - first.weekday()) % 7)


def _score_table() -> pl.DataFrame:
    """Per subject, grade and test: the SBA LOSS, the Level 3 minimum, and the substitutes for
    CAA Levels 1-3 (the top of the same Smarter Balanced level)."""
    rows = [
        (subject, grade, low, top2 + 1, top1, top2, top3)
        for (subject, grade), (low, top1, top2, top3, _high) in SBA_RANGES.items()
    ]
    return pl.DataFrame(
        rows,
        schema={"subject": pl.String, "grade": pl.Int8, "loss": pl.Int64, "standard": pl.Int64,
                "top1": pl.Int64, "top2": pl.Int64, "top3": pl.Int64},
        orient="row",
    )  # fmt: skip


def student_distances(records: StudentRecords, year: int, subject: str) -> pl.DataFrame:
    """One row per caaspp record of the year and subject that counts for participation, with
    ``tested``, ``dfs`` (null when the record has no valid score) and ``test_date``."""
    if records.caaspp is None:
        return pl.DataFrame(
            schema={"student_id": pl.String, "cds": pl.String, "test": pl.String,
                    "tested": pl.Boolean, "scored": pl.Boolean, "dfs": pl.Int64,
                    "test_date": pl.Date}
        )  # fmt: skip
    newcomers = student_info(records, year).filter(
        (pl.col("el_status") == "EL") & (pl.col("us_entry_date") > dt.date(year - 1, 4, 15))
    )
    rows = (
        records.caaspp.filter((pl.col("year") == year) & (pl.col("subject") == subject))
        .join(newcomers, on="student_id", how="anti")
        .filter(~((pl.col("condition") == "NTE") & pl.col("attempted").not_()).fill_null(False))
        .join(_score_table(), on=["subject", "grade"], how="left")
    )
    floor = pl.when(pl.col("grade") == 11).then(900).otherwise(100 * pl.col("grade").cast(pl.Int64))
    caa_points = pl.col("scale_score") - floor
    caa_score = (
        pl.when(caa_points <= CAA_LEVEL_1_TOP)
        .then(pl.col("top1"))
        .when(caa_points <= CAA_LEVEL_2_TOP)
        .then(pl.col("top2"))
        .otherwise(pl.col("top3"))
    )
    sba_score = (
        pl.when(pl.col("scale_score").is_null() | (pl.col("condition") == "IRR").fill_null(False))
        .then(pl.col("loss"))
        .otherwise(pl.col("scale_score"))
    )
    is_caa = pl.col("test") == "CAA"
    caa_scored = pl.col("scale_score").is_not_null() & (caa_points > 0)
    scored = pl.col("attempted") & (~is_caa | caa_scored)
    score = pl.when(is_caa).then(caa_score).otherwise(sba_score)
    return rows.select(
        "student_id",
        "cds",
        "test",
        pl.col("attempted").alias("tested"),
        scored.alias("scored"),
        pl.when(scored).then(score - pl.col("standard")).alias("dfs"),
        "test_date",
    )


def _continuously_enrolled(
    scored: pl.DataFrame, enrolments: pl.DataFrame, census: dt.date
) -> pl.DataFrame:
    """(cds, rtype, student_id) of scored records whose student was enrolled at that entity from
    census day to the test date with no gap of more than 30 days."""
    far = dt.date(9999, 12, 31)
    key = ["cds", "rtype", "student_id"]
    spans = (
        scored.select(*key, "test_date")
        .unique(key, keep="any")
        .join(enrolments, on=key, how="inner")
        .filter(pl.col("start_date") <= pl.col("test_date"))
        .with_columns(pl.col("end_date").fill_null(far))
        .filter(pl.col("end_date") >= pl.lit(census))
    )
    reaches_test = (pl.col("test_date") - pl.col("_last")).dt.total_days() - 1 <= MAXIMUM_GAP_DAYS
    # Most students have one enrolment at the entity: no gaps to look for.
    several = spans.select(key).is_duplicated()
    single = (
        spans.filter(~several)
        .rename({"start_date": "_first", "end_date": "_last"})
        .filter((pl.col("_first") <= pl.lit(census)) & reaches_test)
        .select(key)
    )
    covered = (
        spans.filter(several)
        .sort(*key, "start_date")
        .with_columns(pl.col("end_date").cum_max().shift(1).over(key).alias("_covered_to"))
        .with_columns(
            ((pl.col("start_date") - pl.col("_covered_to")).dt.total_days() - 1)
            .fill_null(0)
            .alias("_gap")
        )
        .group_by(key)
        .agg(
            pl.col("start_date").min().alias("_first"),
            pl.col("end_date").max().alias("_last"),
            pl.col("_gap").max().alias("_gap"),
            pl.col("test_date").first(),
        )
        .filter(
            (pl.col("_first") <= pl.lit(census))
            & (pl.col("_gap") <= MAXIMUM_GAP_DAYS)
            & reaches_test
        )
        .select(key)
    )
    return pl.concat([single, covered])


def adjust_for_participation(
    frame: pl.DataFrame, subject: str, rule: AdjustmentRule
) -> pl.DataFrame:
    """From ``enrolled, tested, valid, dfs_sum`` per row add ``prate`` (whole percent, half up),
    ``added`` (students scored at the fixed penalty), ``numer`` and ``denom``."""
    enrolled, tested = pl.col("enrolled"), pl.col("tested")
    prate = pl.when(enrolled > 0).then((200 * tested + enrolled) // (2 * enrolled))
    needed = (rule.target_permille * enrolled + 999) // 1000
    added = pl.when(prate < 95).then(pl.max_horizontal(needed - tested, 0)).otherwise(0)
    base = tested if rule.divide_by_needed else pl.col("valid")
    return frame.with_columns(prate.alias("prate"), added.fill_null(0).alias("added")).with_columns(
        (pl.col("dfs_sum") + PENALTY_POINTS[subject] * pl.col("added")).alias("numer"),
        (base + pl.col("added")).alias("denom"),
    )


def distance_from_standard(
    records: StudentRecords, year: int, subject: str, rule: AdjustmentRule = FILES_RULE
) -> Counts:
    """Average DFS per school, LEA and student group (plus SBA and CAA takers)."""
    distances = student_distances(records, year, subject)
    rows = attribute(distances, records, year)
    # Continuous enrolment is only asked of scored records: only their students' enrolments.
    scored_students = distances.filter(pl.col("scored")).select("student_id").unique()
    enrolments = attribute(
        records.enrollments.filter(pl.col("year") == year)
        .select("student_id", "cds", "start_date", "end_date")
        .join(scored_students, on="student_id", how="semi"),
        records,
        year,
    )
    continuous = _continuously_enrolled(
        rows.filter(pl.col("scored")), enrolments, census_day(year)
    ).with_columns(pl.lit(True).alias("continuous"))
    key = ["cds", "rtype", "student_id"]
    marked = rows.join(continuous, on=key, how="left").with_columns(
        (pl.col("scored") & pl.col("continuous").fill_null(False)).alias("valid")
    )
    # At LEA level a student may have records at two schools: one outcome per student, the
    # valid score if there is one.
    per_student = collapse(
        marked.select(*key, "tested", "valid", "dfs", "test"),
        key,
        (
            pl.col("tested").any(),
            pl.col("valid").any(),
            pl.col("dfs").filter(pl.col("valid")).last(),
            pl.col("test").sort_by("valid", "tested").last(),
        ),
    )
    flags = group_flags(records, year, "academic")
    groups = [*(c for c in flags.columns if c != "student_id"), "SBA", "CAA"]
    # SWD includes every CAA taker; SBA and CAA are groups of the test taken.
    flagged = per_student.join(flags, on="student_id", how="inner").with_columns(
        (pl.col("SWD") | (pl.col("test") == "CAA")).alias("SWD"),
        (pl.col("test") == "SBA").alias("SBA"),
        (pl.col("test") == "CAA").alias("CAA"),
        pl.when(pl.col("valid")).then(pl.col("dfs")).alias("valid_dfs"),
    )
    counts = count_by_group(
        flagged,
        groups,
        {"enrolled": None, "tested": "tested", "valid": "valid", "dfs_sum": "valid_dfs"},
    ).pipe(adjust_for_participation, subject, rule)
    return Counts(INDICATOR[subject], year, 1, counts)
