"""Differentiated Assistance criteria, methods, labels, charters and Level 3 on small tables."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from continuum.support.assistance import (
    GENERAL_LABEL,
    YEAR_1_LABEL,
    YEAR_2_LABEL,
    DaDetermination,
    determine_da,
    priority_code,
)
from continuum.support.history import CODES_SCHEMA, STATUS_SCHEMA, DaHistory
from tests.support.levels_rows import CHARTER, COE, DISTRICT, OTHER_DISTRICT, result, table


def determine(
    year: int,
    *rows: dict[str, Any],
    local: list[tuple[str, int, str]] | None = None,
    calpads: list[str] | None = None,
) -> DaDetermination:
    """Run the engine on rows of any years; local rows are (cds, priority, performance)."""
    levels = table(*rows)
    by_year = {
        int(y): levels.filter(pl.col("reportingyear") == y)
        for y in levels["reportingyear"].unique().to_list()
    }
    local_frames = None
    if local is not None:
        frame = pl.DataFrame(
            local,
            schema={"cds": pl.String, "priority": pl.Int8, "performance": pl.String},
            orient="row",
        )
        local_frames = {year: frame}
    return determine_da(
        by_year,
        year,
        local_indicators=local_frames,
        calpads_uncertified={year: calpads} if calpads else None,
    )


def lea(outcome: DaDetermination, cds: str = DISTRICT) -> dict[str, Any]:
    return outcome.table.filter(pl.col("CDS") == cds).row(0, named=True)


def priorities(outcome: DaDetermination, group: str = "SWD", cds: str = DISTRICT) -> set[int]:
    met = outcome.evidence.filter((pl.col("cds") == cds) & (pl.col("studentgroup") == group))
    return set(met["priority"].to_list())


SUSP_RED = result("SUSP", color="Red")


def test_red_on_both_ela_and_math_meets_priority_4() -> None:
    outcome = determine(2023, result("ELA", color="Red"), result("MATH", color="Red"), SUSP_RED)
    assert priorities(outcome) == {4, 6}
    assert lea(outcome)["SWDpriorities"] == "D"


@pytest.mark.parametrize(("ela", "math"), [("Red", "Orange"), ("Orange", "Red")])
def test_red_on_one_and_orange_on_the_other_meets_priority_4(ela: str, math: str) -> None:
    outcome = determine(2023, result("ELA", color=ela), result("MATH", color=math))
    assert priorities(outcome) == {4}


def test_orange_on_both_ela_and_math_does_not_meet_priority_4() -> None:
    outcome = determine(2023, result("ELA", color="Orange"), result("MATH", color="Orange"))
    assert priorities(outcome) == set()


def test_math_red_with_no_ela_result_does_not_meet_priority_4() -> None:
    outcome = determine(2023, result("MATH", color="Red"), SUSP_RED)
    assert priorities(outcome) == {6}
    assert lea(outcome)["SWDpriorities"] == "*"
    assert lea(outcome)[f"AssistanceStatus{2023}"] == GENERAL_LABEL


def test_red_on_elpi_meets_priority_4_for_english_learners() -> None:
    outcome = determine(2023, result("ELPI", group="EL", color="Red"))
    assert priorities(outcome, "EL") == {4}


def test_red_on_elpi_does_not_count_for_a_group_other_than_english_learners() -> None:
    outcome = determine(2023, result("ELPI", group="HI", color="Red"))
    assert priorities(outcome, "HI") == set()


def test_red_on_elpi_counts_for_long_term_english_learners_from_2024_only() -> None:
    row = {"group": "LTEL", "color": "Red"}
    assert priorities(determine(2024, result("ELPI", year=2024, **row)), "LTEL") == {4}
    assert priorities(determine(2023, result("ELPI", year=2023, **row)), "LTEL") == set()


def test_orange_on_elpi_meets_priority_4_for_long_term_english_learners_in_2025() -> None:
    ltel = result("ELPI", group="LTEL", color="Orange", year=2025)
    assert priorities(determine(2025, ltel), "LTEL") == {4}
    ltel_2024 = result("ELPI", group="LTEL", color="Orange", year=2024)
    assert priorities(determine(2024, ltel_2024), "LTEL") == set()


def test_ela_and_math_are_not_used_for_long_term_english_learners_in_2025() -> None:
    rows = [result(i, group="LTEL", color="Red", year=2025) for i in ("ELA", "MATH")]
    assert priorities(determine(2025, *rows), "LTEL") == set()


@pytest.mark.parametrize("indicator", ["GRAD", "CHRO"])
def test_red_on_graduation_or_chronic_absenteeism_meets_priority_5(indicator: str) -> None:
    assert priorities(determine(2023, result(indicator, color="Red"))) == {5}


def test_red_on_suspension_meets_priority_6() -> None:
    assert priorities(determine(2023, SUSP_RED)) == {6}


def test_very_low_cci_status_stands_in_for_red_in_2023() -> None:
    outcome = determine(2023, result("CCI", statuslevel=1), SUSP_RED)
    assert priorities(outcome) == {6, 8}
    assert lea(outcome)["SWDpriorities"] == "G"


def test_cci_needs_red_from_2024() -> None:
    status_only = result("CCI", statuslevel=1, year=2024)
    assert priorities(determine(2024, status_only)) == set()
    assert priorities(determine(2024, result("CCI", color="Red", year=2024))) == {8}


def test_very_low_on_both_ela_and_math_meets_priority_4_in_2022() -> None:
    rows = [result(i, statuslevel=1, year=2022) for i in ("ELA", "MATH")]
    assert priorities(determine(2022, *rows)) == {4}


def test_very_high_chronic_absenteeism_and_suspension_meet_priorities_5_and_6_in_2022() -> None:
    rows = [result(i, statuslevel=1, year=2022) for i in ("CHRO", "SUSP")]
    outcome = determine(2022, *rows)
    assert lea(outcome)["SWDpriorities"] == "C"
    assert lea(outcome)["AssistanceStatus2022"] == "Differentiated Assistance"


def test_status_below_the_n_size_does_not_count_in_2022() -> None:
    rows = [result(i, statuslevel=1, year=2022, n=29) for i in ("CHRO", "SUSP")]
    assert priorities(determine(2022, *rows)) == set()


def test_red_below_the_n_size_does_not_count() -> None:
    outcome = determine(2023, result("CHRO", color="Red", n=29), SUSP_RED)
    assert priorities(outcome) == {6}


@pytest.mark.parametrize("group", ["FOS", "HOM"])
def test_foster_and_homeless_groups_count_from_15_students_in_an_lea(group: str) -> None:
    rows = [result(i, group=group, statuslevel=1, year=2022, n=15) for i in ("CHRO", "SUSP")]
    assert priorities(determine(2022, *rows), group) == {5, 6}
    too_few = [result(i, group=group, statuslevel=1, year=2022, n=14) for i in ("CHRO", "SUSP")]
    assert priorities(determine(2022, *too_few), group) == set()


def test_foster_youth_in_a_charter_school_need_30_students() -> None:
    rows = [result(i, group="FOS", color="Red", n=20, cds=CHARTER) for i in ("CHRO", "SUSP")]
    assert priorities(determine(2023, *rows), "FOS", CHARTER) == set()


def test_the_all_students_group_is_not_a_da_student_group() -> None:
    rows = [result(i, group="ALL", color="Red") for i in ("CHRO", "SUSP")]
    outcome = determine(2023, *rows)
    assert lea(outcome)["TotalStudentGroups"] == 0


def test_priority_codes_follow_cdes_value_sheet() -> None:
    assert priority_code([4, 5, 6]) == "A"
    assert priority_code([6, 4]) == "D"
    assert priority_code([8, 5, 6, 4]) == "K"
    assert priority_code([5]) is None


def test_two_of_three_groups_meeting_criteria_counts_two_student_groups() -> None:
    rows = [result(i, group=g, color="Red") for g in ("SWD", "EL") for i in ("CHRO", "SUSP")]
    outcome = determine(2023, *rows, result("CHRO", group="HI", color="Red"))
    row = lea(outcome)
    assert (row["TotalStudentGroups"], row["MetMethod1"]) == (2, "Y")
    assert row["AssistanceStatus2023"] == YEAR_1_LABEL


def test_a_local_indicator_counts_for_every_student_group() -> None:
    local = [(DISTRICT, 7, "Not Met For Two or More Years")]
    rows = [result("CHRO", group="SWD", color="Red"), result("SUSP", group="EL", color="Red")]
    row = lea(determine(2023, *rows, local=local))
    assert (row["MetMethod1"], row["MetMethod3"]) == ("N", "Y")
    assert row["SWDpriorities"] == "*"
    assert row["AssistanceStatus2023"] == YEAR_1_LABEL


def test_a_local_indicator_not_met_for_one_year_does_not_count() -> None:
    local = [(DISTRICT, 7, "Not Met")]
    row = lea(determine(2023, result("CHRO", color="Red"), local=local))
    assert row["MetMethod3"] == "N"


def test_a_local_indicator_in_the_same_priority_does_not_meet_method_3() -> None:
    local = [(DISTRICT, 6, "Not Met For Two or More Years")]
    row = lea(determine(2023, SUSP_RED, local=local))
    assert row["MetMethod3"] == "N"
    assert row["AssistanceStatus2023"] == GENERAL_LABEL


def test_two_local_indicators_not_met_meet_method_2() -> None:
    local = [(DISTRICT, p, "Not Met For Two or More Years") for p in (1, 3)]
    row = lea(determine(2023, result("ELA", color="Green"), local=local))
    assert (row["MetMethod2"], row["AssistanceStatus2023"]) == ("Y", YEAR_1_LABEL)


def test_priorities_9_and_10_count_only_for_county_offices() -> None:
    local = [(cds, p, "Not Met For Two or More Years") for cds in (DISTRICT, COE) for p in (9, 10)]
    rows = [result("ELA", color="Green", cds=cds) for cds in (DISTRICT, COE)]
    outcome = determine(2023, *rows, local=local)
    assert lea(outcome, DISTRICT)["MetMethod2"] == "N"
    assert lea(outcome, COE)["MetMethod2"] == "Y"
    assert lea(outcome, COE)["Entity"] == "coe"


def test_local_indicators_are_not_used_in_2022() -> None:
    local = [(DISTRICT, p, "Not Met For Two or More Years") for p in (1, 3)]
    row = lea(determine(2022, result("ELA", statuslevel=3, year=2022), local=local))
    assert row["AssistanceStatus2022"] == GENERAL_LABEL


def test_failing_to_certify_calpads_meets_method_4_from_2024() -> None:
    rows = [result("ELA", color="Green", year=2024, cds=cds) for cds in (DISTRICT, OTHER_DISTRICT)]
    outcome = determine(2024, *rows, result("ELA", color="Green", year=2023), calpads=[DISTRICT])
    assert lea(outcome)["MetMethod4"] == "Y"
    assert lea(outcome)["AssistanceStatus2024"] == YEAR_1_LABEL
    assert lea(outcome, OTHER_DISTRICT)["MetMethod4"] == "N"


def test_calpads_is_not_a_method_in_2023() -> None:
    outcome = determine(2023, result("ELA", color="Green"), calpads=[DISTRICT])
    assert "MetMethod4" not in outcome.table.columns
    assert lea(outcome)["AssistanceStatus2023"] == GENERAL_LABEL


def met_in(year: int) -> list[dict[str, Any]]:
    return [result(i, color="Red", year=year) for i in ("CHRO", "SUSP")]


def not_met_in(year: int) -> list[dict[str, Any]]:
    return [result("CHRO", color="Green", year=year)]


def test_year_1_last_year_and_not_identified_again_is_year_2() -> None:
    outcome = determine(2024, *met_in(2023), *not_met_in(2024))
    assert lea(outcome)["AssistanceStatus2024"] == YEAR_2_LABEL


def test_identified_again_starts_a_new_year_1() -> None:
    outcome = determine(2024, *met_in(2023), *met_in(2024))
    assert lea(outcome)["AssistanceStatus2024"] == YEAR_1_LABEL


def test_year_2_does_not_follow_year_2() -> None:
    outcome = determine(2025, *met_in(2023), *not_met_in(2024), *not_met_in(2025))
    assert lea(outcome)["AssistanceStatus2025"] == GENERAL_LABEL


def test_year_2_can_come_from_last_years_cde_file() -> None:
    statuses = pl.DataFrame(
        [(DISTRICT, "Test District", 2023, True, 2, None, YEAR_1_LABEL, "file")],
        schema=STATUS_SCHEMA,
        orient="row",
    )
    known = DaHistory(statuses, pl.DataFrame(schema=CODES_SCHEMA))
    levels = table(*not_met_in(2024))
    outcome = determine_da({2024: levels}, 2024, history=known)
    assert lea(outcome)["AssistanceStatus2024"] == YEAR_2_LABEL


def test_nobody_is_in_year_2_in_2023() -> None:
    outcome = determine(2023, *met_in(2022), *not_met_in(2023))
    assert lea(outcome)["AssistanceStatus2023"] == GENERAL_LABEL


def test_year_2_is_undetermined_without_last_years_results() -> None:
    outcome = determine(2024, *not_met_in(2024))
    row = lea(outcome)
    assert row["AssistanceStatus2024"] is None
    assert "2023 Dashboard results" in row["Explanation"]


def worst(indicator: str, year: int, **where: Any) -> dict[str, Any]:
    """The lowest result: Very High/Low status in 2022 (status only), Red otherwise."""
    if year == 2022:
        return result(indicator, year=year, statuslevel=1, **where)
    return result(indicator, year=year, color="Red", **where)


def charter(year: int, *, met: bool) -> list[dict[str, Any]]:
    if met:
        return [worst(i, year, cds=CHARTER) for i in ("CHRO", "SUSP")]
    return [result(i, year=year, statuslevel=3, cds=CHARTER) for i in ("CHRO", "SUSP")]


def test_a_charter_meeting_the_criteria_in_both_years_is_identified() -> None:
    outcome = determine(2023, *charter(2022, met=True), *charter(2023, met=True))
    assert lea(outcome, CHARTER)["AssistanceStatus2023"] == YEAR_1_LABEL
    assert lea(outcome, CHARTER)["Entity"] == "charter"


def test_a_charter_meeting_the_criteria_in_one_year_only_is_not_identified() -> None:
    outcome = determine(2023, *charter(2022, met=False), *charter(2023, met=True))
    assert lea(outcome, CHARTER)["AssistanceStatus2023"] == GENERAL_LABEL


def test_a_charter_without_last_years_results_is_undetermined() -> None:
    outcome = determine(2023, *charter(2023, met=True))
    assert lea(outcome, CHARTER)["AssistanceStatus2023"] is None


def test_charters_are_not_considered_in_2022() -> None:
    outcome = determine(2022, *charter(2022, met=True), result("ELA", year=2022, statuslevel=3))
    assert CHARTER not in outcome.table["CDS"].to_list()


def three_groups_met(year: int) -> list[dict[str, Any]]:
    return [worst(i, year, group=g) for g in ("SWD", "EL", "HI") for i in ("CHRO", "SUSP")]


def test_three_groups_in_three_of_four_years_meet_level_3() -> None:
    rows = [*three_groups_met(2019), *three_groups_met(2022), *three_groups_met(2023)]
    rows += [result("ELA", group="SWD", color="Green", year=2018)]
    outcome = determine(2023, *rows)
    assert lea(outcome)["EC52072_2023"] == "Y"


def test_three_groups_in_two_of_four_years_do_not_meet_level_3() -> None:
    rows = [*three_groups_met(2022), *three_groups_met(2023)]
    rows += [result("ELA", color="Green", year=y) for y in (2018, 2019)]
    outcome = determine(2023, *rows)
    assert lea(outcome)["EC52072_2023"] == "N"


def test_level_3_is_undetermined_while_a_missing_year_could_decide_it() -> None:
    outcome = determine(2023, *three_groups_met(2022), *three_groups_met(2023))
    row = lea(outcome)
    assert row["EC52072_2023"] is None
    assert "2 are unknown (2018, 2019), so Level 3 is undetermined" in row["Explanation"]


def test_an_lea_with_fewer_than_three_groups_meets_level_3_when_all_of_them_do() -> None:
    rows = [worst(i, y) for y in (2019, 2022, 2023) for i in ("CHRO", "SUSP")]
    rows += not_met_in(2018)
    assert lea(determine(2023, *rows))["EC52072_2023"] == "Y"


def test_the_evidence_table_holds_each_indicator_behind_a_priority() -> None:
    outcome = determine(2023, result("ELA", color="Red"), result("MATH", color="Orange"))
    evidence = outcome.evidence.select("studentgroup", "priority", "indicator", "color")
    assert evidence.rows() == [("SWD", 4, "ELA", 1), ("SWD", 4, "MATH", 2)]


# The 2017–2019 Dashboards, each by its own rule file: which indicators each year coloured.
PRE_PANDEMIC = [
    # year, indicator result(s), priorities met
    (2017, [result("ELA", color="Red", year=2017), result("MATH", color="Orange", year=2017)], {4}),
    (2017, [result("CHRO", color="Red", year=2017)], set()),  # no Chronic Absenteeism colour yet
    (2017, [result("CCI", color="Red", year=2017)], set()),  # the CCI had no colour yet
    (2017, [result("GRAD", color="Red", year=2017), SUSP_RED | {"reportingyear": 2017}], {5, 6}),
    (2018, [result("ELA", color="Orange", year=2018), result("MATH", color="Red", year=2018)], {4}),
    (2018, [result("CHRO", color="Red", year=2018), result("CCI", color="Red", year=2018)], {5, 8}),
    (2018, [result("ELPI", group="EL", color="Red", year=2018)], set()),  # no ELPI colour in 2018
    (2019, [result("ELPI", group="EL", statuslevel=1, year=2019)], {4}),  # status only in 2019
    (2019, [result("SUSP", color="Red", year=2019), result("CCI", color="Red", year=2019)], {6, 8}),
]  # fmt: skip


@pytest.mark.parametrize(("year", "rows", "met"), PRE_PANDEMIC)
def test_each_pre_pandemic_dashboard_uses_the_indicators_it_coloured(
    year: int, rows: list[dict[str, Any]], met: set[int]
) -> None:
    group = rows[0]["studentgroup"]
    assert priorities(determine(year, *rows), group=group) == met


def test_county_offices_are_not_considered_in_2017() -> None:
    rows = [result("ELA", color="Red", year=2017, cds=COE),
            result("MATH", color="Red", year=2017, cds=COE),
            result("SUSP", color="Red", year=2017, cds=COE)]  # fmt: skip
    assert determine(2017, *rows).table.filter(pl.col("CDS") == COE).is_empty()
