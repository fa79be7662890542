"""Progress-monitoring decision rules on constructed series: each fires where it should and
stays quiet where it should not."""

from __future__ import annotations

import datetime as dt

import pytest

from continuum.improvement.progress import Aimline, Point, decisions, trend_slope

BASE = dt.date(2026, 1, 5)
# From 20 to 50 words a minute over 10 weeks: 3 a week on the aimline.
AIM = Aimline(Point(BASE, 20), Point(BASE + dt.timedelta(weeks=10), 50))


def _weekly(offsets: list[float], aim: Aimline = AIM) -> list[Point]:
    """Points one a week after the baseline, ``offset`` above (+) or below (-) the aimline."""
    days = [BASE + dt.timedelta(weeks=week) for week in range(1, len(offsets) + 1)]
    return [
        Point(day, aim.expected(day) + offset) for day, offset in zip(days, offsets, strict=True)
    ]


def _rules(points: list[Point], aim: Aimline = AIM) -> list[tuple[str, str]]:
    return [(d.rule, d.suggestion) for d in decisions(aim, points)]


def test_three_consecutive_points_below_the_aimline_say_change_the_program() -> None:
    assert _rules(_weekly([1, -1, -2, -1])) == [("three below the aimline", "change the program")]


def test_two_below_or_three_not_consecutive_say_nothing() -> None:
    assert _rules(_weekly([-1, -1])) == []
    assert _rules(_weekly([-1, -1, 1, -1, -1])) == []


def test_four_below_the_aimline_say_intensify_instead_of_three_below() -> None:
    assert _rules(_weekly([-1, -2, -1, -3])) == [("four-point rule", "intensify the intervention")]


def test_four_above_the_aimline_say_raise_the_goal() -> None:
    assert _rules(_weekly([2, 1, 3, 1])) == [
        ("four-point rule", "raise the goal or consider less support")
    ]


def test_three_above_or_a_point_on_the_aimline_do_not_fire_the_four_point_rule() -> None:
    assert _rules(_weekly([2, 1, 3])) == []
    assert _rules(_weekly([2, 1, 0, 3])) == []


def _crossing(weeks: int) -> list[Point]:
    """Below the aimline at first, above it at the end, 4 a week (the aimline's 3) give or take
    0.3: no run of 3 below or 4 on one side at the end."""
    return [
        Point(BASE + dt.timedelta(weeks=w), 16 + 4 * w + (0.3 if w % 2 else -0.3))
        for w in range(1, weeks + 1)
    ]


def test_a_trend_steeper_than_the_aimline_over_six_points_says_raise_the_goal() -> None:
    points = _crossing(6)
    assert _rules(points) == [("trend", "raise the goal")]
    # 4 a week less the alternation's pull: 4 - 0.9 / 17.5 = 3.95 (by hand).
    assert decisions(AIM, points)[0].evidence == (
        "trend +3.95 a week against the aimline's +3.00, over 6 points"
    )


def test_a_flatter_trend_over_six_points_says_change_the_program() -> None:
    points = [
        Point(BASE + dt.timedelta(weeks=w), 23 + 1 * w + (2 if w % 2 else -2)) for w in range(1, 7)
    ]
    assert ("trend", "change the program") in _rules(points)


def test_five_points_draw_no_trend() -> None:
    assert _rules(_crossing(5)) == []


def test_lower_is_better_turns_above_and_below_around() -> None:
    errors = Aimline(Point(BASE, 12), Point(BASE + dt.timedelta(weeks=6), 0), lower_is_better=True)
    assert _rules(_weekly([1, 1, 2, 1], errors), errors) == [
        ("four-point rule", "intensify the intervention")
    ]


def test_trend_slope_is_least_squares_per_day() -> None:
    points = [Point(BASE + dt.timedelta(days=d), s) for d, s in ((0, 1), (1, 3), (2, 2), (3, 5))]
    assert trend_slope(points) == pytest.approx(1.1)


def test_bad_series_are_refused() -> None:
    with pytest.raises(ValueError, match="share a date"):
        decisions(
            AIM, [Point(BASE + dt.timedelta(days=1), 1), Point(BASE + dt.timedelta(days=1), 2)]
        )
    with pytest.raises(ValueError, match="after the baseline"):
        decisions(AIM, [Point(BASE, 1)])
    with pytest.raises(ValueError, match="after the baseline's"):
        Aimline(Point(BASE, 1), Point(BASE, 2))
