"""PDFs within limits: a document is refused before rendering when its HTML is over
``CONTINUUM_PDF_MAX_HTML_KB``, and rendered by WeasyPrint in a child process
(``continuum.web.pdf_render``) that is stopped after ``CONTINUUM_PDF_MAX_SECONDS``, may use at
most ``CONTINUUM_PDF_MAX_MEMORY_MB`` and may not produce more than ``CONTINUUM_PDF_MAX_PAGES``.

A thread cannot interrupt WeasyPrint, and a document that runs away inside the web worker takes
the worker with it; a child process can simply be killed. Past a limit the user gets a page
that says which limit and what to do, never an error 500.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Mapping

from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from continuum.web.audit.services import audit_export_record
from continuum.web.pdf_render import TOO_MANY_PAGES

logger = logging.getLogger(__name__)


class PdfLimitError(Exception):
    """A PDF not made because it would pass a limit (or could not be made); ``status`` is the
    HTTP status to answer with (413 too large, 503 too slow or failed)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def pdf_from_html(html: str) -> bytes:
    """The PDF of a printable HTML page, within the configured limits (``PdfLimitError``)."""
    content = html.encode("utf-8")
    most = settings.CONTINUUM_PDF_MAX_HTML_KB * 1024
    if len(content) > most:
        raise PdfLimitError(
            f"This report holds {len(content) // 1024:,} KB of text and tables, more than the "
            f"{settings.CONTINUUM_PDF_MAX_HTML_KB:,} KB a PDF may hold. Print one year at a time, "
            "or download the table as CSV instead.",
            413,
        )
    command = [
        sys.executable, "-m", "continuum.web.pdf_render",
        "--max-pages", str(settings.CONTINUUM_PDF_MAX_PAGES),
        "--max-memory-mb", str(settings.CONTINUUM_PDF_MAX_MEMORY_MB),
    ]  # fmt: skip
    seconds = settings.CONTINUUM_PDF_MAX_SECONDS
    try:
        done = subprocess.run(
            command, input=content, capture_output=True, timeout=seconds, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise PdfLimitError(
            f"Making this PDF took longer than {seconds:g} seconds, so it was stopped. Try "
            "again later, or print one year at a time.",
            503,
        ) from error
    if done.returncode == TOO_MANY_PAGES:
        pages = done.stderr.decode(errors="replace").strip()
        raise PdfLimitError(
            f"This report would be {pages} pages long, more than the "
            f"{settings.CONTINUUM_PDF_MAX_PAGES} pages a PDF may have. Print one year at a "
            "time, or download the table as CSV instead.",
            413,
        )
    if done.returncode != 0:
        # The child's last line names the failure (e.g. MemoryError); the HTML is not logged.
        last = (done.stderr.decode(errors="replace").strip().splitlines() or ["no message"])[-1]
        logger.error("PDF rendering failed (exit %s): %s", done.returncode, last[:200])
        raise PdfLimitError(
            "This PDF could not be made within the memory the server allows one report. Print "
            "one year at a time, or download the table as CSV instead.",
            503,
        )
    return done.stdout


def pdf_response(
    request: HttpRequest,
    html: str,
    filename: str,
    *,
    subject: models.Model,
    subject_id: str,
    what: str,
    filters: Mapping[str, object] | None = None,
) -> HttpResponse:
    """The PDF of ``html`` as a download, or a page saying which limit it passed. A download
    is recorded (what, about which subject, the filters)."""
    try:
        pdf = pdf_from_html(html)
    except PdfLimitError as refused:
        return render(request, "pdf_refused.html", {"message": refused.message},
                      status=refused.status)  # fmt: skip
    audit_export_record(
        actor=request.user, what=what, file_format="pdf", rows=None, filters=filters,
        subject=subject, subject_id=subject_id,
    )  # fmt: skip
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
