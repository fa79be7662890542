"""Chronic absenteeism from student records: the 2025 Technical Guide's worked examples
(../shared/reference/cde-dashboard-technical-guide-2025/dbguidechron25.txt) and the rules."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from continuum.dashboard.levels import compute_levels
from continuum.dashboard.students.chronic import chronic_absenteeism
from continuum.dashboard.students.common import Counts
from continuum.dashboard.students.inputs import StudentRecords
from continuum.dashboard.students.output import cde_rows
from continuum.dashboard.students.project import as_dashboard_frame
from tests.dashboard.students.records import (
    DISTRICT,
    OTHER_DISTRICT,
    OTHER_DISTRICT_SCHOOL,
    OTHER_SCHOOL,
    SCHOOL,
    District,
)


def attended(
    district: District,
    student_id: str,
    expected: float,
    *,
    cds: str = SCHOOL,
    excused: float = 0,
    unexcused: float = 0,
    oss: float = 0,
    independent_study: float = 0,
    exempt: str = "N",
) -> None:
    district.add(
        "attendance",
        year=2025, student_id=student_id, cds=cds, days_expected=expected, days_oss=oss,
        days_excused=excused, days_unexcused=unexcused, days_nonada_is=independent_study,
        exempt=exempt,
    )  # fmt: skip


def counts(records: StudentRecords, cds: str, group: str = "ALL") -> tuple[int, int]:
    frame = chronic_absenteeism(records, 2025).frame
    row = frame.filter((pl.col("cds") == cds) & (pl.col("studentgroup") == group))
    return (row.item(0, "numer"), row.item(0, "denom")) if row.height else (0, 0)


def test_athena_absent_24_of_180_days_is_chronically_absent(tmp_path: Path) -> None:
    """Chronic guide, Example 1, Step 1: (19 excused + 5 unexcused) / 180 = 13.3%."""
    district = District()
    district.student("Athena")
    district.enrol("Athena", grade="4")
    attended(district, "Athena", 180, excused=19, unexcused=5)
    assert counts(district.read(tmp_path), SCHOOL) == (1, 1)


def test_hugo_absent_28_of_131_days_is_chronically_absent(tmp_path: Path) -> None:
    """Chronic guide, Example 2, Step 1: (21 excused + 7 unexcused) / 131 = 21.374%."""
    district = District()
    district.student("Hugo")
    district.enrol("Hugo", grade="7", cds=OTHER_SCHOOL)
    attended(district, "Hugo", 131, cds=OTHER_SCHOOL, excused=21, unexcused=7)
    assert counts(district.read(tmp_path), DISTRICT) == (1, 1)


@pytest.mark.parametrize(("absent", "chronic"), [(17.99, 0), (18, 1)])
def test_an_absence_rate_just_under_10_percent_is_not_chronic(
    tmp_path: Path, absent: float, chronic: int
) -> None:
    """Chronic guide, Step 1B: 9.999% is not 10%; 18 of 180 days is."""
    district = District()
    district.student("one")
    district.enrol("one")
    attended(district, "one", 180, excused=absent)
    assert counts(district.read(tmp_path), SCHOOL) == (chronic, 1)


def test_every_kind_of_absence_counts(tmp_path: Path) -> None:
    """Step 1B: suspension, excused, unexcused and non-ADA independent study days add up."""
    district = District()
    district.student("one")
    district.enrol("one")
    attended(district, "one", 100, excused=3, unexcused=3, oss=2, independent_study=2)
    assert counts(district.read(tmp_path), SCHOOL) == (1, 1)


def test_example_1_aquamarine_academy_numerator_125_denominator_735(tmp_path: Path) -> None:
    """Chronic guide, Example 1, Steps 1-3: of 750 students, 10 enrolled under 31 days and 5
    with only a secondary enrolment are out; 5 short-term and 730 primary (15 of them, like
    Marcie, enrolled twice: 20 + 50 days) are in: 125 / 735 = 17.0%."""
    district = District()
    for i in range(750):
        student = f"s{i}"
        district.student(student)
        if i < 10:
            district.enrol(student)
            attended(district, student, 30, excused=10)
            continue
        status = "20" if i < 15 else "30" if i < 20 else "10"
        if 20 <= i < 35:
            district.enrol(student, start="2024-09-01", end="2024-09-28")
            district.enrol(student, start="2025-01-06", end="2025-03-20")
            attended(district, student, 70, excused=7 if i < 25 else 0)
            continue
        district.enrol(student, status=status)
        chronic = 35 <= i < 35 + 120
        attended(district, student, 180, excused=20 if chronic else 2)
    numer, denom = counts(district.read(tmp_path), SCHOOL)
    assert (numer, denom) == (125, 735)
    assert round(100 * numer / denom, 1) == 17.0


def test_example_2_diamond_unified_adds_students_sent_back_by_dsea(tmp_path: Path) -> None:
    """Chronic guide, Example 2, Steps 2-4 (scaled down): a student enrolled 10, 51 and 57 days
    at three schools is counted once at the LEA; the DSEA's SWDs at another LEA's school count
    for the DSEA (Gianna: (5 + 1 + 3) / 160 = 5.6%, denominator only), not for the serving LEA."""
    district = District()
    district.student("Brian")
    for cds, days in ((SCHOOL, 10), (OTHER_SCHOOL, 51)):
        district.enrol("Brian", cds=cds)
        attended(district, "Brian", days, cds=cds)
    district.student("Gianna", swd="Y", dsea=DISTRICT[:7])
    district.enrol("Gianna", cds=OTHER_DISTRICT_SCHOOL, grade="6")
    attended(district, "Gianna", 160, cds=OTHER_DISTRICT_SCHOOL, unexcused=5, oss=1, excused=3)
    district.student("Sent", swd="Y", dsea=DISTRICT[:7])
    district.enrol("Sent", cds=OTHER_DISTRICT_SCHOOL, grade="6")
    attended(district, "Sent", 160, cds=OTHER_DISTRICT_SCHOOL, excused=20)
    records = district.read(tmp_path)
    assert counts(records, DISTRICT) == (1, 3)
    assert counts(records, SCHOOL) == (0, 0)
    assert counts(records, OTHER_SCHOOL) == (0, 1)
    assert counts(records, OTHER_DISTRICT) == (0, 0)
    assert counts(records, OTHER_DISTRICT_SCHOOL) == (1, 2)


def test_secondary_enrolments_exemptions_and_grade_9_are_not_eligible(tmp_path: Path) -> None:
    """Step 2B: only primary or short-term enrolments in TK-8, not exempt."""
    district = District()
    for student, grade, status, exempt in (
        ("secondary", "4", "20", "N"),
        ("exempt", "4", "10", "Y"),
        ("ninth", "9", "10", "N"),
        ("tk", "TK", "10", "N"),
    ):
        district.student(student)
        district.enrol(student, grade=grade, status=status)
        attended(district, student, 180, excused=30, exempt=exempt)
    assert counts(district.read(tmp_path), SCHOOL) == (1, 1)


def test_a_blank_race_counts_in_two_or_more_races(tmp_path: Path) -> None:
    """Chronic guide, "CALPADS Race/Ethnicity Field": blank race is in the MR group."""
    district = District()
    district.student("one", race="")
    district.enrol("one")
    attended(district, "one", 180)
    assert counts(district.read(tmp_path), SCHOOL, "MR") == (0, 1)


def _levels(
    numer: int, denom: int, prior_numer: int, prior_denom: int, **where: str
) -> dict[str, object]:
    rtype = where.get("rtype", "S")
    group = where.get("group", "ALL")
    cds = DISTRICT if rtype == "D" else SCHOOL
    key = {"cds": [cds], "rtype": [rtype], "studentgroup": [group]}
    frame = pl.DataFrame({**key, "numer": [numer], "denom": [denom]})
    prior = pl.DataFrame(
        {**key, "p_numer": [prior_numer], "p_denom": [prior_denom],
         "p_shown_numer": [prior_numer], "p_shown_denom": [prior_denom]}
    )  # fmt: skip
    entities = pl.DataFrame(District().rows["entities"]).with_columns(
        pl.col(c) == "Y" for c in ("charter", "coe", "dass", "title_i")
    )
    rows = cde_rows(Counts("CHRO", 2025, 100, frame), prior, entities)
    levelled = compute_levels(as_dashboard_frame({"chronic": rows}))
    return levelled.select("currstatus", "change", "color").row(0, named=True)


def test_example_1_aquamarine_status_17_0_change_10_8_red() -> None:
    """Chronic guide, Example 1, Steps 3-5: 125 / 735 = 17.0%; prior 6.24%; change +10.8;
    Red."""
    assert _levels(125, 735, 624, 10000) == {"currstatus": 17.0, "change": 10.8, "color": 1}


def test_example_2_diamond_status_8_0_change_minus_0_6_green() -> None:
    """Chronic guide, Example 2, Steps 4-6: 500 / 6,262 = 8.0%; prior 8.54%; change -0.6;
    Green."""
    levels = _levels(500, 6262, 854, 10000, rtype="D")
    assert levels == {"currstatus": 8.0, "change": -0.6, "color": 4}


def test_32_current_and_27_prior_students_give_status_and_change_but_no_colour() -> None:
    """Chronic guide and introduction, n-size example: a school group with 32 students now and
    27 last year shows status and change but gets no colour."""
    levels = _levels(4, 32, 3, 27, group="HI")
    assert levels["currstatus"] == 12.5
    assert levels["change"] is not None
    assert levels["color"] == 0


def test_16_current_and_19_prior_ltels_at_an_lea_get_a_colour() -> None:
    """Chronic guide and introduction, n-size example: a COE's 16 LTELs now and 19 last year
    (15 or more for LTEL, homeless and foster youth at LEA level) receive a colour."""
    levels = _levels(4, 16, 4, 19, rtype="D", group="LTEL")
    assert levels["color"] != 0
