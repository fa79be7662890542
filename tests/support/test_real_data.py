"""The engine against CDE's own DA files for every Monterey County district and COE.

The full path runs: CDE download files -> Dashboard engine levels -> support engine, and the
result must match assistancestatus22/23.xlsx group by group.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from continuum.formats.assistance import read_assistance_list
from continuum.support.assistance import DaDetermination, determine_da
from continuum.support.essa import determine_essa, load_essa_rules
from continuum.support.history import read_da_history
from continuum.support.inputs import (
    read_cde_essa_status,
    read_cde_required_goals,
    read_prior_essa_status,
    read_school_info,
)
from continuum.support.levels_input import dashboard_directory_files, levels_from_dashboard_files

GROUP_COLUMNS = [
    f"{g}priorities"
    for g in ("AA", "AI", "AS", "EL", "FI", "FOS", "HI", "HOM", "PI", "SED", "SWD", "TOM", "WH")
]
# Districts and COEs only: charters are in a separate CDE file.
COMPARED = [*GROUP_COLUMNS, "TotalStudentGroups", "MetMethod1"]
ESSA_GROUPS = ["AA", "AI", "AS", "EL", "FI", "FOS", "HI", "HOM", "PI", "SED", "SWD", "TOM", "WH"]


def monterey(cde_data: Path, *, published: bool) -> dict[int, pl.DataFrame]:
    files = [
        f
        for year in (2022, 2023)
        for f in dashboard_directory_files(cde_data / "dashboard" / "monterey" / str(year))
    ]
    levels = levels_from_dashboard_files(files, use_published_levels=published)
    return {y: levels.filter(pl.col("reportingyear") == y) for y in (2022, 2023)}


def cde_monterey(cde_data: Path, year: int) -> pl.DataFrame:
    path = cde_data / "assistance" / f"assistancestatus{year % 100}.xlsx"
    cde = read_assistance_list(path).frame
    return cde.filter(pl.col("Countyname") == "Monterey")


def disagreements(ours: DaDetermination, cde: pl.DataFrame, columns: list[str]) -> list[str]:
    mine = ours.table.with_columns(pl.col("TotalStudentGroups").cast(pl.String))
    joined = cde.select("CDS", *columns).join(
        mine.select("CDS", *columns), on="CDS", how="left", suffix="_ours"
    )
    out = []
    for row in joined.iter_rows(named=True):
        for column in columns:
            if row[column] != row[f"{column}_ours"]:
                out.append(
                    f"{row['CDS']} {column}: CDE {row[column]}, ours {row[column + '_ours']}"
                )
    return out


@pytest.mark.shared_data
@pytest.mark.parametrize("published", [False, True], ids=["computed-levels", "published-levels"])
@pytest.mark.parametrize("year", [2022, 2023])
def test_da_agrees_with_cde_for_every_monterey_lea(
    cde_data: Path, year: int, published: bool
) -> None:
    cde = cde_monterey(cde_data, year)
    ours = determine_da(monterey(cde_data, published=published), year)
    assert cde.height == 25
    assert disagreements(ours, cde, [*COMPARED, f"AssistanceStatus{year}"]) == []


@pytest.mark.shared_data
def test_a_plain_reading_of_the_2022_criteria_without_the_n_size_disagrees_with_cde(
    cde_data: Path,
) -> None:
    """Why 2022 needs the n-size: status levels are published from 11 students up."""
    levels = monterey(cde_data, published=True)
    small = levels[2022].with_columns(pl.col("currdenom").clip(lower_bound=30))
    ours = determine_da({**levels, 2022: small}, 2022)
    wrong = disagreements(ours, cde_monterey(cde_data, 2022), GROUP_COLUMNS)
    assert len(wrong) == 14
    assert "27661590000000 AApriorities: CDE *, ours B" in wrong


@pytest.mark.shared_data
def test_every_2023_monterey_lea_in_da_is_in_year_1(cde_data: Path) -> None:
    ours = determine_da(monterey(cde_data, published=False), 2023)
    statuses = set(ours.table.filter(pl.col("Entity") != "charter")["AssistanceStatus2023"])
    assert statuses == {"Differentiated Assistance, Year 1", "General Assistance"}


GOAL_GROUP_NAMES = {
    "English Learner": "EL",
    "Homeless Youth": "HOM",
    "Students with Disabilities": "SWD",
    "Foster Youth": "FOS",
}


@pytest.mark.shared_data
def test_every_monterey_group_cde_requires_an_lcap_goal_for_met_the_2022_da_criteria(
    cde_data: Path,
) -> None:
    """EC 52064(e) list of January 2023: a necessary condition the engine can check."""
    goals = read_cde_required_goals(cde_data / "assistance" / "leas2023perec52064.xlsx")
    monterey_goals = goals.filter(pl.col("CDS").str.starts_with("27"))
    ours = determine_da(monterey(cde_data, published=False), 2022).table
    listed = [
        (row["CDS"], GOAL_GROUP_NAMES[name.strip()])
        for row in monterey_goals.iter_rows(named=True)
        for name in row["Targeted Student Group(s)"].split(",")
    ]
    assert len(listed) == 5
    for cds, group in listed:
        code = ours.filter(pl.col("CDS") == cds).item(0, f"{group}priorities")
        assert code != "*", (cds, group)


@pytest.mark.shared_data
@pytest.mark.parametrize("year", [2022, 2023])
def test_essa_agrees_with_cde_for_every_monterey_school_with_dashboard_rows(
    cde_data: Path, year: int
) -> None:
    """Only the eight charters have school rows in the Monterey files (findings.md §6)."""
    assistance = cde_data / "assistance"
    cde = read_cde_essa_status(assistance / f"essaassistance{year % 100}.xlsx")
    rules = load_essa_rules(year)
    schools = read_school_info(
        assistance / f"essaassistance{year % 100}.xlsx", rules.csi_title_i_column
    )
    prior = None
    if year == 2023:
        prior = read_prior_essa_status(assistance / "essaassistance22.xlsx", 2022)
    ours = determine_essa(
        monterey(cde_data, published=False), year, schools=schools, prior_status=prior
    ).table
    compared = [f"AssistanceStatus{year}", "TotStudGrps", *ESSA_GROUPS]
    if prior is not None:
        compared.append("Exit")
    mine = ours.with_columns(pl.col(c).cast(pl.String) for c in ["TotStudGrps", *ESSA_GROUPS])
    joined = mine.select("cds", *compared).join(
        cde.select("cds", *compared), on="cds", how="left", suffix="_cde"
    )
    assert joined.height == 8
    wrong = [
        f"{row['cds']} {c}: ours {row[c]}, CDE {row[c + '_cde']}"
        for row in joined.iter_rows(named=True)
        for c in compared
        if row[c] != row[f"{c}_cde"]
    ]
    assert wrong == []


@pytest.mark.shared_data
@pytest.mark.parametrize(("year", "decided"), [(2022, 22), (2023, 21)])
def test_every_level_3_flag_the_engine_can_decide_agrees_with_cde(
    cde_data: Path, year: int, decided: int
) -> None:
    """2017-2019 come from the status columns of CDE's own file (General = not met)."""
    path = cde_data / "assistance" / f"assistancestatus{year % 100}.xlsx"
    ours = determine_da(monterey(cde_data, published=False), year, history=read_da_history([path]))
    flags = ours.table.select("CDS", f"EC52072_{year}").drop_nulls()
    cde = cde_monterey(cde_data, year).select("CDS", pl.col(f"EC52072_{year}").alias("cde"))
    joined = flags.join(cde, on="CDS")
    assert joined.height == decided
    assert joined.filter(pl.col(f"EC52072_{year}") != pl.col("cde")).height == 0


