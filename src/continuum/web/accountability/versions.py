"""What an import of Dashboard files changes, writing it, and putting back what it replaced.

The unit is (Dashboard year, indicator, entity): for each year and indicator its files hold, an
import replaces the rows (every student group) of the entities those files cover, within the
importer's scope, and touches nothing else. A plan says, per year and indicator, which rows
would be added, changed, left unchanged or removed; the same plan, made again inside the commit's
transaction, is what the commit writes. Each commit keeps the rows its units held before it
(``ReplacedUnits``), so that a restore can put them back exactly, ids included.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import OperationalError
from django.db.models import Q
from django.utils import timezone

from continuum.dashboard.files import read_dashboard_file, refuse_duplicate_rows
from continuum.dashboard.levels import compute_levels
from continuum.errors import ContinuumError, InputError, excerpt
from continuum.support.essa import essa_years
from continuum.support.rules import available_years
from continuum.web.accountability.models import (
    DashboardImport,
    IndicatorResult,
    ReplacedUnits,
    ResultLock,
    ResultYear,
)
from continuum.web.accounts.access import IMPORT_ROLES, user_scope
from continuum.web.agencies.models import County, Lea, School

Progress = Callable[[int, str], None]

# The stored columns of a result row (IndicatorResult without its id), and which of them key it.
RESULT_SCHEMA: dict[str, pl.DataType] = {
    "year": pl.Int64(),
    "cds": pl.String(),
    "rtype": pl.String(),
    "name": pl.String(),
    "charter": pl.Boolean(),
    "coe": pl.Boolean(),
    "studentgroup": pl.String(),
    "indicator": pl.String(),
    "type": pl.String(),
    "currdenom": pl.Float64(),
    "priordenom": pl.Float64(),
    "currstatus": pl.Float64(),
    "priorstatus": pl.Float64(),
    "change": pl.Float64(),
    "statuslevel": pl.Int64(),
    "changelevel": pl.Int64(),
    "color": pl.Int64(),
    "box": pl.Int64(),
    "explanation": pl.String(),
    "source_file": pl.String(),
    "source_line": pl.Int64(),
}
RESULT_COLUMNS = tuple(RESULT_SCHEMA)
KEY = ("year", "indicator", "cds", "studentgroup")
# Where a row was read from: kept up to date, but a row whose values are the same is unchanged
# whatever line of whichever file it now comes from.
PROVENANCE = ("source_file", "source_line")
# What a row kept by a version made before results recorded their source puts back.
NO_PROVENANCE: dict[str, Any] = {"source_file": "", "source_line": None}
# The same key in the Dashboard engine's columns: a stored row has no suspension type in its key.
STORED_KEY = ("reportingyear", "indicator", "cds", "studentgroup")
VALUE_COLUMNS = tuple(c for c in RESULT_COLUMNS if c not in KEY and c not in PROVENANCE)
STATE_RTYPE = "X"
SAMPLE_SIZE = 5
EXCERPT = 40
UNITS_PER_CHUNK = 2000
# CDS codes per ``cds__in`` query: under every database's limit on query parameters.
CDS_BATCH = 900
BATCH = 2000


class ImportRefusedError(ContinuumError):
    """An import, confirm or restore that cannot go ahead, said in a plain sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ImportScope:
    """Whose rows an import may replace: a county's LEAs and schools (by the stored agency
    directory) and the state row; ``county`` None means every stored agency (an operator)."""

    county: County | None


def import_scope(actor: AbstractBaseUser | None) -> ImportScope:
    """The scope of an import by ``actor`` (None: the CLI without --user, every agency)."""
    if actor is None:
        return ImportScope(county=None)
    for county_id, held in sorted(user_scope(actor).roles_by_county.items()):
        if held & IMPORT_ROLES:
            return ImportScope(county=County.objects.get(id=county_id))
    raise ImportRefusedError(
        f"{actor.get_username()} is not a county administrator: only county administrators "
        "import Dashboard results"
    )


