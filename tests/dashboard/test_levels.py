"""Levels from status, change and denominators: cut points, grids, n-size, special years."""

from __future__ import annotations

import pytest

from continuum.dashboard.rules import COLOUR_LETTERS, load_rules
from tests.dashboard.rows import one

# Each pair is (value, level) on both sides of every boundary, as CDE's tables print them
# (docs/dashboard/*.md cite the tables). Suspension and chronic codes: 5 = Very Low (good).
STATUS_BOUNDARIES: dict[tuple[str, str | None], list[tuple[float, int]]] = {
    ("ELA", None): [
        (45.0, 5),
        (44.9, 4),
        (10.0, 4),
        (9.9, 3),
        (-5.0, 3),
        (-5.1, 2),
        (-70.0, 2),
        (-70.1, 1),
    ],
    ("ELA", "Y"): [
        (75.0, 5),
        (74.9, 4),
        (30.0, 4),
        (29.9, 3),
        (0.0, 3),
        (-0.1, 2),
        (-45.0, 2),
        (-45.1, 1),
    ],
    ("MATH", None): [
        (35.0, 5),
        (34.9, 4),
        (0.0, 4),
        (-0.1, 3),
        (-25.0, 3),
        (-25.1, 2),
        (-95.0, 2),
        (-95.1, 1),
    ],
    ("MATH", "Y"): [
        (25.0, 5),
        (24.9, 4),
        (0.0, 4),
        (-0.1, 3),
        (-60.0, 3),
        (-60.1, 2),
        (-115.0, 2),
        (-115.1, 1),
    ],
    ("SCIENCE", None): [
        (65.0, 5),
        (64.9, 4),
        (55.0, 4),
        (54.9, 3),
        (45.0, 3),
        (44.9, 2),
        (35.0, 2),
        (34.9, 1),
    ],
    ("ELPI", None): [
        (65.0, 5),
        (64.9, 4),
        (55.0, 4),
        (54.9, 3),
        (45.0, 3),
        (44.9, 2),
        (35.0, 2),
        (34.9, 1),
    ],
    ("CCI", None): [
        (70.0, 5),
        (69.9, 4),
        (55.0, 4),
        (54.9, 3),
        (35.0, 3),
        (34.9, 2),
        (10.0, 2),
        (9.9, 1),
    ],
    ("GRAD", None): [
        (95.0, 5),
        (94.9, 4),
        (90.5, 4),
        (90.4, 3),
        (80.0, 3),
        (79.9, 2),
        (68.0, 2),
        (67.9, 1),
    ],
    ("CHRO", None): [
        (2.5, 5),
        (2.6, 4),
        (5.0, 4),
        (5.1, 3),
        (10.0, 3),
        (10.1, 2),
        (20.0, 2),
        (20.1, 1),
    ],
    ("SUSP", "ED"): [
        (0.5, 5),
        (0.6, 4),
        (1.5, 4),
        (1.6, 3),
        (3.0, 3),
        (3.1, 2),
        (6.0, 2),
        (6.1, 1),
    ],
    ("SUSP", "HD"): [
        (1.5, 5),
        (1.6, 4),
        (3.5, 4),
        (3.6, 3),
        (6.0, 3),
        (6.1, 2),
        (9.0, 2),
        (9.1, 1),
    ],
    ("SUSP", "UD"): [
        (1.0, 5),
        (1.1, 4),
        (2.5, 4),
        (2.6, 3),
        (4.5, 3),
        (4.6, 2),
        (8.0, 2),
        (8.1, 1),
    ],
    ("SUSP", "ES"): [
        (0.5, 5),
        (0.6, 4),
        (1.0, 4),
        (1.1, 3),
        (3.0, 3),
        (3.1, 2),
        (6.0, 2),
        (6.1, 1),
    ],
    ("SUSP", "MS"): [
        (0.5, 5),
        (0.6, 4),
        (2.0, 4),
        (2.1, 3),
        (8.0, 3),
        (8.1, 2),
        (12.0, 2),
        (12.1, 1),
    ],
    ("SUSP", "HS"): [
        (0.5, 5),
        (0.6, 4),
        (1.5, 4),
        (1.6, 3),
        (6.0, 3),
        (6.1, 2),
        (10.0, 2),
        (10.1, 1),
    ],
}
CHANGE_BOUNDARIES: dict[tuple[str, str | None], list[tuple[float, int]]] = {
    ("ELA", None): [
        (15.0, 5),
        (14.9, 4),
        (3.0, 4),
        (2.9, 3),
        (-2.9, 3),
        (-3.0, 2),
        (-15.0, 2),
        (-15.1, 1),
    ],
    ("MATH", "Y"): [
        (15.0, 5),
        (14.9, 4),
        (3.0, 4),
        (2.9, 3),
        (-2.9, 3),
        (-3.0, 2),
        (-15.0, 2),
        (-15.1, 1),
    ],
    ("SCIENCE", None): [
        (5.0, 5),
        (4.9, 4),
        (2.0, 4),
        (1.9, 3),
        (-1.9, 3),
        (-2.0, 2),
        (-5.0, 2),
        (-5.1, 1),
    ],
    ("ELPI", None): [
        (10.0, 5),
        (9.9, 4),
        (2.0, 4),
        (1.9, 3),
        (-1.9, 3),
        (-2.0, 2),
        (-10.0, 2),
        (-10.1, 1),
    ],
    ("CCI", None): [
        (9.0, 5),
        (8.9, 4),
        (2.0, 4),
        (1.9, 3),
        (-1.9, 3),
        (-2.0, 2),
        (-9.0, 2),
        (-9.1, 1),
    ],
    ("GRAD", None): [
        (5.0, 5),
        (4.9, 4),
        (1.0, 4),
        (0.9, 3),
        (-0.9, 3),
        (-1.0, 2),
        (-5.0, 2),
        (-5.1, 1),
    ],
    ("CHRO", None): [
        (-3.0, 5),
        (-2.9, 4),
        (-0.5, 4),
        (-0.4, 3),
        (0.4, 3),
        (0.5, 2),
        (3.0, 2),
        (3.1, 1),
    ],
    ("SUSP", "ED"): [
        (-2.0, 5),
        (-1.9, 4),
        (-0.3, 4),
        (-0.2, 3),
        (0.2, 3),
        (0.3, 2),
        (2.0, 2),
        (2.1, 1),
    ],
    ("SUSP", "HD"): [
        (-3.0, 5),
        (-2.9, 4),
        (-0.5, 4),
        (-0.4, 3),
        (0.4, 3),
        (0.5, 2),
        (3.0, 2),
        (3.1, 1),
    ],
    ("SUSP", "UD"): [
        (-2.0, 5),
        (-1.9, 4),
        (-0.3, 4),
        (-0.2, 3),
        (0.2, 3),
        (0.3, 2),
        (2.0, 2),
        (2.1, 1),
    ],
    ("SUSP", "ES"): [
        (-1.0, 5),
        (-0.9, 4),
        (-0.3, 4),
        (-0.2, 3),
        (0.2, 3),
        (0.3, 2),
        (2.0, 2),
        (2.1, 1),
    ],
    ("SUSP", "MS"): [
        (-3.0, 5),
        (-2.9, 4),
        (-0.3, 4),
        (-0.2, 3),
        (0.2, 3),
        (0.3, 2),
        (4.0, 2),
        (4.1, 1),
    ],
    ("SUSP", "HS"): [
        (-2.0, 5),
        (-1.9, 4),
        (-0.3, 4),
        (-0.2, 3),
        (0.2, 3),
        (0.3, 2),
        (3.0, 2),
        (3.1, 1),
    ],
}
# Grids as CDE prints them: rows status level 5 … 1, columns change level 1 … 5.
GRIDS = {
    "ELA": ["G G B B B", "G G G G B", "Y Y Y G G", "O O O Y Y", "R R R O O"],
    "MATH": ["G G B B B", "G G G G B", "Y Y Y G G", "O O O Y Y", "R R R O O"],
    "SCIENCE": ["G G B B B", "G G G G B", "Y Y Y G G", "O O O Y Y", "R R R O O"],
    "ELPI": ["Y G B B B", "O Y G G B", "O O Y G G", "R O O Y Y", "R R R O Y"],
    "CCI": ["Y G B B B", "O Y G G B", "O O Y G G", "R O O Y Y", "R R R O Y"],
    "CHRO": ["Y G B B B", "O Y G G B", "O O Y G G", "R O O Y Y", "R R R O Y"],
    "SUSP": ["Y G B B B", "O Y G G B", "O O Y G G", "R O O Y Y", "R R R O Y"],
    "GRAD": ["- B B B B", "O Y G G B", "O O Y G G", "R O O Y Y", "R R R R R"],
}


