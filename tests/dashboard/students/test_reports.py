"""CALPADS reports as the calculators' tables: 14.2 gives attendance, 8.1 students, 15.2 the
four-year cohort, 7.12 suspensions, each equal to the synthetic students' own table; what a
report lacks, or a report that feeds nothing, is said."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import polars as pl
import pytest

from continuum.dashboard.students.inputs import StudentRecords
from continuum.dashboard.students.outside import outside_tables
from continuum.errors import InputError
from continuum.formats.calpads_reports import read_calpads_report, report_layouts
from continuum.synth.calpads_reports import (
    absence_fields,
    cohort_fields,
    completer_fields,
    incident_fields,
    profile_fields,
    write_calpads_report,
)
from continuum.synth.students import generate_student_records
from tests.report_files import COUNTY

YEAR = 2025


@cache
def records() -> StudentRecords:
    return generate_student_records([COUNTY], year=YEAR, seed=8)


def _schools() -> dict[str, str]:
    schools = records().entities.filter(pl.col("rtype") == "S").get_column("cds")
    return {cds[7:]: cds for cds in schools.to_list()}


def _report(tmp_path: Path, number: str, *, damaged: bool = False) -> Path:
    r = records()
    assert r.attendance is not None and r.graduation is not None and r.suspensions is not None
    fields = {
        "1.23": lambda: completer_fields(r.graduation, r.students, YEAR),
        "14.2": lambda: absence_fields(r.attendance, r.enrollments, YEAR),
        "15.2": lambda: cohort_fields(r.graduation, r.students, YEAR),
        "7.12": lambda: incident_fields(r.suspensions, r.enrollments, YEAR),
        "8.1": lambda: profile_fields(r.students, r.enrollments, YEAR),
    }[number]()
    path = tmp_path / f"{report_layouts()[number].file_stem}_2024-25.csv"
    write_calpads_report(fields, number, path, damaged=damaged)
    return path


def _table(tmp_path: Path, number: str, *, damaged: bool = False) -> tuple[pl.DataFrame, list[str]]:
    outside = outside_tables(
        [read_calpads_report(_report(tmp_path, number, damaged=damaged))], schools=_schools()
    )
    ((_, table),) = outside.tables.values()
    return table, outside.notes


def _same(got: pl.DataFrame, expected: pl.DataFrame, columns: list[str]) -> None:
    keys = [c for c in ("student_id", "cds", "incident_date") if c in columns]
    as_text = [pl.col(c).cast(pl.String) for c in columns]
    assert got.height == expected.height > 10
    assert got.select(as_text).sort(keys).equals(expected.select(as_text).sort(keys))


@pytest.mark.parametrize("damaged", [False, True], ids=["clean", "spreadsheet"])
def test_14_2_gives_the_attendance_table_none_exempt(tmp_path: Path, damaged: bool) -> None:
    table, notes = _table(tmp_path, "14.2", damaged=damaged)
    attendance = records().attendance
    assert attendance is not None
    expected = attendance.filter(pl.col("year") == YEAR)
    days = ["days_expected", "days_oss", "days_excused", "days_unexcused", "days_nonada_is"]
    _same(table, expected, ["year", "student_id", "cds", *days])
    assert not table.get_column("exempt").any()
    assert any("14.2 has no exemption column" in note for note in notes)


def test_8_1_gives_each_students_groups_once(tmp_path: Path) -> None:
    table, notes = _table(tmp_path, "8.1", damaged=True)
    expected = records().students.filter(pl.col("year") == YEAR)
    _same(
        table, expected, ["student_id", "race", "el_status", "rfep_date", "sed", "swd", "homeless"]
    )
    assert not table.get_column("foster").any()
    assert any("no foster youth, LTEL" in note for note in notes)


def test_15_2_gives_the_four_year_cohort_without_removed_students(tmp_path: Path) -> None:
    path = _report(tmp_path, "15.2")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][rows[0].index("CohortCategory")] = "RemovedFromCohort"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    outside = outside_tables([read_calpads_report(path)], schools=_schools())
    table = outside.tables["graduation"][1]
    graduation = records().graduation
    assert graduation is not None
    cohort = graduation.filter((pl.col("year") == YEAR) & (pl.col("cohort") == "4YR"))
    assert table.height == cohort.height - 1
    _same(
        table,
        cohort.join(table.select("student_id"), on="student_id"),
        ["student_id", "cds", "cohort", "graduated"],
    )
    assert f"{path.name}: 1 students removed from the cohort left out" in outside.notes
    assert any("no fifth-year graduates" in note for note in outside.notes)


def test_7_12_gives_the_suspensions(tmp_path: Path) -> None:
    table, _ = _table(tmp_path, "7.12")
    suspensions = records().suspensions
    assert suspensions is not None
    expected = suspensions.filter(pl.col("year") == YEAR)
    _same(table, expected, ["student_id", "cds", "incident_date", "result", "days"])


def test_a_report_without_a_column_its_table_needs_is_refused_naming_it(tmp_path: Path) -> None:
    path = _report(tmp_path, "14.2")
    text = path.read_text(encoding="utf-8").replace("DaysAbsentExcusedE", "Excused", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        InputError, match="has no column 'DaysAbsentExcusedE': the attendance"
    ) as error:
        outside_tables([read_calpads_report(path)], schools=_schools())
    assert (error.value.line, error.value.column) == (1, "DaysAbsentExcusedE")


def test_1_23_feeds_no_table_and_says_why(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="feeds no calculator: fifth-year graduates"):
        outside_tables([read_calpads_report(_report(tmp_path, "1.23"))], schools=_schools())


def test_a_report_without_a_year_takes_the_one_asked_for_or_is_refused(tmp_path: Path) -> None:
    path = _report(tmp_path, "7.12")
    undated = path.rename(tmp_path / "7.12_IncidentResultsStudentList.csv")
    read = read_calpads_report(undated)
    with pytest.raises(InputError, match="says no school year"):
        outside_tables([read], schools=_schools())
    table = outside_tables([read], schools=_schools(), year=2024).tables["suspensions"][1]
    assert table.get_column("year").unique().to_list() == [2024]
