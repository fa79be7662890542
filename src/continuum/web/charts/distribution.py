"""The county distribution: per indicator, how many LEAs (or schools) had each colour.

One stacked bar per indicator on one count axis, Red to Blue from the left, each segment
printing its count when it is wide enough, and every count also written out beside the bar
("Red 3 · Orange 5 …"), so that neither colour nor width is the only way to read it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from continuum.dashboard.rules import COLOUR_NAMES
from continuum.web.charts.frame import WIDTH, DataTable, Frame, legend, nice_scale, value_axis

LABEL_WIDTH = 170
PLOT_LEFT = LABEL_WIDTH + 10
PLOT_RIGHT = WIDTH - 20
TOP = 34
ROW = 40
BAR = 16
COLOURS = (1, 2, 3, 4, 5, 0)  # worst to best, then the results with no colour
# A segment narrower than this prints no count inside (the line under the bar has it).
COUNT_FITS = 18


@dataclass(frozen=True)
class Segment:
    """One colour's part of a bar."""

    colour: int
    count: int
    x: float
    width: float

    @property
    def middle(self) -> float:
        """The x where the count is printed."""
        return round(self.x + self.width / 2, 1)

    @property
    def shows_count(self) -> bool:
        """True when the count fits inside the segment."""
        return self.width >= COUNT_FITS


@dataclass(frozen=True)
class IndicatorBar:
    """One indicator's stacked bar and its counts in words."""

    name: str
    y: float
    segments: tuple[Segment, ...]
    words: str

    @property
    def text_y(self) -> float:
        """The baseline of the indicator's name and of the counts inside the bar."""
        return self.y + 12

    @property
    def words_y(self) -> float:
        """The baseline of the counts in words, under the bar."""
        return self.y + BAR + 14


@dataclass(frozen=True)
class DistributionChart:
    """Every indicator's colours counted."""

    frame: Frame
    bars: tuple[IndicatorBar, ...]
    label_x: float = 8
    words_x: float = PLOT_LEFT
    template: str = "charts/_distribution.html"


def _words(counts: Mapping[int, int]) -> str:
    return " · ".join(f"{COLOUR_NAMES[c]} {counts[c]}" for c in COLOURS if counts.get(c))


def distribution_chart(
    *,
    key: str,
    title: str,
    counted: str,
    indicators: Sequence[tuple[str, Mapping[int, int]]],
) -> DistributionChart:
    """Lay out ``(indicator name, {colour code: count})`` rows; ``counted`` names what is
    counted ("LEAs", "schools")."""
    totals = [sum(counts.values()) for _, counts in indicators]
    scale = nice_scale([0, *totals], PLOT_LEFT, PLOT_RIGHT, ticks=5)
    bars = []
    for index, (name, counts) in enumerate(indicators):
        y = TOP + index * ROW
        x = scale.at(0)
        segments = []
        for colour in COLOURS:
            count = counts.get(colour, 0)
            if not count:
                continue
            end = scale.at(sum(counts.get(c, 0) for c in COLOURS[: COLOURS.index(colour) + 1]))
            segments.append(Segment(colour, count, x, round(end - x, 1)))
            x = end
        bars.append(IndicatorBar(name, y, tuple(segments), _words(counts) or f"no {counted}"))
    axis_y = TOP + len(indicators) * ROW
    axis = value_axis(
        scale,
        side="bottom",
        label=f"Number of {counted}",
        offset=axis_y,
        text=lambda v: str(int(v)),
    )
    entries, bottom = legend(
        [(f"chart-c{code}", "square", COLOUR_NAMES[code]) for code in COLOURS],
        left=8,
        top=axis_y + 58,
    )
    desc = f"{title}: " + "; ".join(f"{b.name}: {b.words}" for b in bars) + "."
    table = DataTable(
        caption=f"{title}: {counted} by colour",
        header=("Indicator", *(COLOUR_NAMES[c] for c in COLOURS), "Total"),
        rows=tuple(
            (name, *(str(counts.get(c, 0)) for c in COLOURS), str(total))
            for (name, counts), total in zip(indicators, totals, strict=True)
        ),
    )
    frame = Frame(
        key=key,
        title=title,
        desc=desc,
        width=WIDTH,
        height=int(bottom) + 4,
        axes=(axis,),
        legend=entries,
        table=table,
    )
    return DistributionChart(frame=frame, bars=tuple(bars))
