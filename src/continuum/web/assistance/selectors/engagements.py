"""Reads for the DA workspace pages. Callers pass an engagement, LEA or county they obtained
through an access helper, so scope is checked before anything is read."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Max, Prefetch, QuerySet, Sum

from continuum.web.accountability.models import DaEvidence, DaResult
from continuum.web.accountability.selectors import GROUP_NAMES
from continuum.web.accounts.access import UserLike, visible_leas
from continuum.web.agencies.models import County, Lea
from continuum.web.assistance.models import (
    Attendance,
    Engagement,
    LearningEvent,
    LearningSession,
    Meeting,
    PdsaCycle,
    TeamMember,
)
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
    """The indicator results behind each qualifying student group, by group name. (The stored
    evidence also holds groups that met a single priority, which did not qualify.)"""
    grouped: dict[str, list[DaEvidence]] = {}
    qualifying = engagement.groups.values_list("studentgroup", flat=True)
    rows = DaEvidence.objects.filter(
        cds=engagement.lea.cds, year=engagement.year, studentgroup__in=qualifying
    )
    for row in rows.order_by("studentgroup", "priority", "indicator"):
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


def engagement_counts(*, county: County) -> dict[str, int]:
    """How many of the county's engagements are proposed, active and closed, in Level 3, and
    all of them."""
    rows = list(Engagement.objects.filter(lea__county=county).values_list("status", "level"))
    counts = {status: sum(1 for s, _ in rows if s == status) for status in Engagement.Status.values}
    intensive = sum(1 for _, level in rows if level == Engagement.Level.INTENSIVE)
    return {**counts, "level3": intensive, "all": len(rows)}


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


@dataclass(frozen=True)
class EngagementRow:
    """A line of the county's engagement report: the engagement (with its progress, as in
    ``county_engagements``) and its PDSA cycles counted by phase and by decision."""

    engagement: Engagement
    phases: dict[str, int] = field(default_factory=dict)
    decisions: dict[str, int] = field(default_factory=dict)


def county_engagement_rows(*, county: County, year: int | None = None) -> list[EngagementRow]:
    """Every engagement of the county (of one year, if given), with cycles by phase and decision."""
    return _rows_with_cycles(county_engagements(county=county, year=year))


def engagement_rows(*, engagements: QuerySet[Engagement]) -> list[EngagementRow]:
    """The given engagements (already scoped by the caller, e.g. ``visible_engagements``),
    newest year first, with progress and cycles by phase and decision."""
    return _rows_with_cycles(list(_with_progress(engagements).order_by("-year", "lea__name")))


def _rows_with_cycles(engagements: list[Engagement]) -> list[EngagementRow]:
    rows = {e.pk: EngagementRow(e) for e in engagements}
    for cycle in PdsaCycle.objects.filter(engagement_id__in=list(rows)).order_by("id"):
        row = rows[cycle.engagement_id]
        row.phases[cycle.phase] = row.phases.get(cycle.phase, 0) + 1
        if cycle.decision:
            decision = cycle.get_decision_display()
            row.decisions[decision] = row.decisions.get(decision, 0) + 1
    return list(rows.values())


@dataclass(frozen=True)
class SessionAttended:
    """A training or network session that people of one LEA attended: how many, by role."""

    session: LearningSession
    roles: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Everyone from the LEA at the session."""
        return sum(count for _, count in self.roles)


def lea_trainings(*, lea: Lea) -> list[SessionAttended]:
    """The training and network sessions the LEA's people attended, newest first."""
    attended: dict[int, SessionAttended] = {}
    for row in (
        Attendance.objects.filter(lea=lea)
        .select_related("session__event")
        .order_by("-session__date", "-session_id", "role")
    ):
        entry = attended.setdefault(row.session_id, SessionAttended(row.session))
        entry.roles.append((row.get_role_display(), row.count))
    return list(attended.values())


def event_sessions(*, event: LearningEvent, user: UserLike) -> QuerySet[LearningSession]:
    """A training's sessions, each with the attendance of the LEAs the user may see (a district
    leader sees their own LEA's lines, county staff their county's)."""
    seen = Attendance.objects.filter(lea__in=visible_leas(user)).select_related("lea")
    return event.sessions.prefetch_related(Prefetch("attendance", queryset=seen))


@dataclass(frozen=True)
class LeaAttendance:
    """One LEA's attendance across the county's trainings and networks."""

    lea: Lea
    people: tuple[int, ...]  # people counted per role, in ``Attendance.Role`` order
    sessions: int  # sessions at which anyone from the LEA was counted
    events: int  # trainings and networks those sessions belong to
    in_da: bool  # the LEA has a proposed or active engagement

    @property
    def total(self) -> int:
        """Everyone counted, all roles and sessions together."""
        return sum(self.people)


def county_attendance(*, county: County) -> list[LeaAttendance]:
    """Attendance by LEA and role across every training and network of the county, for each
    LEA that attended something or is in DA (so that an LEA in DA that attended nothing shows)."""
    attendance = Attendance.objects.filter(session__event__county=county)
    people: dict[tuple[int, str], int] = {
        (row["lea_id"], row["role"]): row["people"]
        for row in attendance.values("lea_id", "role").annotate(people=Sum("count"))
    }
    reach = {
        row["lea_id"]: (row["sessions"], row["events"])
        for row in attendance.values("lea_id").annotate(
            sessions=Count("session", distinct=True), events=Count("session__event", distinct=True)
        )
    }
    in_da = set(
        Engagement.objects.filter(lea__county=county)
        .exclude(status=Engagement.Status.CLOSED)
        .values_list("lea_id", flat=True)
    )
    return [
        LeaAttendance(
            lea=lea,
            people=tuple(people.get((lea.pk, role), 0) for role in Attendance.Role.values),
            sessions=reach.get(lea.pk, (0, 0))[0],
            events=reach.get(lea.pk, (0, 0))[1],
            in_da=lea.pk in in_da,
        )
        for lea in Lea.objects.filter(county=county, id__in=set(reach) | in_da).order_by("name")
    ]
