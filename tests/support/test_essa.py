"""ESSA identification: colour patterns, Title I, graduation, ATSI years and exits."""

from __future__ import annotations

import dataclasses
from typing import Any

import polars as pl
import pytest

from continuum.support.essa import (
    ATSI,
    CSI_GRAD,
    CSI_LOW,
    NO_STATUS,
    load_essa_rules,
    pattern_met,
)
from tests.support.essa_rows import SCHOOL, determine_row, school_result


def worst(indicator: str, year: int, group: str = "ALL") -> dict[str, Any]:
    if year == 2022:
        return school_result(indicator, year, group=group, statuslevel=1)
    return school_result(indicator, year, group=group, color="Red")


def fine(indicator: str, year: int, group: str = "ALL") -> dict[str, Any]:
    if year == 2022:
        return school_result(indicator, year, group=group, statuslevel=4)
    return school_result(indicator, year, group=group, color="Green", statuslevel=4)


def determine(
    year: int,
    *rows: dict[str, Any],
    title_i: str | None = "Yes",
    dass: str = "No",
    prior: str | None = None,
) -> dict[str, Any]:
    prior_status = pl.DataFrame({"cds": [SCHOOL], "status": [prior]}) if prior else None
    return determine_row(year, rows, prior=prior_status, title_i=title_i, dass=dass)


@pytest.mark.parametrize(
    ("counted", "lowest", "next_lowest", "expected"),
    [
        (3, 3, 0, "all_lowest"),
        (4, 3, 0, "all_lowest_but_one"),
        (2, 1, 0, "all_lowest_but_one"),
        (6, 4, 0, "majority_lowest"),
        (6, 3, 0, None),
        (4, 1, 3, "lowest_and_next"),
        (4, 0, 4, None),
        (1, 1, 0, None),
    ],
)
def test_colour_patterns_of_the_2023_rules(
    counted: int, lowest: int, next_lowest: int, expected: str | None
) -> None:
    assert pattern_met(counted, lowest, next_lowest, load_essa_rules(2023)) == expected


def test_a_majority_of_lowest_status_levels_is_not_a_2022_pattern() -> None:
    assert pattern_met(5, 3, 0, load_essa_rules(2022)) is None


def test_a_title_i_school_with_all_indicators_red_is_csi_low_performing() -> None:
    row = determine(2023, *[worst(i, y) for y in (2022, 2023) for i in ("ELA", "MATH", "CHRO")])
    assert row["AssistanceStatus2023"] == CSI_LOW
    assert "All students: every indicator at the lowest level" in row["Explanation"]


def test_a_school_that_is_not_title_i_is_not_csi_low_performing() -> None:
    rows = [worst(i, y) for y in (2022, 2023) for i in ("ELA", "MATH", "CHRO")]
    row = determine(2023, *rows, title_i="No")
    assert row["AssistanceStatus2023"] == NO_STATUS


def test_csi_low_performing_is_undetermined_without_title_i() -> None:
    row = determine(2023, *[worst(i, 2023) for i in ("ELA", "MATH", "CHRO")], title_i=None)
    assert row["AssistanceStatus2023"] is None
    assert "Title I status not given" in row["Explanation"]


def test_very_low_cci_counts_as_red_in_2023() -> None:
    cci = school_result("CCI", group="ALL", statuslevel=1)
    rows = [fine("ELA", 2022), worst("ELA", 2023), worst("MATH", 2023)]
    rows += [fine("SUSP", 2023), fine("CHRO", 2023)]
    assert determine(2023, *rows, cci)["AssistanceStatus2023"] == CSI_LOW
    assert determine(2023, *rows)["AssistanceStatus2023"] == NO_STATUS


def test_results_below_the_n_size_do_not_count() -> None:
    math = school_result("MATH", group="ALL", color="Red", n=29)
    rows = [worst("ELA", 2022), worst("ELA", 2023), math]
    row = determine(2023, *rows)
    assert row["AssistanceStatus2023"] == NO_STATUS
    assert determine(2023, *rows[:2], math | {"currdenom": 30.0})["AssistanceStatus2023"] == CSI_LOW


def test_a_group_meeting_the_criteria_in_2022_and_2023_makes_the_school_atsi() -> None:
    rows = [worst(i, y, "SWD") for y in (2022, 2023) for i in ("ELA", "MATH")]
    rows += [fine(i, y) for y in (2022, 2023) for i in ("ELA", "MATH")]
    row = determine(2023, *rows)
    assert (row["AssistanceStatus2023"], row["SWD"], row["TotStudGrps"]) == (ATSI, 1, 1)


def test_a_group_meeting_the_criteria_in_2023_only_does_not_make_the_school_atsi() -> None:
    rows = [worst(i, 2023, "SWD") for i in ("ELA", "MATH")]
    rows += [fine(i, 2022, "SWD") for i in ("ELA", "MATH")]
    rows += [fine(i, y) for y in (2022, 2023) for i in ("ELA", "MATH")]
    assert determine(2023, *rows)["AssistanceStatus2023"] == NO_STATUS