def _variant_fields(indicator: str, variant: str | None) -> dict[str, str | None]:
    if indicator == "SUSP":
        return {"type": variant}
    return {"hscutpoints": variant}


def _cases(table: dict[tuple[str, str | None], list[tuple[float, int]]]) -> list[object]:
    return [
        pytest.param(indicator, variant, value, level, id=f"{indicator}-{variant}-{value}")
        for (indicator, variant), pairs in table.items()
        for value, level in pairs
    ]


@pytest.mark.parametrize(("indicator", "variant", "value", "level"), _cases(STATUS_BOUNDARIES))
def test_status_cut_points_match_cde_tables_on_both_sides(
    indicator: str, variant: str | None, value: float, level: int
) -> None:
    result = one(indicator=indicator, currstatus=value, **_variant_fields(indicator, variant))
    assert result["statuslevel"] == level


@pytest.mark.parametrize(("indicator", "variant", "value", "level"), _cases(CHANGE_BOUNDARIES))
def test_change_cut_points_match_cde_tables_on_both_sides(
    indicator: str, variant: str | None, value: float, level: int
) -> None:
    result = one(indicator=indicator, change=value, **_variant_fields(indicator, variant))
    assert result["changelevel"] == level


@pytest.mark.parametrize("year", [2018, 2019, 2022, 2023, 2024])
def test_status_cuts_are_the_2025_cuts_in_other_years(year: int) -> None:
    current, other = load_rules(2025), load_rules(year)
    for code, indicator in other.indicators.items():
        # 2018 graduation: its own High cut and DASS tables (tests below pin them).
        if not indicator.no_level and (year, code) != (2018, "GRAD"):
            assert indicator.status_cuts == current.indicators[code].status_cuts, code


