"""The calculators' tables from the files districts hold: TOMS Student Score Data Files and
CALPADS extracts.

Each record becomes a row of the documented table (docs/dashboard/student-inputs.md) and is
checked by the same rules as a row of that table's CSV; an error names the outside file and its
line. TOMS: Smarter Balanced and CAA ELA and Math records (types 01 to 04) give ``caaspp`` rows,
Summative and Alternate ELPAC records ``elpac`` rows; science, CAST and the Spanish assessment
are not Dashboard inputs and are left out (and counted). CALPADS: SENR gives ``enrollments``
(non-ADA enrolments, status 50, are left out and counted), STAS ``attendance``. CALPADS
reports: 15.2 ``graduation``, 14.2 ``attendance``, 7.12 ``suspensions``, 8.1 ``students``
(``continuum.dashboard.students.reports``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from continuum.dashboard.students.inputs import (
    SPECS,
    find_table,
    read_input_table,
    typed_input_table,
)
from continuum.dashboard.students.reports import report_table
from continuum.errors import InputError
from continuum.formats.calpads import CalpadsFile
from continuum.formats.calpads_reports import CalpadsReport
from continuum.formats.toms import TomsFile, record_types

TABLE_OF_TEST = {"CAASPP": "caaspp", "ELPAC": "elpac"}
TABLE_OF_RECORD = {"SENR": "enrollments", "STAS": "attendance"}


@dataclass(frozen=True)
class OutsideTables:
    """Typed tables from outside files, the path each names in errors, and what was left out."""

    tables: dict[str, tuple[Path, pl.DataFrame]]
    notes: list[str]


def _grade(column: str) -> pl.Expr:
    """TOMS grades (``03``, ``KN``) as the documented table writes them (``3``, ``KN``)."""
    value = pl.col(column)
    number = value.cast(pl.Int64, strict=False).cast(pl.String)
    return pl.when(value.str.contains(r"^\d+$")).then(number).otherwise(value).alias(column)


def _caaspp_text(read: TomsFile) -> pl.DataFrame:
    types = record_types("CAASPP")
    subjects = {code: t.subject for code, t in types.items() if t.subject}
    tests = {code: t.test for code, t in types.items() if t.subject}
    records = read.records.filter(pl.col("record_type").is_in(list(subjects)))
    condition = pl.col("condition_code")
    return records.select(
        "line",
        pl.lit(str(read.year)).alias("year"),
        pl.col("ssid").alias("student_id"),
        pl.col("school_code").alias("cds"),
        _grade("grade"),
        pl.col("record_type").replace_strict(subjects).alias("subject"),
        pl.col("record_type").replace_strict(tests).alias("test"),
        # Partial completion (P) is tested: it scores, at worst the lowest obtainable score.
        pl.when(pl.col("attemptedness").is_in(["Y", "P"]))
        .then(pl.lit("Y"))
        .otherwise(pl.lit("N"))
        .alias("attempted"),
        pl.col("test_date") if "test_date" in records.columns else pl.lit("").alias("test_date"),
        pl.col("scale_score"),
        pl.when(pl.col("include_indicator") == "R")
        .then(pl.lit("IRR"))
        .when(condition.is_in(["NTE", "PGE"]))
        .then(condition)
        .otherwise(pl.lit(""))
        .alias("condition"),
    )


def _elpac_text(read: TomsFile) -> pl.DataFrame:
    tests = {code: t.test for code, t in record_types("ELPAC").items() if t.test}
    records = read.records.filter(pl.col("record_type").is_in(list(tests)))
    test = pl.col("record_type").replace_strict(tests)
    level = pl.col("performance_level") if "performance_level" in records.columns else pl.lit("")
    return records.select(
        "line",
        pl.lit(str(read.year)).alias("year"),
        pl.col("ssid").alias("student_id"),
        pl.col("school_code").alias("cds"),
        _grade("grade"),
        test.alias("test"),
        pl.col("scale_score"),
        pl.when(test == "ALT").then(level).otherwise(pl.lit("")).alias("alt_level"),
    )


def _senr_text(read: CalpadsFile) -> pl.DataFrame:
    records = read.records.filter(pl.col("status") != "50")
    return records.select(
        "line",
        pl.col("year").cast(pl.String),
        pl.col("ssid").alias("student_id"),
        (pl.col("lea") + pl.col("school")).alias("cds"),
        _grade("grade"),
        pl.col("start_date"),
        pl.col("exit_date").alias("end_date"),
        pl.col("status"),
    )


def _stas_text(read: CalpadsFile) -> pl.DataFrame:
    return read.records.select(
        "line",
        pl.col("year").cast(pl.String),
        pl.col("ssid").alias("student_id"),
        (pl.col("lea") + pl.col("school")).alias("cds"),
        "days_expected",
        "days_oss",
        "days_excused",
        "days_unexcused",
        pl.col("days_incomplete_is").alias("days_nonada_is"),
        pl.when(pl.col("exempt") == "Y").then(pl.lit("Y")).otherwise(pl.lit("N")).alias("exempt"),
    )


def entity_schools(directory: Path) -> dict[str, str]:
    """7-digit school code → 14-digit CDS code of every school in ``directory``'s entities
    table (empty when it has none): how CALPADS reports' school codes are placed."""
    path = find_table(directory, SPECS["entities"].stem)
    if path is None:
        return {}
    schools = read_input_table(path, SPECS["entities"]).filter(pl.col("rtype") == "S")
    return {cds[7:]: cds for cds in schools.get_column("cds").to_list()}


