"""The printable summary of one LEA: its determinations, evidence and results for a year.

An HTML page made into a PDF by ``continuum.web.pdf`` (WeasyPrint, in a process of its own and
within limits).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from continuum.web.accountability import figures, selectors
from continuum.web.agencies.models import Lea
from continuum.web.charts.frame import print_styles


def lea_summary_html(*, lea: Lea, year: int) -> str:
    """A printable summary of an LEA as HTML (the caller has checked access)."""
    context = {
        "lea": lea,
        "year": year,
        "made": timezone.now(),
        "grid": selectors.entity_grid(cds=lea.cds, year=year),
        "schools": selectors.lea_schools(lea=lea, year=year),
        "da_history": selectors.da_history(cds=lea.cds),
        "evidence": selectors.da_evidence(cds=lea.cds, year=year),
        # The same charts as on the LEA's page: all students' trends, the year's equity view.
        "trends": figures.trend_charts(cds=lea.cds, group="ALL"),
        "equity": figures.equity_charts(cds=lea.cds, year=year),
        "chart_styles": print_styles(),
    }
    return render_to_string("accountability/lea_summary.html", context)
