"""Support determinations explained in sentences: the reason first, then the results behind it,
Level 3, and CDE's codes last."""

from __future__ import annotations

from tests.support.levels_rows import CHARTER, result
from tests.support.test_assistance import determine, lea, three_groups_met, worst

CHRONIC_RED = result("CHRO", color="Red")


def test_a_group_meeting_two_priorities_makes_the_lea_eligible_in_one_sentence() -> None:
    outcome = determine(
        2023, result("ELA", color="Red", n=412), result("MATH", color="Red"), CHRONIC_RED
    )
    text = lea(outcome)["Explanation"]
    assert (
        "Eligible for Differentiated Assistance because Students with Disabilities met the "
        "criteria in Pupil Achievement (Red on both ELA and Math) and Pupil Engagement (Red on "
        "Chronic Absenteeism)."
    ) in text
    assert (
        "The results behind Students with Disabilities: English Language Arts Red (Very Low, "
        "status -50.0 points, change -1.0 points, 412 students)"
    ) in text
    assert "Chronic Absenteeism Red (Very High, status -50.0%, change -1.0%, 100 students)" in text


def test_two_groups_are_both_named_with_their_priorities() -> None:
    rows = [CHRONIC_RED, result("SUSP", color="Red"), *(
        result(i, group="EL", color="Red") for i in ("ELA", "MATH", "CHRO"))]  # fmt: skip
    text = lea(determine(2023, *rows))["Explanation"]
    assert (
        "because English Learner met the criteria in Pupil Achievement (Red on both ELA and "
        "Math) and Pupil Engagement (Red on Chronic Absenteeism) and Students with Disabilities "
        "met the criteria in Pupil Engagement (Red on Chronic Absenteeism) and School Climate "
        "(Red on Suspension Rate)."
    ) in text


def test_a_group_meeting_one_priority_only_is_named_and_the_lea_is_not_eligible() -> None:
    text = lea(determine(2023, CHRONIC_RED))["Explanation"]
    assert (
        "Not eligible for Differentiated Assistance on the 2023 Dashboard: a student group must "
        "meet the criteria in two or more state priority areas, and Students with Disabilities "
        "met them in Pupil Engagement (Red on Chronic Absenteeism) only."
    ) in text


def test_no_group_meeting_any_criterion_says_so() -> None:
    text = lea(determine(2023, result("ELA", color="Green")))["Explanation"]
    assert (
        "Not eligible for Differentiated Assistance on the 2023 Dashboard: no student group met "
        "the criteria in any state priority area at or above the n-size."
    ) in text
    assert "The results behind" not in text


def test_level_3_years_are_named_with_how_many_were_met() -> None:
    rows = [*three_groups_met(2018), *three_groups_met(2019), *three_groups_met(2022)]
    rows += [*three_groups_met(2023)]
    text = lea(determine(2023, *rows))["Explanation"]
    assert (
        "Level 3 (EC 52072/52072.5) applies when three or more student groups (all of them, if "
        "fewer) met the criteria in at least three of the years 2018, 2019, 2022 and 2023. They "
        "did in 4 of those years (2018: EL, HI, SWD; 2019: EL, HI, SWD; 2022: EL, HI, SWD; "
        "2023: EL, HI, SWD), so the LEA meets Level 3."
    ) in text


def test_a_charter_meeting_the_criteria_this_year_is_told_the_years_it_needs() -> None:
    rows = [worst(i, 2023, cds=CHARTER) for i in ("CHRO", "SUSP")]
    text = lea(determine(2023, *rows), CHARTER)["Explanation"]
    assert "Met the criteria for Differentiated Assistance on the 2023 Dashboard because" in text
    assert "Charters must meet the criteria in 2022, 2023; 2022 was not supplied." in text


def test_the_codes_come_last() -> None:
    outcome = determine(2023, result("ELA", color="Red"), result("MATH", color="Red"), CHRONIC_RED)
    text = lea(outcome)["Explanation"]
    assert text.endswith(
        "Codes (as in CDE's file): TotalStudentGroups 1; SWDpriorities B; MetMethod1 Y; "
        "MetMethod2 N; MetMethod3 N; EC52072_2023 undetermined."
    )
