"""Earlier years from CDE's files or computed results, and how they count for Level 3."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from continuum.support.history import (
    CODES_SCHEMA,
    STATUS_SCHEMA,
    DaHistory,
    level3_year_met,
    read_da_history,
)
from tests.formats.assistance_lists import december_2019_rows, workbook


def history(rows: list[tuple[str, int, bool | None, int | None, int | None]]) -> DaHistory:
    named = [(row[0], None, *row[1:], None, "test") for row in rows]
    statuses = pl.DataFrame(named, schema=STATUS_SCHEMA, orient="row")
    return DaHistory(statuses, pl.DataFrame(schema=CODES_SCHEMA))


def met(rows: list[tuple[str, int, bool | None, int | None, int | None]]) -> list[bool | None]:
    return level3_year_met(history(rows))["met"].to_list()


def test_three_groups_meeting_the_criteria_count_for_level_3() -> None:
    assert met([("A", 2019, True, 3, None)]) == [True]


def test_general_assistance_counts_as_not_met() -> None:
    assert met([("A", 2018, False, None, None)]) == [False]


def test_da_without_group_counts_is_unknown() -> None:
    assert met([("A", 2018, True, None, None)]) == [None]


def test_fewer_than_three_groups_count_only_when_they_are_all_the_lea_has() -> None:
    assert met([("A", 2022, True, 2, 2), ("B", 2022, True, 2, 5), ("C", 2022, True, 2, None)]) == [
        True,
        False,
        None,
    ]


def test_computed_years_take_precedence_over_cde_files() -> None:
    computed = history([("A", 2022, True, 3, 5)])
    cde = history([("A", 2022, False, 0, None), ("A", 2019, False, None, None)])
    combined = computed.overlaid_on(cde).statuses.sort("year")
    assert combined.select("year", "da").rows() == [(2019, False), (2022, True)]


@pytest.mark.shared_data
def test_a_cde_file_gives_its_years_codes_and_earlier_statuses(cde_data: Path) -> None:
    known = read_da_history([cde_data / "assistance" / "assistancestatus23.xlsx"])
    king_city = known.statuses.filter(pl.col("cds") == "27660500000000").sort("year")
    assert king_city.select("year", "da", "groups_met").rows() == [
        (2017, True, None),
        (2018, False, 0),
        (2019, False, 0),
        (2022, True, None),
        (2023, True, 3),
    ]
    codes = known.codes.filter((pl.col("cds") == "27660500000000") & pl.col("code").is_not_null())
    assert sorted(codes.select("studentgroup", "code").rows()) == [
        ("HI", "D"),
        ("HOM", "D"),
        ("SED", "D"),
    ]


@pytest.mark.shared_data
def test_of_two_lists_of_one_year_the_later_release_wins_and_a_note_says_so(
    cde_data: Path, tmp_path: Path
) -> None:
    original = workbook(
        tmp_path / "assistancestatus19.xlsx", "District and COE 2019", december_2019_rows()
    )
    revision = cde_data / "assistance" / "assistancestatus19-rev-2020-03.xlsx"
    for order in ([original, revision], [revision, original]):
        history = read_da_history(order)
        assert history.notes == (
            "assistancestatus19.xlsx (December 2019) and assistancestatus19-rev-2020-03.xlsx "
            "(March 2020) are both 2019 lists: using the later, "
            "assistancestatus19-rev-2020-03.xlsx",
        )
        sources = history.statuses.filter(pl.col("year") == 2019).get_column("source")
        assert set(sources) == {"assistancestatus19-rev-2020-03.xlsx"}


def test_a_listed_year_with_two_groups_does_not_count_for_an_lea_with_more_groups_now() -> None:
    listed = history([("A", 2019, True, 2, None), ("B", 2019, True, 2, None)])
    now = pl.DataFrame({"cds": ["A", "B"], "groups_with_results": [5, 2]})
    assert level3_year_met(listed, now)["met"].to_list() == [False, None]
