"""DA, Level 3 and ESSA determinations, recomputed from the stored results after every import,
restore and Title I import."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from continuum.support.assistance import GROUP_COLUMN_NAMES, determine_da, group_column
from continuum.support.essa import determine_essa, essa_years, load_essa_rules
from continuum.support.levels_input import normalise_levels
from continuum.support.rules import available_years, load_da_rules
from continuum.web.accountability.models import (
    DaEvidence,
    DaResult,
    EssaResult,
    IndicatorResult,
)
from continuum.web.accountability.versions import summaries_lock, years_recount
from continuum.web.agencies.models import School

BATCH = 2000


def determinations_recompute(*, years_changed: Iterable[int] = ()) -> dict[str, int]:
    """DA, Level 3 and ESSA for every stored year that has rules, from the stored results,
    once the years whose rows changed are recounted.

    Called inside the transaction of an import, a restore or a Title I import, under the
    summaries lock (``versions.summaries_lock``): each year's determinations can depend on
    earlier years (Year 2, Level 3, ATSI), so all of them are recomputed together.
    """
    summaries_lock()
    years_recount(sorted(set(years_changed)))
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
