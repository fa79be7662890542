"""The students and suspensions tables from CALPADS extracts: what cannot be joined is refused
with the file, line and field, never quoting an SSID; results that are not suspensions are left
out and counted."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from continuum.dashboard.students.outside import outside_tables
from continuum.errors import InputError
from continuum.formats.calpads import CalpadsFile, read_calpads_extract
from continuum.synth.calpads import (
    sela_fields,
    senr_fields,
    sinc_fields,
    sinf_fields,
    sirs_fields,
    write_calpads_extract,
)
from continuum.synth.students import generate_student_records
from tests.toms_files import COUNTY


@pytest.fixture(scope="module")
def fields() -> dict[str, pl.DataFrame]:
    records = generate_student_records([COUNTY], year=2025, seed=5, history=0)
    assert records.suspensions is not None
    students, enrollments = records.students, records.enrollments
    return {
        "SENR": senr_fields(enrollments),
        "SINF": sinf_fields(students, enrollments),
        "SELA": sela_fields(students, enrollments),
        "SINC": sinc_fields(records.suspensions),
        "SIRS": sirs_fields(records.suspensions),
    }


def _read(tmp_path: Path, record_type: str, rows: pl.DataFrame) -> CalpadsFile:
    path = tmp_path / f"{record_type}.txt"
    write_calpads_extract(rows, record_type, path)
    return read_calpads_extract(path)


def test_an_enrolled_student_without_a_sinf_record_is_refused_naming_the_files(
    tmp_path: Path, fields: dict[str, pl.DataFrame]
) -> None:
    senr = fields["SENR"]
    missing = senr.row(4, named=True)["ssid"]
    sinf = fields["SINF"].filter(pl.col("ssid") != missing)
    sela = fields["SELA"].filter(pl.col("ssid") != missing)
    reads = [_read(tmp_path, t, f) for t, f in (("SENR", senr), ("SINF", sinf), ("SELA", sela))]
    with pytest.raises(InputError, match=r"has no SINF record for 2025 in SINF\.txt") as error:
        outside_tables(reads)
    where = (Path(error.value.path).name, error.value.line, error.value.column)
    assert where == ("SENR.txt", 5, "1.08 SSID")
    assert missing not in str(error.value)


def test_a_sinf_student_without_a_sela_record_is_refused_with_the_sinf_line(
    tmp_path: Path, fields: dict[str, pl.DataFrame]
) -> None:
    sinf = fields["SINF"].head(10)
    sela = fields["SELA"].head(10).filter(pl.col("ssid") != sinf.row(6, named=True)["ssid"])
    reads = [_read(tmp_path, "SINF", sinf), _read(tmp_path, "SELA", sela)]
    with pytest.raises(InputError, match=r"no SELA record for the year in SELA\.txt") as error:
        outside_tables(reads)
    assert (error.value.line, error.value.column) == (7, "2.07 SSID")
    assert sinf.row(6, named=True)["ssid"] not in str(error.value)


def test_students_from_sinf_need_the_sela_extract(
    tmp_path: Path, fields: dict[str, pl.DataFrame]
) -> None:
    with pytest.raises(InputError, match="needs the SELA extract too"):
        outside_tables([_read(tmp_path, "SINF", fields["SINF"].head(3))])


def test_a_result_of_an_unknown_incident_is_refused_with_the_sirs_line(
    tmp_path: Path, fields: dict[str, pl.DataFrame]
) -> None:
    sirs = fields["SIRS"].with_row_index("n")
    sirs = sirs.with_columns(
        pl.when(pl.col("n") == 3)
        .then(pl.lit("NOSUCH"))
        .otherwise("incident_id")
        .alias("incident_id")
    ).drop("n")
    reads = [_read(tmp_path, "SINC", fields["SINC"]), _read(tmp_path, "SIRS", sirs)]
    with pytest.raises(InputError, match="no incident of this ID") as error:
        outside_tables(reads)
    assert (error.value.line, error.value.column) == (4, "19.13 Incident ID Local")


def test_suspensions_need_both_incidents_and_results(
    tmp_path: Path, fields: dict[str, pl.DataFrame]
) -> None:
    with pytest.raises(InputError, match="need both SINC and SIRS; SINC is not given"):
        outside_tables([_read(tmp_path, "SIRS", fields["SIRS"])])


def test_results_that_are_not_suspensions_are_left_out_and_counted(
    tmp_path: Path, fields: dict[str, pl.DataFrame]
) -> None:
    sirs = fields["SIRS"].with_row_index("n")
    expelled = pl.when(pl.col("n") < 2).then(pl.lit("200")).otherwise("incident_result")
    sirs = sirs.with_columns(expelled.alias("incident_result")).drop("n")
    reads = [_read(tmp_path, "SINC", fields["SINC"]), _read(tmp_path, "SIRS", sirs)]
    outside = outside_tables(reads)
    path, table = outside.tables["suspensions"]
    assert path.name == "SIRS.txt"
    assert table.height == sirs.height - 2
    assert set(table.get_column("result").to_list()) <= {"OSS", "ISS"}
    assert outside.notes == [
        "SIRS.txt: 2 incident results that are not suspensions (other than 100 and 110) left out"
    ]


def test_a_suspension_without_days_is_refused_with_the_sirs_line_and_field(
    tmp_path: Path, fields: dict[str, pl.DataFrame]
) -> None:
    sirs = fields["SIRS"].with_row_index("n")
    sirs = sirs.with_columns(
        pl.when(pl.col("n") == 1).then(pl.lit("")).otherwise("incident_days").alias("incident_days")
    ).drop("n")
    reads = [_read(tmp_path, "SINC", fields["SINC"]), _read(tmp_path, "SIRS", sirs)]
    with pytest.raises(InputError) as error:
        outside_tables(reads)
    assert error.value.path == reads[1].path
    assert (error.value.line, error.value.column) == (2, "19.16 Incident Result Duration Days")


def test_student_extracts_without_sinf_are_refused_naming_the_file(
    tmp_path: Path, fields: dict[str, pl.DataFrame]
) -> None:
    sela = _read(tmp_path, "SELA", fields["SELA"].head(3))
    with pytest.raises(InputError, match=r"built from SINF .*SINF is not given") as error:
        outside_tables([sela])
    assert error.value.path == sela.path


def test_race_follows_the_technical_guides_rule(
    tmp_path: Path, fields: dict[str, pl.DataFrame]
) -> None:
    cases = [  # Hispanic, race 1, race 2 → race group
        ("Y", "600", "700", "HI"),
        ("N", "201", "204", "AS"),
        ("N", "400", "201", "MR"),
        ("N", "", "301", "PI"),
        ("N", "", "", None),
    ]
    sinf = (
        fields["SINF"]
        .head(len(cases))
        .with_columns(
            pl.Series("hispanic", [c[0] for c in cases]),
            pl.Series("race_1", [c[1] for c in cases]),
            pl.Series("race_2", [c[2] for c in cases]),
        )
    )
    sela = fields["SELA"].join(sinf.select("ssid", "academic_year"), on=["ssid", "academic_year"])
    outside = outside_tables([_read(tmp_path, "SINF", sinf), _read(tmp_path, "SELA", sela)])
    students = outside.tables["students"][1]
    assert students.get_column("race").to_list() == [c[3] for c in cases]
