"""The accountability pages' tables: each one's spec (``continuum.web.tables``) and the rows it
shows, built from the selectors' reads (which the PDF summary shares).

Rows are plain dicts, one key per column; a link or a second line is another key.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from django.core.cache import cache
from django.urls import reverse

from continuum.dashboard.rules import COLOUR_NAMES
from continuum.web.accountability import selectors
from continuum.web.accountability.models import DaEvidence, DaResult, DashboardImport, EssaResult
from continuum.web.accountability.selectors import (
    DA_GROUP_NAMES,
    GROUP_NAMES,
    INDICATOR_NAMES,
    Grid,
    Placement,
    SchoolsTable,
)
from continuum.web.agencies.models import County, Lea
from continuum.web.tables import Column, Filter, Row, TableSpec

Choices = list[tuple[str, str]]
LEVEL_CHOICES: Choices = [
    ("1", "Level 1"), ("2", "Level 2"), ("3", "Level 3"), ("0", "Not determined"),
]  # fmt: skip
COLOUR_CHOICES: Choices = [(str(code), name) for code, name in COLOUR_NAMES.items() if code]
INDICATOR_CHOICES: Choices = list(INDICATOR_NAMES.items())
DA_GROUP_CHOICES: Choices = list(DA_GROUP_NAMES.items())
GROUP_CHOICES: Choices = list(GROUP_NAMES.items())
EC52072 = {"Y": "Met", "N": "Not met"}
GROUPS_LABEL = "Student groups meeting DA criteria (priority code)"


def year_choices(years: Sequence[int]) -> Choices:
    """Stored Dashboard years, newest first, as a filter's choices."""
    return [(str(y), str(y)) for y in years]


def year_filter() -> Filter:
    """The Dashboard year: the view reads it while selecting the rows."""
    return Filter("year", "Dashboard year", applies=False, any_label="Newest", term="dashboard")


def colour_filter() -> Filter:
    """A colour on the indicator chosen in the ``indicator`` filter."""
    return Filter("colour", "Colour on the indicator", choices=COLOUR_CHOICES,
                  field="{indicator}", term="performance-level")  # fmt: skip


def support_level(da: DaResult | None) -> tuple[str, str, str]:
    """An LEA's level in the Statewide System of Support: (number, "Level N", what it is). Level 3
    is the EC 52072 test met (CDE's EC52072 flag Y); Level 2 any Differentiated Assistance."""
    if da is None or not da.status:
        return ("0", "Not determined", "")
    if da.level3 == "Y":
        return ("3", "Level 3", f"Intensive intervention (EC 52072); {da.status}")
    if da.status.startswith("Differentiated Assistance"):
        return ("2", "Level 2", da.status)
    return ("1", "Level 1", da.status)


def cached_rows(key: str, build: Callable[[], list[Row]]) -> list[Row]:
    """A table's rows from the per-process cache, keyed by the data version (the latest import),
    so that sorting, filtering and paging the big tables reads no result rows again until an
    import changes them."""
    return cache.get_or_set(f"rows:{key}:{selectors.data_version()}", build, 3600) or []


def _with_year(url: str, year: int) -> str:
    return f"{url}?year={year}" if year else url


def _groups_text(groups: dict[str, str]) -> str:
    return "; ".join(f"{GROUP_NAMES.get(g, g)} ({letter})" for g, letter in sorted(groups.items()))


# ---- County overview ------------------------------------------------------------------------

COUNTY_LEAS = TableSpec(
    name="county-leas",
    title="LEAs by support level",
    columns=(
        Column("name", "LEA", link="url", note="cds"),
        Column("kind", "LEA type", term="lea"),
        Column("level", "Support level", badge=True, note="level_note", term="support-level"),
        Column("groups_text", GROUPS_LABEL, term="priority"),
        Column("ec52072", "Level 3 test (EC 52072)", term="level-3"),
        *(Column(code, f"{name} (all students)", kind="colour", term="performance-level")
          for code, name in INDICATOR_NAMES.items()),
    ),
    filters=(
        year_filter(),
        Filter("lea_type", "LEA type", field="kind"),
        Filter("level", "Support level", choices=LEVEL_CHOICES, field="level_number"),
        Filter("group", "Student group", choices=DA_GROUP_CHOICES, field="groups"),
        Filter("indicator", "Indicator", choices=INDICATOR_CHOICES, applies=False),
        colour_filter(),
    ),
    search=("name", "cds"),
    search_label="LEA name or CDS code",
    page_size=50,
    default_sort="name",
)  # fmt: skip


