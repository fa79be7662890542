"""Reads of stored results for the pages. Every selector takes an entity the caller has already
obtained through an ``access_*`` helper, so the user's scope is checked before any data is read."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from continuum.dashboard.levels import CHANGE_LABELS, STATUS_LABELS, STATUS_UNITS, with_figures
from continuum.dashboard.rules import (
    COLOUR_NAMES,
    INDICATORS,
    Direction,
    latest_rules,
    load_rules,
    lower_is_better,
)
from continuum.support.goals import CDE_GROUP_NAMES
from continuum.web.accountability.models import (
    DaEvidence,
    DaResult,
    DashboardImport,
    EssaResult,
    IndicatorResult,
    ResultYear,
)
from continuum.web.agencies.models import County, Lea, School
from continuum.web.audit.models import AuditEvent
from continuum.web.charts.equity import GroupStatus

# Informational groups of the files (never coloured except SBA and CAA in 2024).
INFORMATIONAL_GROUP_NAMES = {
    "ELO": "English Learners Only",
    "RFP": "Reclassified Fluent English Proficient Only",
    "EO": "English Only",
    "SBA": "Students taking the SBA (Smarter Balanced)",
    "CAA": "Students taking the CAA (alternate assessment)",
    "CAST": "Students taking the CAST (science)",
}
GROUP_NAMES = {"ALL": "All Students", **CDE_GROUP_NAMES, **INFORMATIONAL_GROUP_NAMES}
GROUP_ORDER = list(GROUP_NAMES)
# The groups Differentiated Assistance counts, for the county overview's filter.
DA_GROUP_NAMES = dict(CDE_GROUP_NAMES)
INDICATOR_NAMES = {
    "ELA": "English Language Arts",
    "MATH": "Mathematics",
    "CHRO": "Chronic Absenteeism",
    "SUSP": "Suspension Rate",
    "GRAD": "Graduation Rate",
    "CCI": "College/Career",
    "ELPI": "English Learner Progress",
    "SCIENCE": "Science",
    "ELA11": "English Language Arts, grade 11",
    "MATH11": "Mathematics, grade 11",
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


# The audit verbs of the only writes that change stored results, agencies or determinations.
DATA_CHANGING_VERBS = (
    "dashboard_import",
    "dashboard_import_restore",
    "agencies_import",
    "schools_title_i_import",
)


def data_version() -> str:
    """Changes whenever stored results or agencies change, which only imports do (each one
    records an audit event): the key of cached page fragments."""
    latest = (
        AuditEvent.objects.filter(verb__in=DATA_CHANGING_VERBS)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return str(latest or 0)


def years_stored() -> list[int]:
    """Dashboard years with stored results, newest first."""
    return list(ResultYear.objects.order_by("-year").values_list("year", flat=True))


def year_chosen(requested: str | None) -> int:
    """The year asked for when it is stored, else the newest stored year (0 when none is)."""
    years = years_stored()
    if requested and requested.isdigit() and int(requested) in years:
        return int(requested)
    return years[0] if years else 0


def all_students_colours(*, cds: list[str], year: int) -> dict[str, dict[str, int]]:
    """Per entity, its all-students colour code on each indicator it has a result for."""
    results = IndicatorResult.objects.filter(
        year=year, studentgroup="ALL", cds__in=cds
    ).values_list("cds", "indicator", "color")
    colours: dict[str, dict[str, int]] = {}
    for code, indicator, color in results:
        colours.setdefault(code, {})[indicator] = color
    return colours


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


@dataclass(frozen=True)
class SchoolsTable:
    """An LEA's schools with their all-students result on each indicator any of them has."""

    indicators: list[tuple[str, str]]
    rows: list[tuple[School, list[Cell | None]]]


def lea_schools(*, lea: Lea, year: int) -> SchoolsTable:
    """The LEA's schools with their all-students colours."""
    schools = list(lea.schools.order_by("name"))
    results = IndicatorResult.objects.filter(
        year=year, studentgroup="ALL", cds__in=[s.cds for s in schools]
    )
    by_school: dict[str, dict[str, Cell]] = {}
    for result in results:
        by_school.setdefault(result.cds, {})[result.indicator] = Cell(result)
    present = {code for cells in by_school.values() for code in cells}
    indicators = [(code, INDICATOR_NAMES[code]) for code in INDICATORS if code in present]
    rows = [
        (school, [by_school.get(school.cds, {}).get(code) for code, _ in indicators])
        for school in schools
    ]
    return SchoolsTable(indicators=indicators, rows=rows)


def imports_visible(*, county: County) -> QuerySet[DashboardImport]:
    """Imports a county's staff may see, newest first: their county's, and operators' imports
    (the CLI without --user) whose files covered the county."""
    return (
        DashboardImport.objects.filter(Q(county=county) | Q(county__isnull=True, counties=county))
        .select_related("created_by", "county")
        .distinct()
    )


@dataclass(frozen=True)
class Placement:
    """The five-by-five grid of one indicator: LEAs counted by status level × change level."""

    indicator: str
    change_levels: list[str]
    # Per status level (best first): its name and, per change level, (count, colour, code).
    rows: list[tuple[str, list[tuple[int, str, int]]]]
    status_only: int  # results with a status level and no change level


