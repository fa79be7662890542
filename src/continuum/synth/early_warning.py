"""Synthetic early-warning tables (roster, attendance days, incidents, marks) in the documented
layout of docs/improvement/early-warning.md: invented students, plausible spreads.

Each student has a tendency to be absent (most rarely, a tail often), a rate of incidents and a
typical mark; days, incidents and marks are drawn around them. Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl

COURSES: tuple[tuple[str, str], ...] = (("ELA", "ELA"), ("MATH", "MATH"), ("SCI", "SCI"))
COURSES += (("SOC", "SOC"), ("ART", "OTHER"), ("PE", "OTHER"))
CUTS = ((90, "A"), (80, "B"), (70, "C"), (60, "D"))
STUDENTS_PER_SCHOOL = 600


def school_days(start: dt.date, days: int) -> list[dt.date]:
    """The first ``days`` weekdays from ``start``."""
    found: list[dt.date] = []
    day = start
    while len(found) < days:
        if day.weekday() < 5:
            found.append(day)
        day += dt.timedelta(days=1)
    return found


def early_warning_tables(
    students: int, *, seed: int, start: dt.date, days: int = 180
) -> dict[str, pl.DataFrame]:
    """``roster``, ``attendance``, ``incidents`` and ``marks`` for ``students`` invented students
    in grades 6 to 12 over ``days`` school days from ``start`` (marks at each semester's end)."""
    rng = np.random.default_rng([seed, 7])
    ids = pl.Series("student_id", [f"S{n:07d}" for n in range(1, students + 1)])
    schools = np.arange(students) // STUDENTS_PER_SCHOOL
    roster = pl.DataFrame(
        {
            "student_id": ids,
            "cds": [f"99{100 + s // 8:05d}{1000000 + s:07d}" for s in schools],
            "grade": rng.integers(6, 13, students).astype(str),
        }
    )
    calendar = school_days(start, days)
    absence = rng.beta(1.1, 14.0, students)  # mean about 7%; one student in six above 10%
    present = rng.random((students, days)) >= absence[:, None]
    attendance = pl.DataFrame(
        {
            "student_id": np.repeat(ids.to_numpy(), days),
            "date": np.tile(np.array(calendar, dtype="datetime64[D]"), students),
            "present": np.where(present.ravel(), "Y", "N"),
        }
    )
    counts = rng.poisson(rng.gamma(0.4, 1.0, students))
    who = np.repeat(np.arange(students), counts)
    state = rng.random(who.size) < 0.08
    suspended = rng.random(who.size) < np.where(state, 0.9, 0.15)
    incidents = pl.DataFrame(
        {
            "student_id": ids.to_numpy()[who],
            "date": np.array(calendar, dtype="datetime64[D]")[rng.integers(0, days, who.size)],
            "kind": np.where(state, "state_offense", "violation"),
            "suspension_days": np.where(suspended, rng.integers(1, 4, who.size), 0).astype(float),
        }
    )
    return {
        "roster": roster,
        "attendance": attendance,
        "incidents": incidents,
        "marks": _marks(rng, ids.to_numpy(), absence, [calendar[days // 2 - 1], calendar[-1]]),
    }


def _marks(
    rng: np.random.Generator, ids: np.ndarray, absence: np.ndarray, ends: list[dt.date]
) -> pl.DataFrame:
    """Two semester marks per course; a student absent more has lower marks."""
    students = ids.size
    typical = rng.normal(84, 8, students) - 60 * absence
    per = len(COURSES) * len(ends)
    percent = np.clip(np.repeat(typical, per) + rng.normal(0, 7, students * per), 0, 100).round()
    letter = np.full(percent.shape, "F", dtype=object)
    for cut, mark in reversed(CUTS):
        letter[percent >= cut] = mark
    course = np.tile(np.repeat([c for c, _ in COURSES], len(ends)), students)
    subject = np.tile(np.repeat([s for _, s in COURSES], len(ends)), students)
    dates = np.tile(np.array(ends * len(COURSES), dtype="datetime64[D]"), students)
    earned = np.where(letter == "F", 0.0, 0.5)
    return pl.DataFrame(
        {
            "student_id": np.repeat(ids, per),
            "date": dates,
            "course": course,
            "subject": subject,
            "letter": letter.astype(str),
            "percent": percent,
            "credits_attempted": np.full(percent.shape, 0.5),
            "credits_earned": earned,
            "behaviour": np.where(rng.random(percent.size) < 0.03, "U", "S"),
        }
    )


def write_early_warning_tables(tables: dict[str, pl.DataFrame], directory: Path) -> dict[str, int]:
    """Write each table as ``NAME.csv`` in ``directory``; returns rows per table."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.write_csv(directory / f"{name}.csv")
    return {name: frame.height for name, frame in tables.items()}
