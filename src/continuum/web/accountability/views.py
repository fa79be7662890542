"""County, LEA and school pages, result explanations and Dashboard imports.

Each view parses its input, authorises through an ``access_*`` helper, calls a selector or a
service and renders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from continuum.errors import InputError
from continuum.web.accountability import page_tables, selectors
from continuum.web.accountability.charts import gap_chart
from continuum.web.accountability.exports import RESULT_HEADER, csv_response, result_rows
from continuum.web.accountability.forms import DashboardFilesForm
from continuum.web.accountability.models import DashboardImport, IndicatorResult
from continuum.web.accountability.page_tables import year_choices
from continuum.web.accountability.reports import lea_summary_html
from continuum.web.accountability.services.queue import (
    dashboard_import_confirm,
    dashboard_import_create,
    dashboard_import_discard,
)
from continuum.web.accountability.services.restore import dashboard_import_restore
from continuum.web.accountability.versions import ImportRefusedError, restore_refusal
from continuum.web.accountability.worker import dashboard_imports_fail_stale
from continuum.web.accounts.access import (
    IMPORT_ROLES,
    access_county,
    access_lea,
    access_school,
    visible_leas,
    visible_schools,
)
from continuum.web.accounts.models import User
from continuum.web.agencies.models import Lea, School
from continuum.web.pdf import pdf_response
from continuum.web.tables import (
    Row,
    Table,
    TableSpec,
    choice_links,
    download_requested,
    table_build,
    table_download,
)


class HtmxRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it."""

    htmx: HtmxDetails


@login_required
@require_GET
def county(request: HttpRequest) -> HttpResponse:
    """Every LEA of the county with its support level, filterable, sortable and downloadable;
    counts by level, the levels year by year and the five-by-five placement of an indicator."""
    county = access_county(request.user)
    spec = page_tables.COUNTY_LEAS.with_choices("year", year_choices(selectors.years_stored()))
    state = spec.parse(request.GET)
    year = selectors.year_chosen(state.value("year"))
    rows = page_tables.county_lea_rows(county=county, year=year)
    leas = table_build(spec, state, rows)
    trend = table_build(
        page_tables.COUNTY_TREND,
        page_tables.COUNTY_TREND.parse(request.GET),
        page_tables.county_trend_rows(county=county),
    )
    placement = selectors.county_placement(
        county=county, year=year, indicator=state.value("indicator") or "ELA"
    )
    placement_spec = page_tables.placement_spec(placement)
    grid = table_build(
        placement_spec, placement_spec.parse(request.GET), page_tables.placement_rows(placement)
    )
    wanted = download_requested([leas, trend, grid])
    if wanted is not None:
        return table_download(
            wanted, actor=request.user, subject=county, subject_id=county.code,
            filename=f"{wanted.spec.name}-{county.code}-{year}",
        )  # fmt: skip
    context = {
        "county": county,
        "year": year,
        "counts": page_tables.level_counts(rows),
        "leas": leas,
        "trend": trend,
        "placement": grid,
        "status_only": placement.status_only,
    }
    return render(request, "accountability/county.html", context)


@login_required
@require_GET
def lea(request: HttpRequest, cds: str) -> HttpResponse:
    """One LEA: its determinations and their evidence, indicators × student groups and its
    schools, by year; each table sortable, filterable and downloadable."""
    lea = access_lea(request.user, cds)
    page = _entity_page(request, cds=lea.cds)
    year = page.year
    schools = selectors.lea_schools(lea=lea, year=year)
    schools_spec = page_tables.schools_spec(schools)
    tables = {
        **page.tables,
        "history": _table(request, page_tables.DA_HISTORY,
                          page_tables.da_history_rows(selectors.da_history(cds=lea.cds))),
        "evidence": _table(request, page_tables.EVIDENCE, page_tables.evidence_rows(
            selectors.da_evidence(cds=lea.cds, year=year))),
        "schools": _table(request, schools_spec, page_tables.school_rows(schools, year=year)),
    }  # fmt: skip
    wanted = download_requested(tables.values())
    if wanted is not None:
        return table_download(
            wanted, actor=request.user, subject=lea, subject_id=lea.cds,
            filename=f"{wanted.spec.name}-{lea.cds}-{year}",
        )  # fmt: skip
    explanation = next(
        (d.explanation for d in selectors.da_history(cds=lea.cds) if d.year == year), ""
    )
    context = {"lea": lea, "year": year, "year_nav": page.year_nav, "explanation": explanation,
               **tables}  # fmt: skip
    return render(request, "accountability/lea.html", context)


