"""What importing Dashboard files would change (the preview), and writing it (the commit): one
transaction makes the plan again, refuses if it differs from the confirmed preview, writes it,
keeps what it replaced as a version, recomputes the determinations and records the audit event."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.db import OperationalError, transaction
from django.utils import timezone

from continuum.web.accountability.models import (
    DashboardImport,
    ResultYear,
)
from continuum.web.accountability.services.determinations import determinations_recompute
from continuum.web.accountability.versions import (
    ImportRefusedError,
    ImportScope,
    Progress,
    busy_refusal,
    files_read,
    import_scope,
    plan_commit,
    plan_make,
    units_lock,
)
from continuum.web.accounts.models import User
from continuum.web.assistance.services import engagements_propose_everywhere
from continuum.web.audit.services import audit_event_record


def dashboard_files_preview(
    *, actor: User | None, paths: Sequence[Path], progress: Progress | None = None
) -> dict[str, Any]:
    """What importing these files would change (per year and indicator: rows added, changed
    with a sample, unchanged, removed; rows left out and why; determinations to recompute).
    Writes nothing; raises InputError for a bad file."""
    report_progress = progress or _no_progress
    scope = import_scope(actor)
    read = files_read(paths, report_progress)
    report_progress(70, "Comparing with the stored results")
    return plan_make(read, scope).preview


def dashboard_files_import(
    *,
    actor: User | None,
    paths: Sequence[Path],
    progress: Progress | None = None,
    import_id: int | None = None,
    expected_preview: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Read CDE Dashboard files and, in one transaction, replace the rows they hold within the
    importer's scope, keep what they replaced as a version, recompute determinations.

    ``import_id`` names the DashboardImport being committed (one is recorded otherwise). With
    ``expected_preview`` the commit is refused (ImportRefusedError) unless the plan made inside the
    transaction equals that preview. Returns the report: the preview's counts plus the
    determinations. Raises InputError, naming file, line and column, before anything is written.
    """
    report_progress = progress or _no_progress
    scope = import_scope(actor)
    read = files_read(paths, report_progress)
    report_progress(60, "Comparing with the stored results")
    try:
        with transaction.atomic():
            units_lock((f["year"], f["indicator"]) for f in read.files)
            plan = plan_make(read, scope)
            if expected_preview is not None and plan.preview != expected_preview:
                raise ImportRefusedError(
                    "the stored results or the agency directory changed since this preview "
                    "(another import or a restore); nothing was written: upload the files again "
                    "to see a new preview"
                )
            run = _import_for_commit(actor, scope, import_id, [f["name"] for f in read.files])
            report_progress(70, "Writing the changed results")
            plan_commit(plan, run)
            report_progress(80, "Recomputing DA, Level 3 and ESSA determinations")
            determinations = determinations_recompute(
                years_changed=(unit.year for unit in plan.units)
            )
            # A new newest year proposes DA engagements for the LEAs it places in Level 2 or 3.
            newest = ResultYear.objects.order_by("-year").values_list("year", flat=True).first()
            if newest is not None and newest in plan.preview["years"]:
                determinations["engagements_proposed"] = engagements_propose_everywhere(
                    actor=actor, year=newest
                )
            report = {**plan.preview, "determinations": determinations, "problems": []}
            run.status = DashboardImport.Status.DONE
            run.progress = 100
            run.step = "Done"
            run.report = report
            run.committed_at = run.finished_at = timezone.now()
            run.save()
            run.counties.set(plan.county_ids)
            audit_event_record(
                actor=actor,
                verb="dashboard_import",
                subject_type="dashboard_import",
                subject_id=run.pk,
                details={
                    "years": plan.preview["years"],
                    "files": [f["name"] for f in read.files],
                    "rows": plan.preview["rows"],
                    "units": [
                        {k: u[k] for k in ("year", "indicator", "added", "changed", "removed")}
                        for u in plan.preview["units"]
                    ],
                    "left_out": {k: v["rows"] for k, v in plan.preview["left_out"].items()},
                },
            )
    except OperationalError as error:
        raise busy_refusal(error) from error
    # No progress after this: the import is saved as done, and a progress save would undo it.
    return {**report, "import_id": run.pk}


def _no_progress(percent: int, step: str) -> None:
    """Progress nobody watches."""


def _import_for_commit(
    actor: User | None, scope: ImportScope, import_id: int | None, names: list[str]
) -> DashboardImport:
    """The import being committed, locked; one is recorded for a direct call (the CLI --now,
    the demo), so that every commit is a version in the list."""
    if import_id is None:
        return DashboardImport.objects.create(
            created_by=actor, county=scope.county, directory="", file_names=names,
            confirmed_at=timezone.now(),
        )  # fmt: skip
    return DashboardImport.objects.select_for_update().get(pk=import_id)
