"""Synthetic CALPADS extracts (SENR, SINF, SELA, SPRG, STAS, SPED, SINC, SIRS) from the
synthetic students' tables, in the layouts of ``continuum.formats.calpads``: caret-delimited, no
header, every CFS field in order (only the fields Continuum reads filled; names and birth dates
blank). ``ods=True`` writes an ODS extract (record type ``SENR-R``, two trailing dates);
``damaged=True`` a spreadsheet's re-save (leading zeros dropped, dates M/D/YYYY, a byte-order
mark, CRLF).

The student-level files are written so that ``continuum.dashboard.students.outside`` reads the
``students`` table back: race as CALPADS race codes (Hispanic ``Y`` with a race, two races for
``MR``), SED as a free or reduced-price meal program or, for one SED student in four, a parent
who is not a high-school graduate (SINF 2.38 code 14), homeless as program 191 each year, a
long-term English learner's ELAS start date more than seven years back; and records that must
not count: a homeless program that ended before the first year, a special education record
exited before the year began.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from continuum.formats.calpads import ODS_FIELDS, ODS_SUFFIX, calpads_variants

# Documented race group → the CALPADS race codes written for it (INFERRED codes: the hundreds
# of each group, see calpads_layouts/codes.toml [race_groups]).
RACE_CODES = {
    "AI": ("100", ""),
    "AS": ("201", "204"),  # two Asian groups: still Asian, not two or more races
    "PI": ("301", ""),
    "FI": ("400", ""),
    "AA": ("600", ""),
    "WH": ("700", ""),
    "HI": ("700", ""),  # with Hispanic Y
    "MR": ("600", "700"),
}
LTEL_SINCE = dt.date(2014, 8, 15)


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


def _schools(students: pl.DataFrame, enrollments: pl.DataFrame) -> pl.DataFrame:
    """Each student's school of the year: the first enrolment's, else (a year without
    enrolments, kept for ELPAC matching) the first school on record."""
    by_year = (
        enrollments.sort("start_date").group_by("year", "student_id").agg(pl.col("cds").first())
    )
    anywhere = (
        enrollments.sort("year", "start_date")
        .group_by("student_id")
        .agg(pl.col("cds").first().alias("cds_any"))
    )
    return (
        students.join(by_year, on=["year", "student_id"], how="left")
        .join(anywhere, on="student_id", how="left")
        .with_columns(pl.col("cds").fill_null(pl.col("cds_any")))
        .filter(pl.col("cds").is_not_null())
        .drop("cds_any")
    )


def _key() -> pl.Expr:
    """A stable number per student (the synthetic ids are digits), to vary what is written."""
    return pl.col("student_id").cast(pl.String).str.slice(-4).cast(pl.Int64)


def sela_fields(students: pl.DataFrame, enrollments: pl.DataFrame) -> pl.DataFrame:
    """A ``students`` table's English language acquisition statuses as SELA fields, at each
    student's first school of the year (SELA is reported by the school of attendance); an EL's
    start date is more than seven years back for a long-term English learner and the start of
    the year otherwise."""
    rfep_since = pl.col("rfep_date").dt.strftime("%Y%m%d")
    el_since = (
        pl.when(pl.col("ltel"))
        .then(pl.lit(LTEL_SINCE.strftime("%Y%m%d")))
        .otherwise(pl.concat_str((pl.col("year") - 1).cast(pl.String), pl.lit("0815")))
    )
    return _schools(students, enrollments).select(
        *_where(),
        pl.col("el_status").alias("elas"),
        pl.when(pl.col("el_status") == "RFEP")
        .then(rfep_since)
        .when(pl.col("el_status") == "EL")
        .then(el_since)
        .otherwise(pl.lit(""))
        .alias("elas_start_date"),
    )


def _parent_education() -> pl.Expr:
    """14 (not a high-school graduate) for one SED student in four; otherwise a code that is not
    an SED criterion, or blank."""
    other = pl.lit(["10", "11", "12", "13", "15", ""]).list.get(_key() % 6)
    return pl.when(pl.col("sed") & (_key() % 4 == 0)).then(pl.lit("14")).otherwise(other)


def sinf_fields(students: pl.DataFrame, enrollments: pl.DataFrame) -> pl.DataFrame:
    """A ``students`` table's race, parent education and first U.S. school date as SINF fields,
    one record per student and year at the year's first school."""
    race = pl.col("race")
    first = race.replace_strict({k: v[0] for k, v in RACE_CODES.items()}, default="")
    second = race.replace_strict({k: v[1] for k, v in RACE_CODES.items()}, default="")
    return _schools(students, enrollments).select(
        *_where(),
        pl.when(race == "HI").then(pl.lit("Y")).otherwise(pl.lit("N")).alias("hispanic"),
        first.alias("race_1"),
        second.alias("race_2"),
        *(pl.lit("").alias(f"race_{n}") for n in (3, 4, 5)),
        _compact("us_entry_date").alias("us_entry_date"),
        _parent_education().alias("parent_education"),
    )


