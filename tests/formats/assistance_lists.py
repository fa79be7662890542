"""Small DA-list workbooks in the layouts CDE used, for tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import openpyxl

from continuum.formats.assistance import GROUPS


def workbook(path: Path, sheet: str, rows: Sequence[Sequence[object]]) -> Path:
    book = openpyxl.Workbook()
    page = book.active
    assert page is not None
    page.title = sheet
    for row in rows:
        page.append(list(row))
    book.save(path)
    return path


def december_2019_rows() -> list[list[object]]:
    """The December 2019 original's shape: lower-case header, no ReportYear column."""
    header = ["cdcode", "cds", "leaname", "cityname", "countyname", "gsoffered"]
    header += [f"{g.lower()}priorities" for g in GROUPS]
    header += ["totalstudentgroups", "AssistanceStatus2018", "AssistanceStatus2019"]
    row = ["2766050", "27660500000000", "King City Union", "King City", "Monterey", "K-8"]
    row += ["*"] * 6 + ["D", "D"] + ["*"] * 5 + ["2", "General Assistance"]
    row += ["Differentiated Assistance"]
    return [
        ["2019 LCFF LEA Eligibility File"],
        ["California Department of Education December 2019"],
        header,
        row,
    ]
