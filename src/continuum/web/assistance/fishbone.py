"""SVG geometry of the fishbone (cause-and-effect) diagram, computed here so that the template
only places shapes.

The problem of practice sits in the head at the right end of the spine. Each category is a bone
leaning back from the spine, alternately above and below it; its causes are horizontal ribs on
the bone, each labelled. Long text is wrapped at word boundaries and cut with an ellipsis after a
few lines: the page lists every category and cause in full below the drawing.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

LINE = 15  # line height of 12px text
CHAR = 7.0  # a generous width of a 12px character, to wrap text to a width in pixels
MARGIN = 8
SLANT = 60  # how far a bone leans back from the spine
LEFT = SLANT + MARGIN  # room for the first bone's lean
HEAD_WIDTH = 200
COLUMN_MAX, COLUMN_MIN = 300, 170
WIDTH = 960
RIB_GAP = 24  # between a rib's free end and the previous bone
CAUSE_LINES, LABEL_LINES, HEAD_LINES = 3, 2, 8
PAD = 10


@dataclass(frozen=True)
class Line:
    """One line of a text block, at its baseline."""

    y: float
    text: str


@dataclass(frozen=True)
class TextBlock:
    """Wrapped text starting at ``x``."""

    x: float
    lines: list[Line]


@dataclass(frozen=True)
class Rib:
    """A cause: a horizontal line from the bone, its label above it, its full text (the label
    may be cut)."""

    text: str
    x1: float
    x2: float
    y: float
    label: TextBlock


@dataclass(frozen=True)
class Bone:
    """A category: a line from the spine to its outer end, its name there, its causes."""

    name: str
    x1: float
    y1: float
    x2: float
    y2: float
    label: TextBlock
    ribs: list[Rib]


@dataclass(frozen=True)
class Fishbone:
    """The whole drawing."""

    width: float
    height: float
    spine_y: float
    spine_x: float
    head_x: float
    head_y: float
    head_width: float
    head_height: float
    head: TextBlock
    bones: list[Bone]


def wrap(text: str, width_px: float, most: int) -> list[str]:
    """``text`` in lines that fit ``width_px``, at most ``most`` of them (the last one ending in
    an ellipsis when the text was cut)."""
    lines = textwrap.wrap(" ".join(text.split()), width=max(int(width_px / CHAR), 8)) or [""]
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][: max(int(width_px / CHAR) - 1, 1)].rstrip() + "…"
    return lines


def _block_height(lines: list[str]) -> float:
    return len(lines) * LINE + 8


def fishbone(problem: str, categories: Sequence[tuple[str, Sequence[str]]]) -> Fishbone:
    """Lay out the problem and each (category name, cause texts) pair."""
    columns = max((len(categories) + 1) // 2, 1)
    column = min(max((WIDTH - LEFT - HEAD_WIDTH - 2 * MARGIN) / columns, COLUMN_MIN), COLUMN_MAX)
    rib = column - RIB_GAP
    text = rib - 12  # keep a cause's label clear of its bone
    wrapped = [
        (wrap(name, rib, LABEL_LINES), [wrap(cause, text, CAUSE_LINES) for cause in causes])
        for name, causes in categories
    ]
    # Each side is as tall as its tallest bone: the causes stacked, plus padding.
    reach = [PAD + sum(_block_height(c) for c in causes) + PAD for _, causes in wrapped]
    above = max([r for i, r in enumerate(reach) if i % 2 == 0], default=0.0)
    above = max(above, 3 * LINE)
    below = max([r for i, r in enumerate(reach) if i % 2 == 1], default=0.0)
    below = max(below, 3 * LINE)
    label_room = LABEL_LINES * LINE + 6
    head_lines = wrap(problem or "Problem of practice not written yet", HEAD_WIDTH - 16, HEAD_LINES)
    head_height = len(head_lines) * LINE + 16
    spine_y = MARGIN + max(label_room + above, head_height / 2)
    height = spine_y + max(below + label_room, head_height / 2) + MARGIN
    head_x = LEFT + columns * column + MARGIN
    bones = []
    for index, ((name, causes), (full_name, texts)) in enumerate(
        zip(wrapped, categories, strict=True)
    ):
        up = index % 2 == 0
        tip_x = LEFT + (index // 2 + 1) * column
        side = above if up else below
        outer_y = spine_y - side if up else spine_y + side
        outer_x = tip_x - SLANT

        def bone_x(y: float, tip_x: float = tip_x, side: float = side) -> float:
            return tip_x - SLANT * abs(spine_y - y) / side

        # Causes are stacked from the outer end towards the spine above it, from the spine
        # outwards below it, so that the first cause is always the one read first.
        cursor = outer_y + PAD if up else spine_y + PAD
        ribs = []
        for lines, full in zip(causes, texts, strict=True):
            rib_y = cursor + len(lines) * LINE + 2
            x2 = bone_x(rib_y)
            ribs.append(
                Rib(
                    text=full,
                    x1=round(x2 - rib, 1),
                    x2=round(x2, 1),
                    y=round(rib_y, 1),
                    label=_block(x2 - rib, cursor + LINE - 3, lines),
                )
            )
            cursor = rib_y + 6
        label_y = outer_y - (len(name) - 1) * LINE - 6 if up else outer_y + LINE + 2
        bones.append(
            Bone(
                name=full_name,
                x1=tip_x,
                y1=round(spine_y, 1),
                x2=round(outer_x, 1),
                y2=round(outer_y, 1),
                label=_block(outer_x - rib, label_y, name),
                ribs=ribs,
            )
        )
    return Fishbone(
        width=round(head_x + HEAD_WIDTH + MARGIN, 1),
        height=round(height, 1),
        spine_y=round(spine_y, 1),
        spine_x=MARGIN,
        head_x=round(head_x, 1),
        head_y=round(spine_y - head_height / 2, 1),
        head_width=HEAD_WIDTH,
        head_height=head_height,
        head=_block(head_x + 8, spine_y - head_height / 2 + 8 + LINE - 3, head_lines),
        bones=bones,
    )


def _block(x: float, first_y: float, lines: list[str]) -> TextBlock:
    return TextBlock(
        x=round(x, 1),
        lines=[Line(y=round(first_y + i * LINE, 1), text=text) for i, text in enumerate(lines)],
    )
