"""The county lists people ask for: schools by ESSA status, LEAs and student groups by priority
area, the student group × indicator matrix and what changed since last year. Each page is one
table (``list_tables``), sortable, filterable and downloadable as CSV or Excel; the API serves
the same tables (``continuum.web.api``).

Each view authorises through ``access_county``, reads its rows and renders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from continuum.web.accountability import list_tables, selectors
from continuum.web.accountability.page_tables import year_choices
from continuum.web.accounts.access import access_county
from continuum.web.agencies.models import County, Lea, School
from continuum.web.tables import Row, TableSpec, table_build, table_download


@dataclass(frozen=True)
class CountyList:
    """A county list page: its table, what it is about, and how its rows are read."""

    spec: TableSpec
    intro: str
    rows: Callable[[County, int], list[Row]]
    empty_next: str


def _county_leas(county: County) -> QuerySet[Lea]:
    return Lea.objects.filter(county=county)


def _county_schools(county: County) -> QuerySet[School]:
    return School.objects.filter(lea__county=county)


LISTS = {
    "essa_schools": CountyList(
        list_tables.ESSA_SCHOOLS,
        "The county's schools identified for ESSA support in the year: Comprehensive Support "
        "and Improvement (CSI: lowest-performing, or low graduation rate), Additional Targeted "
        "Support and Improvement (ATSI) and Targeted Support and Improvement (TSI), with the "
        "student groups and the reasons behind each.",
        lambda c, y: list_tables.essa_school_rows(schools=_county_schools(c), year=y),
        "ESSA statuses are stored for 2022 to 2025, and only for schools with results.",
    ),
    "priority_areas": CountyList(
        list_tables.PRIORITY_AREAS,
        "For each LEA, the student groups that met Differentiated Assistance criteria, by LCFF "
        "priority area (4 Pupil Achievement, 5 Pupil Engagement, 6 School Climate, 8 Outcomes "
        "in a Broad Course of Study), with the criteria met.",
        lambda c, y: list_tables.priority_area_rows(leas=_county_leas(c), year=y),
        "No student group met a criterion in this year, or no determinations are stored.",
    ),
    "group_matrix": CountyList(
        list_tables.GROUP_MATRIX,
        "Each LEA's student groups with their colour on every indicator. Choose an indicator "
        "and a colour to find, for example, every group that is Red on Mathematics.",
        lambda c, y: list_tables.group_matrix_rows(leas=_county_leas(c), year=y),
        "Import the year's Dashboard files to see the matrix.",
    ),
    "colour_changes": CountyList(
        list_tables.COLOUR_CHANGES,
        "For each LEA, the indicators and student groups whose colour went up (better) or down "
        "(worse) since the year before. Only results coloured in both years are compared.",
        lambda c, y: list_tables.colour_change_rows(leas=_county_leas(c), year=y),
        "Nothing changed colour, or the year before is not stored: import it to compare.",
    ),
}


def _county_list(request: HttpRequest, name: str) -> HttpResponse:
    county = access_county(request.user)
    page = LISTS[name]
    spec = page.spec.with_choices("year", year_choices(selectors.years_stored()))
    state = spec.parse(request.GET)
    year = selectors.year_chosen(state.value("year"))
    table = table_build(spec, state, page.rows(county, year))
    if state.file_format:
        return table_download(
            table, actor=request.user, subject=county, subject_id=county.code,
            filename=f"{spec.name}-{county.code}-{year}",
        )  # fmt: skip
    context = {"county": county, "year": year, "table": table, "page": page}
    return render(request, "accountability/county_list.html", context)


@login_required
@require_GET
def essa_schools(request: HttpRequest) -> HttpResponse:
    """The county's schools by ESSA status, with their reasons."""
    return _county_list(request, "essa_schools")


@login_required
@require_GET
def priority_areas(request: HttpRequest) -> HttpResponse:
    """The county's LEAs and student groups by LCFF priority area."""
    return _county_list(request, "priority_areas")


@login_required
@require_GET
def group_matrix(request: HttpRequest) -> HttpResponse:
    """The county's student group × indicator matrix."""
    return _county_list(request, "group_matrix")


@login_required
@require_GET
def colour_changes(request: HttpRequest) -> HttpResponse:
    """What changed since last year, per LEA."""
    return _county_list(request, "colour_changes")
