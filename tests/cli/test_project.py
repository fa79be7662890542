"""``continuum project``: files the other commands read unchanged, a readable summary, and
nothing written on bad input."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from tests.cli_runner import run
from tests.dashboard.students.records import OTHER_SCHOOL, SCHOOL, District


def small_district() -> District:
    district = District()
    for i in range(60):
        student = f"s{i}"
        race = "HI" if i % 3 else "WH"
        for year in (2024, 2025):
            district.student(student, year=year, race=race, sed="Y" if i % 2 else "N")
            district.enrol(student, year=year, cds=SCHOOL if i < 40 else OTHER_SCHOOL, grade="5")
            absent = (i % 5) * 6 if year == 2025 else (i % 4) * 5
            district.add(
                "attendance", year=year, student_id=student, cds=SCHOOL if i < 40 else OTHER_SCHOOL,
                days_expected=180, days_oss=0, days_excused=absent, days_unexcused=0,
                days_nonada_is=0, exempt="N",
            )  # fmt: skip
            for subject in ("ELA", "MATH"):
                district.add(
                    "caaspp", year=year, student_id=student,
                    cds=SCHOOL if i < 40 else OTHER_SCHOOL, grade="5", subject=subject,
                    test="SBA", attempted="Y", test_date=f"{year}-04-20",
                    scale_score=2400 + 3 * i - (30 if year == 2025 else 0), condition="",
                )  # fmt: skip
    return district


def test_project_writes_cde_files_levels_da_and_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    students = small_district().write(tmp_path / "students")
    out = tmp_path / "out"
    outcome = run(capsys, monkeypatch, "project", "--students", str(students), "--out", str(out))
    assert outcome.status == 0, outcome.stderr
    written = sorted(p.name for p in (out / "dashboard").iterdir())
    assert written == [
        "chronicdownload2025.txt", "eladownload2025.txt", "mathdownload2025.txt",
        "suspdownload2025.txt",
    ]  # fmt: skip
    assert {"levels.csv", "da2025.csv", "summary.txt"} <= {p.name for p in out.iterdir()}
    assert "Hispanic students: ELA projected" in outcome.stdout
    assert "declined 30.0" in outcome.stdout
    assert "s1" not in outcome.stdout.split()
    levels = pl.read_csv(out / "levels.csv")
    district_ela = levels.filter(
        (pl.col("rtype") == "D")
        & (pl.col("indicator") == "ELA")
        & (pl.col("studentgroup") == "ALL")
    ).row(0, named=True)
    assert (district_ela["currdenom"], district_ela["change"]) == (60, -30.0)
    assert district_ela["color"] in (1, 2)


def test_projected_files_run_through_dashboard_levels_and_support_da_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    students = small_district().write(tmp_path / "students")
    out = tmp_path / "out"
    assert (
        run(capsys, monkeypatch, "project", "--students", str(students), "--out", str(out)).status
        == 0
    )
    files = sorted(str(p) for p in (out / "dashboard").iterdir())
    levels = run(
        capsys, monkeypatch, "dashboard", "levels", *files, "--out", str(tmp_path / "l.csv")
    )
    assert levels.status == 0, levels.stderr
    projected = pl.read_csv(out / "levels.csv").sort("cds", "indicator", "studentgroup")
    again = pl.read_csv(tmp_path / "l.csv").sort("cds", "indicator", "studentgroup")
    assert projected["color"].to_list() == again["color"].to_list()
    da = run(
        capsys, monkeypatch, "support", "da", "--year", "2025", "--dashboard",
        str(out / "dashboard"), "--out", str(tmp_path / "da.csv"),
    )  # fmt: skip
    assert da.status == 0, da.stderr


def test_prior_dashboard_files_give_change_when_records_hold_one_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    district = small_district()
    district.write(tmp_path / "both")
    first = run(
        capsys, monkeypatch, "project", "--students", str(tmp_path / "both"), "--year", "2024",
        "--out", str(tmp_path / "p2024"),
    )  # fmt: skip
    assert first.status == 0, first.stderr
    for table in ("students", "enrollments", "attendance", "caaspp"):
        district.rows[table] = [r for r in district.rows[table] if r["year"] == "2025"]
    district.write(tmp_path / "one")
    outcome = run(
        capsys, monkeypatch, "project", "--students", str(tmp_path / "one"),
        "--prior-dashboard", str(tmp_path / "p2024" / "dashboard"), "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert outcome.status == 0, outcome.stderr
    levels = pl.read_csv(tmp_path / "out" / "levels.csv")
    chronic = levels.filter(
        (pl.col("rtype") == "D")
        & (pl.col("indicator") == "CHRO")
        & (pl.col("studentgroup") == "ALL")
    ).row(0, named=True)
    # 2025: 24 of 60 absent 18 days or more; 2024 (from the prior file's counts): none.
    assert (chronic["currstatus"], chronic["priorstatus"], chronic["change"]) == (40.0, 0.0, 40.0)


def test_bad_input_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    district = small_district()
    district.enrol("s1", grade="5")
    students = district.write(tmp_path / "students")
    out = tmp_path / "out"
    outcome = run(capsys, monkeypatch, "project", "--students", str(students), "--out", str(out))
    assert outcome.status == 2
    assert "enrollments.csv, line" in outcome.stderr
    assert "column 'start_date'" in outcome.stderr
    assert not out.exists()


def test_help_describes_every_option(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = run(capsys, monkeypatch, "project", "--help")
    for option in ("--students", "--prior-dashboard", "--out", "--year", "summary.txt"):
        assert option in outcome.stdout
