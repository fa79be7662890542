"""The PDF summary of one LEA: its determinations, evidence and results for a year.

Rendered from an HTML template with WeasyPrint (imported when a PDF is made, so that the rest
of the site does not need its system libraries, Pango and HarfBuzz, to start).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from continuum.web.accountability import selectors
from continuum.web.agencies.models import Lea


def lea_summary_pdf(*, lea: Lea, year: int) -> bytes:
    """A printable summary of an LEA (the caller has checked access)."""
    import weasyprint

    context = {
        "lea": lea,
        "year": year,
        "made": timezone.now(),
        "grid": selectors.entity_grid(cds=lea.cds, year=year),
        "schools": selectors.lea_schools(lea=lea, year=year),
        "da_history": selectors.da_history(cds=lea.cds),
        "evidence": selectors.da_evidence(cds=lea.cds, year=year),
    }
    html = render_to_string("accountability/lea_summary.html", context)
    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf
