"""The workspace's list pages as tables of the design system (``continuum.web.tables``):
sortable, filterable and downloadable, with their state in the query string."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from continuum.web.assistance.models import Engagement, LearningEvent
from continuum.web.tables import Column, Filter, Row, TableSpec

ENGAGEMENTS = TableSpec(
    name="da-engagements",
    title="DA engagements",
    columns=(
        Column("lea", "LEA", link="url", note="cds"),
        Column("year", "Dashboard year"),
        Column("level", "Level", badge=True, term="da"),
        Column("status", "Status"),
        Column("groups", "Student groups (priority code)", sortable=False),
        Column("coaches", "COE coaches"),
        Column("meetings", "Meetings", kind="number"),
        Column("last_meeting", "Last meeting", kind="date"),
        Column("cycles", "PDSA cycles", kind="number"),
        Column("aim", "Aim", sortable=False),
    ),
    filters=(
        Filter("year", "Dashboard year", choices=[], any_label="All years"),
        Filter(
            "level",
            "Level",
            field="level_number",
            choices=[(str(value), label) for value, label in Engagement.Level.choices],
        ),
        Filter("status", "Status", field="status_code", choices=Engagement.Status.choices),
    ),
    search=("lea", "cds"),
    search_label="LEA name or CDS code",
    page_size=50,
    default_sort="lea",
)

EVENTS = TableSpec(
    name="trainings",
    title="Trainings and networks",
    columns=(
        Column("title", "Title", link="url"),
        Column("kind", "Kind"),
        Column("mode", "Mode"),
        Column("sessions", "Sessions", kind="number"),
        Column("first", "First session", kind="date"),
        Column("last", "Last session", kind="date"),
    ),
    filters=(
        Filter("kind", "Kind", field="kind_code", choices=LearningEvent.Kind.choices),
        Filter("mode", "Mode", field="mode_code", choices=LearningEvent.Mode.choices),
    ),
    search=("title",),
    search_label="Title",
    page_size=50,
    default_sort="-first",
)


def engagement_rows(engagements: Iterable[Engagement]) -> list[Row]:
    """The rows of ``ENGAGEMENTS`` from engagements read with their progress
    (``selectors.engagements.county_engagements``)."""
    return [
        {
            "lea": e.lea.name,
            "cds": e.lea.cds,
            "url": reverse("assistance:engagement", args=[e.pk]),
            "year": str(e.year),
            "level": e.get_level_display(),
            "level_number": str(e.level),
            "status": e.get_status_display(),
            "status_code": e.status,
            "groups": ", ".join(f"{g.studentgroup} ({g.code})" for g in e.groups.all()),
            "coaches": ", ".join(t.user.get_username() for t in e.coaches),  # type: ignore[attr-defined]
            "meetings": e.meetings_count,  # type: ignore[attr-defined]
            "last_meeting": e.last_meeting,  # type: ignore[attr-defined]
            "cycles": e.cycles_count,  # type: ignore[attr-defined]
            "aim": e.aim[:120] + ("…" if len(e.aim) > 120 else ""),
        }
        for e in engagements
    ]


def event_rows(events: Iterable[LearningEvent]) -> list[Row]:
    """The rows of ``EVENTS`` from trainings read with their sessions."""
    rows: list[Row] = []
    for event in events:
        dates = [s.date for s in event.sessions.all()]
        rows.append({
            "title": event.title, "url": reverse("assistance:event", args=[event.pk]),
            "kind": event.get_kind_display(), "kind_code": event.kind,
            "mode": event.get_mode_display(), "mode_code": event.mode,
            "sessions": len(dates), "first": min(dates, default=None),
            "last": max(dates, default=None),
        })  # fmt: skip
    return rows