def test_atsi_is_undetermined_without_the_earlier_year() -> None:
    rows = [worst(i, 2023, "SWD") for i in ("ELA", "MATH")]
    row = determine(2023, *rows, fine("ELA", 2023))
    assert row["AssistanceStatus2023"] is None
    assert "ATSI needs the 2022 Dashboard results" in row["Explanation"]


def test_the_all_students_group_is_not_an_atsi_group() -> None:
    rows = [worst(i, y) for y in (2022, 2023) for i in ("ELA", "MATH")]
    row = determine(2023, *rows, title_i="No")
    assert row["AssistanceStatus2023"] == NO_STATUS


def test_csi_schools_carry_no_student_group_flags() -> None:
    rows = [worst(i, y, g) for y in (2022, 2023) for g in ("ALL", "SWD") for i in ("ELA", "MATH")]
    row = determine(2023, *rows)
    assert (row["AssistanceStatus2023"], row["SWD"], row["TotStudGrps"]) == (CSI_LOW, 0, 0)


def grad(year: int, rate: float, n: float = 100) -> dict[str, Any]:
    row = school_result("GRAD", year, group="ALL", statuslevel=3)
    return row | {"currstatus": rate, "currdenom": n}


def test_a_two_year_graduation_rate_below_68_percent_is_csi_graduation() -> None:
    row = determine(2023, grad(2022, 70.0, 100), grad(2023, 60.0, 300))
    assert row["AssistanceStatus2023"] == CSI_GRAD
    assert "62.5%" in row["Explanation"]


def test_a_two_year_graduation_rate_of_68_percent_is_not_csi_graduation() -> None:
    row = determine(2023, grad(2022, 68.0), grad(2023, 68.0))
    assert row["AssistanceStatus2023"] == NO_STATUS


def test_csi_graduation_is_not_evaluated_for_dass_schools() -> None:
    row = determine(2023, grad(2022, 50.0), grad(2023, 50.0), dass="Yes")
    assert row["AssistanceStatus2023"] == NO_STATUS
    assert "DASS graduation rate" in row["Explanation"]


@pytest.mark.parametrize(
    ("prior", "expected"),
    [(ATSI, "ATSIEXIT"), (CSI_GRAD, "CSIEXIT"), (NO_STATUS, "NOEXIT")],
)
def test_leaving_last_years_category_is_an_exit(prior: str, expected: str) -> None:
    row = determine(2023, fine("ELA", 2022), fine("ELA", 2023), prior=prior)
    assert row["Exit"] == expected


def test_moving_from_one_csi_category_to_the_other_is_not_an_exit() -> None:
    rows = [worst(i, y) for y in (2022, 2023) for i in ("ELA", "MATH")]
    assert determine(2023, *rows, prior=CSI_GRAD)["Exit"] == "NOEXIT"


@pytest.mark.parametrize("year", [2018, 2019])
def test_a_title_i_school_all_red_in_2018_or_2019_is_csi_low_performing(year: int) -> None:
    row = determine(year, *[worst(i, year) for i in ("ELA", "MATH", "CHRO")])
    assert row[f"AssistanceStatus{year}"] == CSI_LOW
    assert row[f"TitleI{year - 2001}{year - 2000}"] == "Yes"


@pytest.mark.parametrize("year", [2018, 2019])
def test_a_school_with_no_status_in_2018_or_2019_reads_general_assistance_as_cde_wrote(
    year: int,
) -> None:
    row = determine(year, *[fine(i, year) for i in ("ELA", "MATH")])
    assert row[f"AssistanceStatus{year}"] == "General Assistance"


def test_a_2018_group_meeting_the_criteria_that_year_makes_the_school_atsi() -> None:
    rows = [fine(i, 2018) for i in ("ELA", "MATH")]
    rows += [worst(i, 2018, group="SWD") for i in ("ELA", "MATH")]
    row = determine(2018, *rows)
    assert (row["AssistanceStatus2018"], row["SWD"]) == (ATSI, 1)


def test_2018_csi_graduation_is_a_two_year_average_below_67_percent() -> None:
    def rates(first: float, second: float) -> list[dict[str, Any]]:
        return [grad(2017, first), grad(2018, second)]

    assert determine(2018, *rates(66.0, 67.0))["AssistanceStatus2018"] == CSI_GRAD
    assert determine(2018, *rates(67.0, 67.0))["AssistanceStatus2018"] != CSI_GRAD


def test_a_very_low_2019_elpi_status_counts_as_lowest() -> None:
    elpi = school_result("ELPI", 2019, group="ALL", statuslevel=1)
    rows = [worst("ELA", 2019), worst("MATH", 2019), fine("CHRO", 2019), fine("SUSP", 2019), elpi]
    rules = load_essa_rules(2019)
    without = dataclasses.replace(rules, status_lowest_indicators=frozenset())
    prior = None
    assert determine_row(2019, rows, prior=prior, rules=rules)["AssistanceStatus2019"] == CSI_LOW
    assert determine_row(2019, rows, prior=prior, rules=without)["AssistanceStatus2019"] == (
        "General Assistance"
    )
