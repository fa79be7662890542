"""SVG geometry for a measure's run chart, computed here so that templates only place shapes.

The points are drawn in time order and joined by a line, with the median as a labelled centre
line. The rules come from ``continuum.improvement.runchart``: the IHI rules (Perla, Provost &
Murray) by default, or the Anhøj rules. A point that belongs to a signal (a shift, a trend, an
unusually long run) is drawn as a diamond and a point the team judged astronomical as a square,
so shape, not colour alone, tells them apart; every signal is also written out as a sentence,
and the chart's description states them too.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from continuum.improvement.runchart import AnhoejReading, anhoej, run_chart

Rules = Literal["ihi", "anhoej"]
Marker = Literal["point", "signal", "astronomical"]

WIDTH = 640
HEIGHT = 250
LEFT = 96
RIGHT = WIDTH - 24
TOP = 16
BOTTOM = HEIGHT - 58
# Signals whose points are marked on the chart; runs and crossings concern the whole series.
MARKED = frozenset({"shift", "trend", "long_run"})
RULE_NAMES: dict[Rules, str] = {
    "ihi": "IHI rules (Perla, Provost & Murray)",
    "anhoej": "Anhøj rules",
}


@dataclass(frozen=True)
class Observation:
    """One data point of a measure."""

    date: datetime.date
    value: float
    astronomical: bool = False


@dataclass(frozen=True)
class PointShape:
    """One plotted point: position, marker and what it says."""

    x: float
    y: float
    marker: Marker
    text: str

    @property
    def diamond(self) -> str:
        """The corners of a diamond around the point (for signal markers)."""
        x, y, r = self.x, self.y, 6
        return f"{x},{y - r} {x + r},{y} {x},{y + r} {x - r},{y}"

    @property
    def corner(self) -> tuple[float, float]:
        """The top-left corner of a 10-pixel square around the point (astronomical marker)."""
        return round(self.x - 5, 1), round(self.y - 5, 1)


@dataclass(frozen=True)
class Tick:
    """A label on an axis."""

    x: float
    y: float
    text: str


@dataclass(frozen=True)
class MeasureChart:
    """The whole chart of one measure under one set of rules, and its reading in words."""

    title: str
    rules: Rules
    rules_name: str
    width: int
    height: int
    line: str
    median_y: float | None
    median_text: str
    points: list[PointShape]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    signals: list[str]
    verdict: list[str]
    not_judged: list[str]
    desc: str
    judged: bool = False

    @property
    def plot_left(self) -> int:
        """The x of the plot's left edge (where the median line starts)."""
        return LEFT

    @property
    def plot_right(self) -> int:
        """The x of the plot's right edge."""
        return RIGHT

    @property
    def legend_y(self) -> int:
        """The y of the legend row under the dates."""
        return HEIGHT - 14


def date_label(day: datetime.date) -> str:
    """A date as people write it, e.g. '3 Feb 2026'."""
    return f"{day.day} {day:%b %Y}"


def _number(value: float) -> str:
    return f"{value:g}"


def _members(values: list[float], median: float, first: int, last: int) -> set[int]:
    """The points a shift, trend or long run covers (points on the median count for neither)."""
    return {index for index in range(first, last + 1) if values[index] != median}


