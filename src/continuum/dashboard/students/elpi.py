"""English Learner Progress Indicator (2025 Technical Guide, ELPI mini-guide).

Status: ELs in grades 1-12 with an overall score this year and last year on the same test
(Summative ELPAC both years, or Summative Alternate ELPAC both years), whose grade did not go
down, counted at the school where they tested this year. Summative ELPAC: six ELPI levels (1,
2L, 2H, 3L, 3H, 4; Table 3); progress is moving up at least one level or staying at 4.
Alternate ELPAC: levels 1-3; progress is moving up a level, staying at 3, or a scale score gain
of 10 or more with the first digit removed. Participation: when 95% of the ELs enrolled in the
testing window (elpac rows, grades K-12) did not test, the students missing to reach 95% are
added to the denominator as not progressing, where the enrolment reaches 30 (LTEL at an LEA: 15).
"""

from __future__ import annotations

import polars as pl

from continuum.dashboard.students.common import (
    Counts,
    attribute,
    count_by_group,
    student_info,
)
from continuum.dashboard.students.inputs import StudentRecords

# Table 3: the first scale score of ELPI levels 2L, 2H, 3L, 3H and the last score of 3H, by
# grade (K = 0; 9-10 and 11-12 share a row).
LEVEL_SPLITS: dict[int, tuple[int, int, int, int, int]] = {
    0: (1374, 1398, 1422, 1448, 1473),
    1: (1411, 1433, 1455, 1481, 1506),
    2: (1424, 1447, 1471, 1501, 1531),
    3: (1448, 1468, 1488, 1511, 1534),
    4: (1459, 1479, 1499, 1524, 1548),
    5: (1467, 1490, 1514, 1537, 1559),
    6: (1475, 1496, 1517, 1542, 1566),
    7: (1481, 1504, 1527, 1551, 1575),
    8: (1486, 1510, 1534, 1562, 1589),
    9: (1493, 1519, 1545, 1575, 1605),
    10: (1493, 1519, 1545, 1575, 1605),
    11: (1500, 1527, 1555, 1585, 1614),
    12: (1500, 1527, 1555, 1585, 1614),
}
ELPI_LEVEL_NAMES = ("1", "2L", "2H", "3L", "3H", "4")
TOP_SUMMATIVE_LEVEL = 6  # ELPI level 4, in the 1..6 numbering used here
TOP_ALTERNATE_LEVEL = 3
ALTERNATE_GAIN = 10
PARTICIPATION_N = 30
LTEL_LEA_PARTICIPATION_N = 15
CATEGORIES = (
    "progressed", "maintainpl4", "maintainoth", "declined", "progressed_alternate",
    "maintainpl3_alternate", "notprognotmain_alternate",
)  # fmt: skip
ELPI_GROUPS = ("EL", "LTEL")
PROGRESSING = ("progressed", "maintainpl4", "progressed_alternate", "maintainpl3_alternate")


def elpi_level(grade: pl.Expr, score: pl.Expr) -> pl.Expr:
    """Summative ELPAC ELPI level numbered 1..6 (1, 2L, 2H, 3L, 3H, 4) from grade and score."""
    cuts = [
        grade.replace_strict({g: row[i] for g, row in LEVEL_SPLITS.items()}, default=None)
        for i in range(5)
    ]
    return (
        pl.when(score < cuts[0])
        .then(1)
        .when(score < cuts[1])
        .then(2)
        .when(score < cuts[2])
        .then(3)
        .when(score < cuts[3])
        .then(4)
        .when(score <= cuts[4])
        .then(5)
        .otherwise(6)
        .cast(pl.Int8)
    )


def _scored(elpac: pl.DataFrame, year: int) -> pl.DataFrame:
    level = (
        pl.when(pl.col("test") == "ALT")
        .then(pl.col("alt_level").cast(pl.Int8))
        .otherwise(elpi_level(pl.col("grade"), pl.col("scale_score")))
    )
    return (
        elpac.filter((pl.col("year") == year) & pl.col("scale_score").is_not_null())
        .with_columns(level.alias("level"))
        .select("student_id", "cds", "grade", "test", "scale_score", "level")
    )


