"""The engine against CDE's published levels in real download files (../shared/data)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl
import pytest

from continuum.dashboard.files import read_dashboard_files
from continuum.dashboard.levels import compute_levels
from continuum.dashboard.rules import load_rules
from continuum.dashboard.verify import verify_levels

DASHBOARD_DIRS = [
    "monterey/2018",
    "monterey/2022",
    "monterey/2023",
    "2025-sample",
    "2017-statewide",
]
# Fall 2017, the whole state: what each indicator published, as (rows, levels checked).
FALL_2017 = {
    "CCI": (22978, ("statuslevel",)),
    "ELPI": (9518, ("statuslevel", "changelevel", "color", "box")),
    "GRAD": (25564, ("statuslevel", "changelevel", "color", "box")),
    "ELA11": (27247, ()),
    "MATH11": (27185, ()),
}


@cache
def _verified(shared_data: Path, folder: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    files = sorted((shared_data / "cde" / "dashboard" / folder).glob("*download*.txt"))
    assert files, folder
    result = verify_levels(compute_levels(read_dashboard_files(files)))
    return result.summary, result.disagreements


@pytest.mark.parametrize("folder", DASHBOARD_DIRS)
def test_every_published_level_is_reproduced_or_a_listed_exception(
    shared_data: Path, folder: str
) -> None:
    summary, disagreements = _verified(shared_data, folder)
    assert disagreements.filter(pl.col("exception_id").is_null()).is_empty()
    levelled = summary.filter(
        pl.struct("reportingyear", "indicator").map_elements(
            lambda key: not load_rules(key["reportingyear"]).indicator(key["indicator"]).no_level,
            return_dtype=pl.Boolean,
        )
    )
    assert levelled.get_column("statuslevel_checked").sum() == levelled.get_column("rows").sum()


def test_2023_and_2025_files_check_change_colour_and_box_on_every_row(shared_data: Path) -> None:
    for folder in ("monterey/2023", "2025-sample"):
        summary, _ = _verified(shared_data, folder)
        coloured = (
            summary.filter(pl.col("indicator") != "CCI") if folder.endswith("2023") else (summary)
        )
        for column in ("changelevel", "color", "box"):
            assert (coloured[f"{column}_checked"] == coloured["rows"]).all(), (folder, column)
            assert (coloured[f"{column}_agree"] == coloured["rows"]).all(), (folder, column)


def test_the_only_2022_exceptions_are_the_two_participation_adjusted_elpi_rows(
    shared_data: Path,
) -> None:
    _, disagreements = _verified(shared_data, "monterey/2022")
    assert disagreements.select("cds", "exception_id").rows() == [
        ("27102720000000", "elpi-participation-adjusted"),
        ("27662330000000", "elpi-participation-adjusted"),
    ]


def test_recomputed_status_and_change_match_the_published_ones(shared_data: Path) -> None:
    files = sorted((shared_data / "cde" / "dashboard").glob("*/*/*download*.txt")) + sorted(
        (shared_data / "cde" / "dashboard" / "2025-sample").glob("*download*.txt")
    )
    computed = compute_levels(read_dashboard_files(files))
    rates = computed.filter(pl.col("currnumer").is_not_null() & pl.col("currstatus").is_not_null())
    assert rates.height > 1000
    assert (rates["computed_status"] - rates["currstatus"]).abs().max() < 0.01  # type: ignore[operator]
    changes = rates.filter(pl.col("priornumer").is_not_null() & pl.col("change").is_not_null())
    assert changes.height > 500
    assert (changes["computed_change"] - changes["change"]).abs().max() < 0.01  # type: ignore[operator]


def test_2018_school_statuses_fit_the_grades_3_8_or_grade_11_cuts(shared_data: Path) -> None:
    """The 2018 extract lacks denominators and hscutpoints, so each row must fit one of the two
    cut tables (CDE applies grade-11 cuts to high schools)."""
    rules = load_rules(2018)
    folder = shared_data / "cde" / "dashboard" / "2018-academic-all-schools"
    checked = 0
    for name, code in (
        ("eladownload2018-schools-ALL.csv", "ELA"),
        ("mathdownload2018-schools-ALL.csv", "MATH"),
    ):
        rows = pl.read_csv(folder / name, infer_schema_length=0).filter(
            pl.col("currstatus").is_not_null()
        )
        indicator = rules.indicator(code)
        for status, published in rows.select("currstatus", "statuslevel").iter_rows():
            tenths = round(float(status) * 10)
            candidates = {cuts.level(tenths, "higher") for cuts in indicator.status_cuts.values()}
            assert int(published) in candidates, (code, status, published)
            checked += 1
    assert checked > 18000


@pytest.mark.parametrize("indicator", sorted(FALL_2017))
def test_fall_2017_statewide_rows_agree_with_cde_per_indicator(
    shared_data: Path, indicator: str
) -> None:
    summary, _ = _verified(shared_data, "2017-statewide")
    rows, checked = FALL_2017[indicator]
    line = summary.filter(pl.col("indicator") == indicator).row(0, named=True)
    assert (line["reportingyear"], line["rows"], line["unexplained"]) == (2017, rows, 0)
    for column in ("statuslevel", "changelevel", "color", "box"):
        expected = rows if column in checked else 0
        assert line[f"{column}_checked"] == expected, column
        assert line[f"{column}_agree"] + line["explained"] >= expected, column


def test_the_only_fall_2017_exceptions_are_the_six_elpi_rows_flagged_fewer_than_half_tested(
    shared_data: Path,
) -> None:
    _, disagreements = _verified(shared_data, "2017-statewide")
    assert disagreements.height == 6
    assert set(disagreements.get_column("exception_id")) == {"elpi-fewer-than-half-tested"}
    assert set(disagreements.get_column("published_box")) == {180}


def test_fall_2017_elpi_rows_are_the_english_learner_group(shared_data: Path) -> None:
    path = shared_data / "cde/dashboard/2017-statewide/elpidownload2017f.txt"
    frame = read_dashboard_files([path])
    assert set(frame.get_column("studentgroup")) == {"EL"}
    assert set(frame.get_column("reportingyear")) == {2017}


@pytest.mark.parametrize("indicator", ["CCI", "CHRO", "ELA", "GRAD", "MATH", "SUSP"])
def test_monterey_2018_checks_every_level_of_every_row_per_indicator(
    shared_data: Path, indicator: str
) -> None:
    summary, _ = _verified(shared_data, "monterey/2018")
    line = summary.filter(pl.col("indicator") == indicator).row(0, named=True)
    assert line["unexplained"] == 0
    for column in ("statuslevel", "changelevel", "color", "box"):
        assert line[f"{column}_checked"] == line["rows"], column
        assert line[f"{column}_agree"] + line["explained"] >= line["rows"], column


def test_the_monterey_2018_exceptions_are_the_twelve_documented_rows(shared_data: Path) -> None:
    _, disagreements = _verified(shared_data, "monterey/2018")
    counts = dict(disagreements.group_by("exception_id").len().iter_rows())
    assert counts == {
        "uncertified-calpads-orange": 5,
        "prior-denominator-missing-in-rebuilt-file": 4,
        "coe-graduation-on-dass-change-cuts": 3,
    }


def test_the_2018_elpac_distribution_is_stored_with_its_counts_and_no_level(
    shared_data: Path,
) -> None:
    path = shared_data / "cde/dashboard/2018-statewide-elpi/elpidownload2018.txt"
    computed = compute_levels(read_dashboard_files([path]))
    assert computed.height == 10366
    assert computed.select(pl.col("statuslevel", "color").max()).row(0) == (0, 0)
    state = computed.filter(pl.col("rtype") == "X").row(0, named=True)
    assert [state[f"pl_{n}"] for n in range(1, 5)] == [166586, 230338, 394529, 348776]
    assert state["pltotct"] == 1140229
    assert computed.filter(pl.col("schoolname").str.contains("Niños")).height > 0
