"""Synthetic CALPADS report CSV exports (1.23, 14.2, 15.2, 7.12, 8.1) from the synthetic
students' tables, in the layouts of ``continuum.formats.calpads_reports``: comma-separated, a
header of every column in the layout's order (its first spelling), only the columns Continuum
reads filled (names, local ids and gender blank). ``damaged=True`` writes a spreadsheet's
re-save: leading zeros dropped from SSIDs, school codes and grades, dates D-M-YYYY, three empty
columns after the last, a byte-order mark and CRLF line ends."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from continuum.formats.calpads_reports import codes, report_data, report_layouts
from continuum.synth.calpads import _days, _grade

DAMAGE_COLUMNS = 3
RESULT_CODES = {result: code for code, result in codes("suspension").items()}
RACE_LABELS = {race: label for label, race in codes("race").items() if race}
GRADUATE = report_data()["cohort"]["graduate"][0]
NOT_GRADUATED = "OtherTransfers"  # in the cohort, not a graduate (codesets: T260/T280)


def _ssid() -> pl.Expr:
    return pl.col("student_id").cast(pl.String).str.zfill(10).alias("ssid")


def _school() -> pl.Expr:
    return pl.col("cds").str.slice(7, 7).alias("school_code")


def _flag(column: str) -> pl.Expr:
    return pl.when(pl.col(column)).then(pl.lit("Y")).otherwise(pl.lit("N")).alias(column)


def _us_date(column: str) -> pl.Expr:
    return pl.col(column).dt.strftime("%m/%d/%Y").fill_null("").alias(column)


def absence_fields(attendance: pl.DataFrame, enrollments: pl.DataFrame, year: int) -> pl.DataFrame:
    """Report 14.2 of ``year``: one row per student and school."""
    grades = (
        enrollments.filter(pl.col("year") == year)
        .group_by("student_id", "cds")
        .agg(pl.col("grade").first())
    )
    rows = attendance.filter(pl.col("year") == year).join(grades, on=["student_id", "cds"])
    absent = pl.sum_horizontal("days_oss", "days_excused", "days_unexcused", "days_nonada_is")
    return rows.select(
        _ssid(),
        _school(),
        _grade().alias("grade"),
        _days("days_expected"),
        _days("days_oss"),
        _days("days_excused"),
        _days("days_unexcused"),
        _days("days_nonada_is"),
        (pl.col("days_expected") - absent).alias("_attended"),
        absent.alias("_absent"),
    ).select(
        pl.exclude("_attended", "_absent"),
        _days("_attended").alias("days_attended"),
        _days("_absent").alias("days_absent"),
    )


def incident_fields(
    suspensions: pl.DataFrame, enrollments: pl.DataFrame, year: int
) -> pl.DataFrame:
    """Report 7.12 of ``year``: one row per incident result (100 out-of-school, 110 in-school
    suspension)."""
    grades = (
        enrollments.filter(pl.col("year") == year)
        .group_by("student_id", "cds")
        .agg(pl.col("grade").first())
    )
    rows = suspensions.filter(pl.col("year") == year).join(
        grades, on=["student_id", "cds"], how="left"
    )
    return rows.select(
        _ssid(),
        _school(),
        _grade().alias("grade"),
        _us_date("incident_date"),
        pl.col("result").replace_strict(RESULT_CODES).alias("result_code"),
        _days("days"),
    )


def _groups(students: pl.DataFrame, year: int) -> pl.DataFrame:
    return students.filter(pl.col("year") == year).select(
        "student_id",
        pl.col("race").replace_strict(RACE_LABELS, default="Missing").alias("race_label"),
        pl.col("el_status").alias("elas"),
        _us_date("rfep_date").alias("elas_start_date"),
        _flag("sed").alias("sed"),
        _flag("swd").alias("swd"),
        _flag("homeless").alias("homeless"),
    )


def cohort_fields(graduation: pl.DataFrame, students: pl.DataFrame, year: int) -> pl.DataFrame:
    """Report 15.2 of ``year``: the four-year cohort, graduates ``HSDiplomaGraduate``."""
    cohort = graduation.filter((pl.col("year") == year) & (pl.col("cohort") == "4YR"))
    return cohort.join(_groups(students, year), on="student_id").select(
        _ssid(),
        _school(),
        pl.when(pl.col("graduated"))
        .then(pl.lit(GRADUATE))
        .otherwise(pl.lit(NOT_GRADUATED))
        .alias("cohort_category"),
        "swd",
        "homeless",
    )


def completer_fields(graduation: pl.DataFrame, students: pl.DataFrame, year: int) -> pl.DataFrame:
    """Report 1.23 of ``year``: every graduate of the year (four- and fifth-year)."""
    graduates = graduation.filter((pl.col("year") == year) & pl.col("graduated"))
    return graduates.join(_groups(students, year), on="student_id").select(
        _ssid(),
        _school(),
        pl.lit("10 - Primary").alias("enrollment_status"),
        "swd",
        "homeless",
        "elas",
        "sed",
    )


def profile_fields(students: pl.DataFrame, enrollments: pl.DataFrame, year: int) -> pl.DataFrame:
    """Report 8.1 (EOY3) of ``year``: one row per enrolment, with the student's groups."""
    rows = enrollments.filter(pl.col("year") == year).join(_groups(students, year), on="student_id")
    return rows.select(
        _school(),
        _ssid(),
        "race_label",
        _grade().alias("grade"),
        "homeless",
        "swd",
        "elas",
        "elas_start_date",
        "sed",
    )


def write_calpads_report(
    fields: pl.DataFrame, number: str, path: Path, *, damaged: bool = False
) -> None:
    """Write ``fields`` (from ``absence_fields`` and the like) as report ``number``'s CSV."""
    layout = report_layouts()[number]
    if damaged:
        fields = _damaged(fields)
    columns = [
        (pl.col(c.reads_as) if c.reads_as in fields.columns else pl.lit("")).alias(f"c{i}")
        for i, c in enumerate(layout.columns)
    ]
    body = fields.select(columns).write_csv(include_header=False, line_terminator="\n")
    lines = [",".join(c.header for c in layout.columns), *body.splitlines()]
    if damaged:
        lines = [line + "," * DAMAGE_COLUMNS for line in lines]
    end = "\r\n" if damaged else "\n"
    text = end.join(lines) + end
    path.write_text(("\ufeff" if damaged else "") + text, encoding="utf-8", newline="")


def _damaged(fields: pl.DataFrame) -> pl.DataFrame:
    zeros = [c for c in ("ssid", "school_code", "grade") if c in fields.columns]
    dates = [c for c in ("incident_date", "elas_start_date") if c in fields.columns]
    parsed = {c: pl.col(c).str.to_date("%m/%d/%Y", strict=False) for c in dates}
    return fields.with_columns(
        *(
            pl.when(pl.col(c).str.contains(r"^\d+$"))
            .then(pl.col(c).str.strip_chars_start("0").replace("", "0"))
            .otherwise(pl.col(c))
            .alias(c)
            for c in zeros
        ),
        *(
            pl.when(parsed[c].is_not_null())
            .then(parsed[c].dt.strftime("%-d-%m-%Y"))
            .otherwise(pl.col(c))
            .alias(c)
            for c in dates
        ),
    )
