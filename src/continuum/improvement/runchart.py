"""Run-chart rules used in improvement science (Perla, Provost & Murray 2011; IHI).

The centre line is the median of all the observations. Four rules are applied:

* **Shift** — 6 or more consecutive points all above or all below the median. Points exactly on
  the median are skipped: they neither count toward a shift nor break it.
* **Trend** — 5 or more consecutive points all going up or all going down. Repeated equal values
  count once: they neither count toward a trend nor break it.
* **Runs** — a run is a series of points on one side of the median; a new run starts only when
  the data cross the median (points on the median are ignored). Too few or too many runs for the
  number of useful observations (points not on the median) is a signal. Limits come from Perla,
  Provost & Murray 2011, Table 1, which covers 10 to 60 useful observations.
* **Astronomical point** — "an obviously different value that all viewers would agree is
  unusual". The sources give no objective threshold, so this module does not judge it; people
  looking at the chart do.

:func:`anhoej` applies the alternative rules of Anhøj & Olesen (2014), used by R's qicharts2, to
the same useful observations (n): an **unusually long run** is longer than round(log2(n) + 3)
points; **unusually few crossings** of the median are fewer than qbinom(0.05, n − 1, 0.5), the
5% quantile of a binomial distribution, computed here exactly.

Sources: Perla RJ, Provost LP, Murray SK. The run chart: a simple analytical tool for learning
from variation in healthcare processes. BMJ Qual Saf 2011;20:46–51. doi:10.1136/bmjqs.2009.037895.
Anhøj J, Olesen AV. Run charts revisited. PLoS ONE 2014;9(11):e113825.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from continuum.errors import ContinuumError

SHIFT_MIN_POINTS = 6
TREND_MIN_POINTS = 5

# Perla, Provost & Murray 2011, Table 1: number of useful observations (points not on the median)
# -> (lower limit, upper limit) for the number of runs. Fewer runs than the lower limit, or more
# runs than the upper limit, signals non-random variation. NOT CHECKED AGAINST THE PAPER: the
# published table could not be found in any source searchable here, so these values were written
# from memory of it. tests/improvement/test_runchart.py cross-checks every row against the exact
# Swed–Eisenhart distribution of runs: each limit keeps the chance of a false signal on its side
# between 0.1% and 6%, which a mistyped row would break. docs/improvement/run-charts.md says so.
RUNS_LIMITS: dict[int, tuple[int, int]] = {
    10: (3, 9),
    11: (3, 10),
    12: (3, 11),
    13: (4, 11),
    14: (4, 12),
    15: (5, 12),
    16: (5, 13),
    17: (5, 13),
    18: (6, 14),
    19: (6, 15),
    20: (6, 16),
    21: (7, 16),
    22: (7, 17),
    23: (7, 17),
    24: (8, 18),
    25: (8, 18),
    26: (9, 19),
    27: (10, 19),
    28: (10, 20),
    29: (10, 20),
    30: (11, 21),
    31: (11, 22),
    32: (11, 22),
    33: (11, 23),
    34: (12, 23),
    35: (13, 24),
    36: (13, 24),
    37: (13, 25),
    38: (14, 25),
    39: (14, 26),
    40: (15, 26),
    41: (15, 27),
    42: (16, 27),
    43: (16, 28),
    44: (17, 28),
    45: (17, 29),
    46: (17, 30),
    47: (18, 30),
    48: (18, 31),
    49: (19, 31),
    50: (19, 32),
    51: (20, 32),
    52: (20, 33),
    53: (21, 33),
    54: (21, 34),
    55: (22, 34),
    56: (22, 35),
    57: (23, 35),
    58: (23, 36),
    59: (24, 36),
    60: (24, 37),
}
RUNS_TABLE_MIN = min(RUNS_LIMITS)
RUNS_TABLE_MAX = max(RUNS_LIMITS)

SignalKind = Literal["shift", "trend", "too_few_runs", "too_many_runs", "long_run", "few_crossings"]
# Anhøj & Olesen's limits are tabulated (qicharts2) from this many useful observations on.
ANHOEJ_MIN_POINTS = 10


@dataclass(eq=False)
class ObservationError(ContinuumError):
    """An observation that cannot be charted: names its position (1-based) and label, if any."""

    position: int
    message: str
    label: str | None = None

    def __str__(self) -> str:
        where = f"Observation {self.position}"
        if self.label is not None:
            where += f" ({self.label})"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Signal:
    """One non-random pattern: its rule, first and last index (0-based, inclusive), a sentence."""

    kind: SignalKind
    first: int
    last: int
    description: str


@dataclass(frozen=True)
class RunChart:
    """The run-chart reading of a series.

    ``runs`` is ``None`` when there are no useful observations; ``expected_runs`` (lower, upper)
    is ``None`` outside the table's 10–60 useful observations. ``not_judged`` holds a plain
    sentence for each rule that could not be applied; ``signals`` lists what the others found.
    """

    median: float | None
    observations: int
    useful_observations: int
    runs: int | None
    expected_runs: tuple[int, int] | None
    signals: tuple[Signal, ...]
    not_judged: tuple[str, ...]

    @property
    def can_judge(self) -> bool:
        """True when at least one rule could be applied."""
        return len(self.not_judged) < 3


def _label(labels: Sequence[str] | None, index: int) -> str | None:
    return None if labels is None else labels[index]


def _validated(values: Sequence[float | int | None], labels: Sequence[str] | None) -> list[float]:
    if labels is not None and len(labels) != len(values):
        raise ObservationError(
            min(len(labels), len(values)) + 1,
            f"there are {len(values)} observations but {len(labels)} labels; "
            "give one label per observation.",
        )
    clean = []
    for index, value in enumerate(values):
        if value is None:
            raise ObservationError(index + 1, "the value is missing.", _label(labels, index))
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ObservationError(index + 1, f"{value!r} is not a number.", _label(labels, index))
        number = float(value)
        if math.isnan(number):
            raise ObservationError(
                index + 1, "the value is not a number (NaN).", _label(labels, index)
            )
        if math.isinf(number):
            raise ObservationError(index + 1, "the value is infinite.", _label(labels, index))
        clean.append(number)
    return clean


def _name(labels: Sequence[str] | None, index: int) -> str:
    label = _label(labels, index)
    return f"observation {index + 1}" if label is None else f"observation {index + 1} ({label})"


def _span(labels: Sequence[str] | None, first: int, last: int) -> str:
    return f"from {_name(labels, first)} to {_name(labels, last)}"


def _shifts(values: list[float], median: float, labels: Sequence[str] | None) -> list[Signal]:
    """Maximal same-side stretches of ≥6 points, skipping points on the median."""
    signals = []
    side = 0
    members: list[int] = []

    def close() -> None:
        if len(members) >= SHIFT_MIN_POINTS:
            where = "above" if side > 0 else "below"
            signals.append(
                Signal(
                    "shift",
                    members[0],
                    members[-1],
                    f"Shift: {len(members)} points in a row {where} the median, "
                    f"{_span(labels, members[0], members[-1])}.",
                )
            )

    for index, value in enumerate(values):
        if value == median:
            continue
        current = 1 if value > median else -1
        if current != side:
            close()
            side = current
            members = []
        members.append(index)
    close()
    return signals


def _trends(values: list[float], labels: Sequence[str] | None) -> list[Signal]:
    """Maximal stretches of ≥5 points all going up or all going down; repeated values count once."""
    # Keep the first of each group of repeated equal values.
    kept = [index for index, value in enumerate(values) if index == 0 or value != values[index - 1]]
    signals = []
    start = 0
    direction = 0
    for position in range(1, len(kept) + 1):
        step = 0
        if position < len(kept):
            step = 1 if values[kept[position]] > values[kept[position - 1]] else -1
        if position == len(kept) or (direction != 0 and step != direction):
            points = position - start
            if direction != 0 and points >= TREND_MIN_POINTS:
                first, last = kept[start], kept[position - 1]
                where = "going up" if direction > 0 else "going down"
                signals.append(
                    Signal(
                        "trend",
                        first,
                        last,
                        f"Trend: {points} points in a row all {where}, "
                        f"{_span(labels, first, last)}.",
                    )
                )
            start = position - 1
        direction = step
    return signals


def run_chart(
    values: Sequence[float | int | None], labels: Sequence[str] | None = None
) -> RunChart:
    """Apply the run-chart rules to observations in time order (optionally labelled, e.g. by date).

    Raises :class:`ObservationError` naming the first missing, NaN, infinite or non-numeric
    observation.
    """
    series = _validated(values, labels)
    if not series:
        return RunChart(
            None,
            0,
            0,
            None,
            None,
            (),
            (
                f"Shift cannot be judged yet: it needs at least {SHIFT_MIN_POINTS} points "
                "off the median.",
                f"Trend cannot be judged yet: it needs at least {TREND_MIN_POINTS} points.",
                f"Runs cannot be judged yet: they need at least {RUNS_TABLE_MIN} points "
                "off the median.",
            ),
        )
    median = float(statistics.median(series))
    useful = [index for index, value in enumerate(series) if value != median]
    sides = [series[index] > median for index in useful]
    runs = None if not sides else 1 + sum(1 for a, b in itertools.pairwise(sides) if a != b)

    not_judged = []
    signals: list[Signal] = []
    if len(useful) < SHIFT_MIN_POINTS:
        not_judged.append(
            f"Shift cannot be judged yet: it needs at least {SHIFT_MIN_POINTS} points off the "
            f"median and there are {len(useful)}."
        )
    else:
        signals += _shifts(series, median, labels)
    if len(series) < TREND_MIN_POINTS:
        not_judged.append(
            f"Trend cannot be judged yet: it needs at least {TREND_MIN_POINTS} points "
            f"and there are {len(series)}."
        )
    else:
        signals += _trends(series, labels)
    expected = RUNS_LIMITS.get(len(useful))
    if expected is None or runs is None:
        if len(useful) < RUNS_TABLE_MIN:
            not_judged.append(
                f"Runs cannot be judged yet: the table of runs starts at {RUNS_TABLE_MIN} "
                f"points off the median and there are {len(useful)}."
            )
        else:
            not_judged.append(
                f"Runs are not judged: the table of runs stops at {RUNS_TABLE_MAX} points "
                f"off the median and there are {len(useful)}."
            )
    else:
        lower, upper = expected
        first, last = useful[0], useful[-1]
        if runs < lower:
            signals.append(
                Signal(
                    "too_few_runs",
                    first,
                    last,
                    f"Too few runs: {runs} runs where {lower} to {upper} are expected for "
                    f"{len(useful)} points off the median; the data cross the median less "
                    "often than chance would.",
                )
            )
        elif runs > upper:
            signals.append(
                Signal(
                    "too_many_runs",
                    first,
                    last,
                    f"Too many runs: {runs} runs where {lower} to {upper} are expected for "
                    f"{len(useful)} points off the median; the data cross the median more "
                    "often than chance would.",
                )
            )
    signals.sort(key=lambda signal: (signal.first, signal.last, signal.kind))
    return RunChart(
        median, len(series), len(useful), runs, expected, tuple(signals), tuple(not_judged)
    )


@dataclass(frozen=True)
class AnhoejReading:
    """The Anhøj rules applied to a series: longest run and crossings with their limits.

    The counts and limits are ``None`` when there are too few useful observations to judge
    (``not_judged`` then says so).
    """

    median: float | None
    useful_observations: int
    longest_run: int | None
    longest_run_limit: int | None
    crossings: int | None
    crossings_limit: int | None
    signals: tuple[Signal, ...]
    not_judged: tuple[str, ...]


def longest_run_limit(useful: int) -> int:
    """The longest run expected by chance among ``useful`` observations: round(log2(n) + 3)."""
    return round(math.log2(useful) + 3)


def crossings_limit(useful: int) -> int:
    """The fewest crossings expected by chance: qbinom(0.05, n − 1, 0.5), computed exactly.

    That is the smallest k with P(X ≤ k) ≥ 0.05 for X ~ Binomial(n − 1, ½), whose probabilities
    are whole numbers of 1/2^(n − 1), so integer arithmetic gives the exact answer.
    """
    trials = useful - 1
    total = 2**trials
    cumulative = 0
    for k in range(trials + 1):
        cumulative += math.comb(trials, k)
        # P(X <= k) >= 0.05  <=>  20 * cumulative >= total
        if 20 * cumulative >= total:
            return k
    return trials


def anhoej(
    values: Sequence[float | int | None], labels: Sequence[str] | None = None
) -> AnhoejReading:
    """Apply the Anhøj rules (unusually long run, unusually few crossings) to a series in time
    order; raises :class:`ObservationError` like :func:`run_chart`."""
    series = _validated(values, labels)
    median = float(statistics.median(series)) if series else None
    useful = [index for index, value in enumerate(series) if value != median]
    if len(useful) < ANHOEJ_MIN_POINTS:
        return AnhoejReading(
            median, len(useful), None, None, None, None, (),
            (
                f"The Anhøj rules cannot be judged yet: they need at least {ANHOEJ_MIN_POINTS} "
                f"points off the median and there are {len(useful)}.",
            ),
        )  # fmt: skip
    assert median is not None
    sides = [series[index] > median for index in useful]
    crossings = sum(1 for a, b in itertools.pairwise(sides) if a != b)
    # Every stretch of same-side useful observations, as (start, end) positions in ``useful``.
    stretches = []
    start = 0
    for position in range(1, len(sides) + 1):
        if position == len(sides) or sides[position] != sides[start]:
            stretches.append((start, position - 1))
            start = position
    longest = max(end - begin + 1 for begin, end in stretches)
    run_limit = longest_run_limit(len(useful))
    cross_limit = crossings_limit(len(useful))
    signals = []
    # The rule tests the longest run; every run beyond the limit is reported, so that each
    # unusual stretch is marked, not only the first of equal length.
    for begin, end in stretches:
        if end - begin + 1 > run_limit:
            first, last = useful[begin], useful[end]
            where = "above" if sides[begin] else "below"
            signals.append(
                Signal(
                    "long_run",
                    first,
                    last,
                    f"Unusually long run: {end - begin + 1} points in a row {where} the median "
                    f"where at most {run_limit} are expected for {len(useful)} points off the "
                    f"median, {_span(labels, first, last)}.",
                )
            )
    if crossings < cross_limit:
        signals.append(
            Signal(
                "few_crossings",
                useful[0],
                useful[-1],
                f"Unusually few crossings: the data cross the median {crossings} "
                f"time{'' if crossings == 1 else 's'} where at "
                f"least {cross_limit} are expected for {len(useful)} points off the median.",
            )
        )
    return AnhoejReading(
        median, len(useful), longest, run_limit, crossings, cross_limit, tuple(signals), ()
    )
