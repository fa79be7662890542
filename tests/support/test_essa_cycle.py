"""ESSA in the non-entry years of the cycle (2024, 2025): CSI and ATSI kept or exited, TSI.

Hand-made levels tables for one school. The rules are INFERRED (docs/support/findings.md §6):
no CDE file of 2024-25 or 2025-26 determinations was available to check them against.
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl
import pytest

from continuum.errors import InputError
from continuum.support.essa import ATSI, CSI_GRAD, CSI_LOW, NO_STATUS, TSI, load_essa_rules
from tests.support.essa_rows import determine_row, grad, green, prior_frame, red

BACKGROUND = [*green(2023), *green(2024)]  # both years supplied, so TSI can be decided


def test_a_csi_low_performing_school_whose_students_still_meet_the_criteria_stays_csi() -> None:
    row = determine_row(2024, [*green(2023), *red(2024)], prior=prior_frame(CSI_LOW))
    assert (row["AssistanceStatus2023"], row["AssistanceStatus2024"]) == (CSI_LOW, CSI_LOW)
    assert row["Exit"] == "NOEXIT"
    assert "Stays CSI Low Performing" in row["Explanation"]


def test_staying_csi_low_performing_does_not_need_title_i() -> None:
    row = determine_row(2024, [*green(2023), *red(2024)], prior=prior_frame(CSI_LOW), title_i=None)
    assert row["AssistanceStatus2024"] == CSI_LOW


def test_a_csi_low_performing_school_whose_students_no_longer_meet_the_criteria_exits() -> None:
    rows = [*green(2023), *red(2024, indicators=["ELA"]), *green(2024, indicators=["MATH", "CHRO"])]
    row = determine_row(2024, rows, prior=prior_frame(CSI_LOW))
    assert (row["AssistanceStatus2024"], row["Exit"]) == (NO_STATUS, "CSIEXIT")
    assert "Exits CSI Low Performing" in row["Explanation"]


def test_csi_low_performing_is_not_entered_in_a_non_entry_year() -> None:
    row = determine_row(2024, [*red(2023), *red(2024)], prior=prior_frame(NO_STATUS))
    assert row["AssistanceStatus2024"] == NO_STATUS


def test_an_atsi_school_stays_atsi_while_a_flagged_group_still_meets_the_criteria() -> None:
    rows = [*BACKGROUND, *green(2023, "SWD"), *red(2024, "SWD")]
    row = determine_row(2024, rows, prior=prior_frame(ATSI, ["SWD", "EL"]))
    assert (row["AssistanceStatus2024"], row["Exit"]) == (ATSI, "NOEXIT")
    assert (row["SWD"], row["EL"], row["TotStudGrpsATSI"], row["TotStudGrpsTSI"]) == (1, 0, 1, 0)
    assert "EL (ATSI in 2023): no longer meets the criteria" in row["Explanation"]


def test_an_atsi_school_whose_flagged_groups_no_longer_meet_the_criteria_exits() -> None:
    rows = [*BACKGROUND, *green(2024, "SWD"), *red(2024, "EL")]
    row = determine_row(2024, rows, prior=prior_frame(ATSI, ["SWD"]))
    assert (row["AssistanceStatus2024"], row["Exit"]) == (NO_STATUS, "ATSIEXIT")
    assert (row["SWD"], row["EL"], row["TotStudGrpsATSI"]) == (0, 0, 0)
    assert "exits ATSI" in row["Explanation"]


def test_atsi_exit_is_undetermined_without_last_years_group_flags() -> None:
    rows = [*BACKGROUND, *red(2024, "SWD")]
    row = determine_row(2024, rows, prior=prior_frame(ATSI, flags=False))
    assert (row["AssistanceStatus2024"], row["Exit"]) == (None, None)
    assert "do not name its student groups" in row["Explanation"]


@pytest.mark.parametrize(
    ("rates", "expected", "exit_code"),
    [
        ((68.0, 68.0, 68.0), NO_STATUS, "CSIEXIT"),
        ((60.0, 70.0, 74.0), NO_STATUS, "CSIEXIT"),
        ((68.0, 68.0, 67.7), CSI_GRAD, "NOEXIT"),
    ],
)
def test_csi_graduation_exits_at_a_three_year_average_of_68_percent(
    rates: tuple[float, float, float], expected: str, exit_code: str
) -> None:
    rows = [*BACKGROUND, *(grad(y, r) for y, r in zip((2022, 2023, 2024), rates, strict=True))]
    row = determine_row(2024, rows, prior=prior_frame(CSI_GRAD))
    assert (row["AssistanceStatus2024"], row["Exit"]) == (expected, exit_code)
    assert "2022, 2023, 2024" in row["Explanation"]


def test_csi_graduation_exit_is_undetermined_without_the_earliest_cohort() -> None:
    rows = [*BACKGROUND, grad(2023, 90.0), grad(2024, 90.0)]
    row = determine_row(2024, rows, prior=prior_frame(CSI_GRAD))
    assert row["AssistanceStatus2024"] is None
    assert "2022 Dashboard results were not supplied" in row["Explanation"]


def test_csi_graduation_exit_is_undetermined_for_a_dass_school() -> None:
    rows = [*BACKGROUND, *(grad(y, 90.0) for y in (2022, 2023, 2024))]
    row = determine_row(2024, rows, prior=prior_frame(CSI_GRAD), dass="Yes")
    assert row["AssistanceStatus2024"] is None
    assert "DASS graduation rate" in row["Explanation"]


def test_csi_graduation_is_not_entered_in_2024() -> None:
    rows = [*BACKGROUND, *(grad(y, 50.0) for y in (2022, 2023, 2024))]
    assert not load_essa_rules(2024).csi_grad_entry
    row = determine_row(2024, rows, prior=prior_frame(NO_STATUS))
    assert row["AssistanceStatus2024"] == NO_STATUS


@pytest.mark.parametrize(("rate", "expected"), [(68.0, NO_STATUS), (67.9, CSI_GRAD)])
def test_where_a_rule_file_allows_csi_graduation_entry_68_percent_is_not_below(
    rate: float, expected: str
) -> None:
    rules = replace(load_essa_rules(2024), csi_grad_entry=True, csi_grad_years=(2023, 2024))
    rows = [*BACKGROUND, grad(2023, rate), grad(2024, rate)]
    row = determine_row(2024, rows, prior=prior_frame(NO_STATUS), rules=rules)
    assert row["AssistanceStatus2024"] == expected


@pytest.mark.parametrize("title_i", ["Yes", "No"])
def test_a_group_meeting_the_criteria_in_2023_and_2024_makes_the_school_tsi(title_i: str) -> None:
    rows = [*BACKGROUND, *red(2023, "SWD"), *red(2024, "SWD")]
    row = determine_row(2024, rows, prior=prior_frame(NO_STATUS), title_i=title_i)
    assert (row["AssistanceStatus2024"], row["Exit"]) == (TSI, "NOEXIT")
    assert (row["SWD"], row["TotStudGrpsTSI"], row["TotStudGrpsATSI"]) == (1, 1, 0)
    assert "SWD: met the criteria in 2023 and 2024" in row["Explanation"]


def test_a_group_meeting_the_criteria_in_the_current_year_only_is_not_tsi() -> None:
    rows = [*BACKGROUND, *green(2023, "SWD"), *red(2024, "SWD")]
    row = determine_row(2024, rows, prior=prior_frame(NO_STATUS))
    assert (row["AssistanceStatus2024"], row["SWD"]) == (NO_STATUS, 0)


def test_a_csi_school_is_not_tsi() -> None:
    rows = [*green(2023), *red(2024), *red(2023, "SWD"), *red(2024, "SWD")]
    row = determine_row(2024, rows, prior=prior_frame(CSI_LOW))
    assert (row["AssistanceStatus2024"], row["SWD"], row["TotStudGrpsTSI"]) == (CSI_LOW, 0, 0)


def test_an_atsi_school_is_not_tsi() -> None:
    rows = [*BACKGROUND, *red(2024, "EL"), *red(2023, "SWD"), *red(2024, "SWD")]
    row = determine_row(2024, rows, prior=prior_frame(ATSI, ["EL"]))
    assert (row["AssistanceStatus2024"], row["EL"], row["SWD"]) == (ATSI, 1, 0)
    assert (row["TotStudGrpsATSI"], row["TotStudGrpsTSI"]) == (1, 0)


def test_a_school_that_exits_atsi_can_be_tsi_in_the_same_year() -> None:
    rows = [*BACKGROUND, *green(2024, "EL"), *red(2023, "SWD"), *red(2024, "SWD")]
    row = determine_row(2024, rows, prior=prior_frame(ATSI, ["EL"]))
    assert (row["AssistanceStatus2024"], row["Exit"], row["SWD"]) == (TSI, "ATSIEXIT", 1)


def test_tsi_is_undetermined_without_last_years_dashboard() -> None:
    row = determine_row(2024, [*green(2024), *red(2024, "SWD")], prior=prior_frame(NO_STATUS))
    assert row["AssistanceStatus2024"] is None
    assert "TSI needs the 2023 Dashboard results" in row["Explanation"]


def test_a_non_entry_year_needs_last_years_statuses() -> None:
    with pytest.raises(InputError, match="2023 statuses"):
        determine_row(2024, BACKGROUND, prior=None)


def test_a_school_missing_from_last_years_statuses_is_taken_as_no_status() -> None:
    rows = [*BACKGROUND, *red(2023, "SWD"), *red(2024, "SWD")]
    prior = prior_frame(CSI_LOW).with_columns(cds=pl.lit("27999999999999"))
    row = determine_row(2024, rows, prior=prior)
    assert row["AssistanceStatus2024"] == TSI
    assert "Not listed in the 2023 statuses given" in row["Explanation"]


def test_an_undetermined_status_last_year_leaves_this_year_undetermined() -> None:
    row = determine_row(2024, BACKGROUND, prior=prior_frame(None))
    assert row["AssistanceStatus2024"] is None


def test_2025_tsi_is_decided_afresh_on_the_2024_and_2025_dashboards() -> None:
    rows = [*green(2024), *green(2025), *red(2024, "SWD"), *green(2025, "SWD")]
    row = determine_row(2025, rows, prior=prior_frame(TSI, ["SWD"]))
    assert (row["AssistanceStatus2024"], row["AssistanceStatus2025"]) == (TSI, NO_STATUS)
    assert row["Exit"] == "NOEXIT"
    rows = [*green(2024), *green(2025), *red(2024, "HI"), *red(2025, "HI")]
    assert determine_row(2025, rows, prior=prior_frame(NO_STATUS))["AssistanceStatus2025"] == TSI


def test_the_2024_output_has_the_columns_of_cdes_2024_25_file_and_an_explanation() -> None:
    row = determine_row(2024, BACKGROUND, prior=prior_frame(NO_STATUS))
    groups = ["AA", "AI", "AS", "EL", "FI", "FOS", "HI", "HOM", "PI", "SED", "SWD", "TOM", "WH"]
    assert list(row) == [
        "cds", "schoolname", "districtname", "TitleI2223", "DASS", "AssistanceStatus2023",
        "AssistanceStatus2024", "Exit", *groups, "TotStudGrpsATSI", "TotStudGrpsTSI",
        "ReportingYear", "Explanation",
    ]  # fmt: skip
