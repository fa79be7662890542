"""Printable DA reports: one engagement's summary for the district and the county board, and
the county's list of engagements.

Rendered from HTML templates with WeasyPrint, imported when a PDF is made (as in
``accountability.reports``) so that the rest of the site starts without Pango and HarfBuzz.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from continuum.improvement.runchart import RunChart, run_chart
from continuum.web.agencies.models import County
from continuum.web.assistance.models import (
    Attendance,
    DataPoint,
    Driver,
    Engagement,
    Measure,
    MtssAssessment,
)
from continuum.web.assistance.selectors import engagements as selectors

PAPER_SIZES = ("letter", "a4")


@dataclass(frozen=True)
class MeasureReading:
    """A measure, its data points in time order, and what the run-chart rules make of them."""

    measure: Measure
    points: list[DataPoint]
    chart: RunChart


def measure_readings(*, engagement: Engagement) -> list[MeasureReading]:
    """Every measure of the engagement with its run-chart reading."""
    readings = []
    for measure in engagement.measures.prefetch_related("points"):
        points = list(measure.points.all())
        chart = run_chart([p.value for p in points], [p.date.isoformat() for p in points])
        readings.append(MeasureReading(measure, points, chart))
    return readings


def latest_mtss(*, engagement: Engagement) -> MtssAssessment | None:
    """The engagement's most recent MTSS self-assessment, with its ratings."""
    return engagement.mtss_assessments.prefetch_related("ratings").order_by("-date", "-id").first()


def primary_drivers(*, engagement: Engagement) -> list[Driver]:
    """The driver tree: primary drivers with their change ideas and secondary drivers (each
    with its change ideas) prefetched."""
    secondary = Driver.objects.prefetch_related("change_ideas")
    return list(
        engagement.drivers.filter(parent__isnull=True).prefetch_related(
            "change_ideas", Prefetch("children", queryset=secondary)
        )
    )


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
        "findings": engagement.findings.all(),
        "categories": engagement.fishbone_categories.prefetch_related("causes"),
        "why_chains": engagement.why_chains.all(),
        "interviews": engagement.interviews.all(),
        "mtss": latest_mtss(engagement=engagement),
        "drivers": primary_drivers(engagement=engagement),
        "cycles": engagement.cycles.select_related("change_idea").prefetch_related("measures"),
        "readings": measure_readings(engagement=engagement),
        "meetings": engagement.meetings.all(),
        "trainings": selectors.lea_trainings(lea=engagement.lea),
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


def html_pdf(html: str) -> bytes:
    """A PDF of a printable HTML page."""
    import weasyprint

    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf


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