def test_2024_science_rows_keep_their_status_and_get_no_level() -> None:
    result = one(indicator="SCIENCE", reportingyear=2024, currstatus=70.0, change=8.0)
    assert (result["statuslevel"], result["changelevel"], result["color"], result["box"]) == (
        0,
        0,
        0,
        0,
    )
    assert result["currstatus"] == 70.0
    assert "SCIENCE had no performance level in 2024" in result["explanation"]


def test_fall_2017_elpi_uses_celdt_cuts_and_the_generic_grid() -> None:
    fields = {"indicator": "ELPI", "reportingyear": 2017, "studentgroup": "EL"}
    counts = {"currtesters": 40.0, "priortesters": 40.0}
    assert one(**fields, **counts, currstatus=85.0, change=10.0)["color"] == 5
    assert one(**fields, **counts, currstatus=84.9, change=1.5)["statuslevel"] == 4
    assert one(**fields, **counts, currstatus=59.9, change=-10.1)["color"] == 1
    assert one(**fields, **counts, currstatus=70.0, change=-1.4)["changelevel"] == 3


def test_fall_2017_elpi_colour_n_size_counts_test_takers_not_the_denominator() -> None:
    fields = {"indicator": "ELPI", "reportingyear": 2017, "studentgroup": "EL"}
    few_testers = one(**fields, currtesters=29.0, priortesters=40.0, currstatus=90.0)
    enough = one(**fields, currtesters=30.0, priortesters=30.0, currstatus=90.0)
    assert (few_testers["statuslevel"], few_testers["color"]) == (5, 0)
    assert enough["color"] > 0


