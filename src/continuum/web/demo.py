"""The demo: a synthetic county with four Dashboard years, one user per role, and the
improvement work of its districts in Differentiated Assistance."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count

from continuum.improvement import mtss
from continuum.synth import generate_county
from continuum.synth import workspace as work
from continuum.web.accountability.models import DaEvidence, IndicatorResult
from continuum.web.accountability.selectors import GROUP_NAMES
from continuum.web.accountability.services.commit import dashboard_files_import
from continuum.web.accounts.models import Role, User
from continuum.web.accounts.services import user_create
from continuum.web.agencies.models import County, Lea, School
from continuum.web.agencies.services import agencies_import_synthetic
from continuum.web.assistance import models as m
from continuum.web.assistance.forms import MtssRatingsForm, OwnedForm
from continuum.web.assistance.parts import PARTS
from continuum.web.assistance.services import (
    engagement_open,
    fishbone_categories_start,
    mtss_ratings_save,
    record_create,
    record_update,
)

DEMO_YEARS = (2022, 2023, 2024, 2025)
DEMO_SEED = 2025
# A demo password, printed at start and written in the README; never used outside the demo.
DEMO_PASSWORD = "continuum-demo"


@dataclass(frozen=True)
class DemoUser:
    """A demo account: its username, role and what its scope is."""

    username: str
    role: str
    scope: str


def demo_load(*, say: Callable[[str], None] = print) -> bool:
    """Generate the synthetic county's files for each demo year and import them, unless results
    are already stored. Returns True when it loaded something."""
    if IndicatorResult.objects.exists():
        return False
    directory = Path(settings.DATA_DIR) / "demo"
    paths: list[Path] = []
    for year in DEMO_YEARS:
        generated = generate_county(directory / str(year), year=year, seed=DEMO_SEED)
        paths.extend(sorted(generated.rows))
    say(f"Synthetic county: {len(paths)} Dashboard files for {', '.join(map(str, DEMO_YEARS))}")
    agencies_import_synthetic(actor=None, seed=DEMO_SEED)
    report = dashboard_files_import(actor=None, paths=paths)
    say(
        f"Imported {report['rows']:,} results; {report['determinations']['da']} DA and "
        f"{report['determinations']['essa']} ESSA determinations; "
        f"{report['determinations'].get('engagements_proposed', 0)} DA engagements proposed"
    )
    return True


def demo_users_create() -> list[DemoUser]:
    """One user per role (created once), scoped to the demo county, its largest district and
    one of that district's schools."""
    county = County.objects.order_by("code").first()
    if county is None:
        raise LookupError("load the demo county before creating its users")
    district = (
        Lea.objects.filter(county=county, kind=Lea.Kind.UNIFIED)
        .annotate(size=Count("schools"))
        .order_by("-size", "cds")
        .first()
    )
    school = School.objects.filter(lea=district, charter=False).order_by("cds").first()
    assert district is not None and school is not None
    plan: list[tuple[str, str, County | Lea | School]] = [
        ("county.admin", Role.COUNTY_ADMIN, county),
        ("county.coach", Role.COUNTY_ANALYST, county),
        ("district.leader", Role.DISTRICT_LEADER, district),
        ("school.leader", Role.SCHOOL_LEADER, school),
        ("county.viewer", Role.VIEWER, county),
    ]
    users = []
    for username, role, scope in plan:
        if not User.objects.filter(username=username).exists():
            user_create(
                actor=None, username=username, password=DEMO_PASSWORD, role=role, scope=scope
            )
        users.append(DemoUser(username, Role(role).label, str(scope)))
    return users


# The demo's districts in DA get a workspace filled in; its charters and COE stay proposed, as
# engagements a coach has still to open.
DEMO_WORK_KINDS = (Lea.Kind.UNIFIED, Lea.Kind.ELEMENTARY, Lea.Kind.HIGH)
DEMO_COACH = "county.coach"
DEMO_DISTRICT_LEADER = "district.leader"


