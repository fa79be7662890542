"""Downloads of the pages' tables (CSV and Excel) and reports (PDF), each recorded in the audit
trail, each at most ``CONTINUUM_EXPORT_MAX_ROWS`` rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import islice

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from xlsxwriter import Workbook

from continuum.dashboard.rules import COLOUR_NAMES
from continuum.web.accountability.models import IndicatorResult
from continuum.web.accountability.selectors import GROUP_NAMES
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
    capped = _capped(rows)
    if capped is None:
        return _too_many()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in capped:
        writer.writerow([_text(cell) if isinstance(cell, str) else cell for cell in row])
    count = len(capped)
    audit_export_record(
        actor=actor, what=what, file_format="csv", rows=count, filters=filters,
        subject=subject, subject_id=subject_id,
    )  # fmt: skip
    return response


def _capped(rows: Iterable[Sequence[object]]) -> list[Sequence[object]] | None:
    """The rows when there are at most ``CONTINUUM_EXPORT_MAX_ROWS`` (read one past the limit,
    never all of them), else None."""
    most = settings.CONTINUUM_EXPORT_MAX_ROWS
    kept = list(islice(rows, most + 1))
    return None if len(kept) > most else kept


def _too_many() -> HttpResponse:
    most = settings.CONTINUUM_EXPORT_MAX_ROWS
    return HttpResponse(
        f"This download would have more than {most:,} rows, the most one file may hold. "
        "Narrow the table with its filters, then download it again.",
        status=413,
        content_type="text/plain; charset=utf-8",
    )


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    kinds: Sequence[str],
    title: str,
    described: Sequence[tuple[str, str]],
    actor: AbstractBaseUser | AnonymousUser,
    subject: models.Model,
    subject_id: str,
    what: str,
    filters: Mapping[str, object] | None = None,
    made: Callable[[], dt.datetime] | None = None,
) -> HttpResponse:
    """An Excel workbook of one sheet: a header block (title, the filters in force, the date it
    was made), then the column headings and the rows with typed cells (numbers as numbers,
    percentages as numbers shown with %, dates as dates). Same row cap and audit as CSV."""
    capped = _capped(rows)
    if capped is None:
        return _too_many()
    moment = timezone.localtime((made or timezone.now)())
    buffer = io.BytesIO()
    book = Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                             "strings_to_urls": False})  # fmt: skip
    sheet = book.add_worksheet(what[:31])
    bold = book.add_format({"bold": True})
    formats = {
        "number": book.add_format({"num_format": "#,##0.##"}),
        "change": book.add_format({"num_format": "+0.0;-0.0;0.0"}),
        "percent": book.add_format({"num_format": '0.0"%"'}),
        "date": book.add_format({"num_format": "d mmm yyyy"}),
    }
    sheet.write_string(0, 0, title, book.add_format({"bold": True, "font_size": 14}))
    block = [("Filters", "; ".join(f"{k}: {v}" for k, v in described) or "none")]
    block.append(("Downloaded", f"{moment.day} {moment:%b %Y %H:%M} from Continuum"))
    for line, (label, text) in enumerate(block, start=1):
        sheet.write_string(line, 0, label, bold)
        sheet.write_string(line, 1, text)
    top = len(block) + 2
    for column, name in enumerate(header):
        sheet.write_string(top, column, name, bold)
    for offset, row in enumerate(capped, start=1):
        for column, (cell, kind) in enumerate(zip(row, kinds, strict=True)):
            if cell is None:
                sheet.write_blank(top + offset, column, None)
            elif isinstance(cell, int | float) and not isinstance(cell, bool):
                sheet.write_number(top + offset, column, cell, formats.get(kind))
            elif isinstance(cell, dt.date):
                value = (
                    cell if isinstance(cell, dt.datetime) else dt.datetime(*cell.timetuple()[:3])
                )
                sheet.write_datetime(top + offset, column, value.replace(tzinfo=None),
                                     formats["date"])  # fmt: skip
            else:
                sheet.write_string(top + offset, column, str(cell))
    sheet.freeze_panes(top + 1, 1)
    sheet.autofilter(top, 0, top + len(capped), max(len(header) - 1, 0))
    book.close()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    audit_export_record(
        actor=actor, what=what, file_format="xlsx", rows=len(capped), filters=filters,
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