def sprg_fields(students: pl.DataFrame, enrollments: pl.DataFrame) -> pl.DataFrame:
    """A ``students`` table's programs as SPRG fields: free (181) or reduced-price (182) meals
    for SED students whose parent education is not code 14, homeless (191), each for the year
    (start 15 August, end 10 June; the last year left open), and for one other student in fifty
    a homeless program that ended before the first year, which counts in none."""
    rows = _schools(students, enrollments)
    last = rows.get_column("year").max()
    first_year = rows.get_column("year").min()

    def program(code: pl.Expr) -> list[pl.Expr]:
        end = pl.concat_str(pl.col("year").cast(pl.String), pl.lit("0610"))
        return [
            *_where(),
            code.alias("program"),
            pl.concat_str((pl.col("year") - 1).cast(pl.String), pl.lit("0815")).alias(
                "program_start_date"
            ),
            pl.when(pl.col("year") == last)
            .then(pl.lit(""))
            .otherwise(end)
            .alias("program_end_date"),
        ]

    meals = rows.filter(pl.col("sed") & (_key() % 4 != 0)).select(
        program(pl.when(_key() % 3 == 0).then(pl.lit("182")).otherwise(pl.lit("181")))
    )
    homeless = rows.filter(pl.col("homeless")).select(program(pl.lit("191")))
    ended = (
        rows.filter(~pl.col("homeless") & (_key() % 50 == 7) & (pl.col("year") == first_year))
        .with_columns(pl.col("year") - 2)
        .select(
            *_where(),
            pl.lit("191").alias("program"),
            pl.concat_str((pl.col("year") - 1).cast(pl.String), pl.lit("0901")).alias(
                "program_start_date"
            ),
            pl.concat_str(pl.col("year").cast(pl.String), pl.lit("0610")).alias("program_end_date"),
        )
    )
    return pl.concat([meals, homeless, ended])


def sped_fields(students: pl.DataFrame, enrollments: pl.DataFrame) -> pl.DataFrame:
    """A ``students`` table's students with disabilities as SPED fields, one record a year with
    a disability code and the district of special education accountability; and for one other
    student in fifty a record exited on 1 June before the year began, which counts in none."""
    rows = _schools(students, enrollments)
    dsea = pl.col("dsea").fill_null("")
    swd = rows.filter(pl.col("swd")).select(
        *_where(),
        dsea.alias("dsea"),
        pl.lit("20150901").alias("sped_start_date"),
        pl.lit("240").alias("disability"),
        pl.lit("").alias("sped_exit_date"),
    )
    exited = rows.filter(~pl.col("swd") & (_key() % 50 == 11)).select(
        *_where(),
        pl.lit("").alias("dsea"),
        pl.lit("20150901").alias("sped_start_date"),
        pl.lit("240").alias("disability"),
        pl.concat_str((pl.col("year") - 1).cast(pl.String), pl.lit("0601")).alias("sped_exit_date"),
    )
    return pl.concat([swd, exited])


def _incidents(suspensions: pl.DataFrame) -> pl.DataFrame:
    return suspensions.with_row_index("n").with_columns(
        pl.concat_str(pl.lit("INC"), pl.col("n").cast(pl.String).str.zfill(6)).alias("incident_id")
    )


def sinc_fields(suspensions: pl.DataFrame) -> pl.DataFrame:
    """A ``suspensions`` table's incidents as SINC fields (one incident per suspension)."""
    return _incidents(suspensions).select(
        *_where(), "incident_id", _compact("incident_date").alias("incident_date")
    )


def sirs_fields(suspensions: pl.DataFrame) -> pl.DataFrame:
    """A ``suspensions`` table's suspensions as SIRS incident results: 100 out-of-school, 110
    in-school, with the days."""
    return _incidents(suspensions).select(
        *_where(),
        "incident_id",
        pl.col("result").replace_strict({"OSS": "100", "ISS": "110"}).alias("incident_result"),
        _days("days").alias("incident_days"),
    )


def write_calpads_extract(
    fields: pl.DataFrame,
    record_type: str,
    path: Path,
    *,
    ods: bool = True,
    damaged: bool = False,
    layout_name: str | None = None,
) -> None:
    """Write ``fields`` (from ``senr_fields``, ``sinf_fields``, ``sela_fields``, ``sprg_fields``,
    ``stas_fields``, ``sped_fields``, ``sinc_fields``, ``sirs_fields``) as a ``record_type``
    file, in the record type's own layout or the variant ``layout_name``
    (``SENR_grade_1.25``)."""
    layout = calpads_variants()[layout_name or record_type]
    code = record_type + (ODS_SUFFIX if ods else "")
    if damaged:
        zeros = [c for c in ("ssid", "lea", "school", "dsea") if c in fields.columns]
        fields = fields.with_columns(
            pl.when(pl.col(c) != "")
            .then(pl.col(c).str.strip_chars_start("0").replace("", "0"))
            .otherwise(pl.col(c))
            .alias(c)
            for c in zeros
        ).with_columns(
            pl.when(pl.col(c) != "")
            .then(pl.col(c).str.to_date("%Y%m%d", strict=False).dt.strftime("%-m/%-d/%Y"))
            .otherwise(pl.col(c))
            .alias(c)
            for c in layout.dates()
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
