"""``continuum project --file``: the same students' records read from TOMS score files and
CALPADS extracts as districts download them (every shape, some with a spreadsheet's damage)
give the same projection, row for row, as the documented caaspp, elpac, enrollments,
attendance, students and suspensions CSVs.

Two documented reasons the county's students table is adjusted before both runs, or taken from
its CSV: SED is, by the Technical Guide (intro, Table 10), also every homeless (program 191) and
foster student, so the documented ``sed`` is set for them; and foster youth come from a CDSS
match that is in no CALPADS extract, so the run from CALPADS takes ``foster`` (and only it)
from the documented students table."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from continuum.dashboard.students.inputs import read_student_records
from continuum.dashboard.students.outside import tables_from_files
from continuum.formats.student_files import read_student_file
from continuum.formats.toms import CARET, COMMA, FIXED, toms_layout
from continuum.synth.calpads import (
    sela_fields,
    senr_fields,
    sinc_fields,
    sinf_fields,
    sirs_fields,
    sped_fields,
    sprg_fields,
    stas_fields,
    write_calpads_extract,
)
from continuum.synth.entities import CountyPlan, LeaPlan
from continuum.synth.students import write_synthetic_students
from continuum.synth.toms import caaspp_fields, elpac_fields, write_toms_file
from tests.cli_runner import run

COUNTY = CountyPlan(
    name="Tierra Alta",
    code=4,
    leas=(
        LeaPlan("unified", {"elementary": 3, "middle": 1, "high": 1}),
        LeaPlan("elementary", {"elementary": 2, "middle": 1}),
    ),
)
# Year → (layout, shape, spreadsheet damage) of the TOMS file written for it.
CAASPP_FILES = {
    2023: ("caaspp_2022-23_layout", FIXED, False),
    2024: ("caaspp_2023-24_delimited", COMMA, True),
    2025: ("caaspp_2024-25_delimited", CARET, False),
}
ELPAC_FILES = {
    2022: ("elpac_2021-22_layout", FIXED, True),
    2023: ("elpac_2022-23_layout", CARET, False),
    2024: ("elpac_2023-24_delimited", COMMA, True),
    2025: ("elpac_2024-25_delimited", CARET, False),
}


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("county")
    write_synthetic_students([COUNTY], out, year=2025, seed=11)
    students = out / "students" / "students.csv"
    table = pl.read_csv(students, infer_schema=False)
    sed = (pl.col("sed") == "Y") | (pl.col("homeless") == "Y") | (pl.col("foster") == "Y")
    table.with_columns(
        pl.when(sed).then(pl.lit("Y")).otherwise(pl.lit("N")).alias("sed")
    ).write_csv(students)
    return out


def _district_files(county: Path, directory: Path) -> list[Path]:
    records = read_student_records(county / "students")
    assert records.caaspp is not None and records.elpac is not None
    as_text = pl.col("student_id").cast(pl.String).str.zfill(10)
    written = []
    for test, files in (("CAASPP", CAASPP_FILES), ("ELPAC", ELPAC_FILES)):
        for year, (source, shape, damaged) in files.items():
            if test == "CAASPP":
                rows = records.caaspp.filter(pl.col("year") == year).with_columns(as_text)
                fields = caaspp_fields(rows)
            else:
                rows = records.elpac.filter(pl.col("year") == year).with_columns(as_text)
                fields = elpac_fields(rows, year)
            path = directory / f"{test}_EnrolledStudentScoreData_{year}.txt"
            write_toms_file(fields, toms_layout(source), path, shape=shape, damaged=damaged)
            written.append(path)
    senr = directory / "SENR_extract.txt"
    write_calpads_extract(senr_fields(records.enrollments.with_columns(as_text)), "SENR", senr)
    stas = directory / "STAS_extract.txt"
    assert records.attendance is not None
    stas_rows = stas_fields(records.attendance.with_columns(as_text))
    write_calpads_extract(stas_rows, "STAS", stas, ods=False, damaged=True)
    return [*written, senr, stas]


def _student_extracts(county: Path, directory: Path) -> list[Path]:
    """SINF, SELA, SPRG, SPED, SINC and SIRS of the county's students, in both forms, some
    damaged."""
    records = read_student_records(county / "students")
    assert records.suspensions is not None
    as_text = pl.col("student_id").cast(pl.String).str.zfill(10)
    students = records.students.with_columns(as_text)
    enrollments = records.enrollments.with_columns(as_text)
    suspensions = records.suspensions.with_columns(as_text)
    extracts = {
        "SINF": (sinf_fields(students, enrollments), True, False),
        "SELA": (sela_fields(students, enrollments), False, True),
        "SPRG": (sprg_fields(students, enrollments), True, True),
        "SPED": (sped_fields(students, enrollments), False, False),
        "SINC": (sinc_fields(suspensions), True, False),
        "SIRS": (sirs_fields(suspensions), False, True),
    }
    paths = []
    for record_type, (fields, ods, damaged) in extracts.items():
        path = directory / f"{record_type}_extract.txt"
        write_calpads_extract(fields, record_type, path, ods=ods, damaged=damaged)
        paths.append(path)
    return paths


def test_toms_and_calpads_files_give_the_same_projection_as_the_documented_csvs(
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
    calpads = tmp_path / "calpads"
    shutil.copytree(county / "students", calpads)
    # students.csv stays for its foster column only (the CDSS match); the rest comes from files.
    for table in ("caaspp", "elpac", "enrollments", "attendance", "suspensions"):
        (calpads / f"{table}.csv").unlink()
    toms = tmp_path / "toms"
    toms.mkdir()
    files = [*_district_files(county, toms), *_student_extracts(county, toms)]
    arguments = [f"--file={path}" for path in files]
    from_toms = tmp_path / "from-toms"
    outcome = run(
        capsys, monkeypatch, "project", "--students", str(calpads), *arguments,
        "--out", str(from_toms),
    )  # fmt: skip
    assert outcome.status == 0, outcome.stderr
    expected = pl.read_csv(documented / "levels.csv", infer_schema=False)
    got = pl.read_csv(from_toms / "levels.csv", infer_schema=False)
    assert expected.height > 100
    assert got.equals(expected)
    assert {"ELA", "MATH", "ELPI", "CHRO", "SUSP"} <= set(got.get_column("indicator").to_list())
    for name in (
        "da2025.csv",
        "dashboard/eladownload2025.txt",
        "dashboard/elpidownload2025.txt",
        "dashboard/chronicdownload2025.txt",
        "dashboard/suspdownload2025.txt",
        "dashboard/graddownload2025.txt",
    ):
        assert (from_toms / name).read_bytes() == (documented / name).read_bytes()
    summary = (from_toms / "summary.txt").read_text(encoding="utf-8")
    assert "students.csv: only its foster column is used" in summary


def test_the_students_and_suspensions_tables_from_calpads_are_the_documented_ones(
    county: Path, tmp_path: Path
) -> None:
    extracts = [read_student_file(path) for path in _student_extracts(county, tmp_path)]
    documented = read_student_records(county / "students")
    outside, replacing = tables_from_files(extracts, county / "students")
    assert replacing == {"students"}
    given = {name: outside.tables[name] for name in ("students", "suspensions")}
    from_calpads = read_student_records(county / "students", given, {"students", "suspensions"})
    order = ["year", "student_id"]
    assert from_calpads.students.sort(order).equals(documented.students.sort(order))
    assert documented.suspensions is not None and from_calpads.suspensions is not None
    columns = documented.suspensions.columns
    assert from_calpads.suspensions.sort(columns).equals(documented.suspensions.sort(columns))
    for flag in ("sed", "swd", "homeless", "ltel"):
        assert documented.students.get_column(flag).any()


def test_a_table_given_twice_is_refused(
    county: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    toms = tmp_path / "toms"
    toms.mkdir()
    first = _district_files(county, toms)[0]
    outcome = run(
        capsys, monkeypatch, "project", "--students", str(county / "students"),
        "--file", str(first), "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert outcome.status == 2
    assert "caaspp.csv: the caaspp table is also given from other files" in outcome.stderr
    assert not (tmp_path / "out").exists()
