"""County, LEA and school pages, result explanations and Dashboard imports.

Each view parses its input, authorises through an ``access_*`` helper, calls a selector or a
service and renders.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from continuum.errors import InputError
from continuum.web.accountability import figures, selectors
from continuum.web.accountability.exports import (
    RESULT_HEADER,
    csv_response,
    overview_rows,
    result_rows,
)
from continuum.web.accountability.forms import DashboardFilesForm, OverviewFilterForm
from continuum.web.accountability.models import DashboardImport, IndicatorResult
from continuum.web.accountability.reports import lea_summary_html
from continuum.web.accountability.services import (
    dashboard_import_confirm,
    dashboard_import_create,
    dashboard_import_discard,
    dashboard_import_restore,
)
from continuum.web.accountability.versions import ImportRefusedError
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
from continuum.web.pdf import pdf_response


class HtmxRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it."""

    htmx: HtmxDetails


@login_required
@require_GET
def county(request: HtmxRequest) -> HttpResponse:
    """Every LEA of the county with its support level, filterable; counts, trend, placement.

    The big tables' selectors are handed to the template uncalled (``partial``): the template
    caches their fragments by data version, and on a cache hit their queries never run.
    """
    county = access_county(request.user)
    filters = OverviewFilterForm(request.GET)
    filters.is_valid()
    data = filters.cleaned_data
    year = selectors.year_chosen(request.GET.get("year"))
    indicator = request.GET.get("indicator", "ELA")
    if indicator not in selectors.INDICATOR_NAMES:
        indicator = "ELA"
    context = {
        "version": selectors.data_version(),
        "county": county,
        "year": year,
        "years": selectors.years_stored(),
        "counts": selectors.county_level_counts(county=county, year=year),
        "rows": partial(
            selectors.county_rows,
            county=county,
            year=year,
            level=data.get("level") or "",
            group=data.get("group") or "",
            search=data.get("q") or "",
        ),
        "trend": partial(selectors.county_level_trend, county=county),
        "placement": partial(
            selectors.county_placement, county=county, year=year, indicator=indicator
        ),
        "indicator": indicator,
        "indicators": selectors.INDICATOR_NAMES,
        "distribution": partial(figures.county_distribution, county=county, year=year),
        "filters": data,
        "groups": selectors.DA_GROUP_NAMES,
    }
    template = "accountability/county.html"
    if request.htmx:
        template += "#lea-table"
    return render(request, template, context)


@login_required
@require_GET
def lea(request: HttpRequest, cds: str) -> HttpResponse:
    """One LEA: indicators × student groups, its schools, its determinations, by year.

    As on the county page, the selectors are handed over uncalled for the cached fragment.
    """
    lea = access_lea(request.user, cds)
    year = selectors.year_chosen(request.GET.get("year"))
    context = {
        "version": selectors.data_version(),
        "lea": lea,
        "year": year,
        "years": selectors.entity_years(cds=lea.cds),
        "grid": partial(selectors.entity_grid, cds=lea.cds, year=year),
        "schools": partial(selectors.lea_schools, lea=lea, year=year),
        "da_history": partial(selectors.da_history, cds=lea.cds),
        "evidence": partial(selectors.da_evidence, cds=lea.cds, year=year),
        **figures.trend_view(cds=lea.cds, requested=request.GET.get("group")),
    }
    return render(request, "accountability/lea.html", context)


@login_required
@require_GET
def school(request: HttpRequest, cds: str) -> HttpResponse:
    """One school: indicators × student groups and its ESSA (CSI/ATSI) status, by year."""
    school = access_school(request.user, cds)
    year = selectors.year_chosen(request.GET.get("year"))
    context = {
        "school": school,
        # A school leader sees their school, not its LEA: its name is then not a link.
        "lea_visible": visible_leas(request.user).filter(pk=school.lea_id).exists(),
        "year": year,
        "years": selectors.entity_years(cds=school.cds),
        "grid": selectors.entity_grid(cds=school.cds, year=year),
        "essa_history": selectors.essa_history(cds=school.cds),
        **figures.trend_view(cds=school.cds, requested=request.GET.get("group")),
    }
    return render(request, "accountability/school.html", context)


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
        "words": selectors.result_words(found),
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
def county_csv(request: HttpRequest) -> HttpResponse:
    """The county overview table as CSV (same filters as the page)."""
    county = access_county(request.user)
    year = selectors.year_chosen(request.GET.get("year"))
    rows = selectors.county_rows(
        county=county, year=year, level=request.GET.get("level", ""),
        group=request.GET.get("group", ""), search=request.GET.get("q", ""),
    )  # fmt: skip
    header = ("year", "cds", "lea", "type", "support_level", "student_groups", "ec52072")
    return csv_response(
        f"county-{county.code}-{year}.csv", header, overview_rows(rows, year),
        actor=request.user, subject=county, subject_id=county.code, what="county overview",
        filters={"year": year, **{k: request.GET.get(k, "") for k in ("level", "group", "q")}},
    )  # fmt: skip


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


def _equity(request: HttpRequest, *, entity: object, cds: str, back: str) -> HttpResponse:
    year = selectors.year_chosen(request.GET.get("year"))
    charts = figures.equity_charts(cds=cds, year=year)
    context = {
        "entity": entity,
        "cds": cds,
        "back": back,
        "year": year,
        "years": selectors.entity_years(cds=cds),
        "charts": charts,
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
