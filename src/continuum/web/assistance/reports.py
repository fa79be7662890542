"""Printable DA reports: one engagement's summary for the district and the county board, and
the county's list of engagements.

HTML pages, made into PDFs by ``continuum.web.pdf`` (WeasyPrint, in a process of its own and
within limits).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from continuum.web.agencies.models import County
from continuum.web.assistance.models import (
    Attendance,
    Engagement,
)
from continuum.web.assistance.selectors import engagements as selectors
from continuum.web.assistance.selectors import improvement, root_causes
from continuum.web.charts.frame import print_styles

PAPER_SIZES = ("letter", "a4")
# A list in a PDF stops after this many entries (meetings newest first), with a line saying how
# many more the workspace holds, so that a long history still prints within the size limit.
PDF_LIST_MOST = 40


@dataclass(frozen=True)
class Capped:
    """The first entries of a list to print, and how many more are not shown."""

    shown: list[Any]
    more: int


def capped(records: QuerySet[Any]) -> Capped:
    """At most ``PDF_LIST_MOST`` of ``records``, and the count of the rest."""
    shown = list(records[:PDF_LIST_MOST])
    more = records.count() - len(shown) if len(shown) == PDF_LIST_MOST else 0
    return Capped(shown, more)


def engagement_summary_html(*, engagement: Engagement, paper: str = "letter") -> str:
    """The engagement's summary as a printable HTML page (the caller has checked access)."""
    context: dict[str, Any] = {
        "engagement": engagement,
        "paper": paper if paper in PAPER_SIZES else "letter",
        "made": timezone.now(),
        "levels": selectors.level_history(lea=engagement.lea),
        "groups": selectors.group_names(engagement),
        "evidence": selectors.engagement_evidence(engagement=engagement),
        "team": engagement.team.select_related("user"),
        "findings": capped(engagement.findings.all()),
        "categories": engagement.fishbone_categories.prefetch_related("causes"),
        "why_chains": engagement.why_chains.all(),
        "interviews": capped(engagement.interviews.all()),
        "mtss": root_causes.mtss_grid(engagement=engagement),
        "drivers": improvement.driver_tree(engagement=engagement),
        "cycles": capped(
            engagement.cycles.select_related("change_idea").prefetch_related("measures")
        ),
        # The same run charts as on screen, read with the IHI rules (the coaching default).
        "readings": [
            (measure, improvement.charts(measure, "ihi")[0])
            for measure in improvement.measures(engagement=engagement)
        ],
        "meetings": capped(engagement.meetings.all()),
        "trainings": selectors.lea_trainings(lea=engagement.lea),
        "chart_styles": print_styles(),
    }
    return render_to_string("assistance/engagement_summary.html", context)


def county_summary_html(*, county: County, year: int | None) -> str:
    """The county's engagements as a printable HTML page for the board."""
    context = {
        "county": county,
        "year": year,
        "made": timezone.now(),
        "rows": selectors.county_engagement_rows(county=county, year=year),
    }
    return render_to_string("assistance/engagements_summary.html", context)


ENGAGEMENTS_HEADER = (
    "year", "cds", "lea", "level", "status", "student_groups", "coaches", "meetings",
    "last_meeting", "cycles_by_phase", "decisions", "aim",
)  # fmt: skip


def _tally(counts: dict[str, int]) -> str:
    return "; ".join(f"{name}: {count}" for name, count in counts.items())


def engagements_csv_rows(rows: Iterable[selectors.EngagementRow]) -> Iterator[Sequence[object]]:
    """The county's engagement report as CSV rows (columns: ``ENGAGEMENTS_HEADER``)."""
    for row in rows:
        e = row.engagement
        yield (
            e.year, e.lea.cds, e.lea.name, e.level, e.get_status_display(),
            "; ".join(f"{g.studentgroup} ({g.code})" for g in e.groups.all()),
            "; ".join(t.user.get_full_name() or t.user.username for t in e.coaches),  # type: ignore[attr-defined]
            e.meetings_count, e.last_meeting or "",  # type: ignore[attr-defined]
            _tally(row.phases), _tally(row.decisions), e.aim,
        )  # fmt: skip


def attendance_header() -> tuple[str, ...]:
    """Columns of the attendance CSV: the LEA, people per role, totals, whether it is in DA."""
    return ("cds", "lea", "in_da", *Attendance.Role.values, "total_people", "sessions", "events")


def attendance_csv_rows(rows: Iterable[selectors.LeaAttendance]) -> Iterator[Sequence[object]]:
    """The county's attendance by LEA and role as CSV rows (columns: ``attendance_header``)."""
    for row in rows:
        yield (row.lea.cds, row.lea.name, "yes" if row.in_da else "no", *row.people, row.total,
               row.sessions, row.events)  # fmt: skip
