"""Run-chart rules (Perla, Provost & Murray 2011; IHI) from both sides of each threshold."""

from __future__ import annotations

import math

import pytest

from continuum.errors import ContinuumError
from continuum.improvement.runchart import RUNS_LIMITS, ObservationError, run_chart


def kinds(values: list[float]) -> list[str]:
    return [signal.kind for signal in run_chart(values).signals]


# 12 points alternating around a median of 10: no shift, no trend, 12 runs (more than 11 for 12).
ALTERNATING = [9.0, 11.0] * 6


def test_median_is_centre_line_and_useful_observations_skip_points_on_it() -> None:
    chart = run_chart([1, 2, 3, 4, 5])
    assert chart.median == 3
    assert chart.observations == 5
    assert chart.useful_observations == 4
    assert chart.runs == 2


def test_shift_needs_six_points_not_five() -> None:
    five = [1, 9, 1, 9, 1, 10, 11, 10, 11, 10, 1, 9, 1]
    six = [1, 9, 1, 9, 1, 10, 11, 10, 11, 10, 11, 1, 1]
    assert run_chart(five).median == 9
    # Five points above 9 in a row (indices 5..9): no shift.
    assert "shift" not in kinds(five)
    chart = run_chart(six)
    shifts = [signal for signal in chart.signals if signal.kind == "shift"]
    assert chart.median == 9
    assert [(signal.first, signal.last) for signal in shifts] == [(5, 10)]
    assert "6 points in a row above the median" in shifts[0].description


def test_points_on_the_median_neither_break_nor_add_to_a_shift() -> None:
    # Median 5. Five low points with two points on the median among them: still only five, no shift.
    chart = run_chart([1, 2, 5, 1, 2, 5, 1, 8, 9, 5, 8, 9, 1, 9, 8, 9])
    assert chart.median == 5
    assert chart.useful_observations == 13
    assert "shift" not in [signal.kind for signal in chart.signals]
    # Six low points interrupted by points on the median: one shift spanning them.
    chart = run_chart([1, 2, 5, 1, 2, 5, 1, 2, 8, 9, 5, 8, 9, 1, 9, 8, 9, 9])
    assert chart.median == 5
    shifts = [signal for signal in chart.signals if signal.kind == "shift"]
    assert [(signal.first, signal.last) for signal in shifts] == [(0, 7)]
    assert "6 points in a row below the median" in shifts[0].description


def test_trend_needs_five_points_not_four() -> None:
    assert "trend" not in kinds([5, 1, 2, 3, 4, 2, 5])  # 1,2,3,4: four points going up
    chart = run_chart([5, 1, 2, 3, 4, 5, 2])
    trends = [signal for signal in chart.signals if signal.kind == "trend"]
    assert [(signal.first, signal.last) for signal in trends] == [(1, 5)]
    assert "5 points in a row all going up" in trends[0].description
    trends = [
        signal for signal in run_chart([1, 9, 8, 7, 6, 5, 7]).signals if signal.kind == "trend"
    ]
    assert [(signal.first, signal.last) for signal in trends] == [(1, 5)]
    assert "going down" in trends[0].description


def test_repeated_values_neither_break_nor_add_to_a_trend() -> None:
    # 1,2,2,3,4: the repeated 2 counts once, so four points — no trend.
    assert "trend" not in kinds([9, 1, 2, 2, 3, 4, 0])
    # 1,2,2,3,3,4,5: five distinct steps up despite repeats — one trend over the whole stretch.
    trends = [
        signal
        for signal in run_chart([9, 1, 2, 2, 3, 3, 4, 5, 0]).signals
        if signal.kind == "trend"
    ]
    assert [(signal.first, signal.last) for signal in trends] == [(1, 7)]


def test_runs_counted_as_crossings_of_the_median_plus_one() -> None:
    chart = run_chart([1, 2, 5, 8, 9, 5, 1, 9])  # median 5; sides L L H H L H
    assert chart.median == 5
    assert chart.useful_observations == 6
    assert chart.runs == 4