def county_lea_rows(*, county: County, year: int) -> list[Row]:
    """Every LEA of the county with its support level, the groups behind it and its all-students
    colour on each indicator (cached until the next import)."""
    return cached_rows(f"county-leas:{county.pk}:{year}", lambda: _county_lea_rows(county, year))


def _county_lea_rows(county: County, year: int) -> list[Row]:
    return lea_rows(leas=list(Lea.objects.filter(county=county).order_by("name")), year=year)


def lea_rows(*, leas: Sequence[Lea], year: int) -> list[Row]:
    """The county overview's rows of the given LEAs (the caller scoped them)."""
    da = {d.cds: d for d in DaResult.objects.filter(year=year, cds__in=[x.cds for x in leas])}
    colours = selectors.all_students_colours(cds=[x.cds for x in leas], year=year)
    rows: list[Row] = []
    for lea in leas:
        result = da.get(lea.cds)
        number, level, note = support_level(result)
        groups = result.groups if result else {}
        rows.append({
            "name": lea.name, "cds": lea.cds, "kind": lea.get_kind_display(),
            "url": _with_year(reverse("accountability:lea", args=[lea.cds]), year),
            "level": level, "level_number": number, "level_note": note,
            "groups": set(groups), "groups_text": _groups_text(groups) or "none",
            "ec52072": EC52072.get(result.level3 if result else "", "–"),
            **colours.get(lea.cds, {}),
        })  # fmt: skip
    return rows


def level_counts(rows: Sequence[Row]) -> list[tuple[str, str, int]]:
    """How many rows are at each support level: (number, "Level N", count), levels with none
    left out."""
    counted = Counter(str(row["level_number"]) for row in rows)
    return [(number, label, counted[number]) for number, label in LEVEL_CHOICES if counted[number]]


COUNTY_TREND = TableSpec(
    name="county-trend",
    title="LEAs at each support level, year by year",
    columns=(
        Column("year", "Dashboard year"),
        *(Column(f"level{number}", label, kind="number", unit="LEA")
          for number, label in LEVEL_CHOICES),
    ),
    page_size=None,
    default_sort="-year",
    prefix="trend_",
)  # fmt: skip


def county_trend_rows(*, county: County) -> list[Row]:
    """Per stored year, how many of the county's LEAs are at each support level."""
    cds_codes = Lea.objects.filter(county=county).values_list("cds", flat=True)
    by_year: dict[int, Counter[str]] = {}
    for result in DaResult.objects.filter(cds__in=list(cds_codes)):
        by_year.setdefault(result.year, Counter())[support_level(result)[0]] += 1
    return [
        {"year": str(year), **{f"level{n}": counts[n] for n, _ in LEVEL_CHOICES}}
        for year, counts in sorted(by_year.items(), reverse=True)
    ]


def placement_spec(placement: Placement) -> TableSpec:
    """The five-by-five grid of one indicator: status levels down, change levels across."""
    return TableSpec(
        name=f"placement-{placement.indicator}",
        title=f"Five-by-five placement: {INDICATOR_NAMES[placement.indicator]}",
        caption="Number of LEAs in each cell, with the cell's colour. Rows: status level; "
        "columns: change level.",
        columns=(
            Column("status", "Status level \\ change level", sortable=False, term="five-by-five"),
            *(Column(f"change{i}", name, kind="colour", note=f"change{i}_note", sortable=False)
              for i, name in enumerate(placement.change_levels)),
        ),
        page_size=None,
        prefix="placement_",
    )  # fmt: skip


def placement_rows(placement: Placement) -> list[Row]:
    """The grid's cells: the colour where LEAs are, with how many."""
    rows: list[Row] = []
    for status_name, cells in placement.rows:
        row: dict[str, object] = {"status": status_name}
        for i, (count, _, code) in enumerate(cells):
            row[f"change{i}"] = code if count else None
            row[f"change{i}_note"] = f"{count} LEA{'s' if count != 1 else ''}"
        rows.append(row)
    return rows


# ---- LEA and school pages -------------------------------------------------------------------

DA_HISTORY = TableSpec(
    name="determinations",
    title="Support determinations, year by year",
    columns=(
        Column("year", "Dashboard year"),
        Column("level", "Support level", badge=True, note="level_note", term="support-level"),
        Column("groups_text", GROUPS_LABEL, term="priority"),
        Column("ec52072", "Level 3 test (EC 52072)", term="level-3"),
    ),
    page_size=None,
    default_sort="-year",
    prefix="da_",
)  # fmt: skip