def import_in_scope(actor: AbstractBaseUser | None, import_id: int) -> DashboardImport:
    """The import, locked, if the actor's scope may act on it (an operator's on any)."""
    scope = import_scope(actor)
    run = DashboardImport.objects.select_for_update().get(pk=import_id)
    if scope.county is not None and run.county_id != scope.county.pk:
        raise ImportRefusedError(f"import {run.pk} is not an import of {scope.county}")
    return run


@dataclass(frozen=True)
class ReadFiles:
    """Dashboard files read and computed: what each held, and their rows in stored form."""

    files: list[dict[str, Any]]
    rows: pl.DataFrame


def files_read(paths: Sequence[Path], progress: Progress) -> ReadFiles:
    """Read every file and compute status, change and colour; InputError (file, line, column)
    for a bad file, or for a row that two files, or one file twice, hold."""
    if not paths:
        raise InputError("files", "no Dashboard files were given")
    frames = []
    files = []
    for number, path in enumerate(paths, start=1):
        progress(5 + 40 * number // len(paths), f"Reading {path.name}")
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
    combined = pl.concat(frames, how="vertical")
    refuse_duplicate_rows(combined, key=STORED_KEY)
    progress(50, "Computing status, change and colour")
    return ReadFiles(files=files, rows=_stored_form(compute_levels(combined)))


def _stored_form(computed: pl.DataFrame) -> pl.DataFrame:
    """The engine's rows as IndicatorResult stores them, with the line each came from."""
    floats = ("currdenom", "priordenom", "currstatus", "priorstatus", "change")
    levels = ("statuslevel", "changelevel", "color", "box")
    return computed.select(
        pl.col("reportingyear").cast(pl.Int64).alias("year"),
        "cds",
        "rtype",
        pl.when(pl.col("rtype") == "S")
        .then(pl.col("schoolname"))
        .otherwise(pl.col("districtname"))
        .fill_null("")
        .alias("name"),
        (pl.col("charter_flag") == "Y").fill_null(False).alias("charter"),
        (pl.col("coe_flag") == "Y").fill_null(False).alias("coe"),
        "studentgroup",
        "indicator",
        pl.col("type").fill_null(""),
        *(pl.col(c).cast(pl.Float64).fill_nan(None) for c in floats),
        *(pl.col(c).cast(pl.Int64).fill_null(0) for c in levels),
        pl.col("explanation").fill_null(""),
        # The file's name only: an upload's directory on the server says nothing to a reader.
        pl.col("source_file").cast(pl.String).str.extract(r"([^/\\]+)$").fill_null(""),
        "source_line",
    )


@dataclass(frozen=True)
class UnitChanges:
    """What an import does to one Dashboard year and indicator."""

    year: int
    indicator: str
    entities: list[str]
    shared: list[str]
    before: pl.DataFrame
    inserted: pl.DataFrame
    deleted_ids: list[int]
    counts: dict[str, int]
    sample: list[dict[str, Any]]


@dataclass(frozen=True)
class ImportPlan:
    """An import's changes, the rows it leaves out and its preview (what people read)."""

    units: list[UnitChanges]
    county_ids: list[int]
    preview: dict[str, Any]


def plan_make(read: ReadFiles, scope: ImportScope) -> ImportPlan:
    """Compare the files' rows within the scope with the stored rows of the entities they cover."""
    kept, left_out, county_ids = _in_scope(read.rows, scope)
    units = [
        _unit_changes(int(year), str(indicator), group)
        for (year, indicator), group in sorted(
            kept.partition_by("year", "indicator", as_dict=True).items()
        )
    ]
    digest = hashlib.sha256()
    for unit in units:
        digest.update(unit.before.sort("id").write_csv().encode())
    years = sorted({f["year"] for f in read.files})
    stored = set(ResultYear.objects.values_list("year", flat=True))
    rule_years = set(available_years()) | set(essa_years())
    preview = {
        "files": read.files,
        "years": years,
        "rows": kept.height,
        "units": [
            {
                "year": u.year,
                "indicator": u.indicator,
                "entities": len(u.entities),
                **u.counts,
                "sample": u.sample,
            }
            for u in units
        ],
        "left_out": left_out,
        "counties": list(
            County.objects.filter(id__in=county_ids).order_by("code").values_list("code", flat=True)
        ),
        "determination_years": sorted((stored | set(years)) & rule_years),
        "digest": digest.hexdigest(),
    }
    # As the JSON field will hold it, so that a stored preview compares equal to a fresh one.
    return ImportPlan(units=units, county_ids=county_ids, preview=json.loads(json.dumps(preview)))


def _directory() -> pl.DataFrame:
    """``cds, county_id`` of every stored LEA and school."""
    rows = [
        *Lea.objects.values_list("cds", "county_id"),
        *School.objects.values_list("cds", "lea__county_id"),
    ]
    return pl.DataFrame(
        rows, schema={"cds": pl.String, "county_id": pl.Int64}, orient="row"
    ).unique("cds", keep="first")


def _in_scope(
    rows: pl.DataFrame, scope: ImportScope
) -> tuple[pl.DataFrame, dict[str, dict[str, Any]], list[int]]:
    """The rows the importer may replace, what was left out and why, and the counties kept."""
    joined = rows.join(_directory(), on="cds", how="left")
    state = pl.col("rtype") == STATE_RTYPE
    known = pl.col("county_id").is_not_null()
    mine = known if scope.county is None else pl.col("county_id") == scope.county.pk
    kept = joined.filter(state | mine)
    left_out: dict[str, dict[str, Any]] = {}
    for reason, condition in (
        ("other_county", ~state & known & ~mine),
        ("not_in_directory", ~state & ~known),
    ):
        dropped = joined.filter(condition)
        if dropped.height:
            entities = dropped.get_column("cds").unique().sort()
            left_out[reason] = {
                "rows": dropped.height,
                "entities": entities.len(),
                "sample": entities.head(SAMPLE_SIZE).to_list(),
            }
    county_ids = kept.get_column("county_id").drop_nulls().unique().sort().to_list()
    return kept.drop("county_id"), left_out, county_ids


def stored_rows(year: int, indicator: str, entities: Sequence[str]) -> pl.DataFrame:
    """The stored rows (with ids) of these entities for one year and indicator."""
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(entities), CDS_BATCH):
        rows.extend(
            IndicatorResult.objects.filter(
                year=year, indicator=indicator, cds__in=entities[start : start + CDS_BATCH]
            ).values_list("id", *RESULT_COLUMNS)
        )
    return pl.DataFrame(rows, schema={"id": pl.Int64, **RESULT_SCHEMA}, orient="row")