def outside_tables(
    files: Sequence[TomsFile | CalpadsFile | CalpadsReport],
    *,
    schools: Mapping[str, str] | None = None,
    year: int | None = None,
) -> OutsideTables:
    """The calculators' tables from TOMS files, CALPADS extracts and CALPADS reports (any mix
    and years); ``schools`` (from ``entity_schools``) places the reports' school codes, and
    ``year`` is the school year of a report whose file name has none."""
    by_table: dict[str, list[tuple[Path, str, pl.DataFrame]]] = {}
    notes: list[str] = []
    for read in files:
        if isinstance(read, CalpadsReport):
            found = report_table(read, schools or {}, year)
            table, text, kind = found.table, found.text, f"CALPADS {read.layout.number}"
            notes.extend(found.notes)
        elif isinstance(read, TomsFile):
            table = TABLE_OF_TEST[read.test]
            text = _caaspp_text(read) if table == "caaspp" else _elpac_text(read)
            what, kind = (
                "records of tests the Dashboard does not use (science, CAST, Spanish)",
                read.test,
            )
        else:
            table = TABLE_OF_RECORD[read.layout.record_type]
            text = _senr_text(read) if table == "enrollments" else _stas_text(read)
            what = "non-ADA enrolments (status 50)"
            kind = read.layout.record_type
        if not isinstance(read, CalpadsReport):
            left_out = read.records.height - text.height
            if left_out:
                notes.append(f"{read.path.name}: {left_out:,} {what} left out")
        spec = SPECS[table]
        try:
            typed = typed_input_table(read.path, text.drop("line"), spec)
        except InputError as error:
            if error.line is None:
                raise
            line = int(text.item(error.line - 2, "line"))
            raise InputError(read.path, error.message, line=line, column=error.column) from None
        by_table.setdefault(table, []).append((read.path, kind, typed))
    tables: dict[str, tuple[Path, pl.DataFrame]] = {}
    for table, parts in by_table.items():
        frame = pl.concat([typed for *_, typed in parts], how="vertical")
        path = parts[0][0] if len(parts) == 1 else Path(f"{len(parts)} {parts[0][1]} files")
        spec = SPECS[table]
        if len(parts) > 1 and frame.select(spec.key).is_duplicated().any():
            raise InputError(path, f"{spec.key_meaning} (the same record is in two files)")
        tables[table] = (path, frame)
    return OutsideTables(tables, notes)
