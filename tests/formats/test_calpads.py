"""CALPADS extracts: SENR (both numberings), SINF, SELA, SPRG, STAS, SPED, SINC and SIRS, input
files and ODS extracts, clean and re-saved by a spreadsheet, read back whole; what cannot be
read is refused by line and field, never quoting an SSID."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from continuum.errors import InputError, UnknownLayoutError
from continuum.formats.calpads import read_calpads_extract
from continuum.formats.student_files import read_student_file
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
from continuum.synth.students import generate_student_records
from tests.toms_files import COUNTY


@pytest.fixture(scope="module")
def fields() -> dict[str, pl.DataFrame]:
    records = generate_student_records([COUNTY], year=2025, seed=3)
    assert records.attendance is not None and records.suspensions is not None
    students, enrollments = records.students, records.enrollments
    return {
        "SENR": senr_fields(enrollments),
        "SINF": sinf_fields(students, enrollments),
        "SELA": sela_fields(students, enrollments),
        "SPRG": sprg_fields(students, enrollments),
        "STAS": stas_fields(records.attendance),
        "SPED": sped_fields(students, enrollments),
        "SINC": sinc_fields(records.suspensions),
        "SIRS": sirs_fields(records.suspensions),
    }


# Record type → school years of the synthetic records (students have a year without enrolments,
# kept for ELPAC matching; SPRG has a program that ended two years before the first).
YEARS = {
    "SENR": [2023, 2024, 2025],
    "SINF": [2022, 2023, 2024, 2025],
    "SELA": [2022, 2023, 2024, 2025],
    "SPRG": [2020, 2022, 2023, 2024, 2025],
    "STAS": [2023, 2024, 2025],
    "SPED": [2022, 2023, 2024, 2025],
    "SINC": [2023, 2024, 2025],
    "SIRS": [2023, 2024, 2025],
}
LAYOUTS = [(t, t) for t in YEARS] + [("SENR", "SENR_grade_1.25")]


@pytest.mark.parametrize("damaged", [False, True], ids=["clean", "spreadsheet"])
@pytest.mark.parametrize("ods", [False, True], ids=["input", "ods"])
@pytest.mark.parametrize(("record_type", "layout"), LAYOUTS, ids=[name for _, name in LAYOUTS])
def test_every_extract_reads_back_whole(
    tmp_path: Path,
    fields: dict[str, pl.DataFrame],
    record_type: str,
    layout: str,
    ods: bool,
    damaged: bool,
) -> None:
    written = fields[record_type]
    path = tmp_path / "extract.txt"
    write_calpads_extract(written, record_type, path, ods=ods, damaged=damaged, layout_name=layout)
    read = read_calpads_extract(path)
    assert (read.layout.record_type, read.layout.name, read.ods) == (record_type, layout, ods)
    assert read.records.height == written.height == len(path.read_bytes().splitlines())
    assert read.years == YEARS[record_type]
    same = [c for c in written.columns if not c.endswith("_date")]
    assert read.records.select(same).equals(written.select(same))
    dates = [c for c in written.columns if c.endswith("_date")]
    iso = pl.col(dates).str.replace(r"^(\d{4})(\d{2})(\d{2})$", "$1-$2-$3")
    assert read.records.select(dates).equals(written.select(iso))
    assert bool(read.repairs) == damaged
    if damaged:
        assert read.repairs["SSID leading zeros restored"] == written.height
        written_dates = sum((written.get_column(c) != "").sum() for c in dates)
        assert read.repairs.get("dates rewritten by a spreadsheet restored", 0) == written_dates


def test_the_senr_variant_is_named_by_its_field_count_in_the_reason(
    tmp_path: Path, fields: dict[str, pl.DataFrame]
) -> None:
    path = tmp_path / "senr.txt"
    write_calpads_extract(fields["SENR"].head(5), "SENR", path, layout_name="SENR_grade_1.25")
    variant = read_calpads_extract(path)
    assert variant.reason == (
        "its record type is SENR-R (SSID Enrollment, ODS extract): 42 caret-delimited fields, "
        "the 2021-2025 numbering (grade level 1.25, a field inserted before it)"
    )
    write_calpads_extract(fields["SENR"].head(5), "SENR", path, ods=False)
    own = read_calpads_extract(path)
    assert own.reason.endswith("39 caret-delimited fields, the CALPADS Data Guide v11 numbering")
    assert own.records.get_column("grade").equals(variant.records.get_column("grade"))


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


def test_a_sinf_record_with_a_missing_field_is_refused_with_its_line(
    tmp_path: Path, fields: dict[str, pl.DataFrame]
) -> None:
    path = tmp_path / "sinf.txt"
    write_calpads_extract(fields["SINF"].head(4), "SINF", path)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].rsplit("^", 1)[0]
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError, match="has 43 fields where the layout has 44") as error:
        read_calpads_extract(path)
    assert (error.value.path, error.value.line) == (path, 2)


def _names(error: InputError, field: str) -> bool:
    """The error's column is ``field`` (a long name shortened with …)."""
    column = str(error.column)
    return column.split(" ")[0] == field.split(" ")[0] and field.startswith(column.rstrip("…"))


