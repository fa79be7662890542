"""CDE's DA lists: every layout CDE used is read under one set of names; others are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from continuum.errors import InputError
from continuum.formats.assistance import GROUPS, read_assistance_list
from tests.formats.assistance_lists import december_2019_rows, workbook

LISTS = {
    "assistancestatus17.xls": ("December 2017 list", 2017, "December 2017", 936),
    "assistancestatus18.xlsx": ("2018 list", 2018, "January 2019", 993),
    "assistancestatus19-rev-2020-03.xlsx": ("District and COE sheet", 2019, "March 2020", 997),
    "assistancestatus22.xlsx": ("District and COE sheet", 2022, "February 2023", 993),
    "assistancestatus23.xlsx": ("District and COE sheet", 2023, "December 2023", 991),
}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_every_cde_list_is_read_by_its_own_layout(shared_data: Path, name: str) -> None:
    found = read_assistance_list(shared_data / "cde" / "assistance" / name)
    layout, year, release, rows = LISTS[name]
    assert found.layout.startswith(layout)
    assert (found.year, found.release_label, found.frame.height) == (year, release, rows)
    assert {"CDS", "LEAname", "TotalStudentGroups", f"AssistanceStatus{year}"} <= set(
        found.frame.columns
    )
    assert {f"{g}priorities" for g in GROUPS} <= set(found.frame.columns)


def test_the_2017_list_reads_support_as_assistance_and_mr_as_tom(shared_data: Path) -> None:
    found = read_assistance_list(shared_data / "cde" / "assistance" / "assistancestatus17.xls")
    assert set(found.frame.get_column("AssistanceStatus2017")) == {
        "Differentiated Assistance",
        "General Assistance",
    }
    assert found.frame.get_column("TOMpriorities").drop_nulls().len() > 0


def test_the_2022_lists_blank_last_header_is_the_ec52072_flag(shared_data: Path) -> None:
    found = read_assistance_list(shared_data / "cde" / "assistance" / "assistancestatus22.xlsx")
    assert set(found.frame.get_column("EC52072_2022")) == {"Y", "N"}


def test_a_list_without_a_year_column_takes_its_latest_status_year(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "assistancestatus19.xlsx", "District and COE 2019", december_2019_rows()
    )
    found = read_assistance_list(path)
    assert (found.year, found.release_label) == (2019, "December 2019")
    row = found.frame.row(0, named=True)
    assert (row["CDS"], row["HIpriorities"], row["AssistanceStatus2019"]) == (
        "27660500000000",
        "D",
        "Differentiated Assistance",
    )


def test_an_unknown_layout_is_refused_naming_the_file_sheet_and_missing_columns(
    tmp_path: Path,
) -> None:
    rows = december_2019_rows()
    rows[2] = [name for name in rows[2] if name not in ("leaname", "totalstudentgroups")]
    path = workbook(tmp_path / "list.xlsx", "District and COE 2019", rows)
    with pytest.raises(InputError) as raised:
        read_assistance_list(path)
    message = str(raised.value)
    assert "list.xlsx" in message and "'District and COE 2019'" in message
    assert "LEAname" in message and "TotalStudentGroups" in message


def test_a_workbook_with_no_list_sheet_is_refused_naming_its_sheets(tmp_path: Path) -> None:
    path = workbook(tmp_path / "list.xlsx", "Budget", [["cds"], ["27660500000000"]])
    with pytest.raises(InputError, match=r"has no sheet of a DA list layout \(sheets: Budget\)"):
        read_assistance_list(path)
