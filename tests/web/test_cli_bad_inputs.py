"""Every import command answers bad input with one plain line and a non-zero exit, never a
traceback, and changes nothing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from continuum import cli as continuum_cli
from continuum.web.agencies.models import School
from continuum.web.audit.models import AuditEvent
from tests.cli_runner import run
from tests.web.personas import World
from tests.workbooks import with_dimension, workbook_write

pytestmark = pytest.mark.django_db


def _one_plain_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def _not_a_workbook(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("title_i.csv", b"cds,title_i\n", "has a header but no rows"),
        ("title_i.csv", b"cds,funded\n01611190000000,Yes\n", "missing column title_i"),
        ("title_i.csv", "cds,title_i\n1,Yes\n".encode("utf-16"), "is UTF-16 text"),
        ("title_i.csv", b"cds,title_i\n1,\x00\x01\x02\n", "is not a text file or workbook"),
        ("title_i.csv", b"", "is empty"),
        ("title_i.csv", b"cds,title_i\n1,Yes,extra\n", "line 2: row has 3 fields but the header"),
        ("title_i.csv", b"cds,title_i\n01611190000000\n", "line 2: row has 1 fields but the"),
        ("title_i.csv", b"cds,title_i\n0161119,Yes\n", "'0161119' is not a 14-digit CDS code"),
        (
            "title_i.csv",
            b"cds,title_i\n01611190000000,Yes\n01611190000000,No\n",
            "line 2, column 'cds': school 01611190000000 appears 2 times: lines 2, 3",
        ),
    ],
)
def test_title_i_command_refuses_bad_csv_in_one_line(
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    content: bytes,
    message: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    outcome = run(capsys, monkeypatch, "web", "title-i", str(path))
    assert outcome.status == 2
    line = _one_plain_line(outcome.stderr)
    assert str(path) in line and message in line
    assert not AuditEvent.objects.filter(verb="schools_title_i_import").exists()


def test_title_i_command_refuses_unreadable_and_oversized_workbooks(
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    small = workbook_write(tmp_path / "small.xlsx", [["cds", "TitleI2223"], ["1", "Yes"]])
    huge = with_dimension(small, tmp_path / "essaassistance23.xlsx", "A1:XFD1048576")
    for path, message in (
        (huge, "CONTINUUM_XLSX_MAX_ROWS"),
        (_not_a_workbook(tmp_path / "zip.xlsx"), "is not a text file or workbook"),
        (small, "has no sheet of the expected kind"),
    ):
        outcome = run(capsys, monkeypatch, "web", "title-i", str(path))
        assert outcome.status == 2
        assert message in _one_plain_line(outcome.stderr)
    assert not School.objects.filter(title_i__isnull=False).exists()


def test_an_unexpected_failure_is_one_line_without_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("x" * 10_000)

    monkeypatch.setattr(continuum_cli.cli, "main", broken)
    monkeypatch.delenv("CONTINUUM_DEBUG", raising=False)
    outcome = run(capsys, monkeypatch, "dashboard", "--help")
    assert outcome.status == 1
    line = _one_plain_line(outcome.stderr)
    assert line.startswith("error: unexpected KeyError") and len(line) < 250
