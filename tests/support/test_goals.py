"""EC 52064(e): a student group with a DA code in each of the goals years needs an LCAP goal."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from continuum.support.goals import CDE_GROUP_NAMES, required_goals
from continuum.support.history import CODES_SCHEMA, STATUS_SCHEMA, DaHistory, read_da_history
from continuum.support.inputs import read_cde_required_goals

LEA = "27000000000001"


def history(codes: dict[int, dict[str, str | None]], statuses: dict[int, bool]) -> DaHistory:
    """codes: year -> group -> code (years whose codes are known); statuses: year -> DA."""
    status_rows = [
        (LEA, "Test Unified", y, da, None, None, None, "test") for y, da in statuses.items()
    ]
    code_rows = [(LEA, y, g, c) for y, groups in codes.items() for g, c in groups.items()]
    return DaHistory(
        pl.DataFrame(status_rows, schema=STATUS_SCHEMA, orient="row"),
        pl.DataFrame(code_rows, schema=CODES_SCHEMA, orient="row"),
    )


def goals(codes: dict[int, dict[str, str | None]], statuses: dict[int, bool]) -> dict[str, str]:
    table = required_goals(history(codes, statuses), 2023)
    return table.row(0, named=True) if table.height else {}


def test_a_group_with_a_code_in_each_goals_year_needs_a_goal() -> None:
    codes = {y: {"SWD": "B", "EL": None} for y in (2019, 2022, 2023)}
    row = goals(codes, dict.fromkeys((2019, 2022, 2023), True))
    assert row["Targeted Student Group(s)"] == "Students with Disabilities"
    assert row["LEA"] == "Test Unified"


def test_a_group_missing_one_year_needs_no_goal() -> None:
    codes = {2019: {"SWD": "B"}, 2022: {"SWD": None}, 2023: {"SWD": "B"}}
    assert goals(codes, dict.fromkeys((2019, 2022, 2023), True)) == {}


def test_an_lea_in_general_assistance_in_a_goals_year_needs_no_goal() -> None:
    codes = {2022: {"SWD": "B"}, 2023: {"SWD": "B"}}
    assert goals(codes, {2019: False, 2022: True, 2023: True}) == {}


def test_a_year_known_only_as_differentiated_assistance_leaves_the_group_undetermined() -> None:
    codes = {2022: {"SWD": "B"}, 2023: {"SWD": "B"}}
    row = goals(codes, {2019: True, 2022: True, 2023: True})
    assert row["Targeted Student Group(s)"] is None
    assert row["Undetermined Student Group(s)"] == "Students with Disabilities"
    assert "2019 unknown, 2022 code B, 2023 code B" in row["Explanation"]


@pytest.mark.shared_data
def test_every_group_in_cdes_january_2023_list_is_consistent_with_the_rule(
    cde_data: Path,
) -> None:
    """Statewide: all 234 listed groups had a 2022 code and their LEAs were DA in 2018 and 2019."""
    assistance = cde_data / "assistance"
    ours = required_goals(read_da_history([assistance / "assistancestatus22.xlsx"]), 2022)
    possible = {
        (row["CDS"], name.strip())
        for row in ours.iter_rows(named=True)
        for column in ("Targeted Student Group(s)", "Undetermined Student Group(s)")
        for name in (row[column] or "").split(",")
        if name.strip()
    }
    cde = read_cde_required_goals(assistance / "leas2023perec52064.xlsx")
    listed = [
        (row["CDS"], name.strip())
        for row in cde.iter_rows(named=True)
        for name in row["Targeted Student Group(s)"].split(",")
    ]
    assert len(listed) == 234
    assert {name for _, name in listed} <= set(CDE_GROUP_NAMES.values())
    assert [pair for pair in listed if pair not in possible] == []
