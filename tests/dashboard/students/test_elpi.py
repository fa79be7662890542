"""English Learner Progress from student records: the 2025 Technical Guide's worked example
(../shared/reference/cde-dashboard-technical-guide-2025/dbguideelp25.txt) and the rules."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from continuum.dashboard.levels import compute_levels
from continuum.dashboard.students.elpi import (
    ELPI_LEVEL_NAMES,
    LEVEL_SPLITS,
    elpi_level,
    english_learner_progress,
    progress_category,
)
from continuum.dashboard.students.output import cde_rows, prior_from_counts
from continuum.dashboard.students.project import as_dashboard_frame
from tests.dashboard.students.records import DISTRICT, SCHOOL, District


def level_of(grade: int, score: int) -> str:
    frame = pl.DataFrame(
        {"grade": [grade], "score": [score]}, schema={"grade": pl.Int8, "score": pl.Int64}
    )
    level = frame.select(elpi_level(pl.col("grade"), pl.col("score"))).item()
    return ELPI_LEVEL_NAMES[level - 1]


@pytest.mark.parametrize(
    ("score", "level"),
    [(1423, "1"), (1424, "2L"), (1446, "2L"), (1447, "2H"), (1470, "2H"), (1471, "3L"),
     (1500, "3L"), (1501, "3H"), (1531, "3H"), (1532, "4")],
)  # fmt: skip
def test_grade_2_scores_split_into_elpi_levels_as_table_3_shows(score: int, level: str) -> None:
    """ELPI guide, Table 3 and the grade 2 example: 2L is 1424-1446, 2H 1447-1470, 3L
    1471-1500, 3H 1501-1531."""
    assert level_of(2, score) == level


def test_every_grade_of_table_3_has_four_ranges_in_order() -> None:
    """ELPI guide, Table 3: the splits per grade (K, 1-8, 9-10, 11-12)."""
    assert LEVEL_SPLITS[0] == (1374, 1398, 1422, 1448, 1473)
    assert LEVEL_SPLITS[9] == LEVEL_SPLITS[10] == (1493, 1519, 1545, 1575, 1605)
    assert LEVEL_SPLITS[12] == (1500, 1527, 1555, 1585, 1614)
    assert all(list(row) == sorted(row) for row in LEVEL_SPLITS.values())


def category(test: str, level: int, prior_level: int, score: int = 0, prior: int = 0) -> str:
    frame = pl.DataFrame(
        {"t": [test], "l": [level], "p": [prior_level], "s": [score], "ps": [prior]}
    )
    expr = progress_category(pl.col("t"), pl.col("l"), pl.col("p"), pl.col("s"), pl.col("ps"))
    return str(frame.select(expr).item())


@pytest.mark.parametrize("current", range(1, 7))
@pytest.mark.parametrize("prior", range(1, 7))
def test_table_4_progress_on_the_summative_elpac(current: int, prior: int) -> None:
    """ELPI guide, Table 4: progress is moving up at least one ELPI level, or staying at 4."""
    progressed = current > prior or current == prior == 6
    found = category("SUM", current, prior)
    assert (found in ("progressed", "maintainpl4")) == progressed


@pytest.mark.parametrize("current", range(1, 4))
@pytest.mark.parametrize("prior", range(1, 4))
def test_table_5_progress_on_the_alternate_elpac(current: int, prior: int) -> None:
    """ELPI guide, Table 5: up a level, or staying at level 3 (scores with no 10-point gain)."""
    progressed = current > prior or current == prior == 3
    found = category("ALT", current, prior, 305, 305)
    assert (found in ("progressed_alternate", "maintainpl3_alternate")) == progressed


def test_an_alternate_scale_score_gain_of_10_counts_as_progress() -> None:
    """ELPI guide, "Scale Score Change": 244 (K) to 359 (grade 1) is 44 to 59, +15: progress;
    a gain of 9 is not."""
    assert category("ALT", 1, 1, 359, 244) == "progressed_alternate"
    assert category("ALT", 1, 1, 353, 244) == "notprognotmain_alternate"


def _chai(district: District) -> None:
    """Chai Elementary. 2025: 80 ELs enrolled, 72 tested: 54 Summative (36 up a level, 3
    staying at 4), 18 Alternate (5 up, 2 staying at 3). 2024: 98 enrolled, 92 tested, 91
    matched to 2023, of whom 36 moved up and 18 progressed otherwise (17 staying at 4, one
    Alternate student up a level)."""
    g2, g3, g4 = LEVEL_SPLITS[2], LEVEL_SPLITS[3], LEVEL_SPLITS[4]

    def take(year: int, student: str, test: str, score: int | str, level: str = "") -> None:
        grade = {2023: 2, 2024: 3, 2025: 4}[year]
        district.add(
            "elpac", year=year, student_id=student, cds=SCHOOL, grade=grade, test=test,
            scale_score=score, alt_level=level,
        )  # fmt: skip

    for i in range(80):
        student = f"c{i}"
        for year in (2023, 2024, 2025):
            district.student(student, year=year, el_status="EL")
        if i >= 72:
            take(2025, student, "SUM", "")
        elif i < 36:  # level 1 -> 2L -> 3L: progressed both years
            take(2023, student, "SUM", g2[0] - 10)
            take(2024, student, "SUM", g3[0])
            take(2025, student, "SUM", g4[2])
        elif i < 39:  # level 4 throughout
            take(2023, student, "SUM", g2[4] + 10)
            take(2024, student, "SUM", g3[4] + 10)
            take(2025, student, "SUM", g4[4] + 10)
        elif i < 54:  # 2L throughout
            take(2023, student, "SUM", g2[0])
            take(2024, student, "SUM", g3[0])
            take(2025, student, "SUM", g4[0])
        else:
            j = i - 54
            before, after = ("1", "2") if j < 5 else ("3", "3") if j < 7 else ("1", "1")
            if j == 6:  # the one Alternate student who moved up in 2024
                take(2023, student, "ALT", 210, "2")
            elif before == "1":
                take(2023, student, "ALT", 210, "1")
            take(2024, student, "ALT", 310, before)
            take(2025, student, "ALT", 412, after)
    for i in range(26):
        student = f"p{i}"
        for year in (2023, 2024):
            district.student(student, year=year, el_status="EL")
        if i >= 20:
            take(2024, student, "SUM", "")
        elif i < 14:  # level 4 both years
            take(2023, student, "SUM", g2[4] + 10)
            take(2024, student, "SUM", g3[4] + 10)
        else:
            take(2023, student, "SUM", g2[0])
            take(2024, student, "SUM", g3[0])


def test_chai_elementary_status_participation_and_change(tmp_path: Path) -> None:
    """ELPI guide, "ELPI Calculation Example", Steps 1-8: 72 of 80 tested, 4 added;
    (36 + 3 + 5 + 2) / (54 + 18 + 4) = 60.5%; prior 54 / (91 + 2) = 58.1%; change from the
    unrounded rates 60.526 - 58.065 = +2.5; High and Increased: Green."""
    district = District()
    _chai(district)
    records = district.read(tmp_path)
    current = english_learner_progress(records, 2025)
    prior = english_learner_progress(records, 2024)
    school = current.frame.filter((pl.col("cds") == SCHOOL) & (pl.col("studentgroup") == "EL"))
    row = school.row(0, named=True)
    assert (row["enrolled"], row["tested"], row["added"]) == (80, 72, 4)
    assert (row["progressed"], row["maintainpl4"]) == (36, 3)
    assert (row["progressed_alternate"], row["maintainpl3_alternate"]) == (5, 2)
    assert (row["numer"], row["denom"]) == (46, 76)
    prior_row = prior.frame.filter(
        (pl.col("cds") == SCHOOL) & (pl.col("studentgroup") == "EL")
    ).row(0, named=True)
    assert (prior_row["numer"], prior_row["denom"], prior_row["added"]) == (54, 93, 2)
    rows = cde_rows(current, prior_from_counts(prior), records.entities, prior)
    levelled = compute_levels(as_dashboard_frame({"elpi": rows})).filter(pl.col("cds") == SCHOOL)
    assert levelled.select("currstatus", "priorstatus", "change", "color").row(0) == (
        60.5,
        58.1,
        2.5,
        4,
    )
    written = rows.filter(pl.col("cds") == SCHOOL).row(0, named=True)
    assert (written["curr95"], written["prior95"], written["currnumer"]) == ("4", "2", "46")


def test_the_participation_adjustment_needs_30_enrolled_els(tmp_path: Path) -> None:
    """ELPI guide: the adjustment applies only where EL enrolment in the window reaches 30."""
    district = District()
    for i in range(29):
        student = f"e{i}"
        district.student(student, el_status="EL")
        district.add(
            "elpac", year=2025, student_id=student, cds=SCHOOL, grade="4", test="SUM",
            scale_score="" if i < 5 else 1500, alt_level="",
        )  # fmt: skip
    frame = english_learner_progress(district.read(tmp_path), 2025).frame
    assert frame.filter(pl.col("cds") == DISTRICT)["added"].to_list() == [0]


def test_different_tests_or_a_lower_grade_are_not_matched(tmp_path: Path) -> None:
    """ELPI guide, "Students Excluded": a grade lower than last year, or a different test."""
    district = District()
    for student, prior_grade, prior_test in (("down", 5, "SUM"), ("switched", 3, "ALT")):
        for year in (2024, 2025):
            district.student(student, year=year, el_status="EL")
        district.add("elpac", year=2024, student_id=student, cds=SCHOOL, grade=prior_grade,
                     test=prior_test, scale_score=1480 if prior_test == "SUM" else 310,
                     alt_level="" if prior_test == "SUM" else "1")  # fmt: skip
        district.add("elpac", year=2025, student_id=student, cds=SCHOOL, grade=4, test="SUM",
                     scale_score=1500, alt_level="")  # fmt: skip
    frame = english_learner_progress(district.read(tmp_path), 2025).frame
    school = frame.filter(pl.col("cds") == SCHOOL).row(0, named=True)
    assert (school["tested"], school["denom"]) == (2, 0)
