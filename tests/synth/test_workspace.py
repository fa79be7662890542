"""The demo workspace's synthetic improvement work: deterministic, and run charts that show
what the rules read."""

from __future__ import annotations

import dataclasses

from continuum.improvement import mtss
from continuum.improvement.runchart import run_chart
from continuum.synth.workspace import Focus, county_learning, engagement_work

FOCUS = Focus("Alder Unified", "34600010000000", 2025, "SWD", "students with disabilities",
              "CHRO", "32.2%")  # fmt: skip


def test_same_focus_and_seed_give_the_same_work_and_another_seed_other_values() -> None:
    first = engagement_work(FOCUS, items=list(mtss.ITEMS), seed=1)
    assert engagement_work(FOCUS, items=list(mtss.ITEMS), seed=1) == first
    other = engagement_work(FOCUS, items=list(mtss.ITEMS), seed=2)
    assert [p.value for p in other.measures[0].points] != [
        p.value for p in first.measures[0].points
    ]


def test_outcome_measure_has_a_median_judged_runs_and_exactly_one_shift() -> None:
    for seed in range(5):
        outcome = engagement_work(FOCUS, items=list(mtss.ITEMS), seed=seed).measures[0]
        chart = run_chart([p.value for p in outcome.points])
        assert chart.median is not None and chart.expected_runs is not None
        assert [s.kind for s in chart.signals] == ["shift"]


def test_lower_is_better_measures_improve_downwards() -> None:
    suspension = dataclasses.replace(FOCUS, indicator="SUSP", status="9.1%")
    work = engagement_work(suspension, items=list(mtss.ITEMS), seed=3)
    outcome = work.measures[0]
    assert not outcome.higher_is_better
    assert outcome.points[-1].value < outcome.points[0].value
    assert work.aim_target < work.aim_baseline


def test_each_cycle_tests_a_change_idea_of_the_driver_diagram() -> None:
    work = engagement_work(FOCUS, items=list(mtss.ITEMS), seed=1)
    ideas = {i.text for d in work.drivers for s in d.secondaries for i in s.ideas}
    assert {cycle.idea for cycle in work.cycles} <= ideas
    names = {measure.name for measure in work.measures}
    assert all(set(cycle.measures) <= names for cycle in work.cycles)


def test_attendance_comes_only_from_the_leas_given() -> None:
    leas = ["34600010000000", "34600020000000"]
    learning = county_learning(leas, seed=1)
    seen = {cds for plan in learning for s in plan.sessions for cds, _, _ in s.attendance}
    assert seen and seen <= set(leas)
