"""Writes to the stored Dashboard results: imports of CDE files and the determinations that
follow from them.

An import reads every file with the Dashboard engine first; only when all of them read cleanly
does it open one transaction that replaces each year the files hold, recomputes DA, Level 3 and
ESSA for every stored year, and records the audit event. A bad file changes nothing.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from continuum.dashboard.files import read_dashboard_file
from continuum.dashboard.levels import compute_levels, levels_table
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
from continuum.web.accounts.models import User
from continuum.web.agencies.models import School
from continuum.web.agencies.services import agencies_ensure_from_results
from continuum.web.assistance.services import engagements_propose_everywhere
from continuum.web.audit.services import audit_event_record

Progress = Callable[[int, str], None]
BATCH = 2000


def dashboard_files_import(
    *,
    actor: User | None,
    paths: Sequence[Path],
    progress: Progress | None = None,
    import_id: int | None = None,
) -> dict[str, Any]:
    """Read CDE Dashboard files, replace the years they hold, recompute determinations.

    Returns the report (files read, years replaced, row and determination counts). Raises
    InputError, naming file, line and column, before anything is written.
    """
    report_progress = progress or (lambda percent, step: None)
    if not paths:
        raise InputError("files", "no Dashboard files were given")
    frames = []
    files = []
    for number, path in enumerate(paths, start=1):
        report_progress(5 + 40 * number // len(paths), f"Reading {path.name}")
        read = read_dashboard_file(path)
        frames.append(read.frame)
        files.append(
            {
                "name": path.name,
                "indicator": read.indicator,
                "year": read.year,
                "rows": read.frame.height,
            }
        )
    report_progress(50, "Computing status, change and colour")
    computed = compute_levels(pl.concat(frames, how="vertical"))
    levels = levels_table(computed)
    years = sorted(int(y) for y in levels.get_column("reportingyear").unique())
    report_progress(60, f"Replacing {', '.join(map(str, years))}")
    with transaction.atomic():
        agencies = agencies_ensure_from_results(computed)
        for year in years:
            _replace_year(year, levels.filter(pl.col("reportingyear") == year))
        report_progress(80, "Recomputing DA, Level 3 and ESSA determinations")
        determinations = determinations_recompute()
        # A new newest year proposes DA engagements for the LEAs it places in Level 2 or 3.
        newest = ResultYear.objects.order_by("-year").values_list("year", flat=True).first()
        if newest in years:
            determinations["engagements_proposed"] = engagements_propose_everywhere(
                actor=actor, year=newest
            )
        report = {
            "files": files,
            "years": years,
            "rows": levels.height,
            "agencies_added": agencies,
            "determinations": determinations,
            "problems": [],
        }
        audit_event_record(
            actor=actor,
            verb="dashboard_import",
            subject_type="dashboard_import",
            subject_id=import_id or "",
            details={"years": years, "files": [f["name"] for f in files], "rows": levels.height},
        )
    report_progress(100, "Done")
    return report


def dashboard_import_create(
    *, actor: User | None, uploads: Sequence[UploadedFile]
) -> DashboardImport:
    """Keep uploaded files and queue their import for the background worker."""
    from continuum.web.accountability.tasks import dashboard_import_task

    if not uploads:
        raise InputError("files", "choose at least one Dashboard file")
    with transaction.atomic():
        run = DashboardImport.objects.create(created_by=actor, directory="")
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
        run.step = "Waiting for the worker"
        run.save(update_fields=["directory", "file_names", "step"])
        audit_event_record(
            actor=actor,
            verb="dashboard_import_queue",
            subject_type="dashboard_import",
            subject_id=run.pk,
            details={"files": names},
        )
        transaction.on_commit(lambda: dashboard_import_task.enqueue(import_id=run.pk))
    return run


def dashboard_import_run(*, import_id: int) -> DashboardImport:
    """Process a queued import (the worker calls this): all-or-nothing, with progress and a
    report saved on the import either way."""
    run = DashboardImport.objects.select_related("created_by").get(pk=import_id)
    _set_progress(run, DashboardImport.Status.RUNNING, 1, "Starting")

    def progress(percent: int, step: str) -> None:
        _set_progress(run, DashboardImport.Status.RUNNING, percent, step)

    paths = [Path(run.directory) / name for name in run.file_names]
    try:
        report = dashboard_files_import(
            actor=run.created_by, paths=paths, progress=progress, import_id=run.pk
        )
    except ContinuumError as error:
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
        return run
    run.status = DashboardImport.Status.DONE
    run.progress = 100
    run.step = "Done"
    run.report = report
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "progress", "step", "report", "finished_at"])
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


def _replace_year(year: int, levels: pl.DataFrame) -> None:
    IndicatorResult.objects.filter(year=year).delete()
    ResultYear.objects.update_or_create(
        year=year, defaults={"rows": levels.height, "imported_at": timezone.now()}
    )
    rows = levels.iter_rows(named=True)
    batch: list[IndicatorResult] = []
    for row in rows:
        batch.append(
            IndicatorResult(
                year=year,
                cds=row["cds"],
                rtype=row["rtype"],
                name=(row["schoolname"] if row["rtype"] == "S" else row["districtname"]) or "",
                charter=row["charter_flag"] == "Y",
                coe=row["coe_flag"] == "Y",
                studentgroup=row["studentgroup"],
                indicator=row["indicator"],
                type=row["type"] or "",
                currdenom=row["currdenom"],
                priordenom=row["priordenom"],
                currstatus=row["currstatus"],
                priorstatus=row["priorstatus"],
                change=row["change"],
                statuslevel=row["statuslevel"] or 0,
                changelevel=row["changelevel"] or 0,
                color=row["color"] or 0,
                box=row["box"] or 0,
                explanation=row["explanation"] or "",
            )
        )
        if len(batch) >= BATCH:
            IndicatorResult.objects.bulk_create(batch)
            batch = []
    IndicatorResult.objects.bulk_create(batch)


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
