"""Synthetic CALPADS extracts (SENR, SELA, STAS) from the synthetic students' tables, in the
layouts of ``continuum.formats.calpads``: caret-delimited, no header, every CFS field in order
(only the fields Continuum reads filled; names and birth dates blank). ``ods=True`` writes an
ODS extract (record type ``SENR-R``, two trailing dates); ``damaged=True`` a spreadsheet's
re-save (leading zeros dropped, dates M/D/YYYY, a byte-order mark, CRLF)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from continuum.formats.calpads import ODS_FIELDS, ODS_SUFFIX, calpads_layouts


def _academic_year() -> pl.Expr:
    year = pl.col("year")
    return pl.concat_str((year - 1).cast(pl.String), pl.lit("-"), year.cast(pl.String))


def _compact(column: str) -> pl.Expr:
    return pl.col(column).dt.strftime("%Y%m%d").fill_null("")


def _grade() -> pl.Expr:
    grade = pl.col("grade").cast(pl.String)
    return grade.replace({"-1": "TK", "0": "KN"}).str.zfill(2)


def _days(column: str) -> pl.Expr:
    value = pl.col(column)
    whole = value.cast(pl.Int64, strict=False).cast(pl.String)
    return pl.when(value == value.round(0)).then(whole).otherwise(value.cast(pl.String))


def _where() -> list[pl.Expr]:
    return [
        pl.col("cds").str.slice(0, 7).alias("lea"),
        pl.col("cds").str.slice(7, 7).alias("school"),
        _academic_year().alias("academic_year"),
        pl.col("student_id").cast(pl.String).str.zfill(10).alias("ssid"),
    ]


def senr_fields(enrollments: pl.DataFrame) -> pl.DataFrame:
    """An ``enrollments`` table as SENR fields."""
    return enrollments.select(
        *_where(),
        _compact("start_date").alias("start_date"),
        pl.col("status"),
        _grade().alias("grade"),
        _compact("end_date").alias("exit_date"),
    )


def stas_fields(attendance: pl.DataFrame) -> pl.DataFrame:
    """An ``attendance`` table as STAS fields."""
    return attendance.select(
        *_where(),
        pl.when(pl.col("exempt")).then(pl.lit("Y")).otherwise(pl.lit("N")).alias("exempt"),
        _days("days_expected").alias("days_expected"),
        _days("days_oss").alias("days_oss"),
        _days("days_excused").alias("days_excused"),
        _days("days_unexcused").alias("days_unexcused"),
        _days("days_nonada_is").alias("days_incomplete_is"),
    )


def sela_fields(students: pl.DataFrame, enrollments: pl.DataFrame) -> pl.DataFrame:
    """A ``students`` table's English language acquisition statuses as SELA fields, at each
    student's first school of the year (SELA is reported by the school of attendance)."""
    schools = (
        enrollments.sort("start_date").group_by("year", "student_id").agg(pl.col("cds").first())
    )
    since = pl.col("rfep_date").dt.strftime("%Y%m%d")
    return students.join(schools, on=["year", "student_id"]).select(
        *_where(),
        pl.col("el_status").alias("elas"),
        pl.when(pl.col("el_status") == "RFEP")
        .then(since)
        .otherwise(pl.lit(""))
        .alias("elas_start_date"),
    )


def write_calpads_extract(
    fields: pl.DataFrame,
    record_type: str,
    path: Path,
    *,
    ods: bool = True,
    damaged: bool = False,
) -> None:
    """Write ``fields`` (from ``senr_fields``, ``sela_fields``, ``stas_fields``) as a
    ``record_type`` file."""
    layout = calpads_layouts()[record_type]
    code = record_type + (ODS_SUFFIX if ods else "")
    if damaged:
        fields = fields.with_columns(
            pl.col(c).str.strip_chars_start("0").replace("", "0") for c in ("ssid", "lea", "school")
        ).with_columns(
            pl.when(pl.col(c) != "")
            .then(pl.col(c).str.to_date("%Y%m%d", strict=False).dt.strftime("%-m/%-d/%Y"))
            .otherwise(pl.col(c))
            .alias(c)
            for c in ("start_date", "exit_date", "elas_start_date")
            if c in fields.columns
        )
    parts = []
    for field in layout.fields:
        if field.reads_as == "record_type":
            parts.append(pl.lit(code))
        elif field.reads_as in fields.columns:
            parts.append(pl.col(field.reads_as))
        else:
            parts.append(pl.lit(""))
    if ods:
        parts.extend(pl.lit("20250615") for _ in ODS_FIELDS)
    lines = fields.select(pl.concat_str(parts, separator="^").alias("line")).get_column("line")
    end = "\r\n" if damaged else "\n"
    text = end.join(lines.to_list()) + end
    path.write_text(("\ufeff" if damaged else "") + text, encoding="utf-8", newline="")
