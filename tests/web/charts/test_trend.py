"""The trend chart: one group's status year by year, empty years left as gaps."""

from __future__ import annotations

from continuum.dashboard.rules import available_years
from continuum.web.charts.trend import TrendChart, YearResult, trend_chart
from tests.web.charts.svg import SVG, drawn, find_all, texts


def _chronic() -> TrendChart:
    return trend_chart(
        key="trend-CHRO", title="Chronic Absenteeism: All Students, year by year", unit="%",
        direction="lower",
        results={2018: YearResult(10.2, None, 0), 2019: YearResult(12.0, 1.8, 2),
                 2022: YearResult(31.5, 19.5, 1), 2023: YearResult(25.0, -6.5, 3)},
        dashboard_years=available_years(),
    )  # fmt: skip


def test_no_dashboard_in_2020_and_2021_breaks_the_line_and_labels_the_gap() -> None:
    chart = _chronic()
    svg = drawn(chart)
    lines = find_all(svg, "polyline", "chart-line")
    assert len(lines) == 2  # 2018–2019, then 2022–2023: nothing joins 2019 to 2022
    assert [len(line.get("points", "").split()) for line in lines] == [2, 2]
    assert texts(svg, "chart-gap") == ["no Dashboard 2020–2021"]  # one label for the two
    assert [(g.first, g.last) for g in chart.gaps] == [(2020, 2021)]
    assert texts(svg, "chart-tick-label")[-6:] == ["2018", "2019", "2020", "2021", "2022", "2023"]


def test_a_stored_dashboard_year_without_a_result_is_a_gap_saying_no_result() -> None:
    chart = trend_chart(
        key="t", title="Mathematics", unit=" points", direction="higher",
        results={2022: YearResult(-30.0), 2024: YearResult(-20.0)},
        dashboard_years=available_years(),
    )  # fmt: skip
    assert [g.text for g in chart.gaps] == ["no result 2023"]
    assert len(chart.lines) == 2


def test_each_years_colour_is_a_word_and_a_shape() -> None:
    svg = drawn(_chronic())
    points = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "chart-point"]
    assert [p.get("data-year") for p in points] == ["2018", "2019", "2022", "2023"]
    assert texts(svg, "chart-point-label") == ["no colour", "Orange", "Red", "Yellow"]
    shapes = [(child.tag.removeprefix(SVG), child.get("class")) for p in points for child in p
              if child.tag != f"{SVG}text"]  # fmt: skip
    assert shapes == [("circle", "chart-c0"), ("polygon", "chart-c2"), ("polygon", "chart-c1"),
                      ("polygon", "chart-c3")]  # fmt: skip
    red, yellow = shapes[2], shapes[3]
    assert red == ("polygon", "chart-c1") and yellow == ("polygon", "chart-c3")


def test_text_alternative_lists_every_year_including_the_gaps() -> None:
    chart = _chronic()
    assert [row[:2] for row in chart.frame.table.rows] == [
        ("2018", "10.2%"), ("2019", "12%"), ("2020", "no Dashboard"), ("2021", "no Dashboard"),
        ("2022", "31.5%"), ("2023", "25%")]  # fmt: skip
    assert "2020–2021: no Dashboard." in chart.frame.desc
    assert chart.frame.axes[0].label == "Status (%; lower is better)"