def demo_workspace_fill(*, say: Callable[[str], None] = print) -> int:
    """Record the improvement work of the newest year's DA engagements with the demo's
    districts (``continuum.synth.workspace``), as the demo's county coach, through the forms
    and services of the workspace (so it is validated and audited like what users type); and
    the county's trainings and network with their attendance. Once: nothing is done when an
    engagement was already opened. Returns the number of engagements filled in."""
    if m.Engagement.objects.exclude(status=m.Engagement.Status.PROPOSED).exists():
        return 0
    coach = User.objects.filter(username=DEMO_COACH).first()
    if coach is None:
        raise LookupError("create the demo users before filling the demo's DA workspace")
    leader = User.objects.filter(username=DEMO_DISTRICT_LEADER).first()
    newest = m.Engagement.objects.order_by("-year").values_list("year", flat=True).first()
    if newest is None:
        return 0
    engagements = list(
        m.Engagement.objects.filter(year=newest, lea__kind__in=DEMO_WORK_KINDS)
        .select_related("lea__county")
        .order_by("lea__name")
    )
    with transaction.atomic():
        for engagement in engagements:
            _engagement_fill(engagement, coach, leader)
        if engagements:
            county = engagements[0].lea.county
            learning = work.county_learning([e.lea.cds for e in engagements], seed=DEMO_SEED)
            for plan in learning:
                _learning_fill(county, plan, coach)
    say(
        f"DA workspace: {len(engagements)} engagements with improvement work "
        f"({', '.join(e.lea.name for e in engagements)}); trainings and a network"
    )
    return len(engagements)


def _saved(
    slug: str, owner: m.Engagement | m.LearningEvent, actor: User, data: Mapping[str, Any]
) -> Any:
    """A new record of a workspace kind, validated by its form and saved by the service."""
    part = PARTS[slug]
    form: OwnedForm = part.form(data, instance=part.new_record(owner), owner=owner, user=actor)
    if not form.is_valid():
        raise ValueError(f"demo {part.label} refused: {form.errors.as_text()}")
    return record_create(actor=actor, record=form.save(commit=False), related=form.related())


def _focus(engagement: m.Engagement) -> work.Focus:
    """The qualifying student group and its weakest indicator behind the engagement."""
    group = engagement.groups.order_by("studentgroup").first()
    code = group.studentgroup if group is not None else "ALL"
    evidence = (
        DaEvidence.objects.filter(year=engagement.year, cds=engagement.lea.cds, studentgroup=code)
        .order_by("color", "priority", "indicator")
        .first()
    )
    indicator = evidence.indicator if evidence is not None else "CHRO"
    value = evidence.currstatus if evidence is not None else None
    if value is None:
        status = "Red"
    elif indicator in ("ELA", "MATH"):
        status = f"{abs(value):.1f} points {'below' if value < 0 else 'above'} standard"
    else:
        status = f"{value:.1f}%"
    name = GROUP_NAMES.get(code, code)
    return work.Focus(
        engagement.lea.name,
        engagement.lea.cds,
        engagement.year,
        code,
        name[0].lower() + name[1:] if name.startswith("Students") else name,
        indicator,
        status,
    )


