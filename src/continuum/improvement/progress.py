"""Progress monitoring: a student's scores against the aimline from baseline to goal, and the
decision rules a team applies to them (shared/domain/mtss-wellness-and-improvement.md §3.7).

* **three below**: the last 3 consecutive points below the aimline → change the program
  (the aimline rule, US Department of Education summer workshop slides, Warkomski);
* **four-point rule**: with at least 4 points, the last 4 all above the aimline → raise the
  goal or consider less support; all 4 below → intensify (nextpath.education, "Progress
  monitoring decision rules");
* **trend**: with at least 6 points (FastBridge draws no projection with fewer), the
  least-squares trend's slope against the aimline's: steeper → raise the goal; flatter →
  change the program (NCRTI brief 3: a trend line is required for decisions).

A higher score is better unless the measure says lower is better (errors, minutes off task).
Pure: plain Python, no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

MINIMUM_FOR_FOUR_POINT = 4
MINIMUM_FOR_TREND = 6
CONSECUTIVE_BELOW = 3


@dataclass(frozen=True)
class Point:
    day: dt.date
    score: float


@dataclass(frozen=True)
class Aimline:
    """The straight line from the baseline to the goal."""

    baseline: Point
    goal: Point
    lower_is_better: bool = False

    def __post_init__(self) -> None:
        if self.goal.day <= self.baseline.day:
            raise ValueError("the goal's date must come after the baseline's")

    @property
    def slope(self) -> float:
        """Expected change per day."""
        days = (self.goal.day - self.baseline.day).days
        return (self.goal.score - self.baseline.score) / days

    def expected(self, day: dt.date) -> float:
        return self.baseline.score + self.slope * (day - self.baseline.day).days

    def better(self, score: float, than: float) -> bool:
        return score < than if self.lower_is_better else score > than


@dataclass(frozen=True)
class Decision:
    """A prompt for the team: which rule, what it suggests, and the evidence in words."""

    rule: str
    suggestion: str
    evidence: str


def trend_slope(points: Sequence[Point]) -> float:
    """The least-squares slope of score on day (per day)."""
    origin = points[0].day
    xs = [(p.day - origin).days for p in points]
    ys = [p.score for p in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        raise ValueError("the points must be on at least two different days")
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def decisions(aimline: Aimline, points: Sequence[Point]) -> list[Decision]:
    """The decision rules that fire on ``points`` (in date order, after the baseline)."""
    ordered = sorted(points, key=lambda p: p.day)
    if any(b.day == a.day for a, b in pairwise(ordered)):
        raise ValueError("two points share a date")
    if ordered and ordered[0].day <= aimline.baseline.day:
        raise ValueError("points must come after the baseline")
    found: list[Decision] = []
    below = [aimline.better(aimline.expected(p.day), p.score) for p in ordered]
    above = [aimline.better(p.score, aimline.expected(p.day)) for p in ordered]
    if len(ordered) >= MINIMUM_FOR_FOUR_POINT and all(above[-4:]):
        found.append(
            Decision(
                "four-point rule",
                "raise the goal or consider less support",
                f"the last 4 of {len(ordered)} points are above the aimline",
            )
        )
    if len(ordered) >= MINIMUM_FOR_FOUR_POINT and all(below[-4:]):
        found.append(
            Decision(
                "four-point rule",
                "intensify the intervention",
                f"the last 4 of {len(ordered)} points are below the aimline",
            )
        )
    elif len(ordered) >= CONSECUTIVE_BELOW and all(below[-CONSECUTIVE_BELOW:]):
        found.append(
            Decision(
                "three below the aimline",
                "change the program",
                f"the last {CONSECUTIVE_BELOW} points are below the aimline",
            )
        )
    if len(ordered) >= MINIMUM_FOR_TREND:
        trend = trend_slope(ordered)
        weekly, aim_weekly = 7 * trend, 7 * aimline.slope
        words = f"trend {weekly:+.2f} a week against the aimline's {aim_weekly:+.2f}"
        if aimline.better(trend, aimline.slope):
            found.append(
                Decision("trend", "raise the goal", f"{words}, over {len(ordered)} points")
            )
        elif aimline.better(aimline.slope, trend):
            found.append(
                Decision("trend", "change the program", f"{words}, over {len(ordered)} points")
            )
    return found
