"""CALPADS extracts: SENR, SELA and STAS, input files and ODS extracts, clean and re-saved by a
spreadsheet, read back whole; what cannot be read is refused by line and field, never quoting
an SSID."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from continuum.errors import InputError, UnknownLayoutError
from continuum.formats.calpads import read_calpads_extract
from continuum.formats.student_files import read_student_file
from continuum.synth.calpads import sela_fields, senr_fields, stas_fields, write_calpads_extract
from continuum.synth.students import generate_student_records
from tests.toms_files import COUNTY


@pytest.fixture(scope="module")
def fields() -> dict[str, pl.DataFrame]:
    records = generate_student_records([COUNTY], year=2025, seed=3)
    assert records.attendance is not None
    return {
        "SENR": senr_fields(records.enrollments),
        "SELA": sela_fields(records.students, records.enrollments),
        "STAS": stas_fields(records.attendance),
    }


@pytest.mark.parametrize("damaged", [False, True], ids=["clean", "spreadsheet"])
@pytest.mark.parametrize("ods", [False, True], ids=["input", "ods"])
@pytest.mark.parametrize("record_type", ["SENR", "SELA", "STAS"])
def test_every_extract_reads_back_whole(
    tmp_path: Path, fields: dict[str, pl.DataFrame], record_type: str, ods: bool, damaged: bool
) -> None:
    written = fields[record_type]
    path = tmp_path / "extract.txt"
    write_calpads_extract(written, record_type, path, ods=ods, damaged=damaged)
    read = read_calpads_extract(path)
    assert (read.layout.record_type, read.ods) == (record_type, ods)
    assert read.records.height == written.height == len(path.read_bytes().splitlines())
    assert read.years == [2023, 2024, 2025]
    same = ["ssid", "lea", "school", "academic_year"]
    assert read.records.select(same).equals(written.select(same))
    assert bool(read.repairs) == damaged
    if damaged:
        assert read.repairs["SSID leading zeros restored"] == written.height


def test_dates_are_read_from_ccyymmdd_and_a_spreadsheets_dates_restored(
    tmp_path: Path, fields: dict[str, pl.DataFrame]
) -> None:
    written = fields["SENR"].head(50)
    clean, damaged = tmp_path / "clean.txt", tmp_path / "damaged.txt"
    write_calpads_extract(written, "SENR", clean)
    write_calpads_extract(written, "SENR", damaged, damaged=True)
    first = read_calpads_extract(clean).records.get_column("start_date")
    assert first.str.contains(r"^\d{4}-\d{2}-\d{2}$").all()
    again = read_calpads_extract(damaged)
    assert again.records.get_column("start_date").equals(first)
    assert again.repairs["dates rewritten by a spreadsheet restored"] == 50


def test_a_record_with_too_few_fields_is_refused_with_its_line(
    tmp_path: Path, fields: dict[str, pl.DataFrame]
) -> None:
    path = tmp_path / "stas.txt"
    write_calpads_extract(fields["STAS"].head(5), "STAS", path)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2].rsplit("^", 3)[0]
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError, match="fields where the layout has 24") as error:
        read_calpads_extract(path)
    assert error.value.line == 3


def test_a_bad_ssid_is_refused_without_its_value(
    tmp_path: Path, fields: dict[str, pl.DataFrame]
) -> None:
    bad = fields["SENR"].head(3).with_columns(pl.lit("98765X4321").alias("ssid"))
    path = tmp_path / "senr.txt"
    write_calpads_extract(bad, "SENR", path)
    with pytest.raises(InputError) as error:
        read_calpads_extract(path)
    assert (error.value.line, error.value.column) == (1, "1.08 SSID")
    assert "98765X4321" not in str(error.value)


def test_an_unknown_enrolment_status_is_refused_with_the_code(
    tmp_path: Path, fields: dict[str, pl.DataFrame]
) -> None:
    bad = fields["SENR"].head(3).with_columns(pl.lit("99").alias("status"))
    path = tmp_path / "senr.txt"
    write_calpads_extract(bad, "SENR", path)
    with pytest.raises(InputError, match="'99'") as error:
        read_calpads_extract(path)
    assert error.value.column == "1.23 Enrollment Status Code"


def test_any_student_file_is_read_by_its_reader_and_others_refused(
    tmp_path: Path, fields: dict[str, pl.DataFrame]
) -> None:
    senr = tmp_path / "senr.txt"
    write_calpads_extract(fields["SENR"].head(3), "SENR", senr)
    assert read_student_file(senr).records.height == 3
    other = tmp_path / "other.txt"
    other.write_text("SOFF^A^1\n", encoding="utf-8")
    with pytest.raises(UnknownLayoutError, match=r"neither a TOMS .* nor a CALPADS extract"):
        read_student_file(other)
    dashboard = tmp_path / "eladownload2025.txt"
    dashboard.write_text("cds\trtype\tstudentgroup\tcurrstatus\n", encoding="utf-8")
    with pytest.raises(UnknownLayoutError, match="Dashboard download"):
        read_student_file(dashboard)
