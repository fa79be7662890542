"""Synthetic student records: read back by the strict readers and run through the calculators,
they give the aggregates the synthetic county wrote (status to 0.1, denominators exactly)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from continuum.dashboard.files import read_dashboard_files
from continuum.dashboard.students.inputs import StudentRecords, read_student_records
from continuum.dashboard.students.project import projected_files
from continuum.synth.entities import CountyPlan, LeaPlan
from continuum.synth.students import write_synthetic_students
from tests.cli_runner import run

SMALL_COUNTY = CountyPlan(
    name="Tierra Alta",
    code=12,
    leas=(
        LeaPlan("coe", {"alternative": 1, "k12": 1}, {"elementary": 1}),
        LeaPlan("unified", {"elementary": 4, "middle": 1, "high": 2}, {"high": 1}),
        LeaPlan("elementary", {"elementary": 2, "middle": 1}),
    ),
)
KEY = ["cds", "rtype", "studentgroup"]


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("students")
    write_synthetic_students([SMALL_COUNTY], out, year=2025, seed=5)
    return out


@pytest.fixture(scope="module")
def records(county: Path) -> StudentRecords:
    return read_student_records(county / "students")


def test_every_indicator_file_is_written(county: Path) -> None:
    names = sorted(p.name for p in (county / "dashboard").iterdir())
    assert names == sorted(
        f"{p}download2025.txt" for p in ("ela", "math", "chronic", "susp", "grad", "cci", "elpi")
    )


def test_records_through_the_calculators_give_back_the_written_aggregates(
    county: Path, records: StudentRecords
) -> None:
    """Round trip: records read from disk -> calculators -> the same denominators exactly and
    the same statuses to 0.1 as the CDE-shaped files of the synthetic county."""
    written = read_dashboard_files(sorted((county / "dashboard").iterdir()))
    files, _ = projected_files(records, 2025, None)
    for prefix, frame in files.items():
        again = frame.rename({c: c.lower() for c in frame.columns})
        indicator = again.item(0, "indicator")
        expected = written.filter(pl.col("indicator") == indicator).select(
            *KEY, "currdenom", "currstatus", "priordenom", "priorstatus", "change"
        )
        found = again.select(
            *KEY,
            *(
                pl.col(c).cast(pl.Float64)
                for c in ("currdenom", "currstatus", "priordenom", "priorstatus", "change")
            ),
        )
        joined = expected.join(found, on=KEY, how="full", suffix="_again", nulls_equal=True)
        assert joined.height == expected.height == found.height, prefix
        for column in ("currdenom", "currstatus", "priordenom", "priorstatus", "change"):
            assert joined[column].to_list() == joined[f"{column}_again"].to_list(), (
                prefix,
                column,
            )


def test_chronic_denominators_match_a_direct_count_of_eligible_students(
    county: Path, records: StudentRecords
) -> None:
    """Independent of the calculator: school ALL denominators are the TK-8 students with at
    least 31 expected days who are not exempt."""
    attendance = records.attendance
    assert attendance is not None
    grades = records.enrollments.filter(pl.col("year") == 2025).select("student_id", "cds", "grade")
    direct = (
        attendance.filter(
            (pl.col("year") == 2025) & (pl.col("days_expected") >= 31) & pl.col("exempt").not_()
        )
        .join(grades, on=["student_id", "cds"])
        .filter(pl.col("grade") <= 8)
        .group_by("cds")
        .agg(pl.len().cast(pl.Float64).alias("direct"))
    )
    written = read_dashboard_files([county / "dashboard" / "chronicdownload2025.txt"]).filter(
        (pl.col("rtype") == "S") & (pl.col("studentgroup") == "ALL")
    )
    compared = written.join(direct, on="cds", how="full", coalesce=True)
    assert compared.height > 5
    assert compared["currdenom"].to_list() == compared["direct"].to_list()


def test_the_same_seed_gives_the_same_records(tmp_path: Path, county: Path) -> None:
    write_synthetic_students([SMALL_COUNTY], tmp_path, year=2025, seed=5)
    for name in ("students.csv", "caaspp.csv", "elpac.csv"):
        assert (tmp_path / "students" / name).read_bytes() == (
            county / "students" / name
        ).read_bytes()


def test_synth_students_command_writes_records_and_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = run(
        capsys, monkeypatch, "synth", "students", "--out", str(tmp_path), "--format", "parquet"
    )
    assert outcome.status == 0, outcome.stderr
    assert (tmp_path / "students" / "enrollments.parquet").is_file()
    assert read_student_records(tmp_path / "students").years() == [2022, 2023, 2024, 2025]
    assert (tmp_path / "dashboard" / "eladownload2025.txt").is_file()