def da_history_rows(history: Sequence[DaResult]) -> list[Row]:
    """An LEA's determinations as rows."""
    rows: list[Row] = []
    for d in history:
        _, level, note = support_level(d)
        rows.append({
            "year": str(d.year), "level": level, "level_note": note,
            "groups_text": _groups_text(d.groups) or "none", "ec52072": EC52072.get(d.level3, "–"),
        })  # fmt: skip
    return rows


EVIDENCE = TableSpec(
    name="evidence",
    title="Evidence behind the determination",
    columns=(
        Column("group", "Student group", term="student-group"),
        Column("priority", "Priority", kind="number", term="priority"),
        Column("criterion", "Criterion"),
        Column("indicator", "Indicator", term="indicator"),
        Column("colour", "Colour", kind="colour", term="performance-level"),
        Column("status", "Status", kind="number", term="status"),
        Column("change", "Change", kind="change", term="change"),
        Column("students", "Students", kind="number", term="n-size"),
    ),
    filters=(Filter("group", "Student group"),),
    page_size=None,
    prefix="ev_",
)  # fmt: skip


def evidence_rows(evidence: Sequence[tuple[str, Sequence[DaEvidence]]]) -> list[Row]:
    """The DA evidence chain as rows (the selector groups it by student group)."""
    rows: list[Row] = []
    for group, items in evidence:
        for e in items:
            rows.append({
                "group": group, "priority": e.priority, "criterion": e.criterion,
                "indicator": INDICATOR_NAMES.get(e.indicator, e.indicator),
                "colour": e.color, "status": e.currstatus, "change": e.change,
                "students": e.currdenom,
            })  # fmt: skip
    return rows


def grid_spec(grid: Grid) -> TableSpec:
    """Indicators × student groups of one LEA or school: each cell's colour, status and change,
    linking to its explanation (loaded into #explanation)."""
    return TableSpec(
        name="indicators",
        title="Indicators by student group",
        caption="Each cell: colour, status and change. Select a cell to see how it was decided.",
        columns=(
            Column("group", "Student group", term="student-group"),
            *(Column(code, name, kind="colour", link=f"{code}_url", note=f"{code}_note",
                     explain="explanation", term="performance-level")
              for code, name in grid.indicators),
        ),
        filters=(Filter("group", "Student group", choices=GROUP_CHOICES, field="code"),),
        page_size=None,
        prefix="grid_",
    )  # fmt: skip


def grid_rows(grid: Grid) -> list[Row]:
    """The grid's rows: a group, then per indicator its colour, link and figures."""
    rows: list[Row] = []
    for code, name, cells in grid.rows:
        row: dict[str, object] = {"group": name, "code": code}
        for (indicator, _), cell in zip(grid.indicators, cells, strict=True):
            if cell is None:
                row[f"{indicator}_note"] = "no result"
                continue
            result = cell.result
            row[indicator] = result.color
            row[f"{indicator}_url"] = reverse("accountability:result", args=[result.pk])
            status = "–" if result.currstatus is None else f"{result.currstatus:.1f}"
            change = "" if result.change is None else f" ({result.change:+.1f})"
            row[f"{indicator}_note"] = f"{status}{change}".replace("-", "−")
        rows.append(row)
    return rows


def schools_spec(schools: SchoolsTable) -> TableSpec:
    """An LEA's schools with their all-students colours."""
    return TableSpec(
        name="schools",
        title="Schools",
        columns=(
            Column("name", "School", link="url", note="note"),
            Column("kind", "School type"),
            Column("grades", "Grades"),
            *(Column(code, f"{name} (all students)", kind="colour", term="performance-level")
              for code, name in schools.indicators),
        ),
        filters=(
            Filter("indicator", "Indicator", choices=INDICATOR_CHOICES, applies=False),
            colour_filter(),
        ),
        search=("name",),
        search_label="School name",
        page_size=50,
        default_sort="name",
        prefix="sc_",
    )  # fmt: skip


def school_rows(schools: SchoolsTable, *, year: int) -> list[Row]:
    """The LEA's schools as rows."""
    rows: list[Row] = []
    for school, cells in schools.rows:
        row: dict[str, object] = {
            "name": school.name, "kind": school.kind, "grades": school.grade_span,
            "note": "charter" if school.charter else "",
            "url": _with_year(reverse("accountability:school", args=[school.cds]), year),
        }  # fmt: skip
        for (code, _), cell in zip(schools.indicators, cells, strict=True):
            row[code] = cell.result.color if cell else None
        rows.append(row)
    return rows


