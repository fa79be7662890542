"""Reads of stored results for the pages. Every selector takes an entity the caller has already
obtained through an ``access_*`` helper, so the user's scope is checked before any data is read."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet

from continuum.dashboard.rules import COLOUR_NAMES, INDICATORS
from continuum.support.goals import CDE_GROUP_NAMES
from continuum.web.accountability.models import (
    DaEvidence,
    DaResult,
    DashboardImport,
    EssaResult,
    IndicatorResult,
)
from continuum.web.agencies.models import County, Lea, School

GROUP_NAMES = {"ALL": "All Students", **CDE_GROUP_NAMES}
GROUP_ORDER = ["ALL", *CDE_GROUP_NAMES]
INDICATOR_NAMES = {
    "ELA": "English Language Arts",
    "MATH": "Mathematics",
    "CHRO": "Chronic Absenteeism",
    "SUSP": "Suspension Rate",
    "GRAD": "Graduation Rate",
    "CCI": "College/Career",
    "ELPI": "English Learner Progress",
    "SCIENCE": "Science",
}
PRIORITY_NAMES = {
    4: "Pupil achievement",
    5: "Pupil engagement",
    6: "School climate",
    8: "Other outcomes",
}


@dataclass(frozen=True)
class Cell:
    """One indicator result as a grid cell shows it."""

    result: IndicatorResult

    @property
    def colour(self) -> str:
        """The colour's name ('Red' … 'Blue', or 'no colour')."""
        return COLOUR_NAMES.get(self.result.color, "no colour")

    @property
    def css(self) -> str:
        """The style class for the colour (the name is always printed too)."""
        return f"c{self.result.color}"


@dataclass
class Grid:
    """Indicators × student groups for one entity and year."""

    indicators: list[tuple[str, str]]
    rows: list[tuple[str, str, list[Cell | None]]] = field(default_factory=list)


def years_stored() -> list[int]:
    """Dashboard years with stored results, newest first."""
    years = IndicatorResult.objects.order_by().values_list("year", flat=True).distinct()
    return sorted(set(years), reverse=True)


def year_chosen(requested: str | None) -> int:
    """The year asked for when it is stored, else the newest stored year (0 when none is)."""
    years = years_stored()
    if requested and requested.isdigit() and int(requested) in years:
        return int(requested)
    return years[0] if years else 0


@dataclass(frozen=True)
class LeaRow:
    """A county overview line: an LEA with its determination for the year."""

    lea: Lea
    da: DaResult | None
    groups: list[tuple[str, str, str]]  # code, name, priority letter

    @property
    def level(self) -> str:
        """The support level in words."""
        if self.da is None or not self.da.status:
            return "Not determined"
        return self.da.status


def county_overview(
    *, county: County, year: int, level: str = "", group: str = "", search: str = ""
) -> tuple[list[LeaRow], Counter[str]]:
    """Every LEA of the county with its support level and the groups behind it, filtered;
    and the count of LEAs at each level (before filtering by level)."""
    leas = list(Lea.objects.filter(county=county).order_by("name"))
    da = {d.cds: d for d in DaResult.objects.filter(year=year, cds__in=[x.cds for x in leas])}
    rows = []
    for lea in leas:
        result = da.get(lea.cds)
        groups = [
            (code, GROUP_NAMES.get(code, code), letter)
            for code, letter in sorted((result.groups if result else {}).items())
        ]
        rows.append(LeaRow(lea=lea, da=result, groups=groups))
    counts = Counter(row.level for row in rows)
    if search:
        rows = [r for r in rows if search.lower() in r.lea.name.lower() or search in r.lea.cds]
    if level:
        rows = [r for r in rows if r.level == level]
    if group:
        rows = [r for r in rows if any(code == group for code, _, _ in r.groups)]
    return rows, counts


def entity_grid(*, cds: str, year: int) -> Grid:
    """The indicator × student group grid of one LEA or school."""
    results = list(IndicatorResult.objects.filter(cds=cds, year=year))
    present = {r.indicator for r in results}
    indicators = [(i, INDICATOR_NAMES[i]) for i in INDICATORS if i in present]
    by_key = {(r.studentgroup, r.indicator): r for r in results}
    groups = [g for g in GROUP_ORDER if any(k[0] == g for k in by_key)]
    grid = Grid(indicators=indicators)
    for group in groups:
        cells = [
            Cell(by_key[(group, code)]) if (group, code) in by_key else None
            for code, _ in indicators
        ]
        grid.rows.append((group, GROUP_NAMES.get(group, group), cells))
    return grid


def entity_years(*, cds: str) -> list[int]:
    """Years with stored results for an entity, newest first."""
    years = IndicatorResult.objects.filter(cds=cds).order_by().values_list("year", flat=True)
    return sorted(set(years), reverse=True)


def result_for_entity(*, result_id: int) -> IndicatorResult | None:
    """One stored result (its entity is checked by the caller's access helper)."""
    return IndicatorResult.objects.filter(pk=result_id).first()


def da_history(*, cds: str) -> list[DaResult]:
    """An LEA's DA / Level 3 determinations, newest year first."""
    return list(DaResult.objects.filter(cds=cds).order_by("-year"))


def da_evidence(*, cds: str, year: int) -> list[tuple[str, list[DaEvidence]]]:
    """The evidence behind an LEA's determination, grouped by student group name."""
    rows = DaEvidence.objects.filter(cds=cds, year=year).order_by(
        "studentgroup", "priority", "indicator"
    )
    grouped: dict[str, list[DaEvidence]] = {}
    for row in rows:
        grouped.setdefault(GROUP_NAMES.get(row.studentgroup, row.studentgroup), []).append(row)
    return list(grouped.items())


def essa_history(*, cds: str) -> list[EssaResult]:
    """A school's ESSA determinations, newest year first."""
    return list(EssaResult.objects.filter(cds=cds).order_by("-year"))


def lea_schools(
    *, lea: Lea, year: int, indicators: list[str]
) -> list[tuple[School, list[Cell | None]]]:
    """The LEA's schools with their all-students result on each of ``indicators``."""
    schools = list(lea.schools.order_by("name"))
    results = IndicatorResult.objects.filter(
        year=year, studentgroup="ALL", cds__in=[s.cds for s in schools]
    )
    by_school: dict[str, dict[str, Cell]] = {}
    for result in results:
        by_school.setdefault(result.cds, {})[result.indicator] = Cell(result)
    return [
        (school, [by_school.get(school.cds, {}).get(code) for code in indicators])
        for school in schools
    ]


def imports_recent() -> QuerySet[DashboardImport]:
    """The latest imports, newest first."""
    return DashboardImport.objects.select_related("created_by").all()[:50]
