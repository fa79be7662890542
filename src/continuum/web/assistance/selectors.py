"""Reads for the DA workspace pages. Callers pass an engagement, LEA or county they obtained
through an access helper, so scope is checked before anything is read."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, QuerySet

from continuum.web.accountability.models import DaEvidence, DaResult
from continuum.web.accountability.selectors import GROUP_NAMES
from continuum.web.agencies.models import County, Lea
from continuum.web.assistance.models import Engagement, Meeting, PdsaCycle, TeamMember
from continuum.web.assistance.services import support_level


@dataclass(frozen=True)
class LevelYear:
    """An LEA's System of Support level in one Dashboard year, and the status behind it."""

    year: int
    level: int
    status: str


def level_history(*, lea: Lea) -> list[LevelYear]:
    """The LEA's support level in each year with a stored determination, newest first."""
    return [
        LevelYear(year=d.year, level=support_level(d), status=d.status or "not determined")
        for d in DaResult.objects.filter(cds=lea.cds).order_by("-year")
    ]


def engagement_evidence(*, engagement: Engagement) -> list[tuple[str, list[DaEvidence]]]:
    """The indicator results behind each qualifying student group, by group name."""
    grouped: dict[str, list[DaEvidence]] = {}
    for row in DaEvidence.objects.filter(cds=engagement.lea.cds, year=engagement.year).order_by(
        "studentgroup", "priority", "indicator"
    ):
        grouped.setdefault(GROUP_NAMES.get(row.studentgroup, row.studentgroup), []).append(row)
    return list(grouped.items())


def group_names(engagement: Engagement) -> list[tuple[str, str, str, list[int]]]:
    """The qualifying student groups: code, name, priority code and priorities."""
    return [
        (g.studentgroup, GROUP_NAMES.get(g.studentgroup, g.studentgroup), g.code, g.priorities)
        for g in engagement.groups.all()
    ]


def _with_progress(engagements: QuerySet[Engagement]) -> QuerySet[Engagement]:
    coaches = TeamMember.objects.filter(part=TeamMember.Part.COACH).select_related("user")
    return (
        engagements.select_related("lea")
        .prefetch_related("groups", Prefetch("team", queryset=coaches, to_attr="coaches"))
        .annotate(
            meetings_count=Count("meetings", distinct=True),
            last_meeting=Max("meetings__date"),
            cycles_count=Count("cycles", distinct=True),
        )
    )


def county_engagements(*, county: County, year: int | None = None) -> list[Engagement]:
    """Every engagement of the county (of one year, if given) with its team and progress."""
    engagements = Engagement.objects.filter(lea__county=county)
    if year:
        engagements = engagements.filter(year=year)
    return list(_with_progress(engagements).order_by("-year", "lea__name"))


def engagement_years(*, county: County) -> list[int]:
    """Years with engagements in the county, newest first."""
    years = Engagement.objects.filter(lea__county=county).values_list("year", flat=True)
    return sorted(set(years), reverse=True)


def lea_engagements(*, lea: Lea) -> list[Engagement]:
    """The LEA's engagements, newest first, with progress."""
    return list(_with_progress(Engagement.objects.filter(lea=lea)).order_by("-year"))


def coaching_log(*, lea: Lea) -> list[Meeting]:
    """Every coaching session and meeting recorded with the LEA, newest first."""
    return list(
        Meeting.objects.filter(engagement__lea=lea)
        .select_related("engagement")
        .order_by("-date", "-id")
    )


def cycle_phases(*, engagement: Engagement) -> dict[str, int]:
    """How many of the engagement's PDSA cycles are in each phase."""
    phases: dict[str, int] = {}
    for cycle in PdsaCycle.objects.filter(engagement=engagement):
        phases[cycle.phase] = phases.get(cycle.phase, 0) + 1
    return phases
