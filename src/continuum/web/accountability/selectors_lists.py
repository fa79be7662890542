"""Reads behind the county lists and the API: schools by ESSA status, LEAs and student groups
by LCFF priority area, the student group × indicator matrix, what changed since last year, and
an entity's trends.

Every selector takes the LEAs or schools the caller obtained through the access helpers (a
county's, or ``visible_leas``/``visible_schools``), so scope is checked before any data is read.
Sorting and filtering are the tables' (``continuum.web.tables``), the same for pages and API.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from continuum.dashboard.rules import INDICATORS
from continuum.support.assistance import PRIORITY_NAMES, priority_code
from continuum.support.essa_rules import ATSI, CSI_GRAD, CSI_LOW, TSI
from continuum.web.accountability.models import DaEvidence, EssaResult, IndicatorResult
from continuum.web.accountability.selectors import GROUP_NAMES, GROUP_ORDER, INDICATOR_NAMES
from continuum.web.agencies.models import Lea, School

# The ESSA statuses the list shows, in CDE's words, as the Dashboard spells them.
ESSA_STATUS_NAMES = {
    CSI_LOW: "CSI: lowest-performing",
    CSI_GRAD: "CSI: low graduation rate",
    ATSI: "ATSI",
    TSI: "TSI",
}
CHANGE_DIRECTIONS = {"up": "Colour went up (better)", "down": "Colour went down (worse)"}


@dataclass(frozen=True)
class EssaSchoolRow:
    """A school with an ESSA status in a year, and the reasons for it in words."""

    school: School
    status: str
    groups: list[tuple[str, str]]  # code, name
    explanation: str

    @property
    def status_name(self) -> str:
        """The status as the list names it."""
        return ESSA_STATUS_NAMES.get(self.status, self.status)


def essa_schools(*, schools: QuerySet[School], year: int) -> list[EssaSchoolRow]:
    """The schools that are CSI (lowest-performing or low graduation), ATSI or TSI in the year,
    by status then name."""
    by_cds = {s.cds: s for s in schools.select_related("lea")}
    found = EssaResult.objects.filter(
        year=year, status__in=list(ESSA_STATUS_NAMES), cds__in=list(by_cds)
    )
    rows = [
        EssaSchoolRow(
            school=by_cds[e.cds],
            status=e.status,
            groups=[(g, GROUP_NAMES.get(g, g)) for g in e.groups],
            explanation=e.explanation,
        )
        for e in found
    ]
    order = list(ESSA_STATUS_NAMES)
    rows.sort(key=lambda r: (order.index(r.status), r.school.name, r.school.cds))
    return rows


@dataclass(frozen=True)
class PriorityRow:
    """A student group of an LEA that met the DA criteria in one LCFF priority area."""

    lea: Lea
    group: str
    priority: int
    criteria: list[str]
    code: str  # CDE's letter for all the priorities the group met; "" below two

    @property
    def group_name(self) -> str:
        """The student group's name."""
        return GROUP_NAMES.get(self.group, self.group)

    @property
    def priority_name(self) -> str:
        """The priority area's name."""
        return PRIORITY_NAMES.get(self.priority, f"Priority {self.priority}")

    @property
    def qualifies(self) -> bool:
        """Whether the group met criteria in two or more priorities (which makes it count)."""
        return bool(self.code)


def priority_areas(*, leas: QuerySet[Lea], year: int) -> list[PriorityRow]:
    """Per LEA, student group and priority area, the DA criteria the group met in the year (from
    the stored evidence), by LEA name, group and priority."""
    by_cds = {lea.cds: lea for lea in leas}
    evidence = DaEvidence.objects.filter(year=year, cds__in=list(by_cds))
    criteria: dict[tuple[str, str, int], list[str]] = {}
    met: dict[tuple[str, str], set[int]] = {}
    for cds, studentgroup, number, criterion in evidence.values_list(
        "cds", "studentgroup", "priority", "criterion"
    ):
        found = criteria.setdefault((cds, studentgroup, number), [])
        if criterion not in found:
            found.append(criterion)
        met.setdefault((cds, studentgroup), set()).add(number)
    rows = [
        PriorityRow(
            lea=by_cds[cds],
            group=studentgroup,
            priority=number,
            criteria=sorted(found),
            code=priority_code(met[(cds, studentgroup)]) or "",
        )
        for (cds, studentgroup, number), found in criteria.items()
    ]
    rows.sort(key=lambda r: (r.lea.name, r.lea.cds, _group_rank(r.group), r.priority))
    return rows


