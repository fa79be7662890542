"""The equity view: every student group of one indicator on one common scale.

Each group is a row whose bar runs from the all-students status (the dashed reference line) to
the group's status, on the same axis for every group, so groups can be compared by eye. A bar is
"better" (blue) or "worse" (orange) than all students as the indicator's direction in the rule
data says (lower is better for some), never by its side of the line alone; its value and the
word are printed beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from continuum.dashboard.rules import COLOUR_NAMES, Direction
from continuum.web.charts.frame import (
    WIDTH,
    DataTable,
    Frame,
    legend,
    nice_scale,
    number,
    value_axis,
)

Standing = Literal["better", "worse", "same"]
LABEL_WIDTH = 190
PLOT_LEFT = LABEL_WIDTH + 10
PLOT_RIGHT = WIDTH - 90
TOP = 34
ROW = 24
BAR = 14
STANDING_WORDS: dict[Standing, str] = {
    "better": "better than all students",
    "worse": "worse than all students",
    "same": "the same as all students",
}


@dataclass(frozen=True)
class GroupStatus:
    """One student group's status on the indicator, and its Dashboard colour (0: none)."""

    code: str
    name: str
    status: float
    colour: int = 0


@dataclass(frozen=True)
class GroupRow:
    """One group's row: its name, its bar from the reference line, its value and the grid."""

    code: str
    name: str
    standing: Standing
    x: float
    width: float
    y: float
    text_y: float
    value_x: float
    value: str
    grid: tuple[float, ...]

    @property
    def word(self) -> str:
        """The standing printed after the value: 'better', 'worse' or 'same as all'."""
        return "same as all" if self.standing == "same" else self.standing

    @property
    def bar_y(self) -> float:
        """The top of the bar."""
        return self.y + (ROW - BAR) / 2

    @property
    def grid_bottom(self) -> float:
        """The bottom of the row's grid lines."""
        return self.y + ROW


@dataclass(frozen=True)
class EquityChart:
    """One indicator's groups on one scale."""

    frame: Frame
    reference_x: float
    reference_top: float
    reference_bottom: float
    rows: tuple[GroupRow, ...]
    template: str = "charts/_equity.html"


def standing(status: float, everyone: float, direction: Direction) -> Standing:
    """Whether a status is better or worse than all students', as the direction says."""
    if status == everyone:
        return "same"
    return "better" if (status > everyone) == (direction == "higher") else "worse"


def equity_chart(
    *,
    key: str,
    title: str,
    unit: str,
    direction: Direction,
    everyone: float,
    groups: Sequence[GroupStatus],
) -> EquityChart:
    """Lay out the groups of one indicator on a scale common to all of them."""
    scale = nice_scale([everyone, *(g.status for g in groups)], PLOT_LEFT, PLOT_RIGHT)
    grid = tuple(scale.at(v) for v in scale.values())
    reference_x = scale.at(everyone)
    rows = []
    for index, group in enumerate(groups):
        y = TOP + index * ROW
        x = scale.at(group.status)
        left, right = sorted((x, reference_x))
        rows.append(
            GroupRow(
                code=group.code,
                name=group.name,
                standing=standing(group.status, everyone, direction),
                x=left,
                width=round(max(right - left, 2.0), 1),
                y=y,
                text_y=y + ROW / 2 + 4,
                value_x=round(max(right, left + 2.0) + 6, 1),
                value=f"{number(group.status)}{unit}",
                grid=grid,
            )
        )
    axis_y = TOP + len(groups) * ROW + 4
    better = "higher" if direction == "higher" else "lower"
    axis = value_axis(
        scale,
        side="bottom",
        label=f"Status ({unit.strip() or 'value'}; {better} is better)",
        offset=axis_y,
    )
    entries, bottom = legend(
        [
            ("chart-better", "square", "better than all students"),
            ("chart-worse", "square", "worse than all students"),
            ("chart-reference", "line", f"all students ({number(everyone)}{unit})"),
        ],
        left=8,
        top=axis_y + 58,
    )
    counts = {s: sum(1 for r in rows if r.standing == s) for s in STANDING_WORDS}
    desc = (
        f"{title}: {len(rows)} student group{'s' if len(rows) != 1 else ''} on one scale from "
        f"{number(scale.low)} to {number(scale.high)}{unit}; all students {number(everyone)}"
        f"{unit}. {counts['better']} better, {counts['worse']} worse, {counts['same']} the same "
        f"as all students ({better} is better)."
    )
    table = DataTable(
        caption=f"{title}: each group's status, its difference from all students and its colour",
        header=(
            "Student group",
            "Status",
            "Difference from all students",
            "Better or worse",
            "Dashboard colour",
        ),
        rows=tuple(
            (
                g.name,
                f"{number(g.status)}{unit}",
                f"{g.status - everyone:+.1f}",
                STANDING_WORDS[r.standing],
                COLOUR_NAMES.get(g.colour, "no colour"),
            )
            for g, r in zip(groups, rows, strict=True)
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
    return EquityChart(
        frame=frame,
        reference_x=reference_x,
        reference_top=TOP - 4,
        reference_bottom=axis_y,
        rows=tuple(rows),
    )
