"""Agencies from the synthetic county and from CDE's public school directory (pubschls.txt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from continuum.errors import InputError
from continuum.web.agencies.models import County, Lea, School
from continuum.web.agencies.services import (
    DIRECTORY_COLUMNS,
    agencies_import_directory,
    agencies_import_synthetic,
)
from continuum.web.audit.models import AuditEvent
from tests.cli_runner import run

pytestmark = pytest.mark.django_db

# A few rows in the directory's layout: its real header has more columns, which are ignored.
DIRECTORY_ROWS = [
    ("34103480000000", "Active", "Sacramento", "Sacramento County Office of Education", "No Data",
     "N", "00", "", "", "", ""),
    ("34674390000000", "Active", "Sacramento", "Elk Grove Unified", "No Data", "N", "54", "",
     "", "", ""),
    ("34674396031009", "Active", "Sacramento", "Elk Grove Unified", "Florin Elementary", "N",
     "54", "Elementary Schools (Public)", "TRAD", "K-6", "K-6"),
    ("34674390101758", "Active", "Sacramento", "Elk Grove Unified", "Elk Grove Charter", "Y",
     "54", "High Schools (Public)", "TRAD", "9-12", "9-12"),
    ("34674390000001", "Closed", "Sacramento", "Elk Grove Unified", "Old School", "N", "54",
     "Elementary Schools (Public)", "TRAD", "K-5", "K-5"),
]  # fmt: skip


def _directory(path: Path, rows: list[tuple[str, ...]]) -> Path:
    header = ["NCESDist", *DIRECTORY_COLUMNS, "Latitude"]
    lines = ["\t".join(header)] + ["\t".join(["0601", *row, "38.5"]) for row in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_directory_import_reads_kinds_grade_spans_and_charters(tmp_path: Path) -> None:
    counts = agencies_import_directory(
        actor=None, path=_directory(tmp_path / "pubschls.txt", DIRECTORY_ROWS), county_code="34"
    )
    assert counts == {"leas": 3, "schools": 2, "counties": 1}
    assert County.objects.get().name == "Sacramento"
    assert Lea.objects.get(cds="34103480000000").kind == Lea.Kind.COE
    florin = School.objects.get(cds="34674396031009")
    assert (florin.lea.name, florin.grade_span) == ("Elk Grove Unified", "K–6")
    assert not florin.charter
    assert Lea.objects.get(cds="34674390101758").kind == Lea.Kind.CHARTER
    assert not School.objects.filter(name="Old School").exists()
    assert AuditEvent.objects.get(verb="agencies_import").details["source"] == "directory"


def test_directory_reimport_keeps_the_title_i_flags_the_directory_does_not_carry(
    tmp_path: Path,
) -> None:
    directory = _directory(tmp_path / "pubschls.txt", DIRECTORY_ROWS)
    agencies_import_directory(actor=None, path=directory, county_code="34")
    School.objects.filter(cds="34674396031009").update(title_i=True)
    agencies_import_directory(actor=None, path=directory, county_code="34")
    assert School.objects.get(cds="34674396031009").title_i is True


def test_directory_with_a_bad_cds_code_names_its_line(tmp_path: Path) -> None:
    rows = [*DIRECTORY_ROWS[:2], ("3467", *DIRECTORY_ROWS[2][1:])]
    with pytest.raises(InputError) as raised:
        agencies_import_directory(actor=None, path=_directory(tmp_path / "p.txt", rows))
    assert (raised.value.line, raised.value.column) == (4, "CDSCode")
    assert not Lea.objects.exists()


def test_synthetic_county_has_its_office_districts_and_schools() -> None:
    counts = agencies_import_synthetic(actor=None, seed=2025)
    assert counts["counties"] == 1 and counts["schools"] > 200
    assert Lea.objects.filter(kind=Lea.Kind.COE).count() == 1
    assert Lea.objects.filter(kind=Lea.Kind.UNIFIED).exists()
    assert School.objects.exclude(low_grade="").count() == School.objects.count()
    assert AuditEvent.objects.get(verb="agencies_import").details["seed"] == 2025
    title_i = School.objects.filter(title_i=True).count() / School.objects.count()
    assert 0.55 < title_i < 0.65 and not School.objects.filter(title_i__isnull=True).exists()


def test_web_agencies_command_imports_the_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _directory(tmp_path / "pubschls.txt", DIRECTORY_ROWS)
    outcome = run(capsys, monkeypatch, "web", "agencies", str(path), "--county", "34")
    assert outcome.status == 0, outcome.stderr
    assert "3 LEAs and 2 schools added" in outcome.stdout


def test_directory_row_with_a_missing_field_is_refused_never_shifted(tmp_path: Path) -> None:
    path = _directory(tmp_path / "pubschls.txt", DIRECTORY_ROWS)
    lines = path.read_text().splitlines()
    fields = lines[3].split("\t")
    del fields[4]  # the District: every later value would land one column to the left
    lines[3] = "\t".join(fields)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as raised:
        agencies_import_directory(actor=None, path=path)
    assert raised.value.line == 4
    assert "row has 12 fields but the header has 13" in str(raised.value)
    assert not Lea.objects.exists()


def test_directory_row_with_an_extra_field_is_refused(tmp_path: Path) -> None:
    path = _directory(tmp_path / "pubschls.txt", DIRECTORY_ROWS)
    lines = path.read_text().splitlines()
    lines[2] += "\tstray"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match="14 fields but the header has 13") as raised:
        agencies_import_directory(actor=None, path=path)
    assert raised.value.line == 3


def test_directory_in_windows_1252_keeps_its_accented_names(tmp_path: Path) -> None:
    rows = [*DIRECTORY_ROWS[:2], (*DIRECTORY_ROWS[2][:4], "Para Los Niños", *DIRECTORY_ROWS[2][5:])]
    path = _directory(tmp_path / "pubschls.txt", rows)
    path.write_bytes(path.read_text().encode("cp1252"))
    agencies_import_directory(actor=None, path=path)
    assert School.objects.get(cds="34674396031009").name == "Para Los Niños"


def test_directory_name_longer_than_stored_names_is_refused_with_an_excerpt(
    tmp_path: Path,
) -> None:
    rows = [*DIRECTORY_ROWS[:2], (*DIRECTORY_ROWS[2][:4], "N" * 5000, *DIRECTORY_ROWS[2][5:])]
    with pytest.raises(InputError, match="longer than 200 characters") as raised:
        agencies_import_directory(actor=None, path=_directory(tmp_path / "p.txt", rows))
    assert (raised.value.line, raised.value.column) == (4, "School")
    assert len(str(raised.value)) < 200
    assert not Lea.objects.exists()


def test_web_agencies_command_refuses_a_utf16_directory_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _directory(tmp_path / "pubschls.txt", DIRECTORY_ROWS)
    path.write_bytes(path.read_text().encode("utf-16"))
    outcome = run(capsys, monkeypatch, "web", "agencies", str(path))
    assert outcome.status == 2
    assert (
        outcome.stderr.strip()
        == f"error: {path}: is UTF-16 text; save it as UTF-8 or as CDE published it"
    )
    assert not County.objects.exists()