def progress_category(
    test: pl.Expr, level: pl.Expr, prior_level: pl.Expr, score: pl.Expr, prior_score: pl.Expr
) -> pl.Expr:
    """Which ELPI count (``CATEGORIES``) a matched student falls in."""
    gain = (score % 100) - (prior_score % 100)
    alternate = (
        pl.when((level == TOP_ALTERNATE_LEVEL) & (prior_level == TOP_ALTERNATE_LEVEL))
        .then(pl.lit("maintainpl3_alternate"))
        .when((level > prior_level) | (gain >= ALTERNATE_GAIN))
        .then(pl.lit("progressed_alternate"))
        .otherwise(pl.lit("notprognotmain_alternate"))
    )
    summative = (
        pl.when((level == TOP_SUMMATIVE_LEVEL) & (prior_level == TOP_SUMMATIVE_LEVEL))
        .then(pl.lit("maintainpl4"))
        .when(level > prior_level)
        .then(pl.lit("progressed"))
        .when(level == prior_level)
        .then(pl.lit("maintainoth"))
        .otherwise(pl.lit("declined"))
    )
    return pl.when(test == "ALT").then(alternate).otherwise(summative)


def matched_students(elpac: pl.DataFrame, year: int) -> pl.DataFrame:
    """This year's scored ELs in grades 1-12 matched to last year's score, with ``category``."""
    current = _scored(elpac, year).filter(pl.col("grade") >= 1)
    prior = (
        _scored(elpac, year - 1)
        .unique("student_id", keep="any")
        .select(
            "student_id",
            pl.col("grade").alias("prior_grade"),
            pl.col("test").alias("prior_test"),
            pl.col("scale_score").alias("prior_score"),
            pl.col("level").alias("prior_level"),
        )
    )
    return (
        current.join(prior, on="student_id", how="inner")
        .filter(
            (pl.col("test") == pl.col("prior_test")) & (pl.col("grade") >= pl.col("prior_grade"))
        )
        .with_columns(
            progress_category(
                pl.col("test"),
                pl.col("level"),
                pl.col("prior_level"),
                pl.col("scale_score"),
                pl.col("prior_score"),
            ).alias("category")
        )
        .select("student_id", "cds", "category")
    )


def elpi_groups(records: StudentRecords, year: int) -> pl.DataFrame:
    """ELPI reports only EL (every student in elpac) and LTEL: one Boolean column each."""
    return student_info(records, year).select(
        "student_id", pl.lit(True).alias("EL"), pl.col("ltel").alias("LTEL")
    )


def participation_added(frame: pl.DataFrame) -> pl.DataFrame:
    """``added``: students missing to reach 95% of ``enrolled`` (ceil), where the group's
    enrolment reaches the n-size for the adjustment; otherwise 0."""
    enrolled, tested = pl.col("enrolled"), pl.col("tested")
    n_size = (
        pl.when((pl.col("studentgroup") == "LTEL") & (pl.col("rtype") == "D"))
        .then(LTEL_LEA_PARTICIPATION_N)
        .otherwise(PARTICIPATION_N)
    )
    needed = (95 * enrolled + 99) // 100
    return frame.with_columns(
        pl.when(enrolled >= n_size)
        .then(pl.max_horizontal(needed - tested, 0))
        .otherwise(0)
        .cast(pl.Int64)
        .alias("added")
    )


def english_learner_progress(records: StudentRecords, year: int) -> Counts:
    """ELPI status per school, LEA and EL/LTEL group, with the participation adjustment."""
    groups = elpi_groups(records, year)
    if records.elpac is None:
        counted = (*CATEGORIES, "enrolled", "tested", "added", "numer", "denom")
        empty = pl.DataFrame(
            schema={
                **dict.fromkeys(("cds", "rtype", "studentgroup"), pl.String),
                **dict.fromkeys(counted, pl.Int64),
            }
        )
        return Counts("ELPI", year, 100, empty)
    key = ["cds", "rtype", "student_id"]
    window = (
        records.elpac.filter(pl.col("year") == year)
        .select("student_id", "cds", pl.col("scale_score").is_not_null().alias("tested"))
        .pipe(attribute, records, year)
        .group_by(key)
        .agg(pl.col("tested").any())
    )
    participation = count_by_group(
        window.join(groups, on="student_id"), ELPI_GROUPS, {"enrolled": None, "tested": "tested"}
    )
    matched = attribute(matched_students(records.elpac, year), records, year).unique(
        key, keep="any"
    )
    by_category = count_by_group(
        matched.with_columns((pl.col("category") == c).alias(c) for c in CATEGORIES).join(
            groups, on="student_id"
        ),
        ELPI_GROUPS,
        {c: c for c in CATEGORIES},
    )
    counts = (
        participation.join(
            by_category, on=["cds", "rtype", "studentgroup"], how="full", coalesce=True
        )
        .with_columns(pl.col(c).fill_null(0) for c in (*CATEGORIES, "enrolled", "tested"))
        .pipe(participation_added)
        .with_columns(
            pl.sum_horizontal(PROGRESSING).alias("numer"),
            (pl.sum_horizontal(CATEGORIES) + pl.col("added")).alias("denom"),
        )
        .sort("cds", "rtype", "studentgroup")
    )
    return Counts("ELPI", year, 100, counts)