@login_required
@require_GET
def school(request: HttpRequest, cds: str) -> HttpResponse:
    """One school: indicators × student groups and its ESSA (CSI/ATSI/TSI) status, by year."""
    school = access_school(request.user, cds)
    page = _entity_page(request, cds=school.cds)
    tables = {
        **page.tables,
        "essa": _table(request, page_tables.ESSA_HISTORY,
                       page_tables.essa_rows(selectors.essa_history(cds=school.cds))),
    }  # fmt: skip
    wanted = download_requested(tables.values())
    if wanted is not None:
        return table_download(
            wanted, actor=request.user, subject=school, subject_id=school.cds,
            filename=f"{wanted.spec.name}-{school.cds}-{page.year}",
        )  # fmt: skip
    context = {
        "school": school,
        # A school leader sees their school, not its LEA: its name is then not a link.
        "lea_visible": visible_leas(request.user).filter(pk=school.lea_id).exists(),
        "year": page.year,
        "year_nav": page.year_nav,
        **tables,
    }
    return render(request, "accountability/school.html", context)


@dataclass(frozen=True)
class EntityPage:
    """What the LEA and school pages share: the year asked for, the year links and the grid."""

    year: int
    year_nav: list[tuple[str, str, bool]]
    tables: dict[str, Table]


def _entity_page(request: HttpRequest, *, cds: str) -> EntityPage:
    year = selectors.year_chosen(request.GET.get("year"))
    grid = selectors.entity_grid(cds=cds, year=year)
    return EntityPage(
        year=year,
        year_nav=choice_links(request.GET, "year", selectors.entity_years(cds=cds), year),
        tables={"grid": _table(request, page_tables.grid_spec(grid), page_tables.grid_rows(grid))},
    )


def _table(request: HttpRequest, spec: TableSpec, rows: list[Row]) -> Table:
    return table_build(spec, spec.parse(request.GET), rows)


@login_required
@require_GET
def result(request: HtmxRequest, result_id: int) -> HttpResponse:
    """The explanation of one cell: status, change, n-size and the rule that gave its colour."""
    found = selectors.result_for_entity(result_id=result_id)
    if found is None:
        raise Http404
    if found.rtype == "S":
        entity: object = access_school(request.user, found.cds)
    elif visible_leas(request.user).filter(cds=found.cds).exists():
        entity = access_lea(request.user, found.cds)
    elif visible_schools(request.user).filter(cds=found.cds).exists():
        entity = access_school(request.user, found.cds)
    else:
        raise Http404
    context = {
        "result": found,
        "cell": selectors.Cell(found),
        "entity": entity,
        "group_name": selectors.GROUP_NAMES.get(found.studentgroup, found.studentgroup),
        "indicator_name": selectors.INDICATOR_NAMES.get(found.indicator, found.indicator),
    }
    template = "accountability/result.html"
    if request.htmx:
        template += "#explanation"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def imports(request: HttpRequest) -> HttpResponse:
    """Upload Dashboard files for the background worker; the county's earlier imports."""
    county = access_county(request.user, roles=IMPORT_ROLES)
    user = request.user
    assert isinstance(user, User)
    form = DashboardFilesForm()
    if request.method == "POST":
        form = DashboardFilesForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                run = dashboard_import_create(actor=user, uploads=form.cleaned_data["upload"])
            except InputError as error:
                form.add_error("upload", error.message)
            except ImportRefusedError as error:
                form.add_error("upload", error.message)
            else:
                return redirect("accountability:import", run.pk)
    dashboard_imports_fail_stale()  # an import whose worker died shows as failed, not running
    context = {"form": form, "imports": selectors.imports_visible(county=county)[:50]}
    return render(request, "accountability/imports.html", context)


@login_required
@require_GET
def import_detail(request: HtmxRequest, import_id: int) -> HttpResponse:
    """One import's progress (polled by htmx while it runs), its preview to confirm or discard,
    and its report, with the restore of the results before it."""
    county = access_county(request.user, roles=IMPORT_ROLES)
    dashboard_imports_fail_stale(import_ids=[import_id])
    run = get_object_or_404(selectors.imports_visible(county=county), pk=import_id)
    context = {
        "run": run,
        "running": run.status in {DashboardImport.Status.QUEUED, DashboardImport.Status.RUNNING},
        "own": run.county_id == county.pk,
        "restore_refusal": restore_refusal(run),
    }
    if request.htmx:
        return render(request, "accountability/import.html#progress", context)
    return render(request, "accountability/import.html", context)


