"""A measure's run chart: its points in time order, the median, and the signals marked.

The rules come from ``continuum.improvement.runchart``: the IHI rules (Perla, Provost & Murray)
by default, or the Anhøj rules; nothing is re-implemented here. A point that belongs to a shift,
a trend or an unusually long run is drawn as a diamond, and a point the team judged
astronomical as a square, so shape, not colour alone, tells them apart. Each such signal is also
marked by a bracket over its points labelled with its name ("Shift: 6 points"), written out as a
sentence under the chart and stated in the chart's description; the number of runs is printed.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from continuum.improvement.runchart import AnhoejReading, Signal, anhoej, run_chart
from continuum.web.charts.frame import (
    WIDTH,
    Axis,
    DataTable,
    Frame,
    Tick,
    legend,
    nice_scale,
    shape_points,
    value_axis,
)

Rules = Literal["ihi", "anhoej"]
Marker = Literal["point", "signal", "astronomical"]

LEFT = 70
RIGHT = WIDTH - 24
LANE = 16  # vertical room of one row of signal brackets
DATE_TICK_GAP = 110  # pixels between two dates on the x axis (a date is about 70 wide)
# Signals whose points are marked on the chart; runs and crossings concern the whole series.
MARKED = {"shift": "Shift", "trend": "Trend", "long_run": "Unusually long run"}
RULE_NAMES: dict[Rules, str] = {
    "ihi": "IHI rules (Perla, Provost & Murray)",
    "anhoej": "Anhøj rules",
}
MARKER_SHAPES: dict[Marker, str] = {
    "point": "circle",
    "signal": "diamond",
    "astronomical": "square",
}


@dataclass(frozen=True)
class Observation:
    """One data point of a measure."""

    date: datetime.date
    value: float
    astronomical: bool = False
    note: str = ""


@dataclass(frozen=True)
class PointShape:
    """One plotted point: position, marker and what it says."""

    x: float
    y: float
    marker: Marker
    text: str

    @property
    def points(self) -> str:
        """The marker's corners (diamond for a signal, square for an astronomical point)."""
        return shape_points(MARKER_SHAPES[self.marker], self.x, self.y)


@dataclass(frozen=True)
class Bracket:
    """A signal's mark: a line over its points with the signal's name."""

    kind: str
    x1: float
    x2: float
    y: float
    text: str

    @property
    def text_x(self) -> float:
        """Where the label is centred."""
        return round((self.x1 + self.x2) / 2, 1)

    @property
    def text_y(self) -> float:
        """The label's baseline, just above the line."""
        return self.y - 4

    @property
    def foot(self) -> float:
        """The bottom of the bracket's two ends."""
        return self.y + 5


@dataclass(frozen=True)
class MeasureChart:
    """The whole chart of one measure under one set of rules, and its reading in words."""

    frame: Frame | None
    rules: Rules
    rules_name: str
    line: str
    median_y: float | None
    median_text: str
    runs_text: str
    points: tuple[PointShape, ...]
    brackets: tuple[Bracket, ...]
    signals: tuple[str, ...]
    verdict: tuple[str, ...]
    not_judged: tuple[str, ...]
    judged: bool = False
    plot_left: int = LEFT
    plot_right: int = RIGHT
    template: str = "charts/_runchart.html"

    @property
    def median_label_y(self) -> float | None:
        """The baseline of the median's label, at the right end of its line."""
        return None if self.median_y is None else self.median_y - 4


def date_label(day: datetime.date) -> str:
    """A date as people write it, e.g. '3 Feb 2026'."""
    return f"{day.day} {day:%b %Y}"


def _value(value: float) -> str:
    return f"{value:g}"


def _members(values: list[float], median: float, first: int, last: int) -> set[int]:
    """The points a shift, trend or long run covers (points on the median count for neither)."""
    return {index for index in range(first, last + 1) if values[index] != median}


def _length(signal: Signal, values: list[float], median: float) -> int:
    """How many points a signal counts: a trend every point of its span, a shift or a run the
    points off the median."""
    if signal.kind == "trend":
        return signal.last - signal.first + 1
    return len(_members(values, median, signal.first, signal.last))


def _date_ticks(xs: Sequence[float]) -> list[int]:
    """The points whose dates label the x axis: the first, the last, and some between, at
    least ``DATE_TICK_GAP`` pixels apart so that no two dates overlap."""
    chosen = [0]
    for index in range(1, len(xs)):
        if xs[index] - xs[chosen[-1]] >= DATE_TICK_GAP and xs[-1] - xs[index] >= DATE_TICK_GAP:
            chosen.append(index)
    if len(xs) > 1:
        chosen.append(len(xs) - 1)
    return chosen


def _lanes(signals: Sequence[Signal]) -> list[int]:
    """A row for each marked signal's bracket, so that overlapping brackets do not collide."""
    ends: list[int] = []
    lanes = []
    for signal in signals:
        lane = next((i for i, end in enumerate(ends) if end < signal.first), len(ends))
        if lane == len(ends):
            ends.append(signal.last)
        else:
            ends[lane] = signal.last
        lanes.append(lane)
    return lanes