ESSA_HISTORY = TableSpec(
    name="essa",
    title="ESSA status (CSI, ATSI, TSI), year by year",
    columns=(
        Column("year", "Dashboard year"),
        Column("status", "ESSA status", badge=True, term="csi"),
        Column("groups", "Student groups behind ATSI or TSI", term="atsi"),
        Column("why", "Why", sortable=False),
    ),
    page_size=None,
    default_sort="-year",
    prefix="essa_",
)  # fmt: skip


def essa_rows(history: Sequence[EssaResult]) -> list[Row]:
    """A school's ESSA determinations as rows."""
    return [
        {"year": str(e.year), "status": e.status or "Not determined",
         "groups": ", ".join(GROUP_NAMES.get(g, g) for g in e.groups) or "none",
         "why": e.explanation}
        for e in history
    ]  # fmt: skip


EQUITY = TableSpec(
    name="equity-gaps",
    title="Each student group's gap to all students",
    columns=(
        Column("indicator", "Indicator", term="indicator"),
        Column("group", "Student group", term="student-group"),
        Column("status", "Status", kind="number", term="status"),
        Column("everyone", "All students' status", kind="number"),
        Column("gap", "Gap to all students", kind="change", term="equity-gap"),
    ),
    filters=(
        year_filter(),
        Filter("indicator", "Indicator", choices=INDICATOR_CHOICES, field="code"),
        Filter("group", "Student group", choices=GROUP_CHOICES, field="group_code"),
    ),
    page_size=None,
    default_sort="",
)


def equity_rows(statuses: Sequence[selectors.EquityIndicator]) -> list[Row]:
    """Every group's status and gap to all students on every indicator, indicators in the
    Dashboard's order and groups in the Dashboard's group order."""
    return [
        {
            "indicator": found.name, "code": found.code, "group": group.name,
            "group_code": group.code, "status": group.status, "everyone": found.everyone,
            "gap": round(group.status - found.everyone, 1),
        }
        for found in statuses
        for group in found.groups
    ]  # fmt: skip


# ---- Imports --------------------------------------------------------------------------------

IMPORTS = TableSpec(
    name="imports",
    title="Earlier imports",
    columns=(
        Column("when", "When", kind="datetime", link="url"),
        Column("by", "By"),
        Column("files", "Files"),
        Column("status", "Status"),
    ),
    filters=(Filter("status", "Status"),),
    search=("files",),
    search_label="File name",
    page_size=25,
    default_sort="-when",
)


def import_rows(runs: Iterable[DashboardImport]) -> list[Row]:
    """The county's imports as rows."""
    rows: list[Row] = []
    for run in runs:
        if run.created_by:
            by = run.created_by.username
        else:
            by = "–" if run.county else "operator (all counties)"
        files = ", ".join(run.file_names)
        rows.append({
            "when": run.created_at, "url": reverse("accountability:import", args=[run.pk]),
            "by": by, "files": files if len(files) <= 120 else files[:119] + "…",
            "status": run.get_status_display(),
        })  # fmt: skip
    return rows


IMPORT_FILES = TableSpec(
    name="import-files",
    title="What was read",
    columns=(
        Column("name", "File"),
        Column("indicator", "Indicator", term="indicator"),
        Column("year", "Dashboard year"),
        Column("rows", "Rows", kind="number"),
    ),
    page_size=None,
    prefix="files_",
)
IMPORT_UNITS = TableSpec(
    name="import-changes",
    title="Changes, by year and indicator",
    columns=(
        Column("year", "Dashboard year"),
        Column("indicator", "Indicator", term="indicator"),
        Column("entities", "Entities", kind="number"),
        Column("added", "Added", kind="number"),
        Column("changed", "Changed", kind="number"),
        Column("unchanged", "Unchanged", kind="number"),
        Column("removed", "Removed", kind="number"),
    ),
    page_size=None,
    prefix="units_",
)


def import_report_rows(run: DashboardImport) -> tuple[list[Row], list[Row]]:
    """An import's report as the rows of its two tables: the files read, and the changes."""
    report = run.report if isinstance(run.report, dict) else {}
    files: list[Row] = [
        {"name": f.get("name"), "indicator": f.get("indicator"), "year": str(f.get("year", "")),
         "rows": f.get("rows")}
        for f in report.get("files", [])
    ]  # fmt: skip
    units: list[Row] = [
        {"year": str(u.get("year", "")), "indicator": u.get("indicator"),
         **{k: u.get(k) for k in ("entities", "added", "changed", "unchanged", "removed")}}
        for u in report.get("units", [])
    ]  # fmt: skip
    return files, units
