"""``continuum synth``: writes the files, reports them, and explains bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_runner import run


def test_county_writes_the_files_and_lists_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "county"
    outcome = run(capsys, monkeypatch, "synth", "county", "--out", str(out), "--seed", "3")
    assert outcome.status == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{p}download2025.txt"
        for p in ("ela", "math", "chronic", "susp", "grad", "cci", "elpi", "science")
    )
    assert "eladownload2025.txt" in outcome.stderr
    assert "schools" in outcome.stderr


def test_year_option_chooses_the_layout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "county"
    outcome = run(capsys, monkeypatch, "synth", "county", "--out", str(out), "--year", "2022")
    assert outcome.status == 0
    assert not (out / "ccidownload2022.txt").exists()
    assert (out / "eladownload2022.txt").exists()


def test_an_unknown_year_is_refused_with_the_choices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = run(capsys, monkeypatch, "synth", "county", "--out", str(tmp_path), "--year", "2019")
    assert outcome.status == 2
    assert "2025" in outcome.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_negative_seed_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = run(capsys, monkeypatch, "synth", "county", "--out", str(tmp_path), "--seed", "-1")
    assert outcome.status == 2
    assert "--seed" in outcome.stderr


def test_help_describes_both_commands(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = run(capsys, monkeypatch, "synth", "--help")
    assert outcome.status == 0
    assert "county" in outcome.stdout
    assert "statewide" in outcome.stdout