def test_fall_2017_graduation_three_by_five_follows_the_safetynet_flag() -> None:
    fields = {"indicator": "GRAD", "reportingyear": 2017, "currstatus": 96.0, "change": 6.0}
    flagged = one(**fields, currdenom=400.0, safetynet="Y")
    small_but_unflagged = one(**fields, currdenom=60.0, priordenom=60.0, safetynet="N")
    assert (flagged["changelevel"], flagged["box"]) == (4, 40)
    assert (small_but_unflagged["changelevel"], small_but_unflagged["box"]) == (5, 50)


def test_fall_2017_lea_homeless_graduation_is_coloured_from_15_students() -> None:
    fields = {"indicator": "GRAD", "reportingyear": 2017, "rtype": "D", "currstatus": 80.0}
    assert one(**fields, studentgroup="HOM", currdenom=15.0, priordenom=16.0)["color"] > 0
    assert one(**fields, studentgroup="AA", currdenom=15.0, priordenom=16.0)["color"] == 0


def test_fall_2017_grade_11_rows_are_stored_without_levels() -> None:
    result = one(indicator="ELA11", reportingyear=2017, currstatus=20.0, change=5.0)
    assert (result["statuslevel"], result["changelevel"], result["color"]) == (0, 0, 0)


def test_fall_2017_graduation_cuts_differ_from_later_years() -> None:
    cases = [(94.9, 4), (90.0, 4), (89.9, 3), (85.0, 3), (84.9, 2), (67.0, 2), (66.9, 1)]
    for value, level in cases:
        assert one(indicator="GRAD", reportingyear=2017, currstatus=value)["statuslevel"] == level


@pytest.mark.parametrize("indicator", sorted(GRIDS))
def test_grids_match_cde_five_by_five_tables(indicator: str) -> None:
    rules = load_rules(2025).indicator(indicator)
    for row_number, row in enumerate(GRIDS[indicator]):
        statuslevel = 5 - row_number
        for changelevel, letter in enumerate(row.split(), start=1):
            assert rules.colour(statuslevel, changelevel) == COLOUR_LETTERS[letter], (
                indicator,
                statuslevel,
                changelevel,
            )


def test_low_status_with_a_significant_decline_is_red_for_ela_and_orange_is_not_possible() -> None:
    result = one(indicator="ELA", currstatus=-80.0, change=-20.0)
    assert (result["statuslevel"], result["changelevel"], result["color"], result["box"]) == (
        1,
        1,
        1,
        210,
    )


def test_box_is_fifty_per_status_step_plus_ten_per_change_level() -> None:
    result = one(indicator="ELA", currstatus=50.0, change=20.0)
    assert (result["color"], result["box"]) == (5, 50)


def test_very_high_graduation_with_a_significant_decline_has_no_colour() -> None:
    result = one(indicator="GRAD", currstatus=96.0, change=-6.0)
    assert (result["statuslevel"], result["changelevel"], result["color"], result["box"]) == (
        5,
        1,
        0,
        0,
    )


class TestThreeByFive:
    def test_chronic_below_150_publishes_the_collapsed_change_level(self) -> None:
        result = one(indicator="CHRO", currdenom=149, currstatus=15.0, change=4.0)
        assert (result["changelevel"], result["color"], result["box"]) == (2, 2, 170)
        assert result["smalldenom"] == "Y"

    def test_chronic_at_150_keeps_five_change_levels(self) -> None:
        result = one(indicator="CHRO", currdenom=150, currstatus=15.0, change=4.0)
        assert (result["changelevel"], result["color"], result["box"]) == (1, 1, 160)
        assert result["smalldenom"] == "N"

    def test_suspension_and_cci_collapse_declined_significantly_too(self) -> None:
        susp = one(indicator="SUSP", type="ES", currdenom=100, currstatus=2.0, change=-1.5)
        cci = one(indicator="CCI", currdenom=100, currstatus=40.0, change=10.0)
        assert (susp["changelevel"], susp["color"]) == (4, 4)
        assert (cci["changelevel"], cci["color"]) == (4, 4)

    def test_graduation_keeps_its_change_level_but_colours_with_the_collapsed_one(self) -> None:
        result = one(indicator="GRAD", currdenom=69, currstatus=60.0, change=13.7)
        assert (result["statuslevel"], result["changelevel"]) == (1, 5)
        assert (result["color"], result["box"]) == (1, 240)

    def test_academic_indicators_have_no_three_by_five(self) -> None:
        result = one(indicator="ELA", currdenom=40, currstatus=0.0, change=20.0)
        assert (result["changelevel"], result["color"]) == (5, 4)
        assert result["smalldenom"] is None