@pytest.mark.parametrize(
    ("record_type", "column", "value", "field", "words"),
    [
        ("SINF", "hispanic", "X", "2.23 Hispanic Ethnicity Indicator", "is not one of Y, N"),
        ("SINF", "race_2", "512", "2.26 Race [2 of 5]", "is not a race category code"),
        (
            "SINF",
            "parent_education",
            "19",
            "2.38 Parent Guardian Highest Education Level Code",
            "is not one of 10, 11",
        ),
        ("SPRG", "program", "18", "3.13 Education Program Code", "three-digit education"),
        ("SIRS", "incident_result", "OSS", "19.14 Incident Result Code", "three-digit incident"),
        ("SIRS", "incident_days", "two", "19.16 Incident Result Duration Days", "number of days"),
    ],
)
def test_a_bad_code_is_refused_with_file_line_and_field(
    tmp_path: Path,
    fields: dict[str, pl.DataFrame],
    record_type: str,
    column: str,
    value: str,
    field: str,
    words: str,
) -> None:
    rows = fields[record_type].head(4).with_row_index("n")
    bad = rows.with_columns(
        pl.when(pl.col("n") == 2).then(pl.lit(value)).otherwise(pl.col(column)).alias(column)
    ).drop("n")
    path = tmp_path / "extract.txt"
    write_calpads_extract(bad, record_type, path)
    with pytest.raises(InputError, match=words) as error:
        read_calpads_extract(path)
    assert (error.value.path, error.value.line) == (path, 3)
    assert _names(error.value, field)
    assert f"'{value}'" in str(error.value)


@pytest.mark.parametrize(
    ("record_type", "column", "value", "field"),
    [
        ("SPRG", "program_start_date", "2025XX01", "3.15 Education Program Membership Start Date"),
        ("SPRG", "program_start_date", "", "3.15 Education Program Membership Start Date"),
        ("SPED", "sped_exit_date", "31/31/2025", "14.46 Special Education Program Exit Date"),
        ("SINC", "incident_date", "20241", "18.14 Incident Occurrence Date"),
    ],
)
def test_a_bad_or_missing_date_is_refused_with_file_line_and_field(
    tmp_path: Path,
    fields: dict[str, pl.DataFrame],
    record_type: str,
    column: str,
    value: str,
    field: str,
) -> None:
    bad = fields[record_type].head(3).with_columns(pl.lit(value).alias(column))
    path = tmp_path / "extract.txt"
    write_calpads_extract(bad, record_type, path, ods=False)
    with pytest.raises(InputError, match=r"is not a date \(CCYYMMDD\)") as error:
        read_calpads_extract(path)
    assert (error.value.path, error.value.line) == (path, 1)
    assert _names(error.value, field)


def test_a_data_guide_senr_with_an_extra_empty_field_is_not_taken_for_the_later_numbering(
    tmp_path: Path, fields: dict[str, pl.DataFrame]
) -> None:
    path = tmp_path / "senr.txt"
    write_calpads_extract(fields["SENR"].head(5), "SENR", path, ods=False)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("".join(f"{line}^\n" for line in lines), encoding="utf-8")
    read = read_calpads_extract(path)
    assert read.layout.name == "SENR"
    assert read.repairs == {"trailing empty columns removed": 5}
    assert read.records.get_column("grade").equals(fields["SENR"].head(5).get_column("grade"))
