"""``continuum mtss``: flags from a district's tables by a preset or an edited copy, the
changes an edit makes, progress decisions; bad input named by file and line, nothing written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from continuum.synth.early_warning import early_warning_tables, write_early_warning_tables
from tests.cli_runner import run

WINDOW = ("--from", "2025-08-13", "--to", "2026-06-30")


@pytest.fixture
def tables(tmp_path: Path) -> Path:
    directory = tmp_path / "district"
    write_early_warning_tables(
        early_warning_tables(400, seed=5, start=dt.date(2025, 8, 13), days=120), directory
    )
    return directory


def test_flags_prints_counts_only_and_writes_each_flag_with_evidence(
    tables: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "flags.csv"
    result = run(capsys, monkeypatch, "mtss", "flags", "--rules", "michigan-ewims",
                 "--students", str(tables), *WINDOW, "--out", str(out))  # fmt: skip
    assert result.status == 0, result.stderr
    assert "EWIMS, Michigan (SRESD) cut points (v1, from 2026-07-01)" in result.stdout
    assert "attendance: failure:" in result.stdout and "of 400 students" in result.stdout
    assert "S000" not in result.stdout + result.stderr  # no student id on the terminal
    written = pl.read_csv(out)
    assert set(written.get_column("ruleset")) == {"michigan-ewims"}
    assert written.filter(pl.col("evidence").is_null()).is_empty()
    failures = written.filter(
        (pl.col("indicator") == "attendance") & (pl.col("level") == "failure")
    )
    assert failures.get_column("value").min() >= 10


def test_an_edited_copy_shows_which_students_flags_change(
    tables: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    copy = tmp_path / "our-ewims.toml"
    assert run(capsys, monkeypatch, "mtss", "copy-rules", "michigan-ewims", str(copy)).status == 0
    copy.write_text(
        copy.read_text(encoding="utf-8")
        .replace('key = "michigan-ewims"', 'key = "our-ewims"')
        .replace("version = 1", "version = 2")
        .replace('any = ["absence_rate >= 10"]', 'any = ["absence_rate >= 15"]'),
        encoding="utf-8",
    )
    changes = tmp_path / "changes.csv"
    result = run(capsys, monkeypatch, "mtss", "flags", "--rules", "michigan-ewims",
                 "--students", str(tables), *WINDOW, "--compare", str(copy),
                 "--changes", str(changes))  # fmt: skip
    assert result.status == 0, result.stderr
    found = pl.read_csv(changes)
    # Only attendance failures between 10% and 15% move, each down to caution.
    assert set(found.get_column("indicator")) == {"attendance"}
    assert set(found.select("before", "after", "change").rows()) == {
        ("failure", "caution", "level")
    }
    assert f"{found.height:,} flag(s) change for {found.height:,} student(s)" in result.stdout


def test_copy_rules_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "rules.toml"
    copy.write_text("mine", encoding="utf-8")
    result = run(capsys, monkeypatch, "mtss", "copy-rules", "edfi-amt", str(copy))
    assert result.status == 2 and "already exists" in result.stderr
    assert copy.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize(
    ("table", "column", "value", "words"),
    [
        ("roster", "grade", "13", "grade"),
        ("attendance", "present", "maybe", "present"),
        ("attendance", "student_id", "S9999999", "not in the roster"),
        ("marks", "letter", "E", "letter"),
    ],
)
def test_a_bad_value_is_refused_with_file_and_line_and_nothing_is_written(
    tables: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    table: str,
    column: str,
    value: str,
    words: str,
) -> None:
    path = tables / f"{table}.csv"
    frame = pl.read_csv(path, infer_schema_length=0)
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 6)
        .then(pl.lit(value))
        .otherwise(pl.col(column))
        .alias(column)
    )
    frame.write_csv(path)
    out = tmp_path / "flags.csv"
    result = run(capsys, monkeypatch, "mtss", "flags", "--rules", "edfi-amt",
                 "--students", str(tables), *WINDOW, "--out", str(out))  # fmt: skip
    assert result.status == 2
    assert f"{table}.csv, line 8" in result.stderr and words in result.stderr
    assert not out.exists()


def test_the_window_must_not_end_before_it_starts(
    tables: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run(capsys, monkeypatch, "mtss", "flags", "--rules", "edfi-amt", "--students",
                 str(tables), "--from", "2026-06-30", "--to", "2025-08-13")  # fmt: skip
    assert result.status == 2 and "--to is before --from" in result.stderr


def test_presets_lists_every_rule_set_with_its_sources(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run(capsys, monkeypatch, "mtss", "presets")
    assert result.status == 0
    assert "chicago-freshman-on-track: Chicago Freshman On-Track" in result.stdout
    assert (
        "on_track (course performance): off track when credits_earned < 5 or core_failures >= 2"
        in result.stdout
    )
    assert "ncs.uchicago.edu" in result.stdout


def test_progress_prints_the_decision_rules_that_fire(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    scores = tmp_path / "scores.csv"
    # Aimline 20 → 50 over ten weeks: 3 a week; these sit 1 to 3 below it.
    scores.write_text("date,score\n2026-01-12,22\n2026-01-19,24\n2026-01-26,27\n2026-02-02,29\n",
                      encoding="utf-8")  # fmt: skip
    result = run(capsys, monkeypatch, "mtss", "progress", str(scores),
                 "--baseline", "2026-01-05:20", "--goal", "2026-03-16:50")  # fmt: skip
    assert result.status == 0, result.stderr
    assert result.stdout.strip() == (
        "four-point rule: intensify the intervention (the last 4 of 4 points are below the aimline)"
    )


def test_progress_refuses_a_score_that_is_not_a_number_naming_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    scores = tmp_path / "scores.csv"
    scores.write_text("date,score\n2026-01-12,22\n2026-01-19,lots\n", encoding="utf-8")
    result = run(capsys, monkeypatch, "mtss", "progress", str(scores),
                 "--baseline", "2026-01-05:20", "--goal", "2026-03-16:50")  # fmt: skip
    assert result.status == 2 and "scores.csv, line 3" in result.stderr
