"""Trainings and networks the COE runs: sessions, attendance by LEA and role, materials."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from continuum.web.accountability.exports import csv_response
from continuum.web.accounts.access import COUNTY_ROLES, access_county, user_scope
from continuum.web.assistance import reports, tables
from continuum.web.assistance.access import access_event, county_can_run, member_counties
from continuum.web.assistance.models import Attendance, LearningEvent
from continuum.web.assistance.selectors import engagements as selectors
from continuum.web.tables import table_build, table_download


@login_required
@require_GET
def events(request: HttpRequest) -> HttpResponse:
    """The trainings and networks of the counties the user belongs to."""
    counties = list(member_counties(request.user))
    found = LearningEvent.objects.filter(county__in=counties).prefetch_related("sessions")
    state = tables.EVENTS.parse(request.GET)
    table = table_build(tables.EVENTS, state, tables.event_rows(found))
    if state.file_format and counties:
        return table_download(
            table, actor=request.user, subject=counties[0], subject_id=counties[0].code,
            filename="trainings-and-networks",
        )  # fmt: skip
    context = {
        "table": table,
        "can_edit": any(county_can_run(request.user, c.pk) for c in counties),
        # The attendance summary is for county staff (access_county's roles).
        "county_staff": any(
            roles & COUNTY_ROLES for roles in user_scope(request.user).roles_by_county.values()
        ),
    }
    return render(request, "assistance/events.html", context)


@login_required
@require_GET
def event(request: HttpRequest, event_id: int) -> HttpResponse:
    """One training or network: its sessions with attendance, and its materials."""
    found = access_event(request.user, event_id)
    context = {
        "event": found,
        "can_edit": county_can_run(request.user, found.county_id),
        "sessions": selectors.event_sessions(event=found, user=request.user),
        "materials": found.materials.all(),
    }
    return render(request, "assistance/event.html", context)


@login_required
@require_GET
def attendance(request: HttpRequest) -> HttpResponse:
    """Attendance at the county's trainings and networks by LEA and role (county staff)."""
    county = access_county(request.user)
    context = {
        "county": county,
        "roles": Attendance.Role.labels,
        "rows": selectors.county_attendance(county=county),
    }
    return render(request, "assistance/attendance.html", context)


@login_required
@require_GET
def attendance_csv(request: HttpRequest) -> HttpResponse:
    """The attendance summary as CSV (county staff)."""
    county = access_county(request.user)
    rows = selectors.county_attendance(county=county)
    return csv_response(
        f"county-{county.code}-attendance.csv",
        reports.attendance_header(),
        reports.attendance_csv_rows(rows),
        actor=request.user, subject=county, subject_id=county.code, what="training attendance",
    )  # fmt: skip
