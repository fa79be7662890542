"""The calculators' tables from the files districts hold: TOMS Student Score Data Files and
CALPADS extracts.

Each record becomes a row of the documented table (docs/dashboard/student-inputs.md) and is
checked by the same rules as a row of that table's CSV; an error names the outside file and its
line. TOMS: Smarter Balanced and CAA ELA and Math records (types 01 to 04) give ``caaspp`` rows,
Summative and Alternate ELPAC records ``elpac`` rows; science, CAST and the Spanish assessment
are not Dashboard inputs and are left out (and counted). CALPADS: SENR gives ``enrollments``
(non-ADA enrolments, status 50, are left out and counted), STAS ``attendance``; SINF with SELA,
SPRG and SPED give ``students`` (the student groups by the Technical Guide's definitions, intro
Table 10), SINC with SIRS ``suspensions`` (results other than out-of-school and in-school
suspension are left out and counted). CALPADS reports: 15.2 ``graduation``, 14.2
``attendance``, 7.12 ``suspensions``, 8.1 ``students`` (``continuum.dashboard.students.reports``).

Foster youth is not in any CALPADS extract (CALPADS matches students with CDSS): the
``students`` table built from CALPADS takes ``foster`` from the documented students table when
one is given (``foster``), else only Tribal Foster Youth (program 193) are foster youth.
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
from continuum.formats.calpads import CalpadsFile, calpads_codes
from continuum.formats.calpads_reports import CalpadsReport
from continuum.formats.toms import TomsFile, record_types

TABLE_OF_TEST = {"CAASPP": "caaspp", "ELPAC": "elpac"}
TABLE_OF_RECORD = {"SENR": "enrollments", "STAS": "attendance"}
STUDENT_RECORDS = ("SINF", "SELA", "SPRG", "SPED")  # → students
INCIDENT_RECORDS = ("SINC", "SIRS")  # → suspensions
LTEL_DAYS = 2557  # seven years as an EL (Technical Guide 2025, intro, Table 10)


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


@dataclass(frozen=True)
class _Records:
    """The records of one CALPADS record type from every file given: ``file`` indexes ``paths``."""

    paths: list[Path]
    records: pl.DataFrame
    fields: dict[str, str]  # reads_as → "2.23 Hispanic Ethnicity Indicator"

    def where(self, row: dict[str, object]) -> tuple[Path, int]:
        return self.paths[int(str(row["file"]))], int(str(row["line"]))

    def names(self) -> str:
        return ", ".join(p.name for p in self.paths)


def _gathered(reads: list[CalpadsFile]) -> _Records:
    frames = [
        read.records.with_columns(pl.lit(i, pl.Int64).alias("file")) for i, read in enumerate(reads)
    ]
    layout = reads[0].layout
    fields = {f.reads_as: f"{f.number} {f.name}" for f in layout.fields if f.reads_as}
    return _Records([r.path for r in reads], pl.concat(frames, how="diagonal"), fields)


def _school_year(year: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """1 July of the year before and 30 June of the (spring) year."""
    return pl.date(year - 1, 7, 1), pl.date(year, 6, 30)


def _date(column: str) -> pl.Expr:
    return pl.col(column).replace("", None).str.to_date("%Y-%m-%d")


def _flag(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr.fill_null(False)).then(pl.lit("Y")).otherwise(pl.lit("N"))


def _refuse(source: _Records, rows: pl.DataFrame, message: str, field: str) -> None:
    if rows.height:
        path, line = source.where(rows.row(0, named=True))
        raise InputError(path, message, line=line, column=source.fields[field])


def _race() -> pl.Expr:
    """Hispanic overrides; one race group is that group, more than one is ``MR``; none blank."""
    groups = calpads_codes()["race_groups"]
    races = [pl.col(f"race_{n}").str.slice(0, 1).replace_strict(groups, default=None) for n in
             range(1, 6)]  # fmt: skip
    distinct = pl.concat_list(races).list.drop_nulls().list.unique()
    return (
        pl.when(pl.col("hispanic") == "Y")
        .then(pl.lit("HI"))
        .when(distinct.list.len() > 1)
        .then(pl.lit("MR"))
        .when(distinct.list.len() == 1)
        .then(distinct.list.first())
        .otherwise(pl.lit(""))
    )


def _students_text(
    by_type: dict[str, _Records], foster: pl.DataFrame | None
) -> tuple[Path, pl.DataFrame, dict[str, str]]:
    """The ``students`` table as text from SINF (race, parent education, first U.S. school
    date), SELA (ELAS, RFEP date, LTEL), SPRG (SED, homeless and Tribal Foster Youth programs
    active in the year) and SPED (students with a disability code in the year, their district
    of special education accountability); ``foster`` (year, student_id, foster) the CDSS match."""
    if "SELA" not in by_type:
        sinf = by_type["SINF"]
        raise InputError(sinf.paths[0], "a students table from SINF needs the SELA extract too")
    sinf = by_type["SINF"]
    # The most recent record of the year: the last in the files (a later SINF record closes an
    # earlier one; CALPADS writes them in that order).
    people = (
        sinf.records.with_columns(pl.col("ssid").alias("student_id"))
        .group_by("year", "student_id", maintain_order=True)
        .agg(
            pl.all().last(),
            pl.col("us_entry_date").replace("", None).min().alias("first_us_school"),
        )
        .with_columns(_race().alias("race"))
    )
    sela = by_type["SELA"]
    status = (
        sela.records.with_columns(_date("elas_start_date").alias("since"))
        .sort("since", nulls_last=False, maintain_order=True)
        .group_by("year", "ssid", maintain_order=True)
        .agg(pl.col("elas").last(), pl.col("since").last())
        .rename({"ssid": "student_id"})
    )
    people = people.join(status, on=["year", "student_id"], how="left")
    _refuse(
        sinf,
        people.filter(pl.col("elas").is_null()),
        f"the student has no SELA record for the year in {sela.names()}",
        "ssid",
    )
    begin, end = _school_year(pl.col("year"))
    programs = calpads_codes()["programs"]
    active = {name: pl.lit(False) for name in programs}
    if "SPRG" in by_type:
        sprg = by_type["SPRG"].records.select(
            pl.col("ssid").alias("student_id"),
            "program",
            _date("program_start_date").alias("from"),
            _date("program_end_date").alias("to"),
        )
        years = people.select("year", "student_id")
        spans = years.join(sprg, on="student_id").filter(
            (pl.col("from") <= end) & (pl.col("to").is_null() | (pl.col("to") >= begin))
        )
        flags = spans.group_by("year", "student_id").agg(
            pl.col("program").is_in(codes).any().alias(name) for name, codes in programs.items()
        )
        people = people.join(flags, on=["year", "student_id"], how="left")
        active = {name: pl.col(name) for name in programs}
    swd, dsea = pl.lit(False), pl.lit("")
    if "SPED" in by_type:
        sped = (
            by_type["SPED"]
            .records.rename({"ssid": "student_id"})
            .filter(
                (pl.col("disability") != "")
                & (
                    (pl.col("sped_exit_date") == "")
                    | (_date("sped_exit_date") >= _school_year(pl.col("year"))[0])
                )
            )
            .group_by("year", "student_id")
            .agg(pl.col("dsea").filter(pl.col("dsea") != "").first().alias("sped_dsea"))
            .with_columns(pl.lit(True).alias("sped"))
        )
        people = people.join(sped, on=["year", "student_id"], how="left")
        swd, dsea = pl.col("sped"), pl.col("sped_dsea").fill_null("")
    cdss = pl.lit(False)
    if foster is not None:
        matched = foster.select("year", "student_id", pl.col("foster").alias("cdss_foster"))
        people = people.join(matched, on=["year", "student_id"], how="left")
        cdss = pl.col("cdss_foster")
    is_foster = cdss.fill_null(False) | active["foster"].fill_null(False)
    el_since = pl.min_horizontal(pl.col("since"), _date("first_us_school"))
    ltel = (pl.col("elas") == "EL") & ((end - el_since).dt.total_days() >= LTEL_DAYS)
    text = people.sort("file", "line").select(
        "file",
        "line",
        pl.col("year").cast(pl.String),
        "student_id",
        "race",
        pl.col("elas").alias("el_status"),
        pl.when(pl.col("elas") == "RFEP")
        .then(pl.col("since").dt.strftime("%Y-%m-%d"))
        .otherwise(pl.lit(""))
        .alias("rfep_date"),
        _flag(ltel).alias("ltel"),
        _flag(active["sed"] | (pl.col("parent_education") == "14") | is_foster).alias("sed"),
        _flag(swd).alias("swd"),
        _flag(is_foster).alias("foster"),
        _flag(active["homeless"]).alias("homeless"),
        dsea.alias("dsea"),
        pl.col("first_us_school").fill_null("").alias("us_entry_date"),
    )
    fields = {
        "race": sinf.fields["race_1"],
        "el_status": sela.fields["elas"],
        "rfep_date": sela.fields["elas_start_date"],
        "us_entry_date": sinf.fields["us_entry_date"],
        "year": sinf.fields["academic_year"],
    }
    return sinf.paths[0], text, fields


def _suspensions_text(
    by_type: dict[str, _Records], notes: list[str]
) -> tuple[Path, pl.DataFrame, dict[str, str]]:
    """The ``suspensions`` table as text: SIRS results 100 (out-of-school) and 110 (in-school)
    with their days, at the school and on the date of their SINC incident."""
    missing = [t for t in INCIDENT_RECORDS if t not in by_type]
    if missing:
        other = by_type[INCIDENT_RECORDS[0] if missing[0] == "SIRS" else "SIRS"]
        raise InputError(
            other.paths[0],
            f"suspensions from CALPADS need both SINC and SIRS; {missing[0]} is not given",
        )
    sinc, sirs = by_type["SINC"], by_type["SIRS"]
    key = ["year", "lea", "school", "ssid", "incident_id"]
    incidents = sinc.records.group_by(key).agg(pl.col("incident_date").first())
    results = sirs.records.join(incidents, on=key, how="left")
    _refuse(
        sirs,
        results.filter(pl.col("incident_date").is_null()),
        f"the student has no incident of this ID at the school that year in {sinc.names()}",
        "incident_id",
    )
    kinds = calpads_codes()["suspension_results"]
    suspensions = results.filter(pl.col("incident_result").is_in(list(kinds)))
    left_out = results.height - suspensions.height
    if left_out:
        notes.append(
            f"{sirs.names()}: {left_out:,} incident results that are not suspensions "
            "(other than 100 and 110) left out"
        )
    text = suspensions.sort("file", "line").select(
        "file",
        "line",
        pl.col("year").cast(pl.String),
        pl.col("ssid").alias("student_id"),
        (pl.col("lea") + pl.col("school")).alias("cds"),
        "incident_date",
        pl.col("incident_result").replace_strict(kinds).alias("result"),
        pl.col("incident_days").alias("days"),
    )
    fields = {"days": sirs.fields["incident_days"], "result": sirs.fields["incident_result"]}
    return sirs.paths[0], text, fields


def _typed(
    paths: list[Path], text: pl.DataFrame, table: str, fields: dict[str, str]
) -> pl.DataFrame:
    """``text`` checked as ``table``; an error names the CALPADS file, line and field."""
    try:
        return typed_input_table(paths[0], text.drop("file", "line"), SPECS[table])
    except InputError as error:
        if error.line is None:
            raise
        row = text.row(error.line - 2, named=True)
        column = fields.get(error.column or "", error.column)
        raise InputError(
            paths[int(row["file"])], error.message, line=int(row["line"]), column=column
        ) from None


def _enrolled_without_sinf(students: pl.DataFrame, senr: list[CalpadsFile], sinf: _Records) -> None:
    known = students.select(pl.col("year").cast(pl.Int32), pl.col("student_id"))
    for read in senr:
        enrolled = read.records.filter(pl.col("status") != "50").select(
            "line", "year", pl.col("ssid").alias("student_id")
        )
        orphans = enrolled.join(known, on=["year", "student_id"], how="anti").sort("line")
        if orphans.height:
            row = orphans.row(0, named=True)
            raise InputError(
                read.path,
                f"the student enrolled here has no SINF record for {row['year']} in {sinf.names()}",
                line=int(row["line"]),
                column=next(
                    f"{f.number} {f.name}" for f in read.layout.fields if f.reads_as == "ssid"
                ),
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
    foster: pl.DataFrame | None = None,
    *,
    schools: Mapping[str, str] | None = None,
    year: int | None = None,
) -> OutsideTables:
    """The calculators' tables from TOMS files, CALPADS extracts and CALPADS reports (any mix
    and years); ``foster`` (year, student_id, foster as a flag) the CDSS foster match for a
    ``students`` table built from CALPADS extracts; ``schools`` (from ``entity_schools``)
    places the reports' school codes, and ``year`` is the school year of a report whose file
    name has none."""
    by_table: dict[str, list[tuple[Path, str, pl.DataFrame]]] = {}
    notes: list[str] = []
    grouped: dict[str, list[CalpadsFile]] = {}
    for read in files:
        if isinstance(read, CalpadsFile) and read.layout.record_type not in TABLE_OF_RECORD:
            grouped.setdefault(read.layout.record_type, []).append(read)
            continue
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
    by_type = {record_type: _gathered(reads) for record_type, reads in grouped.items()}
    if "SINF" in by_type:
        path, text, fields = _students_text(by_type, foster)
        students = _typed(by_type["SINF"].paths, text, "students", fields)
        by_table["students"] = [(path, "SINF", students)]
        senr = [r for r in files if isinstance(r, CalpadsFile) and r.layout.record_type == "SENR"]
        _enrolled_without_sinf(students, senr, by_type["SINF"])
    elif set(STUDENT_RECORDS) & set(by_type):
        given = sorted(set(STUDENT_RECORDS) & set(by_type))
        raise InputError(
            by_type[given[0]].paths[0],
            "a students table from CALPADS is built from SINF (with SELA, SPRG, SPED); "
            "SINF is not given",
        )
    if set(INCIDENT_RECORDS) & set(by_type):
        path, text, fields = _suspensions_text(by_type, notes)
        source = by_type["SIRS"].paths
        by_table["suspensions"] = [(path, "SIRS", _typed(source, text, "suspensions", fields))]
    tables: dict[str, tuple[Path, pl.DataFrame]] = {}
    for table, parts in by_table.items():
        frame = pl.concat([typed for *_, typed in parts], how="vertical")
        path = parts[0][0] if len(parts) == 1 else Path(f"{len(parts)} {parts[0][1]} files")
        spec = SPECS[table]
        if len(parts) > 1 and frame.select(spec.key).is_duplicated().any():
            raise InputError(path, f"{spec.key_meaning} (the same record is in two files)")
        tables[table] = (path, frame)
    return OutsideTables(tables, notes)


def tables_from_files(
    files: Sequence[TomsFile | CalpadsFile | CalpadsReport],
    directory: Path,
    *,
    year: int | None = None,
) -> tuple[OutsideTables, set[str]]:
    """``outside_tables`` for ``continuum project``: when SINF builds the ``students`` table and
    ``directory`` holds a documented students table, its ``foster`` column (the CDSS match, in
    no CALPADS extract) is used and nothing else of it; CALPADS reports' school codes are
    placed by ``directory``'s entities table, their school year is the file name's or ``year``.
    Also returns the directory's tables the files replace."""
    from_sinf = any(isinstance(r, CalpadsFile) and r.layout.record_type == "SINF" for r in files)
    documented = find_table(directory, "students") if from_sinf and directory.is_dir() else None
    foster = None
    if documented is not None:
        typed = read_input_table(documented, SPECS["students"])
        foster = typed.select("year", "student_id", "foster")
    reports = any(isinstance(r, CalpadsReport) for r in files)
    schools = entity_schools(directory) if reports and directory.is_dir() else None
    outside = outside_tables(files, foster, schools=schools, year=year)
    if documented is not None:
        outside.notes.append(
            f"{documented.name}: only its foster column is used (foster youth come from a CDSS "
            "match, in no CALPADS extract); the students' other groups come from SINF, SELA, "
            "SPRG and SPED"
        )
    elif from_sinf:
        outside.notes.append(
            "no students table for the foster match: only Tribal Foster Youth (SPRG program "
            "193) are foster youth"
        )
    return outside, {"students"} if documented is not None else set()