class TestNSize:
    def test_a_group_needs_thirty_students_in_both_years_for_a_colour(self) -> None:
        assert one(currdenom=30, priordenom=30)["color"] == 3
        assert one(currdenom=29, priordenom=30)["color"] == 0
        assert one(currdenom=30, priordenom=29)["color"] == 0

    def test_below_thirty_status_and_change_are_still_levelled(self) -> None:
        result = one(currdenom=20, priordenom=20, currstatus=-80.0, change=-20.0)
        assert (result["statuslevel"], result["changelevel"], result["color"]) == (1, 1, 0)
        assert "denominator is below 30 students" in result["explanation"]

    def test_below_eleven_nothing_is_levelled(self) -> None:
        result = one(currdenom=10, priordenom=50, currstatus=-80.0, change=-20.0)
        assert (result["statuslevel"], result["changelevel"], result["color"]) == (0, 0, 0)

    @pytest.mark.parametrize("group", ["FOS", "HOM", "LTEL"])
    def test_lea_foster_homeless_and_ltel_need_fifteen(self, group: str) -> None:
        lea = one(rtype="D", studentgroup=group, currdenom=15, priordenom=15)
        school = one(rtype="S", studentgroup=group, currdenom=15, priordenom=15)
        assert (lea["color"], school["color"]) == (3, 0)
        assert one(rtype="D", studentgroup=group, currdenom=14, priordenom=15)["color"] == 0

    def test_other_lea_groups_need_thirty(self) -> None:
        assert one(rtype="D", studentgroup="SWD", currdenom=20, priordenom=20)["color"] == 0

    def test_ltel_was_not_a_reduced_n_size_group_in_2023(self) -> None:
        result = one(
            reportingyear=2023, rtype="D", studentgroup="LTEL", currdenom=20, priordenom=20
        )
        assert result["color"] == 0


class TestStatusOnlyAndUncolouredGroups:
    @pytest.mark.parametrize("indicator", ["ELA", "MATH", "CHRO", "SUSP", "GRAD", "ELPI"])
    def test_2022_gives_status_levels_only(self, indicator: str) -> None:
        result = one(
            indicator=indicator,
            reportingyear=2022,
            type="UD",
            currstatus=1.0,
            priordenom=None,
            priorstatus=None,
            change=None,
        )
        assert result["statuslevel"] > 0
        assert (result["changelevel"], result["color"], result["box"]) == (0, 0, 0)

    def test_cci_is_status_only_in_2023_and_coloured_in_2024(self) -> None:
        assert one(indicator="CCI", reportingyear=2023, currstatus=5.0, change=-10.0)["color"] == 0
        assert one(indicator="CCI", reportingyear=2024, currstatus=5.0, change=-10.0)["color"] == 1

    def test_elpi_is_status_only_in_2019(self) -> None:
        result = one(indicator="ELPI", reportingyear=2019, currstatus=30.0, change=-12.0)
        assert (result["statuslevel"], result["changelevel"], result["color"]) == (1, 0, 0)

    @pytest.mark.parametrize("group", ["ELO", "RFP", "EO", "SBA", "CAA", "CAST"])
    def test_informational_groups_never_get_a_colour(self, group: str) -> None:
        result = one(studentgroup=group, currstatus=-80.0, change=-20.0)
        assert (result["statuslevel"], result["changelevel"], result["color"]) == (1, 1, 0)
        assert "information only" in result["explanation"]

    @pytest.mark.parametrize("group", ["SBA", "CAA"])
    def test_assessment_groups_were_coloured_in_2024(self, group: str) -> None:
        result = one(studentgroup=group, reportingyear=2024, currstatus=-80.0, change=-20.0)
        assert result["color"] == 1

    def test_a_school_without_a_prior_year_gets_a_status_level_only(self) -> None:
        result = one(priordenom=None, priorstatus=None, change=None, currstatus=50.0)
        assert (result["statuslevel"], result["changelevel"], result["color"]) == (5, 0, 0)


