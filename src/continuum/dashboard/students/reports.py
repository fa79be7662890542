"""The calculators' tables from CALPADS report CSVs, as text rows of the documented tables
(docs/dashboard/student-inputs.md): 15.2 gives ``graduation``, 14.2 ``attendance``, 7.12
``suspensions``, 8.1 ``students``.

A report names schools by their 7-digit school code (unique statewide); the 14-digit CDS code
is the entities table's school with that code. Its school year is the one in its file name
(``…_2024-25.csv``), else the year asked for. What a report lacks is said in the notes:
14.2 has no exemption column (no student is taken as exempt), 15.2 only the four-year cohort
(no fifth-year graduates), 8.1 no foster youth, LTEL, DSEA or first US school date.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import polars as pl

from continuum.errors import InputError
from continuum.formats.calpads_reports import CalpadsReport, codes, report_data


@dataclass(frozen=True)
class ReportTable:
    """A report's rows as one table's text rows (``line``: the report's line), and notes."""

    table: str
    text: pl.DataFrame
    notes: list[str]


def report_table(read: CalpadsReport, schools: Mapping[str, str], year: int | None) -> ReportTable:
    """The documented table ``read`` feeds; InputError naming the file (and line and column)
    when it feeds none, lacks a column the table needs, names an unknown school or has no
    school year."""
    layout = read.layout
    if layout.table is None:
        raise InputError(read.path, f"{layout.describe()} feeds {layout.feeds}")
    missing = read.lacking()
    if missing:
        raise InputError(
            read.path,
            f"{layout.describe()} has no column {', '.join(repr(m) for m in missing)}: the "
            f"{layout.table} table needs it",
            line=1,
            column=missing[0],
        )
    school_year = read.year or year
    if school_year is None:
        raise InputError(
            read.path,
            "says no school year: name the file with it (…_2024-25.csv) or give --year",
        )
    records = _with_cds(read, schools).with_columns(
        pl.lit(str(school_year)).alias("year"), pl.col("ssid").alias("student_id")
    )
    text, notes = _TABLES[layout.table](records)
    return ReportTable(layout.table, text, [f"{read.path.name}: {note}" for note in notes])


def _with_cds(read: CalpadsReport, schools: Mapping[str, str]) -> pl.DataFrame:
    records = read.records.with_columns(
        pl.col("school_code").replace_strict(dict(schools), default="").alias("cds")
    )
    unknown = records.filter(pl.col("cds") == "")
    if unknown.height:
        row = unknown.row(0, named=True)
        raise InputError(
            read.path,
            f"school code {row['school_code']!r} is no school of the entities table",
            line=int(row["line"]),
            column=read.headers["school_code"],
        )
    return records


def _flag(column: str) -> pl.Expr:
    return pl.col(column).replace_strict(codes("flag"))


def _attendance(records: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    text = records.select(
        "line", "year", "student_id", "cds", "days_expected", "days_oss", "days_excused",
        "days_unexcused", "days_nonada_is", pl.lit("N").alias("exempt"),
    )  # fmt: skip
    return text, ["14.2 has no exemption column: no student taken as exempt"]


def _suspensions(records: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    results = codes("suspension")
    text = records.filter(pl.col("result_code").is_in(list(results))).select(
        "line",
        "year",
        "student_id",
        "cds",
        "incident_date",
        pl.col("result_code").replace_strict(results).alias("result"),
        "days",
    )
    left_out = records.height - text.height
    notes = [f"{left_out:,} incident results that are not suspensions left out"] if left_out else []
    return text, notes


def _graduation(records: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    cohort = report_data()["cohort"]
    text = records.filter(pl.col("cohort_category").is_in(cohort["removed"]).not_()).select(
        "line",
        "year",
        "student_id",
        "cds",
        pl.lit("4YR").alias("cohort"),
        pl.when(pl.col("cohort_category").is_in(cohort["graduate"]))
        .then(pl.lit("Y"))
        .otherwise(pl.lit("N"))
        .alias("graduated"),
    )
    notes = ["15.2 lists the four-year cohort only: no fifth-year graduates (cohort 5YR)"]
    if records.height > text.height:
        notes.append(f"{records.height - text.height:,} students removed from the cohort left out")
    return text, notes


def _students(records: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """One row per student from 8.1's rows per enrolment: a group flag set on any row, the
    EL status of the latest ELAS start date."""
    by_start = records.sort("elas_start_date", "line", nulls_last=False)
    text = (
        by_start.with_columns(
            pl.col("race_label").replace_strict(codes("race")).alias("race"),
            *(_flag(c) for c in ("sed", "swd", "homeless")),
        )
        .group_by("year", "student_id", maintain_order=True)
        .agg(
            pl.col("line").min(),
            pl.col("race").first(),
            pl.col("elas").last().alias("el_status"),
            pl.col("elas_start_date").last(),
            *(pl.col(c).max() for c in ("sed", "swd", "homeless")),
        )
        .sort("line")
        .select(
            "line",
            "year",
            "student_id",
            "race",
            "el_status",
            pl.when(pl.col("el_status") == "RFEP")
            .then(pl.col("elas_start_date"))
            .otherwise(pl.lit(""))
            .alias("rfep_date"),
            pl.lit("N").alias("ltel"),
            "sed",
            "swd",
            pl.lit("N").alias("foster"),
            "homeless",
            pl.lit("").alias("dsea"),
            pl.lit("").alias("us_entry_date"),
        )
    )
    notes = [
        "8.1 has no foster youth, LTEL, DSEA or first US school date column: "
        "foster and LTEL taken as N, the dates and DSEA as blank"
    ]
    if records.height > text.height:
        notes.append(f"{records.height:,} enrolment rows of {text.height:,} students combined")
    return text, notes


_TABLES: dict[str, Callable[[pl.DataFrame], tuple[pl.DataFrame, list[str]]]] = {
    "attendance": _attendance,
    "suspensions": _suspensions,
    "graduation": _graduation,
    "students": _students,
}
