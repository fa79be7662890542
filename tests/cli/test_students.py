"""``continuum students inspect``: what each file is, in counts; refusals are polite and
non-zero; no SSID ever printed."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from continuum.formats.toms import COMMA, TomsLayout, toms_layout
from continuum.synth.calpads import (
    sela_fields,
    senr_fields,
    sinc_fields,
    sinf_fields,
    sirs_fields,
    sped_fields,
    sprg_fields,
    write_calpads_extract,
)
from continuum.synth.students import generate_student_records
from continuum.synth.toms import write_toms_file
from tests.cli_runner import run
from tests.toms_files import CASES, COUNTY, case_id, synthetic_fields


@pytest.fixture(scope="module")
def fields() -> dict[str, pl.DataFrame]:
    return synthetic_fields()


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_inspect_counts_one_record_per_line_of_every_layout_and_year(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    fields: dict[str, pl.DataFrame],
    case: tuple[TomsLayout, str],
) -> None:
    layout, shape = case
    path = tmp_path / "EnrolledStudentScoreData.txt"
    write_toms_file(fields[layout.test], layout, path, shape=shape)
    outcome = run(capsys, monkeypatch, "students", "inspect", str(path))
    assert outcome.status == 0
    records = len(path.read_text(encoding="utf-8").splitlines()) - (shape != "fixed width")
    assert f"records: {records:,}\n" in outcome.stdout
    assert f"{layout.school_year} {layout.test}" in outcome.stdout
    assert "Enrolled students" in outcome.stdout
    assert not any(ssid in outcome.stdout for ssid in fields[layout.test].get_column("ssid"))


def test_inspect_lists_the_repairs_of_a_spreadsheet_saved_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    fields: dict[str, pl.DataFrame],
) -> None:
    layout = toms_layout("caaspp_2022-23_layout")
    path = tmp_path / "scores.csv"
    write_toms_file(fields["CAASPP"], layout, path, shape=COMMA, damaged=True)
    outcome = run(capsys, monkeypatch, "students", "inspect", str(path))
    height = fields["CAASPP"].height
    assert outcome.status == 0
    assert f"    SSID leading zeros restored: {height:,}\n" in outcome.stdout
    assert "    byte-order mark removed: 1\n" in outcome.stdout
    assert "feeds: ELA and Math distance from standard for Dashboard 2023" in outcome.stdout


def test_inspect_refuses_a_dashboard_download_and_a_random_csv_but_reads_the_rest(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    fields: dict[str, pl.DataFrame],
) -> None:
    dashboard = tmp_path / "eladownload2025.txt"
    dashboard.write_text("cds\trtype\tstudentgroup\tcurrstatus\n", encoding="utf-8")
    budget = tmp_path / "budget.csv"
    budget.write_text("fund,object,amount\n01,1100,5\n", encoding="utf-8")
    scores = tmp_path / "scores.csv"
    layout = toms_layout("elpac_2024-25_delimited")
    write_toms_file(fields["ELPAC"], layout, scores, shape=COMMA)
    outcome = run(
        capsys, monkeypatch, "students", "inspect", str(dashboard), str(budget), str(scores)
    )
    assert outcome.status == 2
    assert "is a CDE Dashboard download file, not a student file" in outcome.stdout
    assert "budget.csv, line 1: is neither a TOMS CAASPP or ELPAC" in outcome.stdout
    assert "2024-25 ELPAC Student Score Data File" in outcome.stdout
    assert "Traceback" not in outcome.stdout + outcome.stderr


def test_inspect_describes_a_calpads_extract_in_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    records = generate_student_records([COUNTY], year=2025, seed=3)
    path = tmp_path / "SENR.txt"
    write_calpads_extract(senr_fields(records.enrollments), "SENR", path, damaged=True)
    outcome = run(capsys, monkeypatch, "students", "inspect", str(path))
    assert outcome.status == 0
    assert "CALPADS SENR ODS extract (SSID Enrollment, CDE)" in outcome.stdout
    assert f"records: {records.enrollments.height:,}\n" in outcome.stdout
    assert "school years: 2023, 2024, 2025" in outcome.stdout
    assert "    SSID leading zeros restored:" in outcome.stdout
    assert "0000000001" not in outcome.stdout


def test_inspect_names_each_student_level_calpads_extract_and_what_it_feeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    records = generate_student_records([COUNTY], year=2025, seed=3)
    assert records.suspensions is not None
    students, enrollments = records.students, records.enrollments
    written = {
        "SINF": sinf_fields(students, enrollments),
        "SELA": sela_fields(students, enrollments),
        "SPRG": sprg_fields(students, enrollments),
        "SPED": sped_fields(students, enrollments),
        "SINC": sinc_fields(records.suspensions),
        "SIRS": sirs_fields(records.suspensions),
    }
    paths = []
    for record_type, fields in written.items():
        path = tmp_path / f"{record_type}.txt"
        write_calpads_extract(fields, record_type, path, damaged=record_type == "SPRG")
        paths.append(path)
    senr = tmp_path / "SENR_2024.txt"
    write_calpads_extract(
        senr_fields(enrollments), "SENR", senr, ods=False, layout_name="SENR_grade_1.25"
    )
    outcome = run(capsys, monkeypatch, "students", "inspect", *map(str, [*paths, senr]))
    assert outcome.status == 0, outcome.stdout
    out = outcome.stdout
    for record_type, label in (
        ("SINF", "Student Information"),
        ("SPRG", "Student Program"),
        ("SPED", "Special Education"),
        ("SINC", "Student Incident"),
        ("SIRS", "Student Incident Result"),
    ):
        assert f"CALPADS {record_type} ODS extract ({label}, CDE)" in out
        assert f"layout: calpads_layouts/{record_type}.csv" in out
    assert f"records: {written['SPRG'].height:,}\n" in out
    assert "education program 191:" in out
    assert "incident result 100:" in out
    assert "feeds: suspension rate, with SINC" in out
    assert "SED (meal, migrant, homeless, tribal foster programs)" in out
    assert "dates rewritten by a spreadsheet restored:" in out
    assert "layout: calpads_layouts/SENR_grade_1.25.csv (40 fields)" in out
    assert "40 caret-delimited fields, the 2021-2025 numbering (grade level 1.25" in out
    assert "0000000001" not in out


def test_inspect_refuses_a_calpads_record_type_it_does_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "SOFF.txt"
    path.write_text("SOFF-R^A^1^0123456^0100001\n", encoding="utf-8")
    outcome = run(capsys, monkeypatch, "students", "inspect", str(path))
    assert outcome.status == 2
    assert (
        "is neither a TOMS CAASPP or ELPAC Student Score Data File nor a CALPADS" in outcome.stdout
    )
    assert "SENR, SINF, SELA, SPRG, STAS, SPED, SINC, SIRS" in outcome.stdout
    assert "Traceback" not in outcome.stdout + outcome.stderr
