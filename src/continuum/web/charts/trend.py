"""An indicator's status year by year for one LEA or school and one student group.

Years run continuously on the x axis, so a year with no Dashboard (2020 and 2021 have no rule
set) or no result is an empty slot: the line stops before it and starts again after it, and the
slot says why. Each year's point carries its colour as a word above it and as a shape (Blue
circle, Green triangle, Yellow diamond, Orange triangle pointing down, Red square, no colour an
empty circle), never by colour alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from continuum.dashboard.rules import COLOUR_NAMES, Direction
from continuum.web.charts.frame import (
    WIDTH,
    Axis,
    DataTable,
    Frame,
    Tick,
    legend,
    nice_scale,
    number,
    shape_points,
    value_axis,
)

LEFT = 70
RIGHT = WIDTH - 30
TOP = 68
BOTTOM = 226
# Colour code -> marker shape, so that a point's colour is also its shape.
COLOUR_SHAPES = {
    5: "circle",
    4: "triangle",
    3: "diamond",
    2: "triangle-down",
    1: "square",
    0: "circle",
}


@dataclass(frozen=True)
class YearResult:
    """One year's result: status, change (None when there is none) and colour (0: none)."""

    status: float
    change: float | None = None
    colour: int = 0


@dataclass(frozen=True)
class TrendPoint:
    """One year's point: position, colour class and shape, and its words."""

    year: int
    x: float
    y: float
    colour: int
    text: str

    @property
    def shape(self) -> str:
        """The marker's shape for the point's colour."""
        return COLOUR_SHAPES[self.colour]

    @property
    def points(self) -> str:
        """The marker's corners (for shapes drawn as a polygon)."""
        return shape_points(self.shape, self.x, self.y)

    @property
    def word(self) -> str:
        """The colour's name printed above the point."""
        return COLOUR_NAMES[self.colour] if self.colour else "no colour"

    @property
    def word_y(self) -> float:
        """Where the colour's name sits (above the marker)."""
        return round(self.y - 10, 1)


@dataclass(frozen=True)
class Gap:
    """Empty year slots in a row (``first`` to ``last``) and why they are empty, labelled once
    in their middle."""

    first: int
    last: int
    x: float
    y: float
    reason: str

    @property
    def years(self) -> str:
        """The years, e.g. '2020' or '2020–2021'."""
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"

    @property
    def text(self) -> str:
        """The label, e.g. 'no Dashboard 2020–2021'."""
        return f"{self.reason} {self.years}"


@dataclass(frozen=True)
class TrendChart:
    """One indicator's years for one group."""

    frame: Frame
    lines: tuple[str, ...]
    points: tuple[TrendPoint, ...]
    gaps: tuple[Gap, ...]
    template: str = "charts/_trend.html"


def trend_chart(
    *,
    key: str,
    title: str,
    unit: str,
    direction: Direction,
    results: Mapping[int, YearResult],
    dashboard_years: Sequence[int],
) -> TrendChart:
    """Lay out the years from the first to the last result; ``dashboard_years`` are the years
    that had a Dashboard (a missing one is labelled "no Dashboard", any other "no result")."""
    years = list(range(min(results), max(results) + 1)) if results else []
    scale = nice_scale([r.status for r in results.values()], BOTTOM, TOP, ticks=4)
    step = (RIGHT - LEFT) / max(len(years) - 1, 1)
    x_of = {
        year: round(LEFT + index * step if len(years) > 1 else (LEFT + RIGHT) / 2, 1)
        for index, year in enumerate(years)
    }
    points = tuple(
        TrendPoint(
            year,
            x_of[year],
            scale.at(r.status),
            r.colour,
            f"{year}: {number(r.status)}{unit}, {COLOUR_NAMES[r.colour]}",
        )
        for year, r in sorted(results.items())
    )
    lines: list[str] = []
    run: list[TrendPoint] = []
    for point in points:
        if run and point.year != run[-1].year + 1:
            lines.append(" ".join(f"{p.x},{p.y}" for p in run))
            run = []
        run.append(point)
    if run:
        lines.append(" ".join(f"{p.x},{p.y}" for p in run))
    empty = [
        (year, "no Dashboard" if year not in dashboard_years else "no result")
        for year in years
        if year not in results
    ]
    spans: list[list[tuple[int, str]]] = []
    for year, reason in empty:
        if spans and spans[-1][-1] == (year - 1, reason):
            spans[-1].append((year, reason))
        else:
            spans.append([(year, reason)])
    middle = round((TOP + BOTTOM) / 2, 1)
    gaps = tuple(
        Gap(span[0][0], span[-1][0], round((x_of[span[0][0]] + x_of[span[-1][0]]) / 2, 1),
            middle, span[0][1])
        for span in spans
    )  # fmt: skip
    why = dict(empty)
    better = "higher" if direction == "higher" else "lower"
    y_axis = value_axis(
        scale,
        side="left",
        label=f"Status ({unit.strip() or 'value'}; {better} is better)",
        offset=LEFT - 14,
        grid=RIGHT,
    )
    x_axis = Axis(
        side="bottom",
        label="Dashboard year",
        ticks=tuple(Tick(x, str(y)) for y, x in x_of.items()),
        offset=BOTTOM + 14,
        start=LEFT,
        end=RIGHT,
    )
    entries, bottom = legend(
        [
            (f"chart-c{code}", COLOUR_SHAPES[code], COLOUR_NAMES[code])
            for code in (5, 4, 3, 2, 1, 0)
        ],
        left=8,
        top=BOTTOM + 70,
    )
    gap_words = "; ".join(f"{g.years}: {g.reason}" for g in gaps)
    desc = (
        f"{title}: " + "; ".join(p.text for p in points) + "." + (f" {gap_words}." if gaps else "")
        if points
        else f"{title}: no result stored."
    )
    table = DataTable(
        caption=title,
        header=("Dashboard year", "Status", "Change", "Colour"),
        rows=tuple(
            (
                str(year),
                f"{number(results[year].status)}{unit}",
                "–" if results[year].change is None else f"{results[year].change:+.1f}",
                COLOUR_NAMES[results[year].colour],
            )
            if year in results
            else (str(year), why[year], "–", "–")
            for year in years
        ),
    )
    frame = Frame(
        key=key,
        title=title,
        desc=desc,
        width=WIDTH,
        height=int(bottom) + 4,
        axes=(y_axis, x_axis),
        legend=entries,
        table=table,
    )
    return TrendChart(frame=frame, lines=tuple(lines), points=points, gaps=gaps)
