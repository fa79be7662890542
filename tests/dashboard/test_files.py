"""Reading CDE download files: names, types, missing values and errors that say where."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import polars as pl
import pytest

from continuum.dashboard.files import read_dashboard_file, read_dashboard_files
from continuum.errors import InputError
from tests.workbooks import with_dimension, workbook_write

HEADER = (
    "cds\trtype\tschoolname\tdistrictname\tcountyname\tcharter_flag\tcoe_flag\tdass_flag\t"
    "studentgroup\tcurrnumer\tcurrdenom\tcurrstatus\tpriornumer\tpriordenom\tpriorstatus\t"
    "change\tstatuslevel\tchangeLevel\tcolor\tbox\tindicator\treportingyear"
)
GOOD_ROW = (
    "01611190000000\tD\t\tAlameda Unified\tAlameda\t\t\t\tALL\t120\t1000\t12.0\t150\t1000\t15.0\t"
    "-3.0\t2\t5\t3\t200\tCHRO\t2025"
)


def write(tmp_path: Path, name: str, *lines: str) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_columns_are_matched_ignoring_case(tmp_path: Path) -> None:
    path = write(tmp_path, "chronicdownload2025.txt", HEADER.upper(), GOOD_ROW)
    frame = read_dashboard_file(path).frame
    assert frame.row(0, named=True)["published_changelevel"] == 5
    assert frame.row(0, named=True)["currdenom"] == 1000.0


def test_blanks_and_asterisks_are_missing(tmp_path: Path) -> None:
    row = GOOD_ROW.replace("\t12.0\t", "\t*\t").replace("\t-3.0\t", "\t\t")
    frame = read_dashboard_file(write(tmp_path, "chronicdownload2025.txt", HEADER, row)).frame
    assert frame.row(0, named=True)["currstatus"] is None
    assert frame.row(0, named=True)["change"] is None


def test_indicator_and_year_come_from_the_file_name(tmp_path: Path) -> None:
    header = HEADER.rsplit("\tindicator", 1)[0]
    row = GOOD_ROW.rsplit("\tCHRO", 1)[0]
    result = read_dashboard_file(write(tmp_path, "chronicdownload2024.txt", header, row))
    assert (result.indicator, result.year) == ("CHRO", 2024)


def test_indicator_and_year_columns_name_files_with_other_names(tmp_path: Path) -> None:
    result = read_dashboard_file(write(tmp_path, "district-extract.txt", HEADER, GOOD_ROW))
    assert (result.indicator, result.year) == ("CHRO", 2025)


def test_a_file_name_that_contradicts_its_columns_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file name says 2024"):
        read_dashboard_file(write(tmp_path, "chronicdownload2024.txt", HEADER, GOOD_ROW))


def test_a_missing_required_column_names_the_file_and_column(tmp_path: Path) -> None:
    header = HEADER.replace("\tpriordenom", "\tpriorden")
    path = write(tmp_path, "chronicdownload2025.txt", header, GOOD_ROW)
    with pytest.raises(InputError) as error:
        read_dashboard_file(path)
    assert error.value.column == "priordenom"
    assert str(path) in str(error.value)


def test_a_value_of_the_wrong_type_names_line_and_column(tmp_path: Path) -> None:
    bad = GOOD_ROW.replace("\t1000\t12.0", "\t1,000\t12.0")
    path = write(tmp_path, "chronicdownload2025.txt", HEADER, GOOD_ROW, GOOD_ROW, bad)
    with pytest.raises(InputError) as error:
        read_dashboard_file(path)
    assert (error.value.line, error.value.column) == (4, "currdenom")
    assert "'1,000' is not a number" in str(error.value)


def test_a_published_level_that_is_not_a_whole_number_is_refused(tmp_path: Path) -> None:
    bad = GOOD_ROW.replace("\t2\t5\t3\t200", "\t2\tfive\t3\t200")
    with pytest.raises(InputError) as error:
        read_dashboard_file(write(tmp_path, "chronicdownload2025.txt", HEADER, bad))
    assert (error.value.line, error.value.column) == (2, "changeLevel")


def test_a_short_row_is_reported_with_its_line(tmp_path: Path) -> None:
    short = GOOD_ROW.rsplit("\t", 3)[0]
    path = write(tmp_path, "chronicdownload2025.txt", HEADER, GOOD_ROW, short)
    with pytest.raises(InputError, match="19 fields but the header has 22") as error:
        read_dashboard_file(path)
    assert error.value.line == 3


def test_a_long_row_is_reported_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "chronicdownload2025.txt", HEADER, GOOD_ROW + "\textra", GOOD_ROW)
    with pytest.raises(InputError) as error:
        read_dashboard_file(path)
    assert error.value.line == 2


def test_a_bad_cds_code_is_refused(tmp_path: Path) -> None:
    bad = GOOD_ROW.replace("01611190000000", "1611190000000")
    with pytest.raises(InputError, match="14-digit CDS") as error:
        read_dashboard_file(write(tmp_path, "chronicdownload2025.txt", HEADER, bad))
    assert (error.value.line, error.value.column) == (2, "cds")


def test_an_unknown_suspension_type_is_refused(tmp_path: Path) -> None:
    header = HEADER.replace("studentgroup", "type\tstudentgroup").replace("CHRO", "SUSP")
    row = GOOD_ROW.replace("\tALL\t", "\tXX\tALL\t").replace("CHRO", "SUSP")
    with pytest.raises(InputError, match="'XX' is not one of") as error:
        read_dashboard_file(write(tmp_path, "suspdownload2025.txt", header, row))
    assert error.value.column == "type"


def test_a_year_without_a_rule_set_is_refused(tmp_path: Path) -> None:
    header = HEADER.rsplit("\tindicator", 1)[0]
    row = GOOD_ROW.rsplit("\tCHRO", 1)[0]
    with pytest.raises(InputError, match="no rule set for 2021"):
        read_dashboard_file(write(tmp_path, "chronicdownload2021.txt", header, row))


def test_an_indicator_the_year_did_not_report_is_refused(tmp_path: Path) -> None:
    header = HEADER.rsplit("\tindicator", 1)[0]
    row = GOOD_ROW.rsplit("\tCHRO", 1)[0]
    with pytest.raises(InputError, match="did not report this indicator"):
        read_dashboard_file(write(tmp_path, "chronicdownload2017.txt", header, row))


def test_an_unrecognised_file_name_without_columns_is_refused(tmp_path: Path) -> None:
    header = HEADER.rsplit("\tindicator", 1)[0]
    row = GOOD_ROW.rsplit("\tCHRO", 1)[0]
    with pytest.raises(InputError, match="cannot tell the indicator"):
        read_dashboard_file(write(tmp_path, "extract.txt", header, row))


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_dashboard_file(tmp_path / "eladownload2025.txt")


def test_xlsx_files_read_like_text_files(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER.split("\t"))
    sheet.append([value or None for value in GOOD_ROW.split("\t")])
    path = tmp_path / "chronicdownload2025.xlsx"
    workbook.save(path)
    text = read_dashboard_file(write(tmp_path, "chronicdownload2025.txt", HEADER, GOOD_ROW))
    excel = read_dashboard_file(path)
    columns = ["cds", "studentgroup", "currdenom", "currstatus", "change", "published_color"]
    assert excel.frame.select(columns).equals(text.frame.select(columns))


def test_several_files_of_different_indicators_and_years_concatenate(tmp_path: Path) -> None:
    first = write(tmp_path, "chronicdownload2025.txt", HEADER, GOOD_ROW)
    second_dir = tmp_path / "older"
    second_dir.mkdir()
    second = write(second_dir, "chronicdownload2024.txt", HEADER, GOOD_ROW.replace("2025", "2024"))
    frame = read_dashboard_files([first, second])
    assert sorted(frame.get_column("reportingyear").to_list()) == [2024, 2025]
    assert frame.get_column("source_line").to_list() == [2, 2]
    assert frame.schema["currdenom"] == pl.Float64


def test_a_header_only_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="has a header but no rows"):
        read_dashboard_file(write(tmp_path, "chronicdownload2025.txt", HEADER))


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "chronicdownload2025.txt"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="is empty"):
        read_dashboard_file(path)


def test_duplicate_rows_are_refused_naming_their_lines(tmp_path: Path) -> None:
    other = GOOD_ROW.replace("\tALL\t", "\tEL\t")
    path = write(tmp_path, "chronicdownload2025.txt", HEADER, GOOD_ROW, other, GOOD_ROW, GOOD_ROW)
    with pytest.raises(InputError) as raised:
        read_dashboard_file(path)
    message = str(raised.value)
    assert "01611190000000 ALL (CHRO 2025) appears 3 times: lines 2, 4, 5" in message
    assert (raised.value.path, raised.value.line) == (str(path), 2)


def test_the_same_row_in_two_files_is_refused_naming_both(tmp_path: Path) -> None:
    first = write(tmp_path, "chronicdownload2025.txt", HEADER, GOOD_ROW)
    (tmp_path / "again").mkdir()
    second = write(tmp_path / "again", "chronicdownload2025.txt", HEADER, GOOD_ROW)
    with pytest.raises(InputError, match="appears 2 times") as raised:
        read_dashboard_files([first, second])
    assert f"{first} line 2; {second} line 2" in str(raised.value)


def test_suspension_rows_of_different_types_are_not_duplicates(tmp_path: Path) -> None:
    header = HEADER.replace("studentgroup", "type\tstudentgroup").replace("CHRO", "SUSP")
    row = GOOD_ROW.replace("\tALL\t", "\tES\tALL\t").replace("CHRO", "SUSP")
    path = write(tmp_path, "suspdownload2025.txt", header, row, row.replace("\tES\t", "\tMS\t"))
    assert read_dashboard_file(path).frame.height == 2


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-8-sig", "utf-8"])
def test_names_are_read_right_in_every_accepted_encoding(tmp_path: Path, encoding: str) -> None:
    row = GOOD_ROW.replace("Alameda Unified", "Para Los Niños – Unified")
    if encoding == "latin-1":
        row = row.replace("–", "-")
    path = tmp_path / "chronicdownload2025.txt"
    path.write_bytes(f"{HEADER}\n{row}\n".encode(encoding))
    frame = read_dashboard_file(path).frame
    assert frame.item(0, "districtname") == row.split("\t")[3]


def test_a_real_latin_1_row_of_cdes_2017_files_reads_its_name(
    tmp_path: Path, shared_data: Path
) -> None:
    source = shared_data / "cde/dashboard/2017-statewide/elpidownload2017f.txt"
    school = next(
        line.split(b"\t")[2] for line in source.read_bytes().splitlines() if b"Ni\xf1os" in line
    )
    fields = GOOD_ROW.encode().split(b"\t")
    fields[1], fields[2] = b"S", school
    path = tmp_path / "chronicdownload2025.txt"
    path.write_bytes(HEADER.encode() + b"\n" + b"\t".join(fields) + b"\n")
    assert read_dashboard_file(path).frame.item(0, "schoolname") == "Para Los Niños Middle"


def test_a_utf16_file_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "chronicdownload2025.txt"
    path.write_bytes(f"{HEADER}\n{GOOD_ROW}\n".encode("utf-16"))
    with pytest.raises(InputError, match="is UTF-16 text; save it as UTF-8 or as CDE published it"):
        read_dashboard_file(path)


def test_a_huge_declared_workbook_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    rows = [HEADER.split("\t"), [value or None for value in GOOD_ROW.split("\t")]]
    small = workbook_write(tmp_path / "small.xlsx", rows)
    huge = with_dimension(small, tmp_path / "chronicdownload2025.xlsx", "A1:XFD1048576")
    with pytest.raises(InputError, match="CONTINUUM_XLSX_MAX_ROWS"):
        read_dashboard_file(huge)


def test_an_old_xls_workbook_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "chronicdownload2025.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(500))
    with pytest.raises(InputError, match=r"save it as \.xlsx"):
        read_dashboard_file(path)


def test_a_huge_value_is_quoted_only_as_a_short_excerpt(tmp_path: Path) -> None:
    bad = GOOD_ROW.replace("\t1000\t12.0", "\t" + "9x" * 100_000 + "\t12.0", 1)
    with pytest.raises(InputError) as raised:
        read_dashboard_file(write(tmp_path, "chronicdownload2025.txt", HEADER, bad))
    assert raised.value.column == "currdenom"
    assert "'9x9x9x" in str(raised.value) and len(str(raised.value)) < 400


def test_a_2024_science_file_with_zero_levels_is_read_and_kept_without_levels(
    tmp_path: Path,
) -> None:
    header = "cds\trtype\tstudentgroup\tcurrdenom\tcurrstatus\tstatuslevel\tcolor\tbox"
    row = "01611190130229\tS\tALL\t120\t48.3\t0\t0\t0"
    frame = read_dashboard_file(write(tmp_path, "sciencedownload2024.txt", header, row)).frame
    assert frame.select("indicator", "reportingyear", "currstatus", "published_statuslevel").row(
        0
    ) == ("SCIENCE", 2024, 48.3, 0)


def test_a_fall_2017_file_is_named_and_labelled_2017f(tmp_path: Path) -> None:
    header = "cds\trtype\tstudentgroup\tcurrdenom\tcurrstatus\treportingyear"
    row = "01611190130229\tS\tALL\t120\t10.5\t2017f"
    file = read_dashboard_file(write(tmp_path, "ccidownload2017f.txt", header, row))
    assert (file.indicator, file.year) == ("CCI", 2017)


def test_a_year_label_cde_never_used_is_refused_with_the_ones_it_did(tmp_path: Path) -> None:
    header = "cds\trtype\tstudentgroup\tcurrdenom\tcurrstatus"
    row = "01611190130229\tS\tALL\t120\t10.5"
    with pytest.raises(InputError, match=r"'2017S' is not a Dashboard year \(CDE wrote: 2017f"):
        read_dashboard_file(write(tmp_path, "ccidownload2017s.txt", header, row))
