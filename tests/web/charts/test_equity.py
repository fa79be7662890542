"""The equity chart: every group on one scale, better and worse by the indicator's direction."""

from __future__ import annotations

import pytest

from continuum.dashboard.rules import latest_rules
from continuum.web.charts.equity import GroupStatus, equity_chart, standing
from tests.web.charts.svg import SVG, classes, drawn, find_all, texts

SWD = GroupStatus("SWD", "Students with Disabilities", -80.5, 1)
ASIAN = GroupStatus("AS", "Asian", 31.2, 5)


def _ela(*groups: GroupStatus) -> object:
    return equity_chart(
        key="equity-ELA", title="English Language Arts, 2025 Dashboard", unit=" points",
        direction="higher", everyone=-20.4, groups=list(groups),
    )  # fmt: skip


def test_two_groups_are_drawn_against_identical_axis_ticks() -> None:
    svg = drawn(_ela(SWD, ASIAN))
    rows = [g for g in svg.iter(f"{SVG}g") if "chart-row" in classes(g)]
    assert [row.get("data-group") for row in rows] == ["SWD", "AS"]
    grids = [[line.get("x1") for line in find_all(row, "line", "chart-grid")] for row in rows]
    ticks = [line.get("x1") for line in find_all(svg, "line", "chart-tick")]
    assert grids[0] == grids[1] == ticks and len(ticks) >= 3
    assert texts(svg, "chart-tick-label") == ["-100", "-50", "0", "50"]


def test_each_bar_runs_from_the_all_students_line_to_the_groups_status_on_the_common_scale() -> (
    None
):
    svg = drawn(_ela(SWD, ASIAN))
    ticks = {
        t.text: float(x.get("x1", ""))
        for t, x in zip(
            find_all(svg, "text", "chart-tick-label"),
            find_all(svg, "line", "chart-tick"),
            strict=True,
        )
    }
    per_point = (ticks["50"] - ticks["-100"]) / 150
    reference = find_all(svg, "line", "chart-reference")[0]  # the legend draws the second
    assert float(reference.get("x1", "")) == pytest.approx(
        ticks["-100"] + 79.6 * per_point, abs=0.1
    )
    swd, asian = find_all(svg, "rect", "chart-bar")
    assert float(swd.get("x", "")) == pytest.approx(ticks["-100"] + 19.5 * per_point, abs=0.1)
    assert float(asian.get("x", "")) + float(asian.get("width", "")) == pytest.approx(
        ticks["-100"] + 131.2 * per_point, abs=0.2)  # fmt: skip


def test_higher_is_better_indicator_draws_a_lower_group_as_worse_and_a_higher_one_as_better() -> (
    None
):
    svg = drawn(_ela(SWD, ASIAN))
    swd, asian = find_all(svg, "rect", "chart-bar")
    assert "chart-worse" in classes(swd) and "chart-better" in classes(asian)
    assert texts(svg, "chart-value") == ["-80.5 points worse", "31.2 points better"]


def test_lower_is_better_indicator_takes_its_direction_from_the_rule_data() -> None:
    direction = latest_rules().indicator("CHRO").direction
    chart = equity_chart(
        key="equity-CHRO", title="Chronic Absenteeism", unit="%", direction=direction,
        everyone=20.0, groups=[GroupStatus("SED", "Socioeconomically Disadvantaged", 28.0),
                               GroupStatus("AS", "Asian", 6.5)],
    )  # fmt: skip
    sed, asian = find_all(drawn(chart), "rect", "chart-bar")
    assert direction == "lower"
    assert "chart-worse" in classes(sed) and "chart-better" in classes(asian)
    assert "lower is better" in chart.frame.axes[0].label


def test_a_group_at_the_all_students_status_is_neither_better_nor_worse() -> None:
    assert standing(12.0, 12.0, "lower") == "same"
    assert standing(11.9, 12.0, "lower") == "better"


def test_chart_has_a_title_legend_description_and_the_numbers_as_a_table() -> None:
    chart = _ela(SWD, ASIAN)
    svg = drawn(chart)
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "English Language Arts, 2025 Dashboard"  # type: ignore[union-attr]
    desc = svg.find(f"{SVG}desc").text or ""  # type: ignore[union-attr]
    assert "2 student groups on one scale from -100 to 50 points" in desc
    assert "1 better, 1 worse" in desc
    assert texts(svg, "chart-legend-text") == [
        "better than all students",
        "worse than all students",
        "all students (-20.4 points)",
    ]
    assert chart.frame.table.rows[0] == (
        "Students with Disabilities",
        "-80.5 points",
        "-60.1",
        "worse than all students",
        "Red",
    )
