"""SVG geometry for a driver diagram, computed here so that templates only place shapes.

The diagram reads left to right: the aim, the primary drivers, the secondary drivers under
each, and the change ideas attached to either. Each box wraps its text; a parent's box is
centred on the rows of its children, and an elbow line joins each parent to each child.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from continuum.web.assistance.models import ChangeIdea, Driver

Column = Literal["aim", "primary", "secondary", "idea"]
COLUMNS: tuple[tuple[Column, str], ...] = (
    ("aim", "Aim"),
    ("primary", "Primary drivers"),
    ("secondary", "Secondary drivers"),
    ("idea", "Change ideas"),
)
BOX_WIDTH = 170
GUTTER = 34
LINE_HEIGHT = 15
PADDING = 8
GAP = 10
HEADER = 30
WRAP = 22  # characters per line that fit a box at the diagram's font size
X: dict[Column, int] = {
    column: 4 + index * (BOX_WIDTH + GUTTER) for index, (column, _) in enumerate(COLUMNS)
}


@dataclass(frozen=True)
class Line:
    """One line of text in a box."""

    x: float
    y: float
    text: str


@dataclass
class Box:
    """One statement of the diagram: position, size and its wrapped lines."""

    column: Column
    text: str
    x: float
    y: float = 0.0
    lines: list[Line] = field(default_factory=list)

    @property
    def width(self) -> int:
        """The box's width (the same in every column)."""
        return BOX_WIDTH

    @property
    def height(self) -> float:
        """Tall enough for the wrapped text."""
        return len(self.wrapped) * LINE_HEIGHT + 2 * PADDING

    @property
    def wrapped(self) -> list[str]:
        """The text broken into lines that fit the box."""
        return textwrap.wrap(self.text, WRAP, break_long_words=True) or [""]

    def place(self, y: float) -> None:
        """Put the box's top at ``y`` and lay out its lines."""
        self.y = round(y, 1)
        self.lines = [
            Line(self.x + PADDING, round(y + PADDING + (index + 1) * LINE_HEIGHT - 4, 1), text)
            for index, text in enumerate(self.wrapped)
        ]


@dataclass(frozen=True)
class Header:
    """A column's heading."""

    x: float
    text: str


@dataclass(frozen=True)
class DriverDiagram:
    """The whole diagram: size, column headings, boxes and connecting lines."""

    width: int
    height: float
    headers: list[Header]
    boxes: list[Box]
    connectors: list[str]
    desc: str


@dataclass
class _Node:
    """A box and the boxes it leads to."""

    box: Box
    children: list[_Node] = field(default_factory=list)

    @property
    def block(self) -> float:
        """The height of the rows this node and everything under it take."""
        inner = sum(child.block for child in self.children) + GAP * max(len(self.children) - 1, 0)
        return max(inner, self.box.height)

    def place(self, top: float, connectors: list[str]) -> None:
        """Centre the box on its rows, stack the children's rows, and join them to it."""
        block = self.block
        self.box.place(top + (block - self.box.height) / 2)
        inner = sum(child.block for child in self.children) + GAP * max(len(self.children) - 1, 0)
        cursor = top + (block - inner) / 2
        for child in self.children:
            child.place(cursor, connectors)
            connectors.append(_connector(self.box, child.box))
            cursor += child.block + GAP

    def boxes(self) -> list[Box]:
        """This box and every box under it, parents first."""
        return [self.box] + [box for child in self.children for box in child.boxes()]


def _connector(parent: Box, child: Box) -> str:
    """An elbow from the middle of the parent's right side to the middle of the child's left.
    It turns in the gutter beside the parent, so a change idea attached straight to a primary
    driver crosses the secondary column on its own row, which no secondary driver occupies."""
    x1, y1 = parent.x + BOX_WIDTH, round(parent.y + parent.height / 2, 1)
    x2, y2 = child.x, round(child.y + child.height / 2, 1)
    turn = x1 + GUTTER / 2
    return f"M{x1},{y1} H{turn} V{y2} H{x2}"


def _ideas(ideas: Iterable[ChangeIdea]) -> list[_Node]:
    return [_Node(Box("idea", idea.text, X["idea"])) for idea in ideas]


def _primary(driver: Driver) -> _Node:
    secondaries = [
        _Node(Box("secondary", child.text, X["secondary"]), _ideas(child.change_ideas.all()))
        for child in driver.children.all()
    ]
    return _Node(
        Box("primary", driver.text, X["primary"]),
        secondaries + _ideas(driver.change_ideas.all()),
    )


def driver_diagram(aim: str, primaries: Sequence[Driver]) -> DriverDiagram:
    """Lay out the diagram of an aim and its primary drivers (with their secondary drivers and
    change ideas prefetched: ``children`` and ``change_ideas``)."""
    root = _Node(Box("aim", aim or "No aim written yet", X["aim"]),
                 [_primary(driver) for driver in primaries])  # fmt: skip
    connectors: list[str] = []
    root.place(HEADER, connectors)
    boxes = root.boxes()
    count = {column: sum(box.column == column for box in boxes) for column, _ in COLUMNS}
    desc = (
        f"Aim: {aim or 'not written yet'}. {count['primary']} primary driver(s), "
        f"{count['secondary']} secondary driver(s) and {count['idea']} change idea(s), read left "
        "to right; the same tree is listed below the diagram."
    )
    return DriverDiagram(
        width=X["idea"] + BOX_WIDTH + 4,
        height=round(HEADER + root.block + 8, 1),
        headers=[Header(X[column], name) for column, name in COLUMNS],
        boxes=boxes,
        connectors=connectors,
        desc=desc,
    )
