"""An uploaded import's way through the worker: its files kept, read and previewed for review,
confirmed or discarded, then committed; a problem fails it and changes nothing."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from continuum.errors import ContinuumError, InputError
from continuum.web.accountability.models import DashboardImport
from continuum.web.accountability.services.commit import (
    dashboard_files_import,
    dashboard_files_preview,
)
from continuum.web.accountability.versions import (
    ImportRefusedError,
    import_in_scope,
    import_scope,
)
from continuum.web.accountability.worker import keeps_heartbeat
from continuum.web.accounts.models import User
from continuum.web.agencies.models import County
from continuum.web.audit.services import audit_event_record


def dashboard_import_create(
    *,
    actor: User | None,
    uploads: Sequence[UploadedFile],
    confirmed: bool = False,
    queue: bool = True,
) -> DashboardImport:
    """Keep uploaded files for an import. The worker reads them and shows a preview to confirm;
    ``confirmed`` (the CLI) has it commit at once. ``queue`` False leaves it to the caller to
    run (``web import --now``) instead of queueing it for the worker."""
    from continuum.web.accountability.tasks import dashboard_import_task

    if not uploads:
        raise InputError("files", "choose at least one Dashboard file")
    scope = import_scope(actor)
    with transaction.atomic():
        run = DashboardImport.objects.create(
            created_by=actor,
            county=scope.county,
            directory="",
            confirmed_at=timezone.now() if confirmed else None,
        )
        directory = Path(settings.MEDIA_ROOT) / "imports" / str(run.pk)
        directory.mkdir(parents=True, exist_ok=True)
        names = []
        for upload in uploads:
            # Only the base name is kept, so an upload cannot write outside its directory.
            name = Path(upload.name or "upload.txt").name
            with (directory / name).open("wb") as file:
                for chunk in upload.chunks():
                    file.write(chunk)
            names.append(name)
        run.directory = str(directory)
        run.file_names = names
        run.step = "Waiting for the worker" if queue else "Waiting to run here"
        run.save(update_fields=["directory", "file_names", "step"])
        audit_event_record(
            actor=actor,
            verb="dashboard_import_queue",
            subject_type="dashboard_import",
            subject_id=run.pk,
            details={"files": names, "confirmed": confirmed, "queued": queue},
        )
        if queue:
            transaction.on_commit(lambda: dashboard_import_task.enqueue(import_id=run.pk))
    return run


@keeps_heartbeat  # a dead worker's import is marked failed (see accountability/worker.py)
def dashboard_import_run(*, import_id: int) -> DashboardImport:
    """Process an import (the worker calls this): read the files and save the preview for
    review, or, once confirmed, commit them. A problem fails the import and changes nothing."""
    run = DashboardImport.objects.select_related("created_by").get(pk=import_id)
    _set_progress(run, DashboardImport.Status.RUNNING, 1, "Starting")

    def progress(percent: int, step: str) -> None:
        _set_progress(run, DashboardImport.Status.RUNNING, percent, step)

    paths = [Path(run.directory) / name for name in run.file_names]
    try:
        if run.confirmed_at is None:
            preview = dashboard_files_preview(actor=run.created_by, paths=paths, progress=progress)
            _review_ready(run, preview)
            return run
        dashboard_files_import(
            actor=run.created_by,
            paths=paths,
            progress=progress,
            import_id=run.pk,
            expected_preview=run.report or None,
        )
    except ContinuumError as error:
        _failed(run, error)
        return run
    run.refresh_from_db()
    shutil.rmtree(run.directory, ignore_errors=True)
    return run


def _review_ready(run: DashboardImport, preview: dict[str, Any]) -> None:
    with transaction.atomic():
        run.status = DashboardImport.Status.REVIEW
        run.progress = 100
        run.step = "Ready for review: confirm to write these changes, or discard"
        run.report = preview
        run.save(update_fields=["status", "progress", "step", "report"])
        run.counties.set(County.objects.filter(code__in=preview["counties"]))
        audit_event_record(
            actor=run.created_by,
            verb="dashboard_import_preview",
            subject_type="dashboard_import",
            subject_id=run.pk,
            details={"rows": preview["rows"], "years": preview["years"]},
        )


def _failed(run: DashboardImport, error: ContinuumError) -> None:
    problem: dict[str, str | int | None] = {"message": str(error)}
    if isinstance(error, InputError):
        problem = {
            "file": Path(str(error.path)).name,
            "line": error.line,
            "column": error.column,
            "message": error.message,
        }
    with transaction.atomic():
        run.status = DashboardImport.Status.FAILED
        run.step = "Failed: nothing was changed"
        run.report = {"files": [], "years": [], "problems": [problem]}
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "step", "report", "finished_at"])
        audit_event_record(
            actor=run.created_by,
            verb="dashboard_import_fail",
            subject_type="dashboard_import",
            subject_id=run.pk,
            details={"problem": problem},
        )


def _in_review(actor: User | None, import_id: int) -> DashboardImport:
    """The import, locked, if the actor may act on it and its preview awaits review."""
    run = import_in_scope(actor, import_id)
    if run.status != DashboardImport.Status.REVIEW:
        raise ImportRefusedError(
            f"import {run.pk} is {run.get_status_display().lower()}, not ready for review"
        )
    return run


def dashboard_import_confirm(*, actor: User | None, import_id: int) -> DashboardImport:
    """Confirm a reviewed preview: the worker commits it (refused if the stored results have
    changed since)."""
    from continuum.web.accountability.tasks import dashboard_import_task

    with transaction.atomic():
        run = _in_review(actor, import_id)
        run.status = DashboardImport.Status.QUEUED
        run.confirmed_at = timezone.now()
        run.progress = 0
        run.step = "Confirmed: waiting for the worker to write the results"
        run.save(update_fields=["status", "confirmed_at", "progress", "step"])
        audit_event_record(
            actor=actor, verb="dashboard_import_confirm", subject_type="dashboard_import",
            subject_id=run.pk,
        )  # fmt: skip
        transaction.on_commit(lambda: dashboard_import_task.enqueue(import_id=run.pk))
    return run


def dashboard_import_discard(*, actor: User | None, import_id: int) -> DashboardImport:
    """Discard a reviewed preview: nothing is written and its files are removed."""
    with transaction.atomic():
        run = _in_review(actor, import_id)
        run.status = DashboardImport.Status.DISCARDED
        run.step = "Discarded: nothing was changed"
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "step", "finished_at"])
        audit_event_record(
            actor=actor, verb="dashboard_import_discard", subject_type="dashboard_import",
            subject_id=run.pk,
        )  # fmt: skip
    shutil.rmtree(run.directory, ignore_errors=True)
    return run


def _set_progress(run: DashboardImport, status: str, percent: int, step: str) -> None:
    # Saved outside the import's transaction so that the page can show it while it runs.
    run.status = status
    run.progress = percent
    run.step = step[:200]
    run.save(update_fields=["status", "progress", "step"])
