"""Anhøj rules (Anhøj & Olesen 2014; R qicharts2): unusually long run, unusually few crossings."""

from __future__ import annotations

import pytest

from continuum.improvement.runchart import anhoej, crossings_limit, longest_run_limit

# Critical values for the longest run, round(log2(n) + 3), as tabulated for n = 10 to 109 on
# https://unaettie.com/en-us/faq.php ("Critical values for run length in run chart").
PUBLISHED_LONGEST_RUN = {10: 6, 11: 6, 12: 7, 20: 7, 22: 7, 23: 8, 45: 8, 46: 9, 90: 9, 91: 10}


@pytest.mark.parametrize(("n", "limit"), sorted(PUBLISHED_LONGEST_RUN.items()))
def test_longest_run_limit_matches_the_published_table(n: int, limit: int) -> None:
    assert longest_run_limit(n) == limit


# The qicharts2 vignette, "Quality Improvement Charts" (Anhøj; R package qicharts2 on CRAN,
# anhoej/qicharts2), Appendix 2, "Critical values for longest run and number of crossings",
# n = 10 to 100 useful observations: the lower limit for the number of crossings, row by row.
PUBLISHED_CROSSINGS = dict(enumerate(
    [2, 2, 3, 3, 4, 4, 4, 5, 5, 6, 6, 6, 7, 7, 8, 8, 8, 9, 9, 10, 10, 11, 11, 11, 12, 12, 13, 13,
     14, 14, 14, 15, 15, 16, 16, 17, 17, 17, 18, 18, 19, 19, 20, 20, 21, 21, 21, 22, 22, 23, 23,
     24, 24, 25, 25, 25, 26, 26, 27, 27, 28, 28, 29, 29, 29, 30, 30, 31, 31, 32, 32, 33, 33, 34,
     34, 34, 35, 35, 36, 36, 37, 37, 38, 38, 39, 39, 39, 40, 40, 41, 41],
    start=10,
))  # fmt: skip
# The same appendix's upper limit for the longest run: 6 up to 11, 7 up to 22, 8 up to 45, 9 up
# to 90, 10 up to 100.
PUBLISHED_RUN_LIMITS = {n: 6 if n <= 11 else 7 if n <= 22 else 8 if n <= 45 else 9 if n <= 90
                        else 10 for n in range(10, 101)}  # fmt: skip


def test_crossings_limit_matches_the_published_appendix_for_10_to_100_points() -> None:
    assert len(PUBLISHED_CROSSINGS) == 91
    assert {n: crossings_limit(n) for n in PUBLISHED_CROSSINGS} == PUBLISHED_CROSSINGS


def test_longest_run_limit_matches_the_published_appendix_for_10_to_100_points() -> None:
    assert {n: longest_run_limit(n) for n in PUBLISHED_RUN_LIMITS} == PUBLISHED_RUN_LIMITS


def test_limits_of_the_published_worked_example_with_22_useful_points() -> None:
    # Anhøj, "Run charts with R" (vignette of the R package qicharts, CRAN), Figure 2: 24 points,
    # 22 not on the median, longest run 10, 3 crossings; "the longest run is longer than
    # predicted (7) and the number of crossings is smaller than predicted (7)".
    # Points shaped like that figure: 22 off the median, runs of 1, 5, 10 and 6 points.
    result = anhoej([1] * 1 + [9] * 5 + [1] * 10 + [9] * 6)
    assert (result.useful_observations, result.longest_run, result.crossings) == (22, 10, 3)
    assert (result.longest_run_limit, result.crossings_limit) == (7, 7)
    assert [signal.kind for signal in result.signals] == ["long_run", "few_crossings"]


def test_run_of_seven_among_twelve_is_not_unusual_but_eight_is() -> None:
    # 12 useful points (the 5s sit on the median): limit 7.
    seven = [1, 2, 3, 1, 2, 3, 1, 9, 5, 9, 5, 9, 5, 9, 9]
    eight = [1, 2, 3, 1, 2, 3, 1, 2, 9, 5, 9, 5, 9, 5, 9, 5, 5]
    assert anhoej(seven).median == anhoej(eight).median == 5
    assert anhoej(seven).useful_observations == anhoej(eight).useful_observations == 12
    assert anhoej(seven).longest_run == 7
    assert [s.kind for s in anhoej(seven).signals if s.kind == "long_run"] == []
    reading = anhoej(eight)
    assert reading.longest_run == 8
    long_runs = [s for s in reading.signals if s.kind == "long_run"]
    assert [(s.first, s.last) for s in long_runs] == [(0, 7)]
    assert "8 points in a row below the median" in long_runs[0].description


def test_few_crossings_from_both_sides_at_twelve() -> None:
    # Limit 3 crossings for 12 useful points: 3 crossings is fine, 2 is a signal.
    three = [1, 1, 1, 9, 9, 9, 1, 1, 1, 9, 9, 9]
    two = [1, 1, 1, 9, 9, 9, 9, 9, 9, 1, 1, 1]
    assert anhoej(three).crossings == 3
    assert "few_crossings" not in [s.kind for s in anhoej(three).signals]
    reading = anhoej(two)
    assert reading.crossings == 2
    assert reading.crossings_limit == 3
    assert "few_crossings" in [s.kind for s in reading.signals]


def test_points_on_the_median_are_not_useful_observations() -> None:
    values = [1, 9, 5, 1, 9, 1, 9, 1, 9, 1, 9, 5, 5]
    reading = anhoej(values)
    assert reading.median == 5
    assert reading.useful_observations == 10
    assert reading.crossings == 9


def test_fewer_than_ten_useful_points_cannot_be_judged_yet() -> None:
    reading = anhoej([1, 2, 3, 4, 5, 6, 7, 8, 9])
    assert reading.signals == ()
    assert reading.longest_run is None
    assert "cannot be judged yet" in reading.not_judged[0]


def test_every_run_beyond_the_limit_is_reported_not_only_the_first() -> None:
    # 16 useful points, limit round(log2(16) + 3) = 7: eight below, then eight above.
    reading = anhoej([1, 2, 3, 1, 2, 3, 1, 2, 9, 8, 9, 8, 9, 8, 9, 8])
    long_runs = [(s.first, s.last) for s in reading.signals if s.kind == "long_run"]
    assert reading.longest_run_limit == 7
    assert long_runs == [(0, 7), (8, 15)]
