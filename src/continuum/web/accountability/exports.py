"""Downloads of the pages' tables (CSV) and reports (PDF), each recorded in the audit trail."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from itertools import islice

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.http import HttpResponse

from continuum.dashboard.rules import COLOUR_NAMES
from continuum.web.accountability.models import IndicatorResult
from continuum.web.accountability.selectors import GROUP_NAMES, LeaRow
from continuum.web.audit.services import audit_export_record

RESULT_HEADER = (
    "year", "cds", "name", "studentgroup", "student_group", "indicator", "currdenom",
    "priordenom", "currstatus", "priorstatus", "change", "statuslevel", "changelevel", "color",
    "colour", "explanation",
)  # fmt: skip


def _text(value: str) -> str:
    """A text cell that a spreadsheet will not run as a formula."""
    return f"'{value}" if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


def csv_response(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    actor: AbstractBaseUser | AnonymousUser,
    subject: models.Model,
    subject_id: str,
    what: str,
    filters: Mapping[str, object] | None = None,
) -> HttpResponse:
    """A CSV attachment of at most ``CONTINUUM_EXPORT_MAX_ROWS`` rows; past that, a 413 that
    says so (rows are read one past the limit, never all of them). The download is recorded
    (what, about which subject, the filters and the number of rows)."""
    most = settings.CONTINUUM_EXPORT_MAX_ROWS
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    count = 0
    for count, row in enumerate(islice(rows, most + 1), start=1):
        if count > most:
            return HttpResponse(
                f"This download would have more than {most:,} rows, the most one CSV file may "
                "hold. Narrow the table with its filters, then download it again.",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        writer.writerow([_text(cell) if isinstance(cell, str) else cell for cell in row])
    audit_export_record(
        actor=actor, what=what, file_format="csv", rows=count, filters=filters,
        subject=subject, subject_id=subject_id,
    )  # fmt: skip
    return response


def result_rows(results: Iterable[IndicatorResult]) -> Iterable[Sequence[object]]:
    """Stored results as CSV rows, with group and colour names beside CDE's codes."""
    for r in results:
        yield (
            r.year, r.cds, r.name, r.studentgroup, GROUP_NAMES.get(r.studentgroup, r.studentgroup),
            r.indicator, r.currdenom, r.priordenom, r.currstatus, r.priorstatus, r.change,
            r.statuslevel, r.changelevel, r.color, COLOUR_NAMES.get(r.color, ""), r.explanation,
        )  # fmt: skip


def overview_rows(rows: Iterable[LeaRow], year: int) -> Iterable[Sequence[object]]:
    """County overview lines as CSV rows."""
    for row in rows:
        groups = "; ".join(f"{name} ({letter})" for _, name, letter in row.groups)
        yield (year, row.lea.cds, row.lea.name, row.lea.get_kind_display(), row.level, groups,
               row.da.level3 if row.da else "")  # fmt: skip
