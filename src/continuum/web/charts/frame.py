"""What every chart shares: a linear scale with round ticks, axes, a legend, a text alternative.

One implementation for all charts, so that two charts with the same scale draw the same ticks
and every chart has a title, a description, labelled axes, a legend and its data as a table.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

WIDTH = 640
TITLE_Y = 18
# A rough width of one character of the 12 px chart font, to lay legend entries out in rows.
CHARACTER_WIDTH = 6.6
LEGEND_ROW = 18
STYLESHEET = Path(__file__).parent.parent / "static" / "continuum" / "site.css"
STYLES_HEADING = "/* charts */"


def number(value: float) -> str:
    """A value as the charts print it: one decimal at most, no trailing '.0', never '-0'."""
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


@dataclass(frozen=True)
class LinearScale:
    """Values from ``low`` to ``high`` drawn from pixel ``start`` to pixel ``end``."""

    low: float
    high: float
    start: float
    end: float
    step: float

    def at(self, value: float) -> float:
        """The pixel position of a value."""
        return round(
            self.start + (value - self.low) / (self.high - self.low) * (self.end - self.start), 1
        )

    def values(self) -> list[float]:
        """The tick values: every ``step`` from ``low`` to ``high``."""
        count = round((self.high - self.low) / self.step)
        return [round(self.low + index * self.step, 6) for index in range(count + 1)]


def _nice_step(span: float, ticks: int) -> float:
    """1, 2 or 5 times a power of ten, so that ``span`` holds about ``ticks`` steps."""
    raw = span / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1.0, 2.0, 5.0, 10.0) if m * power >= raw)


def nice_scale(values: Iterable[float], start: float, end: float, *, ticks: int = 5) -> LinearScale:
    """A scale over ``values`` whose ends are round numbers (one tick every round step)."""
    found = list(values)
    low, high = (min(found), max(found)) if found else (0.0, 1.0)
    if low == high:
        low, high = low - 1, high + 1
    step = _nice_step(high - low, ticks)
    return LinearScale(
        low=math.floor(low / step) * step,
        high=math.ceil(high / step) * step,
        start=start,
        end=end,
        step=step,
    )


@dataclass(frozen=True)
class Tick:
    """A tick on an axis: its position along the axis and its label."""

    at: float
    text: str


@dataclass(frozen=True)
class TickMark:
    """A tick as drawn: its mark (x1, x2, y1, y2), label position and text, and its grid line
    (x1, x2, y1, y2) when the axis has one."""

    x1: float
    x2: float
    y1: float
    y2: float
    label_x: float
    label_y: float
    text: str
    grid: tuple[float, float, float, float] | None


@dataclass(frozen=True)
class Axis:
    """An axis line with ticks and a label. ``side`` "bottom" (values along x) or "left"
    (values along y); ``offset`` is where the line is (its y for bottom, its x for left), and
    ``start``…``end`` the line's extent; ``grid`` is the far edge grid lines reach to."""

    side: Literal["bottom", "left"]
    label: str
    ticks: tuple[Tick, ...]
    offset: float
    start: float
    end: float
    grid: float | None = None

    @property
    def marks(self) -> list[TickMark]:
        """Each tick drawn: its mark across the line, its grid line and its label's position."""
        out = []
        for t in self.ticks:
            if self.side == "bottom":
                out.append(
                    TickMark(
                        t.at,
                        t.at,
                        self.offset,
                        self.offset + 5,
                        t.at,
                        self.offset + 17,
                        t.text,
                        (t.at, t.at, self.grid, self.offset) if self.grid else None,
                    )
                )
            else:
                out.append(
                    TickMark(
                        self.offset - 5,
                        self.offset,
                        t.at,
                        t.at,
                        self.offset - 8,
                        t.at + 4,
                        t.text,
                        (self.offset, self.grid, t.at, t.at) if self.grid else None,
                    )
                )
        return out

    @property
    def line(self) -> tuple[float, float, float, float]:
        """The axis line as x1, x2, y1, y2."""
        if self.side == "bottom":
            return self.start, self.end, self.offset, self.offset
        return self.offset, self.offset, self.start, self.end

    @property
    def label_position(self) -> tuple[float, float]:
        """Where the axis label sits: under the bottom axis, above the left one."""
        if self.side == "bottom":
            return round((self.start + self.end) / 2, 1), self.offset + 34
        return 8, self.start - 26


