"""Suspension, graduation and college/career from student records, and the introduction's
general rules (../shared/reference/cde-dashboard-technical-guide-2025/dbguideintro25.txt)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from continuum.dashboard.students.cci import college_career
from continuum.dashboard.students.common import Counts
from continuum.dashboard.students.graduation import graduation_rate
from continuum.dashboard.students.output import cde_rows
from continuum.dashboard.students.suspension import suspension_rate
from continuum.formats.dashboard_downloads import file_layouts
from tests.dashboard.students.records import DISTRICT, OTHER_SCHOOL, SCHOOL, District


def row_of(counts: Counts, cds: str, group: str = "ALL") -> dict[str, object]:
    return counts.frame.filter((pl.col("cds") == cds) & (pl.col("studentgroup") == group)).row(
        0, named=True
    )


def entities() -> pl.DataFrame:
    return pl.DataFrame(District().rows["entities"]).with_columns(
        pl.col(c) == "Y" for c in ("charter", "coe", "dass", "title_i")
    )


def test_suspension_counts_each_student_once_over_cumulative_enrolment(tmp_path: Path) -> None:
    """Introduction, Table 4: cumulative enrolment (one day is enough); a student suspended
    twice, or at two schools, counts once at the LEA."""
    district = District()
    for student in ("twice", "one_day", "never"):
        district.student(student)
    district.enrol("twice")
    district.enrol("twice", cds=OTHER_SCHOOL, start="2025-02-01")
    district.enrol("one_day", start="2025-03-07", end="2025-03-07")
    district.enrol("never")
    for cds, day in ((SCHOOL, "2024-10-01"), (SCHOOL, "2024-11-01"), (OTHER_SCHOOL, "2025-03-01")):
        district.add(
            "suspensions", year=2025, student_id="twice", cds=cds, incident_date=day,
            result="ISS", days=1,
        )  # fmt: skip
    counts = suspension_rate(district.read(tmp_path), 2025)
    assert (row_of(counts, SCHOOL)["numer"], row_of(counts, SCHOOL)["denom"]) == (1, 3)
    assert (row_of(counts, OTHER_SCHOOL)["numer"], row_of(counts, OTHER_SCHOOL)["denom"]) == (1, 1)
    assert (row_of(counts, DISTRICT)["numer"], row_of(counts, DISTRICT)["denom"]) == (1, 3)


def test_graduation_combines_the_four_year_cohort_and_fifth_year_graduates(
    tmp_path: Path,
) -> None:
    """Introduction, Tables 4 and 5: (4-year graduates + 5th-year graduates) / (4-year cohort
    + 5th-year graduates); a 5th-year student who did not graduate is not counted."""
    district = District()
    for student, cohort, graduated in (
        ("a", "4YR", "Y"), ("b", "4YR", "Y"), ("c", "4YR", "N"), ("d", "5YR", "Y"),
        ("e", "5YR", "N"),
    ):  # fmt: skip
        district.student(student)
        district.add("graduation", year=2025, student_id=student, cds=SCHOOL, cohort=cohort,
                     graduated=graduated)  # fmt: skip
    row = row_of(graduation_rate(district.read(tmp_path), 2025), SCHOOL)
    assert (row["numer"], row["denom"], row["fiveyrnumer"]) == (3, 4, 1)


def test_graduation_groups_are_any_time_in_the_cohort_years(tmp_path: Path) -> None:
    """Introduction, Table 9: homeless in an earlier year puts a graduate in the Homeless group."""
    district = District()
    district.student("a", year=2023, homeless="Y")
    district.student("a")
    district.add("graduation", year=2025, student_id="a", cds=SCHOOL, cohort="4YR", graduated="Y")
    counts = graduation_rate(district.read(tmp_path), 2025)
    assert row_of(counts, SCHOOL, "HOM")["denom"] == 1


def test_cci_prepared_counts_graduates_by_their_first_measure(tmp_path: Path) -> None:
    """The simplified CCI: Prepared graduates by first measure met; a 5th-year graduate counts
    in the denominator only when Prepared; a non-graduate is never Prepared."""
    district = District()
    cohort: tuple[tuple[str, str, str, dict[str, str]], ...] = (
        ("summative", "4YR", "Y", {"ela_level": "3", "math_level": "4"}),
        ("ap", "4YR", "Y", {"ap_passed": "2", "ela_level": "3", "math_level": "1"}),
        ("agplus", "4YR", "Y", {"a_g": "Y", "cte_pathway": "Y"}),
        ("not_graduate", "4YR", "N", {"ela_level": "4", "math_level": "4"}),
        ("nothing", "4YR", "Y", {}),
        ("fifth_prepared", "5YR", "Y", {"college_credit_courses": "2"}),
        ("fifth_not", "5YR", "Y", {}),
    )
    for student, kind, graduated, measures in cohort:
        district.student(student)
        district.add("graduation", year=2025, student_id=student, cds=SCHOOL, cohort=kind,
                     graduated=graduated)  # fmt: skip
        district.add("cci", year=2025, student_id=student, **measures)
    row = row_of(college_career(district.read(tmp_path), 2025), SCHOOL)
    assert (row["numer"], row["denom"]) == (4, 6)
    assert (row["prep_summative"], row["prep_ap"], row["prep_agplus"]) == (1, 1, 1)
    assert row["prep_collegecredit"] == 1


def _rows(
    indicator: str, numer: int, denom: int, prior: tuple[int, int] | None
) -> dict[str, object]:
    key = {"cds": [SCHOOL], "rtype": ["S"], "studentgroup": ["ALL"]}
    frame = pl.DataFrame({**key, "numer": [numer], "denom": [denom], "fiveyrnumer": [0]})
    prior_frame = None
    if prior is not None:
        prior_frame = pl.DataFrame(
            {**key, "p_numer": [prior[0]], "p_denom": [prior[1]], "p_shown_numer": [prior[0]],
             "p_shown_denom": [prior[1]]}
        )  # fmt: skip
    rows = cde_rows(Counts(indicator, 2025, 100, frame), prior_frame, entities())
    return rows.row(0, named=True)


def test_change_is_computed_from_unrounded_statuses() -> None:
    """Introduction, "Standard Rounding Rule": current (not rounded) minus prior (not rounded),
    then rounded. 1/16 = 6.25% shows 6.3 and 1/32 = 3.125% shows 3.1; the rounded values would
    give 3.2, the unrounded difference 3.125 gives 3.1."""
    row = _rows("CHRO", 1, 16, (1, 32))
    assert (row["currstatus"], row["priorstatus"], row["change"]) == ("6.3", "3.1", "3.1")


def test_status_is_rounded_half_up_to_a_tenth() -> None:
    """Introduction, "Standard Rounding Rule": 1/16 = 6.25% is shown as 6.3."""
    assert _rows("CHRO", 1, 16, None)["currstatus"] == "6.3"


def test_three_by_five_applies_below_150_current_students_only() -> None:
    """Introduction, "How Fewer than 150 is Determined": 155 now and 130 last year is not a
    small denominator; 149 now is."""
    assert _rows("GRAD", 140, 155, (120, 130))["smalldenom"] == "N"
    assert _rows("GRAD", 140, 149, (120, 160))["smalldenom"] == "Y"


def test_fewer_than_11_students_show_no_status() -> None:
    """Introduction, Figure 8: fewer than 11 students, no data are displayed."""
    row = _rows("CHRO", 1, 10, (1, 20))
    assert (row["currdenom"], row["currstatus"], row["change"]) == ("10", None, None)


def test_rows_have_the_columns_of_cdes_file_of_that_year() -> None:
    for indicator, prefix in (("CHRO", "chronic"), ("GRAD", "grad"), ("SUSP", "susp")):
        assert tuple(_rows(indicator, 5, 50, None)) == file_layouts(2025)[prefix]
