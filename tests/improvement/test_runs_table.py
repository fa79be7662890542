"""Cross-check of the too-few/too-many-runs table against the exact runs distribution.

The published Table 1 of Perla, Provost & Murray (2011) could not be found in any source
searchable where RUNS_LIMITS was written, so its rows are checked here against the exact
distribution of the number of runs (Swed & Eisenhart 1943) for n useful observations split as
evenly as possible above and below the median: each limit must keep the chance of a false signal
on its side small (at most 6%) without being needlessly wide (at least 0.1%). A mistyped row
fails this.
"""

from __future__ import annotations

from fractions import Fraction
from math import comb

import pytest

from continuum.improvement.runchart import RUNS_LIMITS


def runs_distribution(above: int, below: int) -> dict[int, Fraction]:
    """P(R = r) for a random arrangement of ``above`` and ``below`` points (Swed–Eisenhart)."""
    total = comb(above + below, above)
    distribution = {}
    for runs in range(2, above + below + 1):
        half = runs // 2
        if runs % 2 == 0:
            ways = 2 * comb(above - 1, half - 1) * comb(below - 1, half - 1)
        else:
            ways = comb(above - 1, half) * comb(below - 1, half - 1) + comb(
                above - 1, half - 1
            ) * comb(below - 1, half)
        distribution[runs] = Fraction(ways, total)
    return distribution


def test_the_distribution_sums_to_one_and_matches_a_hand_count() -> None:
    # 2 above and 2 below: AABB, BBAA (2 runs); ABBA, BAAB (3 runs); ABAB, BABA (4 runs).
    assert runs_distribution(2, 2) == {2: Fraction(1, 3), 3: Fraction(1, 3), 4: Fraction(1, 3)}
    assert sum(runs_distribution(10, 11).values()) == 1


@pytest.mark.parametrize(("n", "limits"), sorted(RUNS_LIMITS.items()))
def test_each_row_keeps_false_signals_between_one_in_a_thousand_and_six_percent(
    n: int, limits: tuple[int, int]
) -> None:
    lower, upper = limits
    distribution = runs_distribution(n // 2, n - n // 2)
    too_few = sum(p for runs, p in distribution.items() if runs < lower)
    too_many = sum(p for runs, p in distribution.items() if runs > upper)
    assert Fraction(1, 1000) <= too_few <= Fraction(6, 100)
    assert Fraction(1, 1000) <= too_many <= Fraction(6, 100)