def _unit_changes(year: int, indicator: str, new: pl.DataFrame) -> UnitChanges:
    entities = new.get_column("cds").unique().sort().to_list()
    shared = new.filter(pl.col("rtype") == STATE_RTYPE).get_column("cds").unique().sort().to_list()
    before = stored_rows(year, indicator, entities)
    joined = new.select(*RESULT_COLUMNS, pl.lit(True).alias("in_files")).join(
        before, on=list(KEY), how="full", coalesce=True, suffix="_before"
    )
    in_files = pl.col("in_files").is_not_null()
    stored = pl.col("id").is_not_null()
    differs = pl.any_horizontal(pl.col(c).ne_missing(pl.col(f"{c}_before")) for c in VALUE_COLUMNS)
    moved = pl.any_horizontal(pl.col(c).ne_missing(pl.col(f"{c}_before")) for c in PROVENANCE)
    added = joined.filter(in_files & ~stored)
    changed = joined.filter(in_files & stored & differs).sort("cds", "studentgroup")
    # Rows with the same values from another line or file: rewritten so the line shown is true.
    relocated = joined.filter(in_files & stored & ~differs & moved)
    removed = joined.filter(~in_files)
    counts = {
        "added": added.height,
        "changed": changed.height,
        "unchanged": joined.filter(in_files & stored).height - changed.height,
        "removed": removed.height,
    }
    return UnitChanges(
        year=year,
        indicator=indicator,
        entities=entities,
        shared=shared,
        before=before,
        # Changed rows are written again under their ids, so that links to them still work.
        inserted=pl.concat(
            [
                added.select(pl.lit(None, pl.Int64).alias("id"), *RESULT_COLUMNS),
                changed.select("id", *RESULT_COLUMNS),
                relocated.select("id", *RESULT_COLUMNS),
            ]
        ),
        deleted_ids=[
            *changed.get_column("id").to_list(),
            *relocated.get_column("id").to_list(),
            *removed.get_column("id").to_list(),
        ],
        counts=counts,
        sample=[_change_sample(row) for row in changed.head(SAMPLE_SIZE).iter_rows(named=True)],
    )


