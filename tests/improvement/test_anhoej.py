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


# qbinom(0.05, n - 1, 0.5) worked by hand: for n = 10, X ~ Binomial(9, 1/2) has
# P(X <= 1) = 10/512 < 0.05 <= P(X <= 2) = 46/512, so the limit is 2; for n = 12,
# P(X <= 2) = 67/2048 < 0.05 <= P(X <= 3) = 232/2048, so 3. The other rows are the values of the
# qicharts2 vignette's table as remembered (the table itself could not be read here); for them
# this test guards the computation against change rather than against the published digits.
@pytest.mark.parametrize(
    ("n", "limit"),
    [(10, 2), (11, 2), (12, 3), (14, 4), (17, 5), (20, 6), (24, 8), (30, 10), (40, 14),
     (50, 19), (60, 23), (100, 41)],
)  # fmt: skip
def test_crossings_limit_is_the_exact_binomial_five_percent_quantile(n: int, limit: int) -> None:
    assert crossings_limit(n) == limit


def test_limits_of_the_published_worked_example_with_22_useful_points() -> None:
    # Anhøj, "Run charts with R" (vignette of the R package qicharts, CRAN), Figure 2: 24 points,
    # 22 not on the median, longest run 10, 3 crossings; "the longest run is longer than
    # predicted (7) and the number of crossings is smaller than predicted (7)".
    assert longest_run_limit(22) == 7
    assert crossings_limit(22) == 7
    assert 10 > longest_run_limit(22) and 3 < crossings_limit(22)


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
