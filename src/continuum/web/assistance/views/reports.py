"""Printable and downloadable DA reports: an engagement's summary (PDF) and the county's
engagements (PDF for the board, CSV)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from continuum.web.accountability.exports import csv_response
from continuum.web.accounts.access import access_county
from continuum.web.assistance import reports
from continuum.web.assistance.access import access_engagement
from continuum.web.assistance.selectors import engagements as selectors
from continuum.web.assistance.views.engagements import year_requested
from continuum.web.pdf import pdf_response


@login_required
@require_GET
def engagement_pdf(request: HttpRequest, engagement_id: int) -> HttpResponse:
    """One engagement's summary as a PDF (``?paper=a4`` for A4, Letter otherwise)."""
    found = access_engagement(request.user, engagement_id)
    html = reports.engagement_summary_html(
        engagement=found, paper=request.GET.get("paper", "letter")
    )
    return pdf_response(
        request, html, f"{found.lea.cds}-{found.year}-da-summary.pdf",
        subject=found, subject_id=str(found.pk), what="engagement summary",
    )  # fmt: skip


@login_required
@require_GET
def engagements_pdf(request: HttpRequest) -> HttpResponse:
    """The county's engagements (of one Dashboard year with ``?year=``) as a PDF for the board."""
    county = access_county(request.user)
    year = year_requested(request, county)
    html = reports.county_summary_html(county=county, year=year)
    return pdf_response(
        request, html, f"county-{county.code}-da-{year or 'all'}.pdf",
        subject=county, subject_id=county.code, what="county engagements",
        filters={"year": year},
    )  # fmt: skip


@login_required
@require_GET
def engagements_csv(request: HttpRequest) -> HttpResponse:
    """The county's engagements (of one Dashboard year with ``?year=``) as CSV."""
    county = access_county(request.user)
    year = year_requested(request, county)
    rows = selectors.county_engagement_rows(county=county, year=year)
    return csv_response(
        f"county-{county.code}-da-{year or 'all'}.csv",
        reports.ENGAGEMENTS_HEADER,
        reports.engagements_csv_rows(rows),
        actor=request.user, subject=county, subject_id=county.code, what="county engagements",
        filters={"year": year},
    )  # fmt: skip
