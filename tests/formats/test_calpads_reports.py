"""CALPADS report CSVs (1.23, 14.2, 15.2, 7.12, 8.1): each read back identified by its header
and whole, a spreadsheet's re-save repaired and counted, and what cannot be read refused with
file, line and column, never quoting an SSID; the layouts still agree with the shared column
lists."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from continuum.errors import InputError, UnknownLayoutError
from continuum.formats.calpads_reports import (
    INFERRED,
    SHARED,
    CalpadsReport,
    read_calpads_report,
    report_layouts,
    report_year,
)
from continuum.formats.student_files import read_student_file
from tests.report_files import NUMBERS, report_fields, written_report

SHARED_REPORTS = Path(__file__).parents[3] / "shared/domain/student-file-layouts/reports"


def _edit(path: Path, line: int, column: str, value: str) -> None:
    """Set ``column`` of 1-based ``line`` of the CSV at ``path`` to ``value``."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[line - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


@pytest.mark.parametrize("number", NUMBERS)
def test_each_report_is_identified_by_its_header_and_read_whole(
    tmp_path: Path, number: str
) -> None:
    written = report_fields()[number]
    assert written.height > 10
    read = read_student_file(written_report(tmp_path, number))
    assert isinstance(read, CalpadsReport)
    assert read.layout.number == number
    assert f"report {number}" in read.reason
    assert read.year == 2025
    dates = {"incident_date", "elas_start_date"}  # made YYYY-MM-DD: the next test
    same = sorted(set(read.records.columns) & set(written.columns) - dates)
    assert len(same) >= 3
    assert read.records.height == written.height
    assert read.records.select(same).equals(written.select(same))
    assert read.repairs == {}


@pytest.mark.parametrize("number", NUMBERS)
def test_a_spreadsheets_resave_is_repaired_and_each_repair_counted(
    tmp_path: Path, number: str
) -> None:
    (tmp_path / "clean").mkdir()
    clean = read_calpads_report(written_report(tmp_path / "clean", number))
    damaged = read_calpads_report(written_report(tmp_path, number, damaged=True))
    assert damaged.records.equals(clean.records)
    rows = clean.records.height
    repairs = damaged.repairs
    assert repairs["byte-order mark removed"] == 1
    assert repairs["Windows line ends (CRLF) read"] == rows + 1
    assert repairs["trailing empty columns removed"] == rows
    assert repairs["trailing empty header columns ignored"] == 3
    assert repairs["SSID leading zeros restored"] == rows
    assert repairs["school code leading zeros restored"] == rows
    dates = [n for n in ("incident_date", "elas_start_date") if n in clean.records.columns]
    if dates:
        filled = sum(int((clean.records.get_column(n) != "").sum()) for n in dates)
        assert repairs["dates rewritten by a spreadsheet restored"] == filled


def test_dates_are_read_from_the_reports_month_day_year(tmp_path: Path) -> None:
    read = read_calpads_report(written_report(tmp_path, "7.12"))
    written = report_fields()["7.12"].get_column("incident_date")
    expected = pl.Series(written).str.to_date("%m/%d/%Y").dt.strftime("%Y-%m-%d")
    assert read.records.get_column("incident_date").equals(expected.alias("incident_date"))


def test_a_missing_identifying_column_is_refused_with_its_name(tmp_path: Path) -> None:
    path = written_report(tmp_path, "15.2", rows=5)
    text = path.read_text(encoding="utf-8").replace("CohortCategory", "Category", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"looks like CALPADS report 15\.2") as error:
        read_calpads_report(path)
    assert (error.value.line, error.value.column) == (1, "CohortCategory")


def test_a_bad_date_is_refused_with_line_and_column(tmp_path: Path) -> None:
    path = written_report(tmp_path, "7.12", rows=5)
    _edit(path, 4, "IncidentDate", "02/30/2025")
    with pytest.raises(InputError, match=r"is not a date.*'02/30/2025'") as error:
        read_calpads_report(path)
    assert (error.value.line, error.value.column) == (4, "IncidentDate")


def test_a_bad_code_is_refused_with_line_and_column(tmp_path: Path) -> None:
    path = written_report(tmp_path, "8.1", rows=5)
    _edit(path, 3, "ELAStatus", "XX")
    with pytest.raises(InputError, match=r"is not one of ADEL, EO.*'XX'") as error:
        read_calpads_report(path)
    assert (error.value.line, error.value.column) == (3, "ELAStatus")


def test_a_record_with_a_wrong_field_count_is_refused_with_its_line(tmp_path: Path) -> None:
    path = written_report(tmp_path, "14.2", rows=5)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3].rsplit(",", 2)[0]
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError, match="has 13 fields where the header has 15") as error:
        read_calpads_report(path)
    assert error.value.line == 4


def test_a_bad_ssid_is_refused_without_its_value(tmp_path: Path) -> None:
    path = written_report(tmp_path, "14.2", rows=5)
    _edit(path, 2, "SSID", "12345X7890")
    with pytest.raises(InputError, match=r"is not a 10-digit SSID$") as error:
        read_calpads_report(path)
    assert "12345X7890" not in str(error.value)
    assert (error.value.line, error.value.column) == (2, "SSID")


def test_a_quoted_name_with_a_comma_is_one_field_and_never_read(tmp_path: Path) -> None:
    path = written_report(tmp_path, "14.2", rows=5)
    _edit(path, 3, "StudentName", "Doe, Jane")
    assert '"Doe, Jane"' in path.read_text(encoding="utf-8")
    read = read_calpads_report(path)
    assert read.records.height == 5
    assert "Doe" not in str(read.records.rows())


def test_a_csv_of_no_report_is_not_taken_for_one(tmp_path: Path) -> None:
    path = tmp_path / "budget.csv"
    path.write_text("Account,Amount,SSID\n1000,5.00,0000000001\n", encoding="utf-8")
    with pytest.raises(UnknownLayoutError, match="is not a CALPADS report"):
        read_calpads_report(path)


@pytest.mark.parametrize(
    ("name", "year"),
    [("15.2_x_2024-25.csv", 2025), ("15.2 - Cohort (2024).csv", 2024), ("x_2023-2024.csv", 2024),
     ("8.1_StudentProfileList(EOY3).csv", None)],
)  # fmt: skip
def test_the_school_year_is_read_from_the_file_name(name: str, year: int | None) -> None:
    assert report_year(Path(name)) == year


@pytest.mark.parametrize("number", NUMBERS)
def test_the_layouts_agree_with_the_shared_column_lists(number: str) -> None:
    (shared_file,) = SHARED_REPORTS.glob(f"calpads_report_{number}_*_columns.csv")
    with shared_file.open(encoding="utf-8", newline="") as handle:
        named = [
            row["csv_header"]
            for row in csv.DictReader(handle)
            if not row["csv_header"].startswith("(") and " / " not in row["csv_header"]
        ]
    layout = report_layouts()[number]
    ours = [c.header for c in layout.columns if c.status == SHARED]
    assert sorted(ours) == sorted(named)
    assert {c.status for c in layout.columns} <= {SHARED, INFERRED}
    assert all(c.status == SHARED for c in layout.identifying)