def every_list(cde_data: Path, year: int) -> list[Path]:
    """CDE's DA lists of the years before ``year`` (2017 to 2022)."""
    lists = sorted((cde_data / "assistance").glob("assistancestatus*"))
    return [p for p in lists if p.name[16:18].isdigit() and 2000 + int(p.name[16:18]) < year]


@pytest.mark.shared_data
@pytest.mark.parametrize("year", [2022, 2023])
def test_with_every_earlier_list_as_history_each_level_3_flag_is_cdes(
    cde_data: Path, year: int
) -> None:
    history = read_da_history(every_list(cde_data, year))
    ours = determine_da(monterey(cde_data, published=False), year, history=history)
    cde = cde_monterey(cde_data, year).select("CDS", pl.col(f"EC52072_{year}").alias("cde"))
    joined = cde.join(ours.table.select("CDS", f"EC52072_{year}", "Explanation"), on="CDS")
    assert joined.height == 25
    assert joined.filter(pl.col(f"EC52072_{year}").eq_missing(pl.col("cde")).not_()).is_empty()
    flagged = joined.filter(pl.col("cde") == "Y").get_column("Explanation").to_list()
    assert flagged and all("Level 3" in text and "2019" in text for text in flagged)


@pytest.mark.shared_data
def test_a_level_3_explanation_names_the_years_and_groups_that_made_it(cde_data: Path) -> None:
    history = read_da_history(every_list(cde_data, 2023))
    ours = determine_da(monterey(cde_data, published=False), 2023, history=history)
    flagged = ours.table.filter(pl.col("EC52072_2023") == "Y").get_column("Explanation")
    assert any(
        "They did in 4 of those years (2018: EL, HOM, SWD; 2019: EL, HOM, SWD;" in text
        for text in flagged
    )
