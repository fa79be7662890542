"""The county distribution: LEAs counted by colour per indicator, counts printed."""

from __future__ import annotations

from continuum.web.charts.distribution import distribution_chart
from tests.web.charts.svg import classes, drawn, find_all, texts


def test_each_indicators_colours_are_counted_with_the_counts_printed() -> None:
    chart = distribution_chart(
        key="d", title="Rio Verde County: LEAs by colour", counted="LEAs",
        indicators=[("English Language Arts", {1: 3, 2: 5, 4: 12}),
                    ("Chronic Absenteeism", {0: 2, 5: 9})],
    )  # fmt: skip
    svg = drawn(chart)
    assert texts(svg, "chart-value") == ["Red 3 · Orange 5 · Green 12", "Blue 9 · no colour 2"]
    segments = find_all(svg, "rect", "chart-bar")
    assert [sorted(classes(s) - {"chart-bar"}) for s in segments] == [
        ["chart-c1"], ["chart-c2"], ["chart-c4"], ["chart-c5"], ["chart-c0"]]  # fmt: skip
    widths = [float(s.get("width", "")) for s in segments]
    assert widths[2] == 4 * widths[0]  # one count axis: 12 LEAs are four times 3
    assert "12" in texts(svg, "chart-count")
    assert chart.frame.axes[0].label == "Number of LEAs"
    assert chart.frame.table.rows[1] == ("Chronic Absenteeism", "0", "0", "0", "0", "9", "2", "11")
