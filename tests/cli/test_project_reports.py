"""``continuum project --file`` with CALPADS reports: graduation from 15.2 and suspensions from
7.12, written for the same synthetic students (some re-saved by a spreadsheet), give the same
projection, row for row, as the documented graduation and suspensions CSVs."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from continuum.dashboard.students.inputs import read_student_records
from continuum.synth.calpads_reports import cohort_fields, incident_fields, write_calpads_report
from continuum.synth.entities import CountyPlan, LeaPlan
from continuum.synth.students import write_synthetic_students
from tests.cli_runner import run

COUNTY = CountyPlan(
    name="Valle Verde",
    code=5,
    leas=(
        LeaPlan("unified", {"elementary": 3, "middle": 1, "high": 2}),
        LeaPlan("high", {"high": 1}),
    ),
)
YEARS = (2023, 2024, 2025)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The county's records, its graduation table the four-year cohort only (15.2 has no
    fifth-year graduates)."""
    out = tmp_path_factory.mktemp("county")
    write_synthetic_students([COUNTY], out, year=2025, seed=12)
    graduation = out / "students" / "graduation.csv"
    rows = pl.read_csv(graduation, infer_schema=False)
    assert rows.get_column("cohort").eq("5YR").any()
    rows.filter(pl.col("cohort") == "4YR").write_csv(graduation)
    return out


def _reports(county: Path, directory: Path) -> list[Path]:
    records = read_student_records(county / "students")
    assert records.graduation is not None and records.suspensions is not None
    written = []
    for year in YEARS:
        damaged = year == 2024
        cohort = directory / f"15.2_CohortOutcomeStudentDetails_{year - 1}-{year % 100:02d}.csv"
        fields = cohort_fields(records.graduation, records.students, year)
        write_calpads_report(fields, "15.2", cohort, damaged=damaged)
        incidents = directory / f"7.12_IncidentResultsStudentList_{year}.csv"
        fields = incident_fields(records.suspensions, records.enrollments, year)
        write_calpads_report(fields, "7.12", incidents, damaged=not damaged)
        written += [cohort, incidents]
    return written


def test_graduation_from_15_2_and_suspensions_from_7_12_give_the_documented_levels(
    county: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    documented = tmp_path / "documented"
    assert run(
        capsys, monkeypatch, "project", "--students", str(county / "students"),
        "--out", str(documented),
    ).status == 0  # fmt: skip
    students = tmp_path / "students"
    shutil.copytree(county / "students", students)
    for table in ("graduation", "suspensions"):
        (students / f"{table}.csv").unlink()
    reports = tmp_path / "reports"
    reports.mkdir()
    arguments = [f"--file={path}" for path in _reports(county, reports)]
    from_reports = tmp_path / "from-reports"
    outcome = run(
        capsys, monkeypatch, "project", "--students", str(students), *arguments,
        "--out", str(from_reports),
    )  # fmt: skip
    assert outcome.status == 0, outcome.stderr
    expected = pl.read_csv(documented / "levels.csv", infer_schema=False)
    got = pl.read_csv(from_reports / "levels.csv", infer_schema=False)
    indicators = set(got.get_column("indicator").to_list())
    assert {"GRAD", "SUSP"} <= indicators
    assert expected.filter(pl.col("indicator").is_in(["GRAD", "SUSP"])).height > 50
    assert got.equals(expected)
    for name in ("da2025.csv", "dashboard/graddownload2025.txt", "dashboard/suspdownload2025.txt"):
        assert (from_reports / name).read_bytes() == (documented / name).read_bytes()
    assert "15.2 lists the four-year cohort only" in outcome.stdout


def test_a_report_naming_a_school_not_in_entities_is_refused_with_line_and_column(
    county: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    students = tmp_path / "students"
    shutil.copytree(county / "students", students)
    (students / "suspensions.csv").unlink()
    report = _reports(county, tmp_path)[1]
    lines = report.read_text(encoding="utf-8-sig").splitlines()
    fields = lines[1].split(",")
    fields[2] = "9999999"  # SchoolCode
    lines[1] = ",".join(fields)
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome = run(
        capsys, monkeypatch, "project", "--students", str(students), "--file", str(report),
        "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert outcome.status == 2
    assert "line 2, column 'SchoolCode': school code '9999999' is no school" in outcome.stderr
    assert not (tmp_path / "out").exists()