def value_axis(
    scale: LinearScale,
    *,
    side: Literal["bottom", "left"],
    label: str,
    offset: float,
    grid: float | None = None,
    text: Callable[[float], str] = number,
) -> Axis:
    """The axis of a scale: a tick at every step, labelled with ``text(value)``."""
    ticks = tuple(Tick(scale.at(v), text(v)) for v in scale.values())
    start, end = sorted((scale.start, scale.end))
    return Axis(side=side, label=label, ticks=ticks, offset=offset, start=start, end=end, grid=grid)


@dataclass(frozen=True)
class LegendEntry:
    """One legend entry: its marker (a CSS class and a shape) and its words."""

    css: str
    shape: str
    text: str
    x: float = 0
    y: float = 0

    @property
    def marker_x(self) -> float:
        """The centre of the entry's marker."""
        return self.x + 6

    @property
    def marker_y(self) -> float:
        """The middle of the entry's marker, level with its words."""
        return self.y - 4

    @property
    def points(self) -> str:
        """The marker's corners, for shapes drawn as a polygon."""
        return shape_points(self.shape, self.marker_x, self.marker_y)

    @property
    def line_end(self) -> float:
        """The right end of a line marker."""
        return self.x + 12

    @property
    def text_x(self) -> float:
        """Where the words start."""
        return self.x + 16


def legend(
    entries: Sequence[tuple[str, str, str]], *, left: float, top: float, right: float = WIDTH - 8
) -> tuple[tuple[LegendEntry, ...], float]:
    """Lay ``(css, shape, text)`` entries out in rows from (``left``, ``top``); returns them
    placed and the y under the last row."""
    placed = []
    x, y = left, top
    for css, shape, text in entries:
        width = 22 + len(text) * CHARACTER_WIDTH
        if x + width > right and x > left:
            x, y = left, y + LEGEND_ROW
        placed.append(LegendEntry(css, shape, text, round(x, 1), y))
        x += width + 14
    return tuple(placed), y + LEGEND_ROW if entries else top


@dataclass(frozen=True)
class DataTable:
    """The chart's data as a table: the text alternative printed beside it."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Frame:
    """What every chart has. ``key`` makes the ids of its title and description unique."""

    key: str
    title: str
    desc: str
    width: int
    height: int
    axes: tuple[Axis, ...]
    legend: tuple[LegendEntry, ...]
    table: DataTable

    @property
    def title_x(self) -> float:
        """The x of the title (the left edge)."""
        return 8

    @property
    def title_y(self) -> int:
        """The baseline of the title."""
        return TITLE_Y


def shape_points(shape: str, x: float, y: float, r: float = 5) -> str:
    """The corners of a marker shape centred on (x, y), for a ``<polygon>``; "circle" has none."""
    corners: list[tuple[float, float]] = {
        "square": [(-r, -r), (r, -r), (r, r), (-r, r)],
        "diamond": [(0, -r - 1), (r + 1, 0), (0, r + 1), (-r - 1, 0)],
        "triangle": [(0, -r - 1), (r + 1, r), (-r - 1, r)],
        "triangle-down": [(-r - 1, -r), (r + 1, -r), (0, r + 1)],
    }.get(shape, [])
    return " ".join(f"{round(x + dx, 1)},{round(y + dy, 1)}" for dx, dy in corners)


@cache
def print_styles() -> str:
    """The charts' section of the site stylesheet, for PDF pages (which carry their own CSS)."""
    text = STYLESHEET.read_text(encoding="utf-8")
    start = text.find(STYLES_HEADING)
    return text[start:] if start >= 0 else ""