@login_required
@require_POST
def import_action(request: HttpRequest, import_id: int, action: str) -> HttpResponse:
    """Confirm or discard a preview, or restore the results before a committed import: only
    for the county's own imports."""
    county = access_county(request.user, roles=IMPORT_ROLES)
    user = request.user
    assert isinstance(user, User)
    run = get_object_or_404(DashboardImport, pk=import_id, county=county)
    service = IMPORT_ACTIONS.get(action)
    if service is None:
        raise Http404
    try:
        outcome = service(actor=user, import_id=run.pk)
    except ImportRefusedError as error:
        messages.error(request, error.message)
    else:
        if isinstance(outcome, dict):
            messages.success(
                request,
                f"Restored the results before import {run.pk}: {outcome['rows_put_back']:,} "
                f"rows put back, {outcome['rows_removed']:,} rows removed; imports undone: "
                f"{', '.join(map(str, outcome['undone']))}.",
            )
    return redirect("accountability:import", run.pk)


IMPORT_ACTIONS: dict[str, Callable[..., object]] = {
    "confirm": dashboard_import_confirm,
    "discard": dashboard_import_discard,
    "restore": dashboard_import_restore,
}


@login_required
@require_GET
def lea_csv(request: HttpRequest, cds: str) -> HttpResponse:
    """Every stored result of one LEA, all years, as CSV."""
    lea = access_lea(request.user, cds)
    results = IndicatorResult.objects.filter(cds=lea.cds).order_by(
        "-year", "indicator", "studentgroup"
    )
    return csv_response(
        f"{lea.cds}-results.csv", RESULT_HEADER, result_rows(results),
        actor=request.user, subject=lea, subject_id=lea.cds, what="LEA results",
    )  # fmt: skip


@login_required
@require_GET
def school_csv(request: HttpRequest, cds: str) -> HttpResponse:
    """Every stored result of one school, all years, as CSV."""
    school = access_school(request.user, cds)
    results = IndicatorResult.objects.filter(cds=school.cds).order_by(
        "-year", "indicator", "studentgroup"
    )
    return csv_response(
        f"{school.cds}-results.csv", RESULT_HEADER, result_rows(results),
        actor=request.user, subject=school, subject_id=school.cds, what="school results",
    )  # fmt: skip


@login_required
@require_GET
def lea_equity(request: HttpRequest, cds: str) -> HttpResponse:
    """Each student group's gap to all students, by indicator, for one LEA and year."""
    lea = access_lea(request.user, cds)
    return _equity(request, entity=lea, cds=lea.cds, back="accountability:lea")


@login_required
@require_GET
def school_equity(request: HttpRequest, cds: str) -> HttpResponse:
    """Each student group's gap to all students, by indicator, for one school and year."""
    school = access_school(request.user, cds)
    return _equity(request, entity=school, cds=school.cds, back="accountability:school")


def _equity(request: HttpRequest, *, entity: Lea | School, cds: str, back: str) -> HttpResponse:
    years = selectors.entity_years(cds=cds)
    spec = page_tables.EQUITY.with_choices("year", year_choices(years))
    state = spec.parse(request.GET)
    year = selectors.year_chosen(state.value("year"))
    gaps = selectors.equity_gaps(cds=cds, year=year)
    table = table_build(spec, state, page_tables.equity_rows(gaps))
    if state.file_format:
        return table_download(
            table, actor=request.user, subject=entity, subject_id=cds,
            filename=f"equity-{cds}-{year}",
        )  # fmt: skip
    indicator = state.value("indicator")
    charts = [
        (gap_chart(name, bars), everyone, code)
        for code, name, everyone, bars in gaps
        if not indicator or code == indicator
    ]
    context = {
        "entity": entity,
        "cds": cds,
        "back": back,
        "year": year,
        "charts": charts,
        "table": table,
        "lower_is_better": {"CHRO", "SUSP"},
    }
    return render(request, "accountability/equity.html", context)


@login_required
@require_GET
def lea_pdf(request: HttpRequest, cds: str) -> HttpResponse:
    """A printable PDF summary of one LEA for the chosen year."""
    lea = access_lea(request.user, cds)
    year = selectors.year_chosen(request.GET.get("year"))
    html = lea_summary_html(lea=lea, year=year)
    return pdf_response(
        request, html, f"{lea.cds}-{year}-summary.pdf",
        subject=lea, subject_id=lea.cds, what="LEA summary", filters={"year": year},
    )  # fmt: skip
