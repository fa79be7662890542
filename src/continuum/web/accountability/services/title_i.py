"""Which schools are Title I-funded, from CDE's ESSA file or a CSV (ESSA's CSI needs it)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from continuum.errors import InputError, excerpt
from continuum.support.inputs import read_school_info
from continuum.web.accountability.services.determinations import BATCH, determinations_recompute
from continuum.web.accounts.models import User
from continuum.web.agencies.models import School
from continuum.web.audit.services import audit_event_record


def schools_title_i_import(
    *, actor: User | None, path: Path, column: str = "TitleI2223"
) -> dict[str, int]:
    """Record which schools are Title I-funded, from CDE's ESSA file (``column``, e.g.
    TitleI2223) or a CSV with columns cds and title_i (Yes/No), then recompute the
    determinations. Rows for schools not stored here (CDE's file is statewide) are counted and
    left out. All-or-nothing: a value other than Yes or No changes nothing."""
    frame = read_school_info(path, column)
    csv_lines = path.suffix.lower() != ".xlsx"
    flags: dict[str, bool] = {}
    for index, (cds, value) in enumerate(frame.select("cds", "title_i").iter_rows()):
        answer = (value or "").strip().lower()
        if answer not in ("yes", "no"):
            raise InputError(
                path,
                f"school {excerpt(cds)}: Title I must be Yes or No, not {excerpt(value)}",
                line=index + 2 if csv_lines else None,
                column="title_i" if csv_lines else column,
            )
        flags[str(cds)] = answer == "yes"
    with transaction.atomic():
        schools = list(School.objects.filter(cds__in=list(flags)))
        for school in schools:
            school.title_i = flags[school.cds]
        School.objects.bulk_update(schools, ["title_i"], batch_size=BATCH)
        determinations = determinations_recompute()
        counts = {"schools": len(schools), "not_here": len(flags) - len(schools)}
        audit_event_record(
            actor=actor,
            verb="schools_title_i_import",
            subject_type="schools",
            details={"file": path.name, "column": column, **counts, **determinations},
        )
    return counts
