"""SVG geometry for the equity charts, computed here so that templates only place shapes.

Each chart is a horizontal bar per student group: its gap to all students, left of the zero
line when below, right when above, with the group's name and the value printed beside the bar
(the bar's length is never the only way to read it).
"""

from __future__ import annotations

from dataclasses import dataclass

from continuum.web.accountability.selectors import GapBar

WIDTH = 640
LABEL_WIDTH = 230
ROW_HEIGHT = 22
PLOT_WIDTH = WIDTH - LABEL_WIDTH - 70


@dataclass(frozen=True)
class BarShape:
    """One bar with its label and value positions."""

    name: str
    value: str
    x: float
    y: float
    width: float
    text_y: float
    value_x: float
    below: bool


@dataclass(frozen=True)
class GapChart:
    """A whole chart: size, zero line and bars."""

    title: str
    height: int
    width: int
    zero_x: float
    bars: list[BarShape]


def gap_chart(title: str, bars: list[GapBar]) -> GapChart:
    """Lay out one indicator's gaps."""
    largest = max((abs(bar.gap) for bar in bars), default=1.0) or 1.0
    low = min((bar.gap for bar in bars), default=0.0)
    high = max((bar.gap for bar in bars), default=0.0)
    span = (max(high, 0.0) - min(low, 0.0)) or largest
    scale = PLOT_WIDTH / span
    zero_x = LABEL_WIDTH + 10 + (-min(low, 0.0)) * scale
    shapes = []
    for index, bar in enumerate(bars):
        y = 8 + index * ROW_HEIGHT
        length = abs(bar.gap) * scale
        x = zero_x - length if bar.gap < 0 else zero_x
        shapes.append(
            BarShape(
                name=bar.name,
                value=f"{bar.gap:+.1f}",
                x=round(x, 1),
                y=y,
                width=round(max(length, 1.0), 1),
                text_y=y + 14,
                value_x=round(x + max(length, 1.0) + 4, 1),
                below=bar.gap < 0,
            )
        )
    return GapChart(
        title=title,
        height=16 + len(bars) * ROW_HEIGHT,
        width=WIDTH,
        zero_x=round(zero_x, 1),
        bars=shapes,
    )
