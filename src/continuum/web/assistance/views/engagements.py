"""The county's engagements, one engagement's overview, and an LEA's coaching log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from continuum.web.accountability.selectors import year_chosen, years_stored
from continuum.web.accounts.access import access_county, access_lea
from continuum.web.accounts.models import User
from continuum.web.agencies.models import County
from continuum.web.assistance import tables
from continuum.web.assistance.access import (
    RUN_ROLES,
    access_engagement,
    county_can_run,
    engagement_can_edit,
    engagement_can_run,
)
from continuum.web.assistance.models import Engagement
from continuum.web.assistance.selectors import engagements as selectors
from continuum.web.assistance.services import engagement_open, engagements_propose
from continuum.web.tables import table_build, table_download


def year_requested(request: HttpRequest, county: County) -> int | None:
    """The Dashboard year asked for with ``?year=``, if the county has engagements in it."""
    requested = request.GET.get("year", "")
    years = selectors.engagement_years(county=county)
    return int(requested) if requested.isdigit() and int(requested) in years else None


@login_required
@require_GET
def engagements(request: HttpRequest) -> HttpResponse:
    """Every engagement of the county and where it stands: a table sorted, filtered (year,
    level, status, LEA) and downloaded by query string."""
    county = access_county(request.user)
    years = selectors.engagement_years(county=county)
    spec = tables.ENGAGEMENTS.with_choices("year", [(str(y), str(y)) for y in years])
    state = spec.parse(request.GET)
    table = table_build(
        spec, state, tables.engagement_rows(selectors.county_engagements(county=county))
    )
    if state.file_format:
        return table_download(
            table, actor=request.user, subject=county, subject_id=county.code,
            filename=f"da-engagements-{county.code}",
        )  # fmt: skip
    year = state.value("year")
    context = {
        "county": county,
        "table": table,
        "year": int(year) if year else None,
        "propose_years": years_stored(),
        "can_propose": county_can_run(request.user, county.pk),
        "counts": selectors.engagement_counts(county=county),
    }
    return render(request, "assistance/engagements.html", context)


@login_required
@require_POST
def propose(request: HttpRequest) -> HttpResponse:
    """Propose engagements for every LEA in Level 2 or 3 in a year's determinations."""
    county = access_county(request.user, roles=RUN_ROLES)
    user = request.user
    assert isinstance(user, User)
    year = year_chosen(request.POST.get("year"))
    count = engagements_propose(actor=user, county=county, year=year)
    messages.success(request, f"Proposed {count} new engagement(s) from the {year} determinations.")
    return redirect("assistance:engagements")


@login_required
@require_GET
def engagement(request: HttpRequest, engagement_id: int) -> HttpResponse:
    """One engagement: level history, the groups and evidence behind it, team and timeline."""
    found = access_engagement(request.user, engagement_id)
    can_edit = engagement_can_edit(request.user, found)
    phases = selectors.cycle_phases(engagement=found)
    context = {
        "engagement": found,
        "can_edit": can_edit,
        # Editors who are county DA staff also change the level, the status and the COE coach.
        "can_run": can_edit and engagement_can_run(request.user, found),
        "can_open": found.status == Engagement.Status.PROPOSED
        and county_can_run(request.user, found.lea.county_id),
        "groups": selectors.group_names(found),
        "evidence": selectors.engagement_evidence(engagement=found),
        "levels": selectors.level_history(lea=found.lea),
        "team": found.team.select_related("user"),
        "meetings": found.meetings.all(),
        "phases": phases,
        "cycles_count": sum(phases.values()),
        "pdsa_url": reverse("assistance:pdsa", args=[found.pk]),
    }
    return render(request, "assistance/engagement.html", context)


@login_required
@require_POST
def open_engagement(request: HttpRequest, engagement_id: int) -> HttpResponse:
    """Start a proposed engagement; a county coach who opens it joins its team as coach."""
    found = access_engagement(request.user, engagement_id)
    if not county_can_run(request.user, found.lea.county_id):
        raise PermissionDenied
    user = request.user
    assert isinstance(user, User)
    if found.status == Engagement.Status.PROPOSED:
        engagement_open(actor=user, engagement=found)
        messages.success(request, f"Opened the engagement with {found.lea.name}.")
    else:
        messages.info(request, f"The engagement with {found.lea.name} is already open.")
    return redirect("assistance:engagement", found.pk)


@login_required
@require_GET
def lea_engagements(request: HttpRequest, cds: str) -> HttpResponse:
    """An LEA's engagements over the years, its level history and its coaching log."""
    lea = access_lea(request.user, cds)
    context = {
        "lea": lea,
        "engagements": selectors.lea_engagements(lea=lea),
        "levels": selectors.level_history(lea=lea),
        "log": selectors.coaching_log(lea=lea),
        "trainings": selectors.lea_trainings(lea=lea),
    }
    return render(request, "assistance/lea.html", context)
