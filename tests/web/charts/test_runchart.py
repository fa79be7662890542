"""The run chart: median, points, and the signals of ``continuum.improvement.runchart`` marked
and labelled on the chart."""

from __future__ import annotations

import datetime

from continuum.web.charts.runchart import Observation, measure_chart
from tests.web.charts.svg import SVG, drawn, find_all, texts

START = datetime.date(2026, 2, 3)


def _series(values: list[float]) -> list[Observation]:
    return [Observation(START + datetime.timedelta(weeks=i), v) for i, v in enumerate(values)]


def _marked(svg: object, marker: str) -> int:
    return sum(1 for e in find_all(svg, "polygon", f"chart-run-{marker}")  # type: ignore[arg-type]
               if e.find(f"{SVG}title") is not None)  # fmt: skip


def test_a_shift_of_six_points_is_bracketed_labelled_and_its_points_marked() -> None:
    # Median 5: six points above it in a row (8, 7, 9, 8, 7, 9) between points around it.
    chart = measure_chart(
        "Calls answered", "calls", _series([1, 9, 2, 1, 3, 8, 7, 9, 8, 7, 9, 2, 1, 3])
    )
    svg = drawn(chart)
    assert chart.median_text == "Median 5 calls"
    (bracket,) = [g for g in svg.iter(f"{SVG}g") if g.get("data-signal") == "shift"]
    assert texts(bracket, "chart-bracket-label") == ["Shift: 6 points"]
    assert _marked(svg, "signal") == 6
    assert any("Shift: 6 points in a row above the median" in s for s in chart.signals)
    median = find_all(svg, "line", "chart-median")[0]  # the legend draws the second
    assert median.get("y1") == median.get("y2") == str(chart.median_y)


def test_an_unusually_long_run_is_labelled_under_the_anhoej_rules() -> None:
    values = [1, 2, 3, 1, 2, 3, 1, 2, 9, 5, 9, 5, 9, 5, 9, 5, 5]
    chart = measure_chart("Calls", "calls", _series(values), "anhoej")
    svg = drawn(chart)
    assert "Unusually long run: 8 points" in texts(svg, "chart-bracket-label")
    ihi = measure_chart("Calls", "calls", _series(values))
    assert texts(drawn(ihi), "chart-bracket-label") == ["Shift: 8 points"]


def test_the_number_of_runs_is_printed_beside_the_median() -> None:
    chart = measure_chart("Calls", "calls", _series([1, 9, 1, 9, 1, 9]))
    assert texts(drawn(chart), "chart-median-label") == ["Median 5 calls · 6 runs"]


def test_overlapping_signals_get_brackets_in_separate_rows() -> None:
    chart = measure_chart("Calls", "", _series([1, 2, 1, 2, 5, 6, 7, 8, 9, 6, 1, 2]))
    assert {b.kind for b in chart.brackets} == {"trend", "shift"}
    assert len({b.y for b in chart.brackets}) == 2


def test_a_measure_without_points_draws_no_chart_and_says_so() -> None:
    chart = measure_chart("Calls", "calls", [])
    assert chart.frame is None
    assert chart.not_judged == ("No data point yet: the chart starts with the first one.",)


def test_the_data_points_table_carries_markers_and_notes() -> None:
    observations = [*_series([4, 5, 4, 5]), Observation(datetime.date(2026, 3, 10), 40, True,
                                                         "Open house")]  # fmt: skip
    chart = measure_chart("Calls", "calls", observations)
    assert chart.frame is not None
    assert chart.frame.table.header == ("Date", "Value (calls)", "Marked as", "Note")
    assert chart.frame.table.rows[-1] == ("10 Mar 2026", "40", "astronomical (team judgement)",
                                          "Open house")  # fmt: skip