def measure_chart(
    name: str, unit: str, observations: Sequence[Observation], rules: Rules = "ihi"
) -> MeasureChart:
    """Lay out a measure's run chart and read it with the chosen rules."""
    ordered = sorted(observations, key=lambda o: o.date)
    values = [o.value for o in ordered]
    labels = [date_label(o.date) for o in ordered]
    suffix = f" {unit}" if unit else ""
    title = f"Run chart: {name}"
    if not ordered:
        return MeasureChart(
            title=title, rules=rules, rules_name=RULE_NAMES[rules], width=WIDTH, height=HEIGHT,
            line="", median_y=None, median_text="", points=[], y_ticks=[], x_ticks=[],
            signals=[], verdict=[],
            not_judged=["No data point yet: the chart starts with the first one."],
            desc=f"{title}. No data point yet.",
        )  # fmt: skip

    ihi = run_chart(values, labels)
    reading = anhoej(values, labels) if rules == "anhoej" else None
    median = ihi.median
    assert median is not None
    signals = list(reading.signals if reading is not None else ihi.signals)
    not_judged = list(reading.not_judged if reading is not None else ihi.not_judged)
    judged = reading.longest_run is not None if reading is not None else ihi.can_judge
    verdict = _verdict(ihi.runs, ihi.expected_runs, ihi.useful_observations, reading)

    marked: set[int] = set()
    for signal in signals:
        if signal.kind in MARKED:
            marked |= _members(values, median, signal.first, signal.last)
    sentences = [signal.description for signal in signals]
    for o, label in zip(ordered, labels, strict=True):
        if o.astronomical:
            sentences.append(
                f"Astronomical point (team judgement): {label}, {_number(o.value)}{suffix}."
            )

    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.08
    low, high = low - pad, high + pad

    def y_of(value: float) -> float:
        return round(BOTTOM - (value - low) / (high - low) * (BOTTOM - TOP), 1)

    step = (RIGHT - LEFT) / max(len(ordered) - 1, 1)
    xs = [round(LEFT + index * step if len(ordered) > 1 else (LEFT + RIGHT) / 2, 1)
          for index in range(len(ordered))]  # fmt: skip
    points = []
    for index, (o, label) in enumerate(zip(ordered, labels, strict=True)):
        marker: Marker = (
            "astronomical" if o.astronomical else "signal" if index in marked else "point"
        )
        note = {"astronomical": " (astronomical)", "signal": " (part of a signal)", "point": ""}
        points.append(
            PointShape(xs[index], y_of(o.value), marker,
                       f"{label}: {_number(o.value)}{suffix}{note[marker]}")
        )  # fmt: skip
    median_text = f"Median {_number(median)}{suffix}"
    # The median is labelled in the left margin, where no point can hide it; the lowest and
    # highest values are labelled too unless they would overlap the median's label.
    median_y = y_of(median)
    y_ticks = [Tick(LEFT - 6, median_y + 4, f"Median {_number(median)}")] + [
        Tick(LEFT - 6, y_of(v) + 4, _number(v))
        for v in sorted({min(values), max(values)})
        if abs(y_of(v) - median_y) >= 14
    ]
    x_ticks = [Tick(xs[0], BOTTOM + 18, labels[0])]
    if len(ordered) > 1:
        x_ticks.append(Tick(xs[-1], BOTTOM + 18, labels[-1]))
    desc = (
        f"{len(ordered)} points from {labels[0]} to {labels[-1]}; {median_text.lower()}. "
        f"{RULE_NAMES[rules]}: "
        + (" ".join(sentences) if sentences else "no signal." if judged else "")
        + (" " + " ".join(not_judged) if not_judged else "")
    )
    return MeasureChart(
        title=title,
        rules=rules,
        rules_name=RULE_NAMES[rules],
        width=WIDTH,
        height=HEIGHT,
        line=" ".join(f"{p.x},{p.y}" for p in points),
        median_y=median_y,
        median_text=median_text,
        points=points,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        signals=sentences,
        verdict=verdict,
        not_judged=not_judged,
        desc=desc,
        judged=judged,
    )


def _verdict(
    runs: int | None,
    expected: tuple[int, int] | None,
    useful: int,
    reading: AnhoejReading | None,
) -> list[str]:
    """The counts behind the rules, with their limits, in words."""
    if reading is not None:
        if reading.longest_run is None or reading.crossings is None:
            return []
        return [
            f"Longest run: {reading.longest_run} points (more than {reading.longest_run_limit} "
            f"would be unusual for {useful} points off the median).",
            f"Crossings of the median: {reading.crossings} (fewer than "
            f"{reading.crossings_limit} would be unusual).",
        ]
    if runs is None or expected is None:
        return []
    lower, upper = expected
    within = lower <= runs <= upper
    return [
        f"Runs: {runs}; {lower} to {upper} are expected for {useful} points off the median "
        f"(Perla, Provost & Murray, Table 1): "
        + ("within the limits." if within else "outside the limits, a signal.")
    ]