def _change_sample(row: dict[str, Any]) -> dict[str, Any]:
    columns = [
        {"column": c, "before": _shown(row[f"{c}_before"]), "after": _shown(row[c])}
        for c in VALUE_COLUMNS
        if row[c] != row[f"{c}_before"]
    ]
    return {"cds": row["cds"], "name": _shown(row["name"]), "studentgroup": row["studentgroup"],
            "columns": columns}  # fmt: skip


def _shown(value: object) -> str:
    """A value as a person reads it, at most ``EXCERPT`` characters."""
    if value is None or value == "":
        return "blank"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return excerpt(f"{value:g}" if isinstance(value, float) else value, EXCERPT, quoted=False)


def units_lock(units: Iterable[tuple[int, str]]) -> None:
    """Lock the (year, indicator) rows of these units until the transaction ends: another
    commit or restore of any of them waits (PostgreSQL) or is refused once SQLite's busy
    timeout passes (its IMMEDIATE transactions already let one writer in at a time)."""
    wanted = sorted(set(units))
    if not wanted:
        return
    ResultLock.objects.bulk_create(
        [ResultLock(year=year, indicator=indicator) for year, indicator in wanted],
        ignore_conflicts=True,
    )
    condition = Q()
    for year, indicator in wanted:
        condition |= Q(year=year, indicator=indicator)
    # Taken in one order everywhere, so that two writers cannot deadlock.
    list(ResultLock.objects.select_for_update().filter(condition).order_by("year", "indicator"))


# The lock row of what every commit and restore changes whatever its units: the years' row
# counts (``ResultYear``) and the determinations, which read every stored result.
SUMMARIES_LOCK = (0, "")


def summaries_lock() -> None:
    """Lock the stored results' summaries until the transaction ends. Taken after the units'
    locks (never before them), so that two imports of different indicators write their rows
    side by side and wait for each other only here; once it is held, the rows the other import
    committed are seen (PostgreSQL reads each statement afresh), so the counts and the
    determinations are those of both."""
    units_lock([SUMMARIES_LOCK])


def busy_refusal(error: OperationalError) -> Exception:
    """SQLite's refusal once its busy timeout passes, said plainly; any other error as it is."""
    if "locked" not in str(error):
        return error
    return ImportRefusedError(
        "another import or restore is writing the stored results; nothing was written: "
        "try again once it has finished"
    )