@pytest.mark.parametrize(
    ("n", "limits"), [(10, (3, 9)), (16, (5, 13)), (20, (6, 16)), (30, (11, 21)), (60, (24, 37))]
)
def test_runs_table_at_several_n(n: int, limits: tuple[int, int]) -> None:
    assert RUNS_LIMITS[n] == limits
    assert run_chart(ALTERNATING[:2] * (n // 2)).expected_runs == limits


def _series(run_lengths: list[int]) -> list[float]:
    """Runs alternately below (1.0, 2.0, ...) and above (11.0, 12.0, ...) a median of 6.5."""
    values: list[float] = []
    for number, length in enumerate(run_lengths):
        base = 1.0 if number % 2 == 0 else 11.0
        values += [base + (index % 2) for index in range(length)]
    return values


def test_too_few_runs_from_both_sides_at_twenty() -> None:
    # 20 useful observations: 6 to 16 runs expected. Runs of at most 5 avoid shifts; values
    # alternate within a run so there is no trend; 10 points each side keep all off the median.
    chart = run_chart(_series([5, 5, 4, 4, 1, 1]))
    assert (chart.useful_observations, chart.runs, chart.expected_runs) == (20, 6, (6, 16))
    assert chart.signals == ()
    chart = run_chart(_series([4, 5, 5, 5, 1]))
    assert (chart.useful_observations, chart.runs) == (20, 5)
    too_few = [signal for signal in chart.signals if signal.kind == "too_few_runs"]
    assert [(signal.first, signal.last) for signal in too_few] == [(0, 19)]
    assert "5 runs where 6 to 16 are expected" in too_few[0].description


def test_too_many_runs_from_both_sides_at_twelve() -> None:
    # 12 useful observations: 3 to 11 runs expected.
    chart = run_chart(ALTERNATING)
    assert (chart.useful_observations, chart.runs, chart.expected_runs) == (12, 12, (3, 11))
    too_many = [signal for signal in chart.signals if signal.kind == "too_many_runs"]
    assert len(too_many) == 1
    assert "12 runs where 3 to 11 are expected" in too_many[0].description
    chart = run_chart([9.0, 11.0] * 4 + [9.0, 11.0, 11.0, 9.0])
    assert (chart.useful_observations, chart.runs) == (12, 11)
    assert chart.signals == ()


def test_balestracci_sixteen_points_with_only_four_runs() -> None:
    """Davis Balestracci, "An Underrated Test for Run Charts", Quality Digest, October 2008
    (https://m.qualitydigest.com/magazine/2008/oct/department/underrated-test-run-charts.html).

    His worked example: 16 monthly points after an intervention at the sixth, with runs of
    lengths 7, 7, 1 and 1 about the median — only 4 runs — and no run of 8. He judges 4 runs too
    few for 16 points (his table gives 5–12; Perla's Table 1 gives 5–13: the lower limit agrees).
    The article shows the pattern, not the values, so these values reproduce the published run
    structure; Perla's 6-point shift rule also fires on both runs of 7, which Balestracci's
    run-of-8 rule did not.
    """
    values = [30, 28, 31, 27, 32, 29, 33, 12, 14, 11, 15, 13, 16, 10, 25, 20]
    chart = run_chart(values)
    assert chart.useful_observations == 16
    assert chart.runs == 4
    assert chart.expected_runs == (5, 13)
    assert [(signal.kind, signal.first, signal.last) for signal in chart.signals] == [
        ("shift", 0, 6),
        ("too_few_runs", 0, 15),
        ("shift", 7, 13),
    ]


def test_short_series_says_which_rules_cannot_be_judged_yet() -> None:
    chart = run_chart([3, 4])
    assert chart.signals == ()
    assert not chart.can_judge
    assert len(chart.not_judged) == 3
    assert all("cannot be judged yet" in sentence for sentence in chart.not_judged)
    chart = run_chart([1, 2, 3, 4, 5])  # 4 points off the median: only the trend rule applies
    assert chart.can_judge
    assert [signal.kind for signal in chart.signals] == ["trend"]
    assert [sentence.split(":")[0] for sentence in chart.not_judged] == [
        "Shift cannot be judged yet",
        "Runs cannot be judged yet",
    ]
    empty = run_chart([])
    assert empty.median is None and empty.runs is None and not empty.can_judge


def test_beyond_the_table_runs_are_not_judged() -> None:
    chart = run_chart(ALTERNATING * 6)  # 72 useful observations
    assert chart.expected_runs is None
    assert any("stops at 60" in sentence for sentence in chart.not_judged)


def test_labels_name_the_observations_in_descriptions() -> None:
    labels = [f"2025-{month:02d}" for month in range(1, 8)]
    chart = run_chart([5, 1, 2, 3, 4, 5, 2], labels=labels)
    assert "from observation 2 (2025-02) to observation 6 (2025-06)" in chart.signals[0].description


@pytest.mark.parametrize(
    ("bad", "words"),
    [(None, "missing"), (math.nan, "NaN"), (math.inf, "infinite"), ("7", "not a number")],
)
def test_bad_values_are_rejected_naming_the_position(bad: object, words: str) -> None:
    with pytest.raises(ObservationError) as raised:
        run_chart([1.0, 2.0, bad], labels=["Jan", "Feb", "Mar"])  # type: ignore[list-item]
    assert isinstance(raised.value, ContinuumError)
    assert raised.value.position == 3
    assert str(raised.value).startswith("Observation 3 (Mar): ")
    assert words in str(raised.value)


def test_labels_must_match_the_observations() -> None:
    with pytest.raises(ObservationError, match="3 observations but 2 labels"):
        run_chart([1, 2, 3], labels=["a", "b"])
