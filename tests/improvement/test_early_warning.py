"""Early-warning rule sets: each preset reproduces its published rule on hand-made students; a
rules change lists exactly the students whose flags change; bad rule files are refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from continuum.errors import RuleError
from continuum.improvement.early_warning import (
    PRESET_DIR,
    Window,
    flag_changes,
    flags,
    load_rule_set,
    measures,
    preset_keys,
    rule_lines,
)

START = dt.date(2025, 8, 13)
WINDOW = Window(START, dt.date(2026, 6, 5))


class School:
    """Hand-made students: their grade, days absent of days enrolled, incidents and marks."""

    def __init__(self) -> None:
        self.roster: list[dict[str, object]] = []
        self.days: list[dict[str, object]] = []
        self.incidents: list[dict[str, object]] = []
        self.marks: list[dict[str, object]] = []

    def student(
        self,
        student_id: str,
        grade: int,
        *,
        absent: int = 0,
        enrolled: int = 100,
        violations: int = 0,
        state_offenses: int = 0,
        suspension_days: float = 0,
        marks: tuple[tuple[str, str | None, float | None, float], ...] = (),
        behaviour: str | None = None,
    ) -> School:
        self.roster.append({"student_id": student_id, "cds": "01611190130229", "grade": grade})
        for day in range(enrolled):
            present = day >= absent
            self.days.append(
                {
                    "student_id": student_id,
                    "date": START + dt.timedelta(days=day),
                    "present": present,
                }
            )
        kinds = ["violation"] * violations + ["state_offense"] * state_offenses
        for number, kind in enumerate(kinds):
            days = suspension_days if number == 0 else 0.0
            self.incidents.append(
                {
                    "student_id": student_id,
                    "date": START + dt.timedelta(days=number),
                    "kind": kind,
                    "suspension_days": days,
                }
            )
        if suspension_days and not kinds:
            self.incidents.append(
                {
                    "student_id": student_id,
                    "date": START,
                    "kind": "violation",
                    "suspension_days": suspension_days,
                }
            )
        for number, (subject, letter, percent, credits) in enumerate(marks):
            self.marks.append(
                {
                    "student_id": student_id,
                    "date": dt.date(2026, 1, 20),
                    "course": f"{subject}-{number}",
                    "subject": subject,
                    "letter": letter,
                    "percent": percent,
                    "credits_attempted": credits,
                    "credits_earned": 0.0 if letter == "F" else credits,
                    "behaviour": behaviour,
                }
            )
        return self

    def flagged(self, preset: str) -> dict[tuple[str, str], str]:
        tables = {"attendance": pl.DataFrame(self.days, schema_overrides={"date": pl.Date})}
        if self.incidents:
            tables["incidents"] = pl.DataFrame(self.incidents)
        if self.marks:
            tables["marks"] = pl.DataFrame(
                self.marks,
                schema_overrides={
                    "letter": pl.String,
                    "percent": pl.Float64,
                    "behaviour": pl.String,
                },
            )
        measured = measures(pl.DataFrame(self.roster), tables, WINDOW)
        found = flags(load_rule_set(preset), measured)
        return {(r["student_id"], r["indicator"]): r["level"] for r in found.iter_rows(named=True)}


def test_every_preset_loads_and_says_its_rules_in_words() -> None:
    assert set(preset_keys()) == {
        "balfanz-abc-grade-6",
        "chicago-freshman-on-track",
        "edfi-amt",
        "michigan-ewims",
        "national-high-school",
        "national-middle-school",
    }
    for key in preset_keys():
        rules = load_rule_set(key)
        assert rules.key == key and rules.sources
        assert len(rule_lines(rules)) > len(rules.indicators)


def test_balfanz_sixth_grade_attendance_below_80_percent_behaviour_mark_or_failing_ela_math() -> (
    None
):
    school = (
        School()
        .student("at-79", 6, absent=21)  # 79% present
        .student("at-80", 6, absent=20)  # 80%: not below
        .student("behaviour", 6, marks=(("SCI", "B", 85, 1),), behaviour="U")
        .student("fails-math", 6, marks=(("MATH", "F", 40, 1),))
        .student("fails-science", 6, marks=(("SCI", "F", 40, 1),))
        .student("seventh", 7, absent=50)
    )
    assert school.flagged("balfanz-abc-grade-6") == {
        ("at-79", "attendance"): "at risk",
        ("behaviour", "behaviour"): "at risk",
        ("fails-math", "course"): "at risk",
    }


def test_national_high_school_thresholds_ten_percent_absent_one_suspension_day_gpa_two() -> None:
    school = (
        School()
        .student("absent-10", 9, absent=10)
        .student("absent-9", 9, absent=9)
        .student("suspended", 10, suspension_days=1)
        .student("half-day", 10, suspension_days=0.5)
        .student("gpa-2", 11, marks=(("ELA", "C", 75, 1), ("MATH", "C", 75, 1)))
        .student("gpa-2.3", 11, marks=(("ELA", "C+", 78, 1), ("MATH", "C+", 78, 1)))
        .student(
            "two-core-fs",
            12,
            marks=(("SCI", "F", 50, 1), ("SOC", "F", 50, 1), ("OTHER", "A", 95, 2)),
        )
    )
    assert school.flagged("national-high-school") == {
        ("absent-10", "attendance"): "at risk",
        ("suspended", "behaviour"): "at risk",
        ("gpa-2", "gpa"): "at risk",
        ("two-core-fs", "course"): "at risk",
        ("two-core-fs", "end_of_year"): "at risk",
        # A, A weighted 2 and two Fs: (0 + 0 + 4 * 2) / 4 = 2.0.
        ("two-core-fs", "gpa"): "at risk",
    }


def test_national_middle_school_twenty_percent_absent_or_failing_english_or_math() -> None:
    school = (
        School()
        .student("absent-20", 7, absent=20)
        .student("absent-19", 7, absent=19)
        .student("fails-ela", 8, marks=(("ELA", "F", 50, 1),))
        .student("fails-art", 8, marks=(("OTHER", "F", 50, 1),))
    )
    assert school.flagged("national-middle-school") == {
        ("absent-20", "attendance"): "at risk",
        ("fails-ela", "course"): "at risk",
    }


def test_chicago_on_track_needs_five_credits_and_at_most_one_core_semester_f() -> None:
    passes = (("ELA", "B", 80, 1), ("MATH", "B", 80, 1), ("SCI", "B", 80, 1), ("SOC", "B", 80, 1))
    school = (
        School()
        .student(
            "five-credits-one-f", 9, marks=(*passes, ("OTHER", "B", 80, 1), ("ELA", "F", 50, 0.5))
        )
        .student("four-and-a-half", 9, marks=(*passes, ("OTHER", "B", 80, 0.5)))
        .student(
            "two-core-fs",
            9,
            marks=(*passes, ("OTHER", "A", 90, 2), ("SCI", "F", 50, 0.5), ("SOC", "F", 50, 0.5)),
        )
    )
    assert school.flagged("chicago-freshman-on-track") == {
        ("four-and-a-half", "on_track"): "off track",
        ("two-core-fs", "on_track"): "off track",
    }


def test_michigan_ewims_caution_and_failure_levels_take_the_most_severe_that_holds() -> None:
    school = (
        School()
        .student("absent-7", 8, absent=7)
        .student("absent-10", 8, absent=10)
        .student("absent-4", 8, absent=4)
        .student("four-violations", 9, violations=4)
        .student("six-violations", 9, violations=6)
        .student("state-offense", 9, state_offenses=1)
        .student("ela-65", 10, marks=(("ELA", "D", 65, 1), ("MATH", "B", 85, 1)))
        .student("math-59", 10, marks=(("ELA", "B", 85, 1), ("MATH", "F", 59, 1)))
    )
    assert school.flagged("michigan-ewims") == {
        ("absent-7", "attendance"): "caution",
        ("absent-10", "attendance"): "failure",
        ("four-violations", "behaviour"): "caution",
        ("six-violations", "behaviour"): "failure",
        ("state-offense", "behaviour"): "failure",
        ("ela-65", "grades"): "caution",
        ("math-59", "grades"): "failure",
    }


def test_edfi_defaults_at_risk_below_80_early_warning_below_88() -> None:
    school = (
        School().student("85", 3, absent=15).student("79", 3, absent=21).student("90", 3, absent=10)
    )
    assert school.flagged("edfi-amt") == {
        ("85", "attendance"): "early warning",
        ("79", "attendance"): "at risk",
    }


def test_a_flag_carries_its_rule_figure_counts_and_dates() -> None:
    school = School().student("s", 6, absent=25)
    tables = {"attendance": pl.DataFrame(school.days)}
    found = flags(
        load_rule_set("balfanz-abc-grade-6"), measures(pl.DataFrame(school.roster), tables, WINDOW)
    )
    row = found.row(0, named=True)
    assert (row["ruleset"], row["version"], row["condition"], row["value"]) == (
        "balfanz-abc-grade-6",
        1,
        "attendance_rate < 80",
        75.0,
    )
    assert row["evidence"] == (
        "percent of enrolled days present 75 < 80: present 75 of 100 days enrolled, "
        "2025-08-13 to 2025-11-20"
    )


def test_indicators_whose_tables_are_missing_are_not_judged() -> None:
    school = School().student("s", 6, absent=30, marks=(("ELA", "F", 10, 1),))
    tables = {"attendance": pl.DataFrame(school.days)}
    found = flags(
        load_rule_set("balfanz-abc-grade-6"), measures(pl.DataFrame(school.roster), tables, WINDOW)
    )
    assert found.get_column("indicator").to_list() == ["attendance"]


def test_days_outside_the_window_are_not_counted() -> None:
    school = School().student("s", 6, absent=30)
    tables = {"attendance": pl.DataFrame(school.days)}
    late = Window(START + dt.timedelta(days=30), WINDOW.end)
    measured = measures(pl.DataFrame(school.roster), tables, late)
    assert measured.select("days_enrolled", "days_present").row(0) == (70, 70)


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = (PRESET_DIR / "balfanz-abc-grade-6.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "edited.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_a_rules_change_lists_exactly_the_students_whose_flags_change(tmp_path: Path) -> None:
    school = (
        School()
        .student("a-79", 6, absent=21)
        .student("b-84", 6, absent=16)
        .student("c-86", 6, absent=14)
        .student("d-60", 6, absent=40)
    )
    tables = {"attendance": pl.DataFrame(school.days)}
    measured = measures(pl.DataFrame(school.roster), tables, WINDOW)
    before = flags(load_rule_set("balfanz-abc-grade-6"), measured)
    edited = _edited(
        tmp_path,
        'level = "at risk"\nany = ["attendance_rate < 80"]',
        'level = "at risk"\nany = ["attendance_rate < 70"]\n[[indicator.level]]\n'
        'level = "early warning"\nany = ["attendance_rate < 85"]',
    )
    after = flags(load_rule_set(edited), measured)
    changes = flag_changes(before, after)
    assert changes.rows() == [
        ("a-79", "attendance", "at risk", "early warning", "level"),
        ("b-84", "attendance", None, "early warning", "new"),
    ]


@pytest.mark.parametrize(
    ("old", "new", "key", "words"),
    [
        (
            'any = ["attendance_rate < 80"]',
            'any = ["attendance_rate under 80"]',
            "indicator[1].level[1].any",
            "is not 'measure operator number'",
        ),
        (
            'any = ["attendance_rate < 80"]',
            'any = ["attendence_rate < 80"]',
            "indicator[1].level[1].any",
            "'attendence_rate' is not a measure",
        ),
        (
            'any = ["attendance_rate < 80"]',
            'all = ["attendance_rate < 80"]\nany = ["gpa < 2"]',
            "indicator[1].level[1].any",
            "either 'any' or 'all'",
        ),
        ("effective = 2026-07-01", 'effective = "July"', "effective", "must be a date"),
        ('grades = ["6"]', 'grades = ["6", "13"]', "grades", "'13' is not allowed"),
        ('key = "course"', 'key = "attendance"', "indicator", "keys repeat: attendance"),
        ('area = "attendance"', 'area = "mood"', "indicator[1].area", "must be one of"),
        ("version = 1", "version = 0", "version", "at least 1"),
    ],
)
def test_a_bad_rule_file_is_refused_naming_the_key(
    tmp_path: Path, old: str, new: str, key: str, words: str
) -> None:
    with pytest.raises(RuleError, match=words) as error:
        load_rule_set(_edited(tmp_path, old, new))
    assert error.value.key == key


def test_an_unknown_preset_is_refused_listing_the_presets() -> None:
    with pytest.raises(RuleError, match="chicago-freshman-on-track"):
        load_rule_set("chicago")
