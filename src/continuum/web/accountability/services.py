"""Writes to the stored Dashboard results: imports of CDE files and the determinations that
follow from them.

An import reads every file with the Dashboard engine first; a bad file changes nothing. The
worker then saves a preview of what the import would change (``versions.plan_make``); once
confirmed, one transaction makes the plan again, refuses if it differs from the preview, writes
it, keeps what it replaced as a version, recomputes DA, Level 3 and ESSA for every stored year
and records the audit event. A restore puts a version back (``docs/web/imports.md``).
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import OperationalError, transaction
from django.utils import timezone

from continuum.errors import ContinuumError, InputError, excerpt
from continuum.support.assistance import GROUP_COLUMN_NAMES, determine_da, group_column
from continuum.support.essa import determine_essa, essa_years, load_essa_rules
from continuum.support.inputs import read_school_info
from continuum.support.levels_input import normalise_levels
from continuum.support.rules import available_years, load_da_rules
from continuum.web.accountability.models import (
    DaEvidence,
    DaResult,
    DashboardImport,
    EssaResult,
    IndicatorResult,
    ResultYear,
)
from continuum.web.accountability.versions import (
    ImportRefusedError,
    ImportScope,
    Progress,
    files_read,
    import_scope,
    plan_commit,
    plan_make,
    units_lock,
    units_of,
    units_put_back,
    years_recount,
)
from continuum.web.accountability.worker import keeps_heartbeat
from continuum.web.accounts.models import User
from continuum.web.agencies.models import County, School
from continuum.web.assistance.services import engagements_propose_everywhere
from continuum.web.audit.services import audit_event_record

BATCH = 2000


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
            determinations = determinations_recompute()
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
        raise _busy(error) from error
    # No progress after this: the import is saved as done, and a progress save would undo it.
    return {**report, "import_id": run.pk}


def _no_progress(percent: int, step: str) -> None:
    """Progress nobody watches."""


def _busy(error: OperationalError) -> Exception:
    """SQLite's refusal once its busy timeout passes, said plainly; any other error as it is."""
    if "locked" not in str(error):
        return error
    return ImportRefusedError(
        "another import or restore is writing the stored results; nothing was written: "
        "try again once it has finished"
    )


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


def _import_of_scope(actor: User | None, import_id: int) -> DashboardImport:
    """The import, locked, if the actor's scope may act on it (an operator's on any)."""
    scope = import_scope(actor)
    run = DashboardImport.objects.select_for_update().get(pk=import_id)
    if scope.county is not None and run.county_id != scope.county.pk:
        raise ImportRefusedError(f"import {run.pk} is not an import of {scope.county}")
    return run


def dashboard_import_confirm(*, actor: User | None, import_id: int) -> DashboardImport:
    """Confirm a reviewed preview: the worker commits it (refused if the stored results have
    changed since)."""
    from continuum.web.accountability.tasks import dashboard_import_task

    with transaction.atomic():
        run = _import_of_scope(actor, import_id)
        if run.status != DashboardImport.Status.REVIEW:
            raise ImportRefusedError(
                f"import {run.pk} is {run.get_status_display().lower()}, not ready for review"
            )
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
        run = _import_of_scope(actor, import_id)
        if run.status != DashboardImport.Status.REVIEW:
            raise ImportRefusedError(
                f"import {run.pk} is {run.get_status_display().lower()}, not ready for review"
            )
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


def determinations_recompute() -> dict[str, int]:
    """DA, Level 3 and ESSA for every stored year that has rules, from the stored results.

    Called inside an import's transaction: each year's determinations can depend on earlier
    years (Year 2, Level 3, ATSI), so all of them are recomputed together.
    """
    by_year = stored_levels_by_year()
    DaResult.objects.all().delete()
    DaEvidence.objects.all().delete()
    EssaResult.objects.all().delete()
    counts = {"da": 0, "essa": 0}
    schools = _school_info()
    essa_before: pl.DataFrame | None = None
    for year in sorted(by_year):
        if year in available_years():
            counts["da"] += _store_da(by_year, year)
        if year in essa_years():
            essa_before = _store_essa(by_year, year, schools, essa_before)
            counts["essa"] += 0 if essa_before is None else essa_before.height
    return counts