class TestRecomputation:
    def test_status_is_recomputed_from_numerator_and_rounded_half_up(self) -> None:
        result = one(
            indicator="CHRO",
            currnumer=1,
            currdenom=16,
            currstatus=None,
            priornumer=None,
            priordenom=None,
            change=None,
        )
        assert result["computed_status"] == pytest.approx(6.3)

    def test_change_comes_from_unrounded_rates(self) -> None:
        # 100 × (1/3 − 1/6) = 16.666… → 16.7, while the rounded statuses give 33.3 − 16.7 = 16.6
        result = one(
            indicator="GRAD",
            currnumer=100,
            currdenom=300,
            priornumer=50,
            priordenom=300,
            currstatus=33.3,
            priorstatus=16.7,
            change=16.6,
        )
        assert result["computed_change"] == pytest.approx(16.7)

    def test_negative_change_rounds_half_away_from_zero(self) -> None:
        # 100 × (1/40 − 1/16) = −3.75 → −3.8
        result = one(indicator="CHRO", currnumer=1, currdenom=40, priornumer=1, priordenom=16)
        assert result["computed_change"] == pytest.approx(-3.8)

    def test_academic_status_and_change_come_from_the_file(self) -> None:
        result = one(currstatus=-12.3, priorstatus=-20.0, change=7.6)
        assert result["computed_status"] == pytest.approx(-12.3)
        assert result["computed_change"] == pytest.approx(7.6)


def test_explanation_names_the_cuts_and_the_grid_cell() -> None:
    result = one(indicator="ELA", currstatus=-12.3, change=4.0)
    assert result["explanation"] == (
        "Status is Low (-70.0 to -5.1) on the grades 3–8 cuts; "
        "change is Increased (+3.0 to +14.9); grid cell Low × Increased is Yellow."
    )


def test_explanation_says_when_the_three_by_five_rule_changed_the_cell() -> None:
    result = one(indicator="CHRO", currdenom=120, currstatus=15.0, change=4.0)
    assert "three-by-five" in result["explanation"]
    assert result["explanation"].endswith("grid cell High × Increased is Orange.")


def test_a_2018_dass_school_graduation_rate_uses_the_dass_cuts() -> None:
    fields = {"indicator": "GRAD", "reportingyear": 2018, "currstatus": 82.4, "change": -2.2}
    dass = one(**fields, dass_flag="Y")
    regular = one(**fields)
    assert (dass["statuslevel"], dass["changelevel"]) == (4, 3)
    assert (regular["statuslevel"], regular["changelevel"]) == (3, 2)


def test_2018_graduation_is_high_from_90_percent() -> None:
    assert one(indicator="GRAD", reportingyear=2018, currstatus=90.0)["statuslevel"] == 4
    assert one(indicator="GRAD", reportingyear=2018, currstatus=89.9)["statuslevel"] == 3


def test_2018_students_with_disabilities_n_size_counts_the_swd_denominators() -> None:
    fields = {"indicator": "ELA", "reportingyear": 2018, "studentgroup": "SWD", "currstatus": -80.0}
    short = one(**fields, currdenom=44.0, priordenom=34.0, currdenom_swd=42.0, priordenom_swd=26.0)
    enough = one(**fields, currdenom=44.0, priordenom=34.0, currdenom_swd=42.0, priordenom_swd=30.0)
    assert (short["color"], enough["color"] > 0) == (0, True)
