"""The county lists' tables (``continuum.web.tables``): schools by ESSA status, LEAs and student
groups by priority area, the student group × indicator matrix and what changed since last year.
Each spec serves the page, its CSV and Excel downloads and the API (same parameters); each row
builder reads the selector of ``selectors_lists`` for the LEAs or schools the caller scoped.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from continuum.support.assistance import PRIORITY_NAMES
from continuum.web.accountability import selectors_lists as lists
from continuum.web.accountability.page_tables import (
    DA_GROUP_CHOICES,
    GROUP_CHOICES,
    INDICATOR_CHOICES,
    colour_filter,
    year_filter,
)
from continuum.web.accountability.selectors import INDICATOR_NAMES
from continuum.web.agencies.models import Lea, School
from continuum.web.tables import Column, Filter, Row, TableSpec


def _lea_column() -> Column:
    return Column("lea", "LEA", link="lea_url", note="lea_cds", term="lea")


def _lea_values(lea: Lea, year: int) -> dict[str, object]:
    return {
        "lea": lea.name, "lea_cds": lea.cds, "kind": lea.get_kind_display(),
        "lea_url": f"{reverse('accountability:lea', args=[lea.cds])}?year={year}",
    }  # fmt: skip


LEA_TYPE = Filter("lea_type", "LEA type", field="kind")

ESSA_SCHOOLS = TableSpec(
    name="essa-schools",
    title="Schools by ESSA status",
    caption="CSI, ATSI and TSI schools, with the reasons.",
    columns=(
        Column("name", "School", link="url", note="cds"),
        Column("status", "ESSA status", badge=True, term="csi"),
        Column("groups_text", "Student groups behind it", term="student-group"),
        Column("lea", "LEA", note="lea_cds", term="lea"),
        Column("explanation", "Why", sortable=False),
    ),
    filters=(
        year_filter(),
        Filter("status", "ESSA status", field="status_code",
               choices=[(code, name) for code, name in lists.ESSA_STATUS_NAMES.items()]),
        Filter("lea", "LEA", field="lea_cds"),
    ),
    search=("name", "cds"),
    search_label="School name or CDS code",
    default_sort="",
)  # fmt: skip


def essa_school_rows(*, schools: QuerySet[School], year: int) -> list[Row]:
    """The ESSA list's rows: by status (CSI first), then school name."""
    return [
        {
            "name": row.school.name, "cds": row.school.cds,
            "url": f"{reverse('accountability:school', args=[row.school.cds])}?year={year}",
            "status": row.status_name, "status_code": row.status,
            "groups_text": "; ".join(name for _, name in row.groups) or "–",
            "lea": row.school.lea.name, "lea_cds": row.school.lea.cds,
            "explanation": row.explanation,
        }
        for row in lists.essa_schools(schools=schools, year=year)
    ]  # fmt: skip


PRIORITY_AREAS = TableSpec(
    name="priority-areas",
    title="LEAs and student groups by priority area",
    caption="The Differentiated Assistance criteria each student group met, by LCFF priority "
    "area. A group counts when it met criteria in two or more priority areas.",
    columns=(
        _lea_column(),
        Column("group", "Student group", term="student-group"),
        Column("priority", "Priority area", term="priority"),
        Column("criteria", "Criteria met", sortable=False),
        Column("qualifies", "Counts for DA (priority code)", term="da"),
    ),
    filters=(
        year_filter(),
        LEA_TYPE,
        Filter("priority", "Priority area", field="priority_number",
               choices=[(str(n), f"{n}: {name}") for n, name in PRIORITY_NAMES.items()]),
        Filter("group", "Student group", choices=DA_GROUP_CHOICES, field="group_code"),
    ),
    search=("lea", "lea_cds"),
    search_label="LEA name or CDS code",
    default_sort="",
)  # fmt: skip


def priority_area_rows(*, leas: QuerySet[Lea], year: int) -> list[Row]:
    """The priority-area list's rows: by LEA, student group and priority."""
    return [
        {
            **_lea_values(row.lea, year), "group": row.group_name, "group_code": row.group,
            "priority": f"{row.priority}: {row.priority_name}",
            "priority_number": str(row.priority), "criteria": "; ".join(row.criteria),
            "qualifies": f"Yes ({row.code})" if row.qualifies else "No: fewer than two areas",
        }
        for row in lists.priority_areas(leas=leas, year=year)
    ]  # fmt: skip


GROUP_MATRIX = TableSpec(
    name="group-matrix",
    title="Student groups × indicators",
    caption="Each LEA's student groups with their colour on every indicator.",
    columns=(
        _lea_column(),
        Column("group", "Student group", term="student-group"),
        *(Column(code, name, kind="colour", term="performance-level")
          for code, name in INDICATOR_NAMES.items()),
    ),
    filters=(
        year_filter(),
        LEA_TYPE,
        Filter("group", "Student group", choices=GROUP_CHOICES, field="group_code"),
        Filter("indicator", "Indicator", choices=INDICATOR_CHOICES, applies=False),
        colour_filter(),
    ),
    search=("lea", "lea_cds"),
    search_label="LEA name or CDS code",
    default_sort="",
)  # fmt: skip


def group_matrix_rows(*, leas: QuerySet[Lea], year: int) -> list[Row]:
    """The matrix's rows: one per LEA and student group, a colour code per indicator."""
    return [
        {
            **_lea_values(row.lea, year), "group": row.group_name, "group_code": row.group,
            **row.colours,
        }
        for row in lists.group_matrix(leas=leas, year=year)
    ]  # fmt: skip


COLOUR_CHANGES = TableSpec(
    name="colour-changes",
    title="What changed since last year",
    caption="Indicators and student groups whose colour went up (better) or down (worse) "
    "from the year before.",
    columns=(
        _lea_column(),
        Column("indicator", "Indicator", term="indicator"),
        Column("group", "Student group", term="student-group"),
        Column("before", "Last year", kind="colour", term="performance-level"),
        Column("after", "This year", kind="colour", term="performance-level"),
        Column("direction", "Change"),
    ),
    filters=(
        year_filter(),
        LEA_TYPE,
        Filter("direction", "Change", field="direction_code",
               choices=list(lists.CHANGE_DIRECTIONS.items())),
        Filter("indicator", "Indicator", choices=INDICATOR_CHOICES, field="indicator_code"),
        Filter("group", "Student group", choices=GROUP_CHOICES, field="group_code"),
    ),
    search=("lea", "lea_cds"),
    search_label="LEA name or CDS code",
    default_sort="",
)  # fmt: skip


def colour_change_rows(*, leas: QuerySet[Lea], year: int) -> list[Row]:
    """The changes' rows: by LEA, indicator and student group."""
    return [
        {
            **_lea_values(row.lea, year), "indicator": row.indicator_name,
            "indicator_code": row.indicator, "group": row.group_name, "group_code": row.group,
            "before": row.before, "after": row.after,
            "direction": lists.CHANGE_DIRECTIONS[row.direction], "direction_code": row.direction,
        }
        for row in lists.colour_changes(leas=leas, year=year)
    ]  # fmt: skip
