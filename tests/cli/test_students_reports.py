"""``continuum students inspect`` on CALPADS report CSVs: which report and why, its school year,
counts, repairs and what it feeds; never an SSID."""

from __future__ import annotations

from pathlib import Path

import pytest

from continuum.formats.calpads_reports import report_layouts
from tests.cli_runner import run
from tests.report_files import NUMBERS, report_fields, written_report


@pytest.mark.parametrize("number", NUMBERS)
def test_inspect_names_each_report_its_counts_repairs_and_feeds(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    number: str,
) -> None:
    path = written_report(tmp_path, number, damaged=True)
    fields = report_fields()[number]
    outcome = run(capsys, monkeypatch, "students", "inspect", str(path))
    assert outcome.status == 0, outcome.stdout
    layout = report_layouts()[number]
    assert f"{path}: CALPADS report {number} {layout.title}" in outcome.stdout
    assert f"  identified because its header has all {len(layout.identifying)} columns" in (
        outcome.stdout
    )
    assert "  school year: 2024-25\n" in outcome.stdout
    assert f"  rows: {fields.height:,}\n" in outcome.stdout
    assert f"  students: {fields.get_column('ssid').n_unique():,}\n" in outcome.stdout
    assert f"    SSID leading zeros restored: {fields.height:,}\n" in outcome.stdout
    assert f"  feeds: {layout.feeds}\n" in outcome.stdout
    assert not any(ssid in outcome.stdout for ssid in fields.get_column("ssid"))


def test_inspect_says_a_report_without_a_column_its_table_needs_feeds_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = written_report(tmp_path, "7.12", rows=5)
    text = path.read_text(encoding="utf-8").replace("IncidentResultCode", "Result", 1)
    path.write_text(text, encoding="utf-8")
    outcome = run(capsys, monkeypatch, "students", "inspect", str(path))
    assert outcome.status == 0
    assert "  feeds: nothing: no column IncidentResultCode\n" in outcome.stdout
    assert "  incident result" not in outcome.stdout


def test_inspect_refuses_a_report_missing_an_identifying_column_with_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = written_report(tmp_path, "14.2", rows=5)
    text = path.read_text(encoding="utf-8").replace("DaysAbsentCEFG", "Absent", 1)
    path.write_text(text, encoding="utf-8")
    outcome = run(capsys, monkeypatch, "students", "inspect", str(path))
    assert outcome.status == 2
    assert "line 1, column 'DaysAbsentCEFG': looks like CALPADS report 14.2" in outcome.stdout