def county_placement(*, county: County, year: int, indicator: str) -> Placement:
    """Where the county's LEAs (all students) fall in the indicator's five-by-five grid."""
    direction = "lower" if lower_is_better(indicator) else "higher"
    cds_codes = list(Lea.objects.filter(county=county).values_list("cds", flat=True))
    results = IndicatorResult.objects.filter(
        year=year, indicator=indicator, studentgroup="ALL", cds__in=cds_codes
    ).values_list("statuslevel", "changelevel", "color")
    counts: Counter[tuple[int, int]] = Counter()
    colours: dict[tuple[int, int], int] = {}
    status_only = 0
    for status, change, color in results:
        if status and change:
            counts[(status, change)] += 1
            colours[(status, change)] = color
        elif status:
            status_only += 1
    changes = sorted(CHANGE_LABELS[direction].items())
    rows = []
    for status, status_name in sorted(STATUS_LABELS[direction].items(), reverse=True):
        cells = []
        for change, _ in changes:
            code = colours.get((status, change), 0)
            cells.append((counts[(status, change)], COLOUR_NAMES.get(code, "no colour"), code))
        rows.append((status_name, cells))
    return Placement(
        indicator=indicator,
        change_levels=[name for _, name in changes],
        rows=rows,
        status_only=status_only,
    )


@dataclass(frozen=True)
class ResultWords:
    """A result's explanation for its page: the sentences with its own figures, the unit, and
    the rule behind it (the year's rule file and the indicator's colour grid)."""

    sentences: str
    unit: str
    rule_file: str
    grid_name: str
    direction: Direction


def result_words(result: IndicatorResult) -> ResultWords:
    """The words of one result (already checked to be in the user's scope)."""
    rules = load_rules(result.year)  # stored results were levelled by this year's rules
    indicator = rules.indicator(result.indicator)
    return ResultWords(
        sentences=with_figures(result.explanation, result.indicator, result.currstatus,
                               result.change),
        unit=STATUS_UNITS[result.indicator],
        rule_file=f"continuum/dashboard/rules/{rules.path.name}",
        grid_name=indicator.grid_name,
        direction=indicator.direction,
    )  # fmt: skip


@dataclass(frozen=True)
class EquityIndicator:
    """One indicator's statuses for the equity view: all students' and each group's, with the
    indicator's direction from the rule data (lower is better for some)."""

    code: str
    name: str
    unit: str
    direction: Direction
    everyone: float
    groups: list[GroupStatus]


def equity_statuses(*, cds: str, year: int) -> list[EquityIndicator]:
    """Per indicator with an all-students status: every group's status, in the groups' order."""
    results = IndicatorResult.objects.filter(cds=cds, year=year, currstatus__isnull=False)
    by_indicator: dict[str, dict[str, tuple[float, int]]] = {}
    for result in results:
        assert result.currstatus is not None
        by_indicator.setdefault(result.indicator, {})[result.studentgroup] = (
            result.currstatus,
            result.color,
        )
    out = []
    for indicator in INDICATORS:
        statuses = by_indicator.get(indicator, {})
        if "ALL" not in statuses:
            continue
        groups = [
            GroupStatus(g, GROUP_NAMES.get(g, g), *statuses[g])
            for g in sorted(statuses, key=_group_position)
            if g != "ALL"
        ]
        out.append(
            EquityIndicator(indicator, INDICATOR_NAMES[indicator], STATUS_UNITS[indicator],
                            latest_rules().indicator(indicator).direction, statuses["ALL"][0],
                            groups)
        )  # fmt: skip
    return out


def _group_position(group: str) -> int:
    return GROUP_ORDER.index(group) if group in GROUP_ORDER else len(GROUP_ORDER)


def entity_trend(*, cds: str, group: str) -> dict[str, dict[int, tuple[float, float | None, int]]]:
    """Per indicator, one group's (status, change, colour) in every stored year with a status."""
    results = IndicatorResult.objects.filter(
        cds=cds, studentgroup=group, currstatus__isnull=False
    ).values_list("indicator", "year", "currstatus", "change", "color")
    out: dict[str, dict[int, tuple[float, float | None, int]]] = {}
    for indicator, year, status, change, color in results:
        assert status is not None
        out.setdefault(indicator, {})[year] = (status, change, color)
    return out


def entity_groups(*, cds: str) -> dict[str, str]:
    """The student groups with any stored result for an entity, in the groups' order, by name."""
    codes = set(IndicatorResult.objects.filter(cds=cds).values_list("studentgroup", flat=True))
    return {g: GROUP_NAMES.get(g, g) for g in sorted(codes, key=_group_position)}


def county_colour_counts(*, county: County, year: int) -> dict[str, Counter[int]]:
    """Per indicator, how many of the county's LEAs (all students, with a status) had each
    colour (0: no colour)."""
    cds_codes = list(Lea.objects.filter(county=county).values_list("cds", flat=True))
    rows = (
        IndicatorResult.objects.filter(
            year=year, studentgroup="ALL", cds__in=cds_codes, currstatus__isnull=False
        )
        .values_list("indicator", "color")
        .annotate(n=Count("id"))
    )
    out: dict[str, Counter[int]] = {}
    for indicator, color, n in rows:
        out.setdefault(indicator, Counter())[color] += n
    return out
