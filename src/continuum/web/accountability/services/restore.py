"""Putting back the stored results as they were just before an import (a version), undoing the
later imports that replaced some of the same results, newest first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import OperationalError, transaction
from django.utils import timezone

from continuum.web.accountability.models import DashboardImport
from continuum.web.accountability.services.determinations import determinations_recompute
from continuum.web.accountability.versions import (
    ImportRefusedError,
    busy_refusal,
    import_in_scope,
    import_scope,
    restore_refusal,
    units_lock,
    units_of,
    units_put_back,
)
from continuum.web.accounts.models import User
from continuum.web.audit.services import audit_event_record


def dashboard_import_restore(*, actor: User | None, import_id: int) -> dict[str, Any]:
    """Give back the stored results as they were just before an import, in one transaction.

    The import is undone, and so is every later committed import that replaced any of the same
    units (year, indicator, entity) as one being undone, newest first, so that the result is a
    state that really existed. The state row is shared by every county: a unit of it is put
    back only if no later import that stays has replaced it again. A county administrator may
    restore only when every import to undo is their county's. Determinations are recomputed;
    audited."""
    scope = import_scope(actor)
    try:
        with transaction.atomic():
            target = import_in_scope(actor, import_id)
            refusal = restore_refusal(target)
            if refusal is not None:
                raise ImportRefusedError(refusal)
            # Every import committed since, in the order they were committed.
            chain = [
                target,
                *DashboardImport.objects.filter(
                    status=DashboardImport.Status.DONE, committed_at__gt=target.committed_at
                ).order_by("committed_at", "id"),
            ]
            units = [units_of(run) for run in chain]
            undo = _overlapping(units)
            outside = [
                chain[i].pk
                for i in undo
                if scope.county is not None and chain[i].county_id != scope.county.pk
            ]
            if outside:
                raise ImportRefusedError(
                    f"restoring import {target.pk} would also undo import(s) "
                    f"{', '.join(map(str, outside))} of another county or of an operator, which "
                    "replaced some of the same results later; an operator can restore it with "
                    "continuum web import-restore"
                )
            units_lock((y, i) for n in undo for y, i, _ in units[n][0] | units[n][1])
            counts = {"rows_removed": 0, "rows_put_back": 0}
            years: set[int] = set()
            for index in sorted(undo, reverse=True):
                # Shared (state) units replaced again by a later import that stays.
                blocked = {
                    unit
                    for later in range(index + 1, len(chain))
                    if later not in undo
                    for unit in units[later][1]
                }
                run = chain[index]
                for replaced in run.replaced_units.all():
                    for name, value in units_put_back(replaced, blocked).items():
                        counts[name] += value
                    years.add(replaced.year)
                run.status = DashboardImport.Status.UNDONE
                run.undone_at = timezone.now()
                run.step = f"Undone by the restore of import {target.pk}"
                run.save(update_fields=["status", "undone_at", "step"])
            undone = sorted((chain[i].pk for i in undo), reverse=True)
            audit_event_record(
                actor=actor,
                verb="dashboard_import_restore",
                subject_type="dashboard_import",
                subject_id=target.pk,
                details={"undone": undone, **counts},
            )
            determinations = determinations_recompute(years_changed=years)
    except OperationalError as error:
        raise busy_refusal(error) from error
    return {"undone": undone, **counts, "determinations": determinations}


Units = tuple[set[tuple[int, str, str]], set[tuple[int, str, str]]]


def _overlapping(units: Sequence[Units]) -> set[int]:
    """Positions of the imports a restore of the first one undoes: it, and each later one whose
    own units meet those of one already undone (the shared state units do not count)."""
    undo = {0}
    covered = set(units[0][0])
    for index in range(1, len(units)):
        if units[index][0] & covered:
            undo.add(index)
            covered |= units[index][0]
    return undo