def stored_levels_by_year() -> dict[int, pl.DataFrame]:
    """The stored results as the support engine's normalised levels tables, by year."""
    columns = (
        "cds", "rtype", "name", "charter", "coe", "studentgroup", "indicator", "year",
        "currdenom", "priordenom", "currstatus", "change", "statuslevel", "changelevel", "color",
    )  # fmt: skip
    rows = list(IndicatorResult.objects.values_list(*columns))
    if not rows:
        return {}
    frame = pl.DataFrame(rows, schema=list(columns), orient="row", infer_schema_length=None)
    frame = frame.with_columns(
        pl.when(pl.col("rtype") == "S").then(pl.col("name")).alias("schoolname"),
        pl.when(pl.col("rtype") != "S").then(pl.col("name")).alias("districtname"),
        pl.when(pl.col("charter")).then(pl.lit("Y")).alias("charter_flag"),
        pl.when(pl.col("coe")).then(pl.lit("Y")).alias("coe_flag"),
        pl.col("year").alias("reportingyear"),
    )
    levels = normalise_levels(frame, "stored results")
    return {
        int(y): levels.filter(pl.col("reportingyear") == y)
        for y in levels.get_column("reportingyear").unique().to_list()
    }


def _store_da(by_year: dict[int, pl.DataFrame], year: int) -> int:
    result = determine_da(by_year, year)
    groups = load_da_rules(year).student_groups
    status_column = f"AssistanceStatus{year}"
    records = []
    for row in result.table.iter_rows(named=True):
        codes = {g: row[group_column(g)] for g in groups if row[group_column(g)] not in (None, "*")}
        records.append(
            DaResult(
                year=year,
                cds=row["CDS"],
                name=row["LEAname"] or "",
                entity=row["Entity"] or "",
                status=row[status_column] or "",
                groups=codes,
                total_groups=row["TotalStudentGroups"],
                level3=row[f"EC52072_{year}"] or "",
                explanation=row["Explanation"] or "",
            )
        )
    DaResult.objects.bulk_create(records, batch_size=BATCH)
    DaEvidence.objects.bulk_create(
        (
            DaEvidence(year=year, **row)
            for row in result.evidence.drop("entity").iter_rows(named=True)
        ),
        batch_size=BATCH,
    )
    return len(records)


def _store_essa(
    by_year: dict[int, pl.DataFrame],
    year: int,
    schools: pl.DataFrame,
    before: pl.DataFrame | None,
) -> pl.DataFrame | None:
    """Store a year's ESSA determinations; return them as the next year's prior statuses.

    A year outside the CSI/ATSI entry years carries on the year before's statuses: without the
    year before's determinations stored, it is not determined (nothing is stored for it)."""
    prior = before if before is not None and before.get_column("year").first() == year - 1 else None
    if not load_essa_rules(year).entry_year and prior is None:
        return None
    result = determine_essa(
        by_year, year, schools=schools, prior_status=None if prior is None else prior.drop("year")
    )
    table = result.table
    group_columns = [c for c in table.columns if c in _essa_group_columns()]
    records = [
        EssaResult(
            year=year,
            cds=row["cds"],
            status=row[f"AssistanceStatus{year}"] or "",
            groups=[c for c in group_columns if str(row[c]) == "1"],
            explanation=row["Explanation"] or "",
        )
        for row in table.iter_rows(named=True)
    ]
    EssaResult.objects.bulk_create(records, batch_size=BATCH)
    return table.select(
        pl.col("cds"),
        pl.col(f"AssistanceStatus{year}").alias("status"),
        *group_columns,
        pl.lit(year).alias("year"),
    )


def _essa_group_columns() -> set[str]:
    groups = {g for year in available_years() for g in load_da_rules(year).student_groups}
    return {GROUP_COLUMN_NAMES.get(g, g) for g in groups}


def _school_info() -> pl.DataFrame:
    """``cds, title_i, dass`` for ESSA: DASS from the directory, Title I as imported
    (``schools_title_i_import``); a school whose Title I is unknown stays undetermined where CSI
    needs it, and the engine says so."""
    answer = {True: "Yes", False: "No", None: None}
    rows = [
        (cds, answer[title_i], "Yes" if dass else "No")
        for cds, title_i, dass in School.objects.values_list("cds", "title_i", "dass")
    ]
    return pl.DataFrame(
        rows, schema={"cds": pl.String, "title_i": pl.String, "dass": pl.String}, orient="row"
    )


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


def _set_progress(run: DashboardImport, status: str, percent: int, step: str) -> None:
    # Saved outside the import's transaction so that the page can show it while it runs.
    run.status = status
    run.progress = percent
    run.step = step[:200]
    run.save(update_fields=["status", "progress", "step"])


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
            target = _import_of_scope(actor, import_id)
            if target.status != DashboardImport.Status.DONE or target.committed_at is None:
                raise ImportRefusedError(
                    f"import {target.pk} is {target.get_status_display().lower()}: only a "
                    "committed import can be restored"
                )
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
            years_recount(sorted(years))
            undone = sorted((chain[i].pk for i in undo), reverse=True)
            audit_event_record(
                actor=actor,
                verb="dashboard_import_restore",
                subject_type="dashboard_import",
                subject_id=target.pk,
                details={"undone": undone, **counts},
            )
            determinations = determinations_recompute()
    except OperationalError as error:
        raise _busy(error) from error
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