def measure_chart(
    name: str,
    unit: str,
    observations: Sequence[Observation],
    rules: Rules = "ihi",
    *,
    key: str = "rc",
) -> MeasureChart:
    """Lay out a measure's run chart and read it with the chosen rules."""
    ordered = sorted(observations, key=lambda o: o.date)
    values = [o.value for o in ordered]
    labels = [date_label(o.date) for o in ordered]
    suffix = f" {unit}" if unit else ""
    title = f"Run chart: {name}"
    if not ordered:
        return MeasureChart(
            frame=None,
            rules=rules,
            rules_name=RULE_NAMES[rules],
            line="",
            median_y=None,
            median_text="",
            runs_text="",
            points=(),
            brackets=(),
            signals=(),
            verdict=(),
            not_judged=("No data point yet: the chart starts with the first one.",),
        )

    ihi = run_chart(values, labels)
    reading = anhoej(values, labels) if rules == "anhoej" else None
    median = ihi.median
    assert median is not None
    signals = list(reading.signals if reading is not None else ihi.signals)
    not_judged = tuple(reading.not_judged if reading is not None else ihi.not_judged)
    judged = reading.longest_run is not None if reading is not None else ihi.can_judge
    verdict = _verdict(ihi.runs, ihi.expected_runs, ihi.useful_observations, reading)

    marked_signals = [s for s in signals if s.kind in MARKED]
    lanes = _lanes(marked_signals)
    top = 62 + LANE * (max(lanes) + 1 if lanes else 0)
    bottom = top + 150
    scale = nice_scale([*values, median], bottom, top, ticks=4)
    step = (RIGHT - LEFT - 20) / max(len(ordered) - 1, 1)
    xs = [
        round(LEFT + 10 + index * step if len(ordered) > 1 else (LEFT + RIGHT) / 2, 1)
        for index in range(len(ordered))
    ]

    marked: set[int] = set()
    for signal in marked_signals:
        marked |= _members(values, median, signal.first, signal.last)
    brackets = tuple(
        Bracket(
            s.kind,
            xs[s.first] - 4,
            xs[s.last] + 4,
            top - 8 - LANE * lane,
            f"{MARKED[s.kind]}: {_length(s, values, median)} points",
        )
        for s, lane in zip(marked_signals, lanes, strict=True)
    )
    sentences = [signal.description for signal in signals]
    for o, label in zip(ordered, labels, strict=True):
        if o.astronomical:
            sentences.append(
                f"Astronomical point (team judgement): {label}, {_value(o.value)}{suffix}."
            )
    note = {"astronomical": " (astronomical)", "signal": " (part of a signal)", "point": ""}
    points = []
    for index, (o, label) in enumerate(zip(ordered, labels, strict=True)):
        marker: Marker = (
            "astronomical" if o.astronomical else "signal" if index in marked else "point"
        )
        points.append(
            PointShape(
                xs[index],
                scale.at(o.value),
                marker,
                f"{label}: {_value(o.value)}{suffix}{note[marker]}",
            )
        )
    median_text = f"Median {_value(median)}{suffix}"
    runs_text = "" if ihi.runs is None else f"{ihi.runs} run{'s' if ihi.runs != 1 else ''}"

    y_axis = value_axis(scale, side="left", label=unit or "Value", offset=LEFT, grid=RIGHT)
    shown = _date_ticks(xs)
    x_axis = Axis(
        side="bottom",
        label="Date",
        ticks=tuple(Tick(xs[i], labels[i]) for i in shown),
        offset=bottom + 10,
        start=LEFT,
        end=RIGHT,
    )
    entries, end = legend(
        [
            ("chart-run-point", "circle", "data point"),
            ("chart-run-signal", "diamond", "part of a signal"),
            ("chart-run-astronomical", "square", "astronomical (team judgement)"),
            ("chart-median", "line", "median"),
        ],
        left=8,
        top=bottom + 66,
    )
    desc = (
        f"{len(ordered)} points from {labels[0]} to {labels[-1]}; {median_text.lower()}"
        + (f"; {runs_text}" if runs_text else "")
        + f". {RULE_NAMES[rules]}: "
        + (" ".join(sentences) if sentences else "no signal." if judged else "")
        + (" " + " ".join(not_judged) if not_judged else "")
    )
    table = DataTable(
        caption=title,
        header=("Date", f"Value{f' ({unit})' if unit else ''}", "Marked as", "Note"),
        rows=tuple(
            (
                label,
                _value(o.value),
                {
                    "point": "–",
                    "signal": "part of a signal",
                    "astronomical": "astronomical (team judgement)",
                }[p.marker],
                o.note,
            )
            for o, label, p in zip(ordered, labels, points, strict=True)
        ),
    )
    frame = Frame(
        key=key,
        title=title,
        desc=desc,
        width=WIDTH,
        height=int(end) + 4,
        axes=(y_axis, x_axis),
        legend=entries,
        table=table,
    )
    return MeasureChart(
        frame=frame,
        rules=rules,
        rules_name=RULE_NAMES[rules],
        line=" ".join(f"{p.x},{p.y}" for p in points),
        median_y=scale.at(median),
        median_text=median_text,
        runs_text=runs_text,
        points=tuple(points),
        brackets=brackets,
        signals=tuple(sentences),
        verdict=tuple(verdict),
        not_judged=not_judged,
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
