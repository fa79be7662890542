"""The tables of the API's lists that no page shows as one table: an entity's trends (every year
of every result) and the DA engagements' summaries. They are ``continuum.web.tables`` specs like
the pages' tables, so they are sorted, filtered and paginated by the same parameters."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from continuum.web.accountability import selectors_lists as lists
from continuum.web.accountability.page_tables import GROUP_CHOICES, INDICATOR_CHOICES
from continuum.web.accountability.selectors import GROUP_NAMES, INDICATOR_NAMES
from continuum.web.assistance.models import Engagement
from continuum.web.assistance.selectors.engagements import engagement_rows
from continuum.web.tables import Column, Filter, Row, TableSpec

TRENDS = TableSpec(
    name="trends",
    title="Results year by year",
    columns=(
        Column("indicator", "Indicator", note="indicator_code"),
        Column("group", "Student group", note="group_code"),
        Column("year", "Dashboard year", kind="number"),
        Column("status", "Status", kind="number"),
        Column("change", "Change", kind="change"),
        Column("colour", "Colour", kind="colour"),
        Column("students", "Students (denominator)", kind="number"),
    ),
    filters=(
        Filter("indicator", "Indicator", choices=INDICATOR_CHOICES, field="indicator_code"),
        Filter("group", "Student group", choices=GROUP_CHOICES, field="group_code"),
        Filter("year", "Dashboard year"),
    ),
    default_sort="",
)  # fmt: skip


def trend_rows(*, cds: str) -> list[Row]:
    """Every stored year of an entity's results, by indicator, group and year."""
    return [
        {
            "indicator": INDICATOR_NAMES.get(r.indicator, r.indicator),
            "indicator_code": r.indicator,
            "group": GROUP_NAMES.get(r.studentgroup, r.studentgroup), "group_code": r.studentgroup,
            "year": r.year, "status": r.currstatus, "change": r.change, "colour": r.color,
            "students": r.currdenom,
        }
        for r in lists.trends(cds=cds)
    ]  # fmt: skip


ENGAGEMENTS = TableSpec(
    name="engagements",
    title="DA engagements",
    columns=(
        Column("lea", "LEA", note="lea_cds"),
        Column("year", "Dashboard year", kind="number", note="id"),
        Column("level", "Level", badge=True),
        Column("status", "Status"),
        Column("groups_text", "Student groups (priority code)"),
        Column("problem_of_practice", "Problem of practice", sortable=False),
        Column("aim", "Aim", sortable=False),
        Column("meetings", "Meetings", kind="number"),
        Column("last_meeting", "Last meeting", kind="date"),
        Column("cycles", "PDSA cycles", kind="number", note="cycles_text"),
    ),
    filters=(
        Filter("year", "Dashboard year"),
        Filter("status", "Status", field="status_code",
               choices=[(s.value, s.label) for s in Engagement.Status]),
        Filter("level", "Level", field="level_code",
               choices=[(str(x.value), x.label) for x in Engagement.Level]),
    ),
    search=("lea", "lea_cds"),
    search_label="LEA name or CDS code",
    default_sort="",
)  # fmt: skip


def engagement_summary_rows(*, engagements: QuerySet[Engagement]) -> list[Row]:
    """The engagements' summaries (the caller scoped them), newest year first."""
    rows: list[Row] = []
    for row in engagement_rows(engagements=engagements):
        e: Any = row.engagement  # annotated by the selector with its progress
        groups = [f"{GROUP_NAMES.get(g.studentgroup, g.studentgroup)} ({g.code})"
                  for g in e.groups.all()]  # fmt: skip
        counted = {**row.phases, **{f"decided {k.lower()}": n for k, n in row.decisions.items()}}
        rows.append({
            "id": str(e.pk), "lea": e.lea.name, "lea_cds": e.lea.cds, "year": e.year,
            "level": e.get_level_display(), "level_code": str(e.level),
            "status": e.get_status_display(), "status_code": e.status,
            "groups_text": "; ".join(groups), "problem_of_practice": e.problem_of_practice,
            "aim": e.aim, "meetings": e.meetings_count, "last_meeting": e.last_meeting,
            "cycles": e.cycles_count,
            "cycles_text": "; ".join(f"{k}: {n}" for k, n in sorted(counted.items())),
        })  # fmt: skip
    return rows
