"""Reading student records: bad input is refused with file, line and column, and never shows a
student identifier."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from continuum.dashboard.students.inputs import read_student_records
from continuum.errors import InputError
from tests.dashboard.students.records import SCHOOL, District


@pytest.fixture
def district() -> District:
    district = District()
    district.student("SECRET-7731")
    district.enrol("SECRET-7731")
    return district


def refused(district: District, tmp_path: Path) -> InputError:
    with pytest.raises(InputError) as error:
        district.read(tmp_path)
    assert "SECRET-7731" not in str(error.value)
    return error.value


def test_good_records_are_typed(district: District, tmp_path: Path) -> None:
    records = district.read(tmp_path)
    assert records.enrollments.schema["start_date"] == pl.Date
    assert records.enrollments.item(0, "grade") == 4
    assert records.students.item(0, "swd") is False
    assert records.years() == [2025]


def test_an_unknown_student_group_code_names_file_line_and_column(
    district: District, tmp_path: Path
) -> None:
    district.student("other", race="XX")
    error = refused(district, tmp_path)
    assert (Path(error.path).name, error.line, error.column) == ("students.csv", 3, "race")
    assert "'XX' is not a student-group code" in error.message


def test_a_scale_score_outside_its_grades_range_is_refused(
    district: District, tmp_path: Path
) -> None:
    district.add(
        "caaspp", year=2025, student_id="SECRET-7731", cds=SCHOOL, grade="5", subject="ELA",
        test="SBA", attempted="Y", test_date="2025-04-20", scale_score="2100", condition="",
    )  # fmt: skip
    error = refused(district, tmp_path)
    assert (Path(error.path).name, error.line, error.column) == ("caaspp.csv", 2, "scale_score")
    assert "2100 is outside the grade 5 ELA SBA range 2200-2730" in error.message


def test_a_caa_score_of_another_grade_is_refused(district: District, tmp_path: Path) -> None:
    district.add(
        "caaspp", year=2025, student_id="SECRET-7731", cds=SCHOOL, grade="4", subject="MATH",
        test="CAA", attempted="Y", test_date="2025-04-20", scale_score="338", condition="",
    )  # fmt: skip
    assert refused(district, tmp_path).column == "scale_score"


def test_a_duplicate_enrolment_is_refused(district: District, tmp_path: Path) -> None:
    district.enrol("SECRET-7731")
    error = refused(district, tmp_path)
    assert (Path(error.path).name, error.line, error.column) == ("enrollments.csv", 3, "start_date")
    assert "duplicate enrolment" in error.message
    assert "also on line 2" in error.message


def test_a_date_that_does_not_parse_is_refused(district: District, tmp_path: Path) -> None:
    district.enrol("SECRET-7731", start="2024-13-01")
    error = refused(district, tmp_path)
    assert (error.line, error.column) == (3, "start_date")
    assert "'2024-13-01' is not a date written YYYY-MM-DD" in error.message


def test_a_missing_column_is_refused_on_the_header_line(district: District, tmp_path: Path) -> None:
    district.write(tmp_path)
    table = pl.read_csv(tmp_path / "enrollments.csv", infer_schema_length=0).drop("status")
    table.write_csv(tmp_path / "enrollments.csv")
    with pytest.raises(InputError) as error:
        read_student_records(tmp_path)
    assert (error.value.line, error.value.column) == (1, "status")


def test_a_blank_student_id_is_refused_without_showing_values(
    district: District, tmp_path: Path
) -> None:
    district.student("")
    error = refused(district, tmp_path)
    assert (error.line, error.column) == (3, "student_id")


def test_a_record_for_a_student_not_in_students_is_refused(
    district: District, tmp_path: Path
) -> None:
    district.enrol("SECRET-7731", year=2024)
    error = refused(district, tmp_path)
    assert (Path(error.path).name, error.line, error.column) == ("enrollments.csv", 3, "student_id")
    assert "no record in students" in error.message


def test_an_unknown_school_is_refused(district: District, tmp_path: Path) -> None:
    district.enrol("SECRET-7731", cds="01611929999999", start="2025-01-05")
    error = refused(district, tmp_path)
    assert (error.line, error.column) == (3, "cds")
    assert "not a school in entities" in error.message


def test_absences_above_days_expected_are_refused(district: District, tmp_path: Path) -> None:
    district.add(
        "attendance", year=2025, student_id="SECRET-7731", cds=SCHOOL, days_expected=10,
        days_oss=0, days_excused=11, days_unexcused=0, days_nonada_is=0, exempt="N",
    )  # fmt: skip
    assert refused(district, tmp_path).column == "days_expected"


def test_an_rfep_student_needs_a_reclassification_date(district: District, tmp_path: Path) -> None:
    district.student("other", el_status="RFEP")
    assert refused(district, tmp_path).column == "rfep_date"


def test_a_flag_other_than_y_or_n_is_refused(district: District, tmp_path: Path) -> None:
    district.student("other", sed="yes")
    error = refused(district, tmp_path)
    assert (error.column, error.message) == ("sed", "'yes' is not Y or N")


def test_parquet_records_are_read_like_csv(district: District, tmp_path: Path) -> None:
    district.write(tmp_path)
    for name in ("students", "enrollments", "entities"):
        pl.read_csv(tmp_path / f"{name}.csv", infer_schema_length=0).write_parquet(
            tmp_path / f"{name}.parquet"
        )
        (tmp_path / f"{name}.csv").unlink()
    assert read_student_records(tmp_path).enrollments.height == 1


def test_a_required_table_that_is_absent_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"entities\.csv \(or \.parquet\) is required"):
        read_student_records(tmp_path)