def _group_rank(group: str) -> int:
    return GROUP_ORDER.index(group) if group in GROUP_ORDER else len(GROUP_ORDER)


@dataclass(frozen=True)
class MatrixRow:
    """One LEA's student group across every indicator."""

    lea: Lea
    group: str
    colours: dict[str, int]  # indicator code → colour code (0: no colour)

    @property
    def group_name(self) -> str:
        """The student group's name."""
        return GROUP_NAMES.get(self.group, self.group)


def group_matrix(*, leas: QuerySet[Lea], year: int) -> list[MatrixRow]:
    """Every LEA's student groups with their colour on each indicator they have a result for,
    by LEA name and group."""
    by_cds = {lea.cds: lea for lea in leas}
    results = IndicatorResult.objects.filter(year=year, cds__in=list(by_cds))
    colours: dict[tuple[str, str], dict[str, int]] = {}
    for cds, studentgroup, code, color in results.values_list(
        "cds", "studentgroup", "indicator", "color"
    ):
        colours.setdefault((cds, studentgroup), {})[code] = color
    rows = [MatrixRow(by_cds[cds], g, found) for (cds, g), found in colours.items()]
    rows.sort(key=lambda r: (r.lea.name, r.lea.cds, _group_rank(r.group)))
    return rows


@dataclass(frozen=True)
class ColourChange:
    """A student group's indicator whose colour went up or down since the year before."""

    lea: Lea
    group: str
    indicator: str
    before: int
    after: int

    @property
    def direction(self) -> str:
        """'up' (better) or 'down' (worse)."""
        return "up" if self.after > self.before else "down"

    @property
    def group_name(self) -> str:
        """The student group's name."""
        return GROUP_NAMES.get(self.group, self.group)

    @property
    def indicator_name(self) -> str:
        """The indicator's name."""
        return INDICATOR_NAMES.get(self.indicator, self.indicator)


def colour_changes(*, leas: QuerySet[Lea], year: int) -> list[ColourChange]:
    """Per LEA, the indicators and student groups coloured both in the year and the year before
    whose colour differs (Red 1 … Blue 5: up is better), by LEA name, indicator and group."""
    by_cds = {lea.cds: lea for lea in leas}
    results = IndicatorResult.objects.filter(
        year__in=[year - 1, year], cds__in=list(by_cds), color__gt=0
    )
    colours: dict[tuple[str, str, str], dict[int, int]] = {}
    for found_year, cds, studentgroup, code, color in results.values_list(
        "year", "cds", "studentgroup", "indicator", "color"
    ):
        colours.setdefault((cds, studentgroup, code), {})[found_year] = color
    rows = [
        ColourChange(by_cds[cds], studentgroup, code, by_year[year - 1], by_year[year])
        for (cds, studentgroup, code), by_year in colours.items()
        if len(by_year) == 2 and by_year[year - 1] != by_year[year]
    ]
    rows.sort(
        key=lambda r: (r.lea.name, r.lea.cds, INDICATORS.index(r.indicator), _group_rank(r.group))
    )
    return rows


def trends(*, cds: str) -> list[IndicatorResult]:
    """Every stored year of an entity's results (the caller checked its scope), by indicator,
    student group and year, oldest year first."""
    results = list(IndicatorResult.objects.filter(cds=cds))
    results.sort(
        key=lambda r: (
            INDICATORS.index(r.indicator) if r.indicator in INDICATORS else len(INDICATORS),
            _group_rank(r.studentgroup),
            r.year,
        )
    )
    return results
