"""TOMS Student Score Data Files: every layout, year and shape is identified and read whole, the
repairs a spreadsheet makes necessary are made and counted, and what cannot be read is refused
with file, line and field and never an SSID."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from continuum.errors import InputError, UnknownLayoutError
from continuum.formats.toms import (
    CARET,
    COMMA,
    FIXED,
    TomsLayout,
    header_key,
    read_toms_file,
    toms_layout,
    toms_layouts,
)
from continuum.synth.toms import only_tested, write_toms_file
from tests.toms_files import CASES, case_id, synthetic_fields

SHARED_LAYOUTS = Path(__file__).resolve().parents[3] / "shared" / "domain" / "student-file-layouts"


@pytest.fixture(scope="module")
def fields() -> dict[str, pl.DataFrame]:
    return synthetic_fields()


@pytest.mark.parametrize("damaged", [False, True], ids=["clean", "spreadsheet"])
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_every_layout_and_shape_reads_back_whole_as_its_year(
    tmp_path: Path, fields: dict[str, pl.DataFrame], case: tuple[TomsLayout, str], damaged: bool
) -> None:
    layout, shape = case
    written = fields[layout.test]
    path = tmp_path / "StudentScoreData.csv"
    write_toms_file(written, layout, path, shape=shape, damaged=damaged)
    read = read_toms_file(path)
    assert (read.layout.source, read.year, read.shape) == (layout.source, layout.year, shape)
    assert layout.school_year in read.reason
    lines = path.read_bytes().count(b"\n") - (0 if shape == FIXED else 1)
    assert read.records.height == written.height == lines
    common = [c for c in written.columns if c in read.records.columns]
    # 2014-15's one record per student carries its scores under other names (not read).
    assert {"record_type", "ssid"} <= set(common)
    assert layout.year == 2015 or {"school_code", "scale_score"} <= set(common)
    assert read.records.select(common).equals(written.select(common))
    assert bool(read.repairs) == damaged


def test_a_spreadsheets_damage_is_repaired_and_each_repair_counted(
    tmp_path: Path, fields: dict[str, pl.DataFrame]
) -> None:
    layout = toms_layout("caaspp_2024-25_delimited")
    written = fields["CAASPP"]
    path = tmp_path / "scores.csv"
    write_toms_file(written, layout, path, shape=COMMA, damaged=True)
    repairs = read_toms_file(path).repairs
    dated = written.filter(pl.col("test_date") != "").height
    assert repairs["byte-order mark removed"] == 1
    assert repairs["Windows line ends (CRLF) read"] == written.height + 1
    assert repairs["trailing empty columns removed"] == written.height
    assert repairs["SSID leading zeros restored"] == written.height
    assert repairs["school CDS code leading zeros restored"] == written.height
    assert repairs["test dates rewritten by a spreadsheet restored to YYYY-MM-DD"] == dated


def test_the_tested_variant_holds_only_tested_students_and_reads_as_tested(
    tmp_path: Path, fields: dict[str, pl.DataFrame]
) -> None:
    for test, source in (("CAASPP", "caaspp_2023-24_delimited"), ("ELPAC", "elpac_2022-23_layout")):
        tested = only_tested(fields[test])
        assert 0 < tested.height < fields[test].height
        path = tmp_path / f"{test}_TestedStudentScoreData_2024_DLMTR.csv"
        write_toms_file(tested, toms_layout(source), path, shape=CARET)
        read = read_toms_file(path)
        assert (read.variant, read.records.height) == ("Tested", tested.height)


def test_variant_is_taken_from_the_file_name(
    tmp_path: Path, fields: dict[str, pl.DataFrame]
) -> None:
    layout = toms_layout("elpac_2023-24_delimited")
    for name, variant in (
        ("X_EnrolledStudentScoreData_2024_DLMTR.csv", "Enrolled"),
        ("X_TestedStudentScoreData_2024_DLMTR.csv", "Tested"),
        ("scores.csv", None),
    ):
        write_toms_file(fields["ELPAC"], layout, tmp_path / name, shape=CARET)
        assert read_toms_file(tmp_path / name).variant == variant


def test_a_header_with_another_years_synonym_is_matched_to_the_closest_year(
    tmp_path: Path, fields: dict[str, pl.DataFrame]
) -> None:
    layout = toms_layout("caaspp_2024-25_delimited")
    path = tmp_path / "scores.csv"
    write_toms_file(fields["CAASPP"], layout, path, shape=CARET)
    text = path.read_text(encoding="utf-8").replace("CALPADSHomelessStatus", "HomelessStatus", 1)
    path.write_text(text, encoding="utf-8")
    read = read_toms_file(path)
    assert read.year == 2025
    assert "400 of its 401 header names" in read.reason


def test_a_dashboard_download_is_refused_as_such(tmp_path: Path) -> None:
    path = tmp_path / "eladownload2025.txt"
    path.write_text("cds\trtype\tstudentgroup\tcurrstatus\n01\tD\tALL\t1.0\n", encoding="utf-8")
    with pytest.raises(UnknownLayoutError, match="CDE Dashboard download"):
        read_toms_file(path)


def test_a_random_csv_is_refused_politely(tmp_path: Path) -> None:
    path = tmp_path / "budget.csv"
    path.write_text("fund,object,amount\n01,1100,5000\n", encoding="utf-8")
    with pytest.raises(UnknownLayoutError, match="not a TOMS CAASPP or ELPAC"):
        read_toms_file(path)


def test_a_short_record_is_refused_with_its_line(
    tmp_path: Path, fields: dict[str, pl.DataFrame]
) -> None:
    layout = toms_layout("caaspp_2023-24_delimited")
    path = tmp_path / "scores.csv"
    write_toms_file(fields["CAASPP"].head(5), layout, path, shape=CARET)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3].rsplit("^", 10)[0]
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_toms_file(path)
    assert error.value.line == 4
    assert "fields where the header has 375" in str(error.value)


def test_a_bad_ssid_is_refused_by_line_and_field_without_its_value(
    tmp_path: Path, fields: dict[str, pl.DataFrame]
) -> None:
    layout = toms_layout("caaspp_2024-25_delimited")
    bad = (
        fields["CAASPP"]
        .head(4)
        .with_row_index()
        .with_columns(
            pl.when(pl.col("index") == 2)
            .then(pl.lit("12345X7890"))
            .otherwise(pl.col("ssid"))
            .alias("ssid")
        )
        .drop("index")
    )
    path = tmp_path / "scores.csv"
    write_toms_file(bad, layout, path, shape=CARET)
    with pytest.raises(InputError) as error:
        read_toms_file(path)
    assert (error.value.line, error.value.column) == (4, "SSID")
    assert "12345X7890" not in str(error.value)


def test_an_unknown_record_type_is_refused_with_the_code(
    tmp_path: Path, fields: dict[str, pl.DataFrame]
) -> None:
    layout = toms_layout("caaspp_2021-22_layout")
    bad = fields["CAASPP"].head(3).with_columns(pl.lit("77").alias("record_type"))
    path = tmp_path / "scores.dat"
    write_toms_file(bad, layout, path, shape=FIXED)
    with pytest.raises(InputError, match="'77'") as error:
        read_toms_file(path)
    assert (error.value.line, error.value.column) == (1, "RecordType")


def test_a_fixed_width_record_of_no_years_length_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "scores.dat"
    path.write_text("01" + " " * 1000 + "\n", encoding="utf-8")
    with pytest.raises(UnknownLayoutError, match="1002 characters long"):
        read_toms_file(path)


@pytest.fixture(scope="module")
def shared_layouts() -> Path:
    """The shared layout CSVs the committed layouts were derived from."""
    if not SHARED_LAYOUTS.is_dir():
        pytest.skip(f"shared layouts not found at {SHARED_LAYOUTS}")
    return SHARED_LAYOUTS


def test_committed_layouts_are_the_shared_layouts_positions_and_headers(
    shared_layouts: Path,
) -> None:
    for layout in toms_layouts():
        folder = "caaspp" if layout.test == "CAASPP" else "elpac"
        stem = layout.source.replace("elpac_", "elpac_summative_")
        with (shared_layouts / folder / f"{stem}.csv").open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert [f.number for f in layout.fields] == [r["field_number"] for r in rows]
        assert [f.start for f in layout.fields] == [
            int(r["start"]) if r["start"] else None for r in rows
        ]
        assert [f.headers for f in layout.fields] == [
            tuple(r["csv_header"].split("|")) if r["csv_header"] else () for r in rows
        ]


def test_every_years_header_is_distinct_so_the_header_tells_the_year() -> None:
    headers = [tuple(header_key(c) for c in x.columns) for x in toms_layouts() if x.columns]
    lengths = [x.record_length for x in toms_layouts() if x.record_length]
    assert len(set(headers)) == len(headers)
    assert len(set(lengths)) == len(lengths)