def plan_commit(plan: ImportPlan, run: DashboardImport) -> None:
    """Write the plan's units and keep what they held before, as the version ``run`` replaced
    (the years' counts and the determinations follow, under ``summaries_lock``)."""
    for unit in plan.units:
        for start in range(0, len(unit.entities), UNITS_PER_CHUNK):
            chunk = unit.entities[start : start + UNITS_PER_CHUNK]
            before = unit.before.filter(pl.col("cds").is_in(chunk))
            ReplacedUnits.objects.create(
                dashboard_import=run,
                year=unit.year,
                indicator=unit.indicator,
                entities=chunk,
                shared=[cds for cds in unit.shared if cds in set(chunk)],
                rows_before=zlib.compress(json.dumps(before.to_dicts()).encode()),
            )
        _delete_ids(unit.deleted_ids)
        _insert(unit.inserted.iter_rows(named=True))


def restore_refusal(run: DashboardImport) -> str | None:
    """Why the results before this import cannot be restored, or None if they can: only a
    committed import can, and only one committed since imports keep what they replaced (an
    import made before that, by an earlier Continuum, has no version to give back)."""
    if run.status == DashboardImport.Status.DONE and run.committed_at is None:
        return (
            f"import {run.pk} was made before imports kept the results they replace, so the "
            "results before it cannot be restored; to change them, import the right files again"
        )
    if run.status != DashboardImport.Status.DONE:
        return (
            f"import {run.pk} is {run.get_status_display().lower()}: only a committed import "
            "can be restored"
        )
    return None


def units_put_back(
    replaced: ReplacedUnits, blocked_shared: set[tuple[int, str, str]]
) -> dict[str, int]:
    """Put back the rows these units held before their import: the import's rows of them are
    deleted and the earlier rows inserted under their own ids. A shared (state) unit that a later
    import still in place has replaced again is left as that import wrote it."""
    entities = [
        cds
        for cds in replaced.entities
        if cds not in replaced.shared
        or (replaced.year, replaced.indicator, cds) not in blocked_shared
    ]
    removed = 0
    for start in range(0, len(entities), CDS_BATCH):
        removed += IndicatorResult.objects.filter(
            year=replaced.year,
            indicator=replaced.indicator,
            cds__in=entities[start : start + CDS_BATCH],
        ).delete()[0]
    keep = set(entities)
    rows = [
        {**NO_PROVENANCE, **row}
        for row in json.loads(zlib.decompress(replaced.rows_before))
        if row["cds"] in keep
    ]
    _insert(rows)
    return {"rows_removed": removed, "rows_put_back": len(rows)}


def units_of(run: DashboardImport) -> tuple[set[tuple[int, str, str]], set[tuple[int, str, str]]]:
    """The (year, indicator, cds) units a committed import replaced: its own, and the shared."""
    own: set[tuple[int, str, str]] = set()
    shared: set[tuple[int, str, str]] = set()
    for year, indicator, entities, shared_cds in run.replaced_units.values_list(
        "year", "indicator", "entities", "shared"
    ):
        shared |= {(year, indicator, cds) for cds in shared_cds}
        own |= {(year, indicator, cds) for cds in entities if cds not in shared_cds}
    return own, shared


def years_recount(years: Iterable[int]) -> None:
    """Keep ``ResultYear`` in step with the stored rows of these years."""
    for year in years:
        rows = IndicatorResult.objects.filter(year=year).count()
        if rows:
            ResultYear.objects.update_or_create(
                year=year, defaults={"rows": rows, "imported_at": timezone.now()}
            )
        else:
            ResultYear.objects.filter(year=year).delete()


def _delete_ids(ids: Sequence[int]) -> None:
    for start in range(0, len(ids), CDS_BATCH):
        IndicatorResult.objects.filter(id__in=ids[start : start + CDS_BATCH]).delete()


def _insert(rows: Iterable[dict[str, Any]]) -> None:
    batch: list[IndicatorResult] = []
    for row in rows:
        batch.append(IndicatorResult(**{c: row[c] for c in ("id", *RESULT_COLUMNS)}))
        if len(batch) >= BATCH:
            IndicatorResult.objects.bulk_create(batch)
            batch = []
    IndicatorResult.objects.bulk_create(batch)
