"""``synth.student_files`` and ``continuum synth student-files``: a year's TOMS files, CALPADS
extracts and CALPADS reports for synthetic students, each read back by the reader its content
calls for, clean or damaged."""

from __future__ import annotations

from pathlib import Path

import pytest

from continuum.formats.calpads import CalpadsFile
from continuum.formats.calpads_reports import CalpadsReport
from continuum.formats.student_files import read_student_file
from continuum.formats.toms import TomsFile
from continuum.synth.student_files import write_student_files
from continuum.synth.students import generate_student_records
from tests.cli_runner import run
from tests.report_files import COUNTY


@pytest.mark.parametrize("damaged", [False, True], ids=["clean", "spreadsheet"])
def test_every_file_written_is_read_back_whole_by_its_reader(tmp_path: Path, damaged: bool) -> None:
    records = generate_student_records([COUNTY], year=2025, seed=2)
    written = write_student_files(
        records, tmp_path, year=2025, cds="03000000000000", damaged=damaged
    )
    assert len(written) == 10
    kinds: dict[str, set[str]] = {"toms": set(), "extract": set(), "report": set()}
    for name, rows in written.items():
        read = read_student_file(tmp_path / name)
        assert read.records.height == rows
        assert bool(read.repairs) == damaged
        if isinstance(read, TomsFile):
            kinds["toms"].add(read.test)
            assert read.year == 2025
        elif isinstance(read, CalpadsFile):
            kinds["extract"].add(read.layout.record_type)
            assert read.years == [2025]
        else:
            assert isinstance(read, CalpadsReport)
            kinds["report"].add(read.layout.number)
            assert read.year == 2025
    assert kinds == {
        "toms": {"CAASPP", "ELPAC"},
        "extract": {"SENR", "SELA", "STAS"},
        "report": {"1.23", "14.2", "15.2", "7.12", "8.1"},
    }


def test_the_command_writes_the_demo_countys_files_and_lists_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "files"
    outcome = run(
        capsys, monkeypatch, "synth", "student-files", "--out", str(out), "--year", "2024",
        "--seed", "4", "--damaged",
    )  # fmt: skip
    assert outcome.status == 0, outcome.stderr
    names = sorted(path.name for path in out.iterdir())
    assert len(names) == 10
    assert outcome.stdout.startswith(f"10 student files in {out}:\n")
    for name in names:
        assert f"  {name}: " in outcome.stdout
    assert "15.2_CohortOutcomeStudentDetails_2023-24.csv" in names
    caaspp = next(n for n in names if "CAASPP" in n)
    assert caaspp.endswith("_EnrolledStudentScoreData_2024.csv")
    read = read_student_file(out / caaspp)
    assert isinstance(read, TomsFile) and read.shape == "comma" and read.year == 2024


def test_help_names_every_kind_of_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = run(capsys, monkeypatch, "synth", "student-files", "--help")
    assert outcome.status == 0
    for words in (
        "TOMS CAASPP",
        "TOMS ELPAC",
        "CALPADS ODS extracts",
        "CALPADS report CSVs",
        "--damaged",
    ):
        assert words in outcome.stdout