def _engagement_fill(engagement: m.Engagement, coach: User, leader: User | None) -> None:
    focus = _focus(engagement)
    plan = work.engagement_work(focus, items=list(mtss.ITEMS), seed=DEMO_SEED)
    engagement_open(actor=coach, engagement=engagement)
    if leader is not None and leader.memberships.filter(lea=engagement.lea).exists():
        _saved("team", engagement, coach, {"user": leader.pk, "part": "district_lead"})
    form = PARTS["engagement"].form(
        {
            "version": engagement.version,
            "status": engagement.status,
            "level": engagement.level,
            "problem_of_practice": plan.problem_of_practice,
            "theory_of_action": plan.theory_of_action,
            "aim": plan.aim,
            "aim_measure": plan.aim_measure,
            "aim_baseline": plan.aim_baseline,
            "aim_target": plan.aim_target,
            "aim_date": plan.aim_date,
        },
        instance=engagement,
        owner=engagement,
        user=coach,
    )
    if not form.is_valid():
        raise ValueError(f"demo engagement refused: {form.errors.as_text()}")
    record_update(
        actor=coach,
        record=form.save(commit=False),
        expected_version=engagement.version,
        fields=form.offered(),
    )
    findings = [
        _saved(
            "finding",
            engagement,
            coach,
            {
                "statement": finding.statement,
                "year": focus.year if finding.indicator else "",
                "cds": focus.cds if finding.indicator else "",
                "studentgroup": focus.group_code if finding.indicator else "",
                "indicator": finding.indicator,
            },
        )
        for finding in plan.findings
    ]
    fishbone_categories_start(actor=coach, engagement=engagement)
    categories = {c.name: c.pk for c in engagement.fishbone_categories.all()}
    for cause in plan.causes:
        _saved(
            "cause",
            engagement,
            coach,
            {
                "category": categories[cause.category],
                "text": cause.text,
                "evidence": cause.evidence,
                "finding": findings[0].pk if cause.from_finding else "",
            },
        )
    for chain in plan.whys:
        _saved(
            "whys",
            engagement,
            coach,
            {
                "problem": chain.problem,
                "whys": "\n".join(chain.whys),
                "root_cause": chain.root_cause,
            },
        )
    for interview in plan.interviews:
        _saved(
            "interview",
            engagement,
            coach,
            {
                "date": interview.date,
                "interviewee": interview.interviewee,
                "summary": interview.summary,
                "themes": interview.themes,
            },
        )
    for assessment in plan.assessments:
        record = _saved(
            "assessment", engagement, coach, {"date": assessment.date, "notes": assessment.notes}
        )
        data: dict[str, Any] = {"version": record.version}
        for code, (rating, evidence) in assessment.ratings.items():
            data |= {f"rating_{code}": str(rating), f"evidence_{code}": evidence}
        ratings = MtssRatingsForm(data, assessment=record)
        if not ratings.is_valid():
            raise ValueError(f"demo MTSS ratings refused: {ratings.errors.as_text()}")
        mtss_ratings_save(
            actor=coach,
            assessment=record,
            ratings=ratings.ratings(),
            expected_version=record.version,
        )
    ideas: dict[str, int] = {}
    for position, driver in enumerate(plan.drivers, start=1):
        _driver_fill(engagement, coach, driver, None, position, ideas)
    measures = {
        measure.name: _measure_fill(engagement, coach, measure).pk for measure in plan.measures
    }
    for cycle in plan.cycles:
        _saved(
            "cycle",
            engagement,
            coach,
            {
                "change_idea": ideas[cycle.idea],
                "title": cycle.title,
                "owner": cycle.owner,
                "start": cycle.start,
                "end": cycle.end or "",
                "question": cycle.question,
                "prediction": cycle.prediction,
                "measures": [measures[n] for n in cycle.measures],
                "plan": cycle.plan,
                "do_notes": cycle.do_notes,
                "executed_as_planned": cycle.executed_as_planned,
                "study": cycle.study,
                "decision": cycle.decision,
                "next_steps": cycle.next_steps,
            },
        )
    for meeting in plan.meetings:
        _saved(
            "meeting",
            engagement,
            coach,
            {
                "date": meeting.date,
                "kind": meeting.kind,
                "title": meeting.title,
                "attendees": meeting.attendees,
                "notes": meeting.notes,
                "next_steps": meeting.next_steps,
            },
        )


def _driver_fill(
    engagement: m.Engagement,
    coach: User,
    driver: work.Driver,
    parent: int | None,
    position: int,
    ideas: dict[str, int],
) -> None:
    """A driver, its change ideas and its secondary drivers; ``ideas`` collects the change
    ideas' ids by text."""
    saved = _saved(
        "driver",
        engagement,
        coach,
        {
            "parent": parent or "",
            "text": driver.text,
            "definition": driver.definition,
            "position": position,
        },
    )
    for idea in driver.ideas:
        ideas[idea.text] = _saved(
            "idea", engagement, coach, {"driver": saved.pk, "text": idea.text, "goal": idea.goal}
        ).pk
    for index, secondary in enumerate(driver.secondaries, start=1):
        _driver_fill(engagement, coach, secondary, saved.pk, index, ideas)


def _measure_fill(engagement: m.Engagement, coach: User, measure: work.Measure) -> m.Measure:
    saved: m.Measure = _saved(
        "measure",
        engagement,
        coach,
        {
            "name": measure.name,
            "kind": measure.kind,
            "unit": measure.unit,
            "definition": measure.definition,
            "higher_is_better": measure.higher_is_better,
        },
    )
    for point in measure.points:
        _saved(
            "point",
            engagement,
            coach,
            {"measure": saved.pk, "date": point.date, "value": point.value, "note": point.note},
        )
    return saved


def _learning_fill(county: County, plan: work.Learning, coach: User) -> None:
    event = _saved(
        "event",
        m.LearningEvent(county=county),
        coach,
        {
            "title": plan.title,
            "kind": plan.kind,
            "mode": plan.mode,
            "location": plan.location,
            "description": plan.description,
        },
    )
    leas = {lea.cds: lea.pk for lea in Lea.objects.filter(county=county)}
    for session in plan.sessions:
        saved = _saved(
            "session",
            event,
            coach,
            {"title": session.title, "date": session.date, "notes": session.notes},
        )
        for cds, role, count in session.attendance:
            _saved(
                "attendance",
                event,
                coach,
                {"session": saved.pk, "lea": leas[cds], "role": role, "count": count},
            )
    for title, url in plan.materials:
        _saved("material", event, coach, {"title": title, "url": url})
