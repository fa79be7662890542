"""Readers for local indicators, CDS lists and levels tables."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from continuum.errors import InputError
from continuum.support.inputs import read_cds_list, read_local_indicators, read_school_info
from continuum.support.levels_input import normalise_levels, read_levels_table


@pytest.mark.shared_data
def test_local_indicator_files_of_every_layout_are_read(cde_data: Path) -> None:
    local = read_local_indicators(cde_data / "local-indicators" / "sample")
    assert set(local["priority"].to_list()) == {1, 3, 6, 9}
    not_met = local.filter(pl.col("performance") == "Not Met For Two or More Years")
    assert sorted(not_met.select("cds", "priority").rows()) == [
        ("01100170129403", 6),
        ("21654740000000", 1),
    ]


@pytest.mark.shared_data
@pytest.mark.parametrize(("year", "rows", "priorities"), [(2017, 4088, 6), (2018, 5081, 7)])
def test_cdes_2017_and_2018_local_indicator_layout_is_read(
    cde_data: Path, year: int, rows: int, priorities: int
) -> None:
    local = read_local_indicators(cde_data / "local-indicators" / str(year))
    assert local.height == rows
    assert local.get_column("priority").n_unique() == priorities
    alameda_coe = local.filter(pl.col("cds") == "01100170000000", pl.col("priority") == 1)
    assert alameda_coe.get_column("performance").to_list() == ["Met"]
    assert set(local.get_column("performance")) <= {"Met", "Not Met", "NA"}


def test_a_2018_layout_row_without_a_priority_names_its_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "LocalIndPerf2018.txt").write_text(
        "CDS\tLEAname\tCountyname\tLocalIndicator\tPerformance\n"
        "01100170000000\tA\tAlameda\tBasic-Priority Area 1\tMet\n"
        "01100170000000\tA\tAlameda\tBasic\tMet\n"
    )
    with pytest.raises(InputError) as error:
        read_local_indicators(tmp_path)
    assert (error.value.line, error.value.column) == (3, "LocalIndicator")


def test_a_local_indicator_row_without_a_cds_code_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "Pr12024.txt").write_text(
        "CDSCode|LEA|PriorityNumber|Performance|Year\n"
        "01100170000000|A|1|Met|2024\n"
        "0110017|B|1|Met|2024\n"
    )
    with pytest.raises(InputError) as error:
        read_local_indicators(tmp_path)
    assert error.value.line == 3


def test_a_cds_list_skips_its_header_and_rejects_short_codes(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text("cds\n27659610000000\n\n27660270000000\n")
    assert read_cds_list(good) == ["27659610000000", "27660270000000"]
    bad = tmp_path / "bad.csv"
    bad.write_text("27659610000000\n2765961\n")
    with pytest.raises(InputError, match="not a 14-digit CDS code") as error:
        read_cds_list(bad)
    assert error.value.line == 2


def test_a_levels_table_without_colours_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "levels.csv"
    pl.DataFrame({"cds": ["27659610000000"], "rtype": ["D"]}).write_csv(path)
    with pytest.raises(InputError, match="missing column"):
        read_levels_table(path)


def test_level_columns_are_matched_without_regard_to_case() -> None:
    frame = pl.DataFrame(
        {
            "CDS": ["27659610000000"],
            "RTYPE": ["D"],
            "StudentGroup": ["EL"],
            "Indicator": ["ELA"],
            "ReportingYear": ["2023"],
            "CurrDenom": ["40"],
            "StatusLevel": [None],
            "Color": ["1"],
        }
    )
    typed = normalise_levels(frame)
    assert (typed["color"][0], typed["statuslevel"][0], typed["reportingyear"][0]) == (1, 0, 2023)


def test_school_flags_accept_yes_no_and_y_n_in_any_case(tmp_path: Path) -> None:
    path = tmp_path / "schools.csv"
    path.write_text(
        "cds,title_i,dass\n27000000000001,Y,n\n27000000000002,no,YES\n27000000000003,,N\n"
    )
    schools = read_school_info(path, "TitleI2223")
    assert schools.rows() == [
        ("27000000000001", "Yes", "No"),
        ("27000000000002", "No", "Yes"),
        ("27000000000003", None, "No"),
    ]


@pytest.mark.parametrize(("column", "value"), [("title_i", "1"), ("dass", "True")])
def test_a_school_flag_other_than_yes_or_no_is_refused_with_its_line(
    tmp_path: Path, column: str, value: str
) -> None:
    path = tmp_path / "schools.csv"
    title_i, dass = (value, "N") if column == "title_i" else ("Y", value)
    path.write_text(f"cds,title_i,dass\n27000000000001,Y,N\n27000000000002,{title_i},{dass}\n")
    with pytest.raises(InputError) as error:
        read_school_info(path, "TitleI2223")
    assert (error.value.line, error.value.column) == (3, column)
    name = "Title I" if column == "title_i" else "DASS"
    assert f"{name} must be Yes or No, not '{value}' (Y and N are read as Yes and No)" in str(
        error.value
    )
