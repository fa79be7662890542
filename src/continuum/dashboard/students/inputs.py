"""Strict readers for the student-level records a district holds (CSV or Parquet).

Each table is checked in full before anything is computed: a missing column, a value of the wrong
type, an unknown code, a scale score outside its grade's range, a date that does not parse or a
repeated key raises ``InputError`` naming the file, line and column. Messages never repeat a
student identifier: only the offending value of a non-identifying column is shown.
Every column, type and allowed value is documented in docs/dashboard/student-inputs.md.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from continuum.errors import InputError, excerpt
from continuum.formats.repairs import stripped
from continuum.tables import read_csv_text

RACE_CODES = ("AA", "AI", "AS", "FI", "HI", "PI", "WH", "MR")
EL_STATUS_CODES = ("EO", "IFEP", "EL", "RFEP", "TBD")
ENTITY_TYPES = ("ES", "MS", "HS", "UD", "ED", "HD")
SCHOOL_TYPES = ("ES", "MS", "HS", "UD")
LEA_TYPES = ("ED", "HD", "UD")
ENROLLMENT_STATUS_CODES = ("10", "20", "30")
CAASPP_CONDITIONS = ("NTE", "PGE", "IRR")
SUSPENSION_RESULTS = ("OSS", "ISS")
COHORTS = ("4YR", "5YR")
FLAG_VALUES = ("Y", "N")
# Grade codes as CALPADS writes them; stored as numbers with TK = -1 and kindergarten = 0.
GRADE_CODES = {"TK": -1, "KN": 0, **{str(g): g for g in range(1, 13)}}
GRADE_NAMES = {value: code for code, value in GRADE_CODES.items()}
TESTED_GRADES = (3, 4, 5, 6, 7, 8, 11)

# 2025 Technical Guide, Academic Indicators, Appendix A: Smarter Balanced scale score ranges
# (minimum = LOSS, then the top of Levels 1, 2 and 3, then the maximum) by subject and grade.
SBA_RANGES: dict[tuple[str, int], tuple[int, int, int, int, int]] = {
    ("ELA", 3): (2115, 2366, 2431, 2489, 2650),
    ("ELA", 4): (2140, 2415, 2472, 2532, 2690),
    ("ELA", 5): (2200, 2441, 2501, 2581, 2730),
    ("ELA", 6): (2230, 2456, 2530, 2617, 2770),
    ("ELA", 7): (2260, 2478, 2551, 2648, 2810),
    ("ELA", 8): (2290, 2486, 2566, 2667, 2850),
    ("ELA", 11): (2300, 2492, 2582, 2681, 2900),
    ("MATH", 3): (2190, 2380, 2435, 2500, 2660),
    ("MATH", 4): (2205, 2410, 2484, 2548, 2700),
    ("MATH", 5): (2220, 2454, 2527, 2578, 2740),
    ("MATH", 6): (2235, 2472, 2551, 2609, 2780),
    ("MATH", 7): (2250, 2483, 2566, 2634, 2820),
    ("MATH", 8): (2265, 2503, 2585, 2652, 2860),
    ("MATH", 11): (2280, 2542, 2627, 2717, 2900),
}
# Appendix B: CAA scale scores, the same for both subjects: grade g spans 100g to 100g + 99
# (grade 11: 900 to 999); Level 1 ends at +44, Level 2 at +59.
CAA_LEVEL_1_TOP = 44
CAA_LEVEL_2_TOP = 59


def caa_floor(grade: int) -> int:
    """Lowest CAA scale score (the CAA's LOSS) for a tested grade."""
    return 900 if grade == 11 else 100 * grade


@dataclass(frozen=True)
class Column:
    """One column of an input table: its type and which values it may hold."""

    name: str
    kind: str  # text, int, number, date, flag, code, grade, cds, cd
    required: bool = True
    codes: tuple[str, ...] = ()
    minimum: float | None = None
    identifies_student: bool = False


@dataclass(frozen=True)
class TableSpec:
    """An input table: file stem, columns and the columns no two rows may share."""

    stem: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    key_meaning: str = ""
    required: bool = True


def _id() -> Column:
    return Column("student_id", "text", identifies_student=True)


def _year() -> Column:
    return Column("year", "int", minimum=2000)


def _flag(name: str, *, required: bool = False) -> Column:
    return Column(name, "flag", required=required)


def _count(name: str) -> Column:
    return Column(name, "number", minimum=0)


SPECS: dict[str, TableSpec] = {
    "entities": TableSpec(
        "entities",
        (
            Column("cds", "cds"),
            Column("rtype", "code", codes=("S", "D")),
            Column("name", "text"),
            Column("district_name", "text"),
            Column("county_name", "text"),
            _flag("charter"),
            _flag("coe"),
            _flag("dass"),
            _flag("title_i"),
            Column("type", "code", codes=ENTITY_TYPES),
        ),
        key=("cds",),
        key_meaning="a second row for the same CDS code",
    ),
    "students": TableSpec(
        "students",
        (
            _year(),
            _id(),
            Column("race", "code", required=False, codes=RACE_CODES),
            Column("el_status", "code", codes=EL_STATUS_CODES),
            Column("rfep_date", "date", required=False),
            _flag("ltel"),
            _flag("sed"),
            _flag("swd"),
            _flag("foster"),
            _flag("homeless"),
            Column("dsea", "cd", required=False),
            Column("us_entry_date", "date", required=False),
        ),
        key=("year", "student_id"),
        key_meaning="a second record of the same student in the same year",
    ),
    "enrollments": TableSpec(
        "enrollments",
        (
            _year(),
            _id(),
            Column("cds", "cds"),
            Column("grade", "grade"),
            Column("start_date", "date"),
            Column("end_date", "date", required=False),
            Column("status", "code", codes=ENROLLMENT_STATUS_CODES),
        ),
        key=("year", "student_id", "cds", "start_date"),
        key_meaning="a duplicate enrolment (same student, school and start date)",
    ),
    "caaspp": TableSpec(
        "caaspp",
        (
            _year(),
            _id(),
            Column("cds", "cds"),
            Column("grade", "grade"),
            Column("subject", "code", codes=("ELA", "MATH")),
            Column("test", "code", codes=("SBA", "CAA")),
            _flag("attempted", required=True),
            Column("test_date", "date", required=False),
            Column("scale_score", "int", required=False),
            Column("condition", "code", required=False, codes=CAASPP_CONDITIONS),
        ),
        key=("year", "student_id", "cds", "subject"),
        key_meaning="a second result for the same student, school and subject",
        required=False,
    ),
    "elpac": TableSpec(
        "elpac",
        (
            _year(),
            _id(),
            Column("cds", "cds"),
            Column("grade", "grade"),
            Column("test", "code", codes=("SUM", "ALT")),
            Column("scale_score", "int", required=False),
            Column("alt_level", "code", required=False, codes=("1", "2", "3")),
        ),
        key=("year", "student_id", "cds"),
        key_meaning="a second ELPAC record for the same student and school",
        required=False,
    ),
    "attendance": TableSpec(
        "attendance",
        (
            _year(),
            _id(),
            Column("cds", "cds"),
            _count("days_expected"),
            _count("days_oss"),
            _count("days_excused"),
            _count("days_unexcused"),
            _count("days_nonada_is"),
            _flag("exempt"),
        ),
        key=("year", "student_id", "cds"),
        key_meaning="a second attendance summary for the same student and school",
        required=False,
    ),
    "suspensions": TableSpec(
        "suspensions",
        (
            _year(),
            _id(),
            Column("cds", "cds"),
            Column("incident_date", "date"),
            Column("result", "code", codes=SUSPENSION_RESULTS),
            Column("days", "number", minimum=0),
        ),
        required=False,
    ),
    "graduation": TableSpec(
        "graduation",
        (
            _year(),
            _id(),
            Column("cds", "cds"),
            Column("cohort", "code", codes=COHORTS),
            _flag("graduated", required=True),
        ),
        key=("year", "student_id"),
        key_meaning="a second cohort record of the same student in the same year",
        required=False,
    ),
    "cci": TableSpec(
        "cci",
        (
            _year(),
            _id(),
            Column("ela_level", "code", required=False, codes=("1", "2", "3", "4")),
            Column("math_level", "code", required=False, codes=("1", "2", "3", "4")),
            Column("ap_passed", "int", required=False, minimum=0),
            Column("ib_passed", "int", required=False, minimum=0),
            Column("college_credit_courses", "int", required=False, minimum=0),
            _flag("a_g"),
            _flag("cte_pathway"),
            _flag("seal_biliteracy"),
            _flag("military_science"),
        ),
        key=("year", "student_id"),
        key_meaning="a second set of measures for the same student in the same year",
        required=False,
    ),
}

_KIND_WORDS = {
    "int": "a whole number",
    "number": "a number",
    "date": "a date written YYYY-MM-DD",
    "flag": "Y or N",
    "grade": "a grade (TK, KN, 1 to 12)",
    "cds": "a 14-digit CDS code",
    "cd": "a 7-digit county-district code",
}


@dataclass(frozen=True)
class StudentRecords:
    """Every table read from a students directory, typed. Absent optional tables are None."""

    entities: pl.DataFrame
    students: pl.DataFrame
    enrollments: pl.DataFrame
    caaspp: pl.DataFrame | None = None
    elpac: pl.DataFrame | None = None
    attendance: pl.DataFrame | None = None
    suspensions: pl.DataFrame | None = None
    graduation: pl.DataFrame | None = None
    cci: pl.DataFrame | None = None
    paths: Mapping[str, Path] = field(default_factory=dict)

    def years(self) -> list[int]:
        """School years (spring year) present in the students table."""
        return sorted(self.students.get_column("year").unique().to_list())


def find_table(directory: Path, stem: str) -> Path | None:
    """``stem.csv`` or ``stem.parquet`` in ``directory``; both present is an error."""
    found = [directory / f"{stem}{suffix}" for suffix in (".csv", ".parquet")]
    present = [path for path in found if path.is_file()]
    if len(present) > 1:
        raise InputError(directory, f"both {stem}.csv and {stem}.parquet are present; keep one")
    return present[0] if present else None


def read_student_records(
    directory: Path | str,
    given: Mapping[str, tuple[Path, pl.DataFrame]] | None = None,
    replacing: Collection[str] = (),
) -> StudentRecords:
    """Read and check every table in ``directory``; see docs/dashboard/student-inputs.md.

    ``given`` holds tables already read and typed from other files (e.g. ``caaspp`` from TOMS
    score files: ``continuum.dashboard.students.toms``), with the path errors should name; the
    directory must not hold a table of the same name, unless it is in ``replacing`` (a
    ``students`` table from CALPADS that took only a column, ``foster``, from the directory's)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError(directory, "no such directory")
    given = given or {}
    tables: dict[str, pl.DataFrame] = {}
    paths: dict[str, Path] = {}
    for name, spec in SPECS.items():
        path = find_table(directory, spec.stem)
        if name in given:
            if path is not None and name not in replacing:
                raise InputError(
                    path, f"the {name} table is also given from other files; keep one of them"
                )
            paths[name], tables[name] = given[name]
            continue
        if path is None:
            if spec.required:
                raise InputError(directory, f"{spec.stem}.csv (or .parquet) is required")
            continue
        tables[name] = read_input_table(path, spec)
        paths[name] = path
    records = StudentRecords(paths=paths, **tables)
    check_consistency(records)
    return with_numeric_ids(records)


def with_numeric_ids(records: StudentRecords) -> StudentRecords:
    """When every student id is a number (SSIDs are ten digits), the ids become integers in
    every table: the calculators join and group by student millions of times, and integers
    hash several times faster than text. Other ids are left as text."""
    ids = records.students.get_column("student_id")
    if not ids.str.contains(r"^\d{1,18}$").all():
        return records
    as_number = pl.col("student_id").cast(pl.UInt64)
    changed = {
        name: table.with_columns(as_number)
        for name in SPECS
        if (table := getattr(records, name)) is not None and "student_id" in table.columns
    }
    return replace(records, **changed)


def read_input_table(path: Path, spec: TableSpec) -> pl.DataFrame:
    """One table, every value checked against ``spec``; typed columns in ``spec`` order."""
    return typed_input_table(path, _read_text(path), spec)


def typed_input_table(path: Path, raw: pl.DataFrame, spec: TableSpec) -> pl.DataFrame:
    """``raw`` (every column text, row i on line i + 2 of ``path``) checked against ``spec`` and
    typed, columns in ``spec`` order."""
    missing = [c.name for c in spec.columns if c.name not in raw.columns]
    if missing:
        raise InputError(path, f"missing required column {missing[0]!r}", line=1, column=missing[0])
    raw = _blank_as_missing(stripped(raw.select(c.name for c in spec.columns)))
    typed = raw.select(_cast(c) for c in spec.columns)
    for column in spec.columns:
        _check_column(path, raw, typed, column)
    if spec.key:
        _check_key(path, typed, spec)
    return typed


def _blank_as_missing(frame: pl.DataFrame) -> pl.DataFrame:
    """Empty values as missing, rewriting only the columns that hold one."""
    blank = frame.select((pl.all() == "").any()).row(0, named=True)
    return frame.with_columns(pl.col(name).replace("", None) for name, has in blank.items() if has)


def _read_text(path: Path) -> pl.DataFrame:
    """Every column as text (Parquet values cast to text so one set of checks serves both)."""
    try:
        if path.suffix.lower() == ".parquet":
            frame = pl.read_parquet(path)
            return frame.select(_as_text(name, dtype) for name, dtype in frame.schema.items())
        return read_csv_text(path)
    except (pl.exceptions.PolarsError, OSError) as error:
        raise InputError(path, f"cannot read the table: {excerpt(error, 120)}") from error


def _as_text(name: str, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.Date:
        return pl.col(name).dt.strftime("%Y-%m-%d")
    if dtype == pl.Boolean:
        return pl.when(pl.col(name)).then(pl.lit("Y")).otherwise(pl.lit("N")).alias(name)
    return pl.col(name).cast(pl.String)


def _cast(column: Column) -> pl.Expr:
    value = pl.col(column.name)
    match column.kind:
        case "int":
            # "2450.0" from a spreadsheet is still a whole number; "2450.5" is not.
            number = value.cast(pl.Float64, strict=False)
            return pl.when(number == number.round(0)).then(number).cast(pl.Int64).alias(column.name)
        case "number":
            return value.cast(pl.Float64, strict=False)
        case "date":
            return value.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
        case "flag":
            return (
                pl.when(value == "Y")
                .then(True)
                .when(value.is_null() | (value == "N"))
                .then(False)
                .alias(column.name)
            )
        case "grade":
            return value.str.to_uppercase().replace_strict(
                GRADE_CODES, default=None, return_dtype=pl.Int8
            )
        case _:
            return value


def _invalid(column: Column, raw: pl.Expr, typed: pl.Expr) -> pl.Expr:
    """True where a value is present but not of the column's kind, or breaks its limits."""
    present = raw.is_not_null()
    match column.kind:
        case "code":
            bad = present & raw.is_in(column.codes).not_()
        case "cds":
            bad = present & raw.str.contains(r"^\d{14}$").not_()
        case "cd":
            bad = present & raw.str.contains(r"^\d{7}$").not_()
        case "flag":
            bad = present & raw.is_in(FLAG_VALUES).not_()
        case "text":
            bad = pl.lit(False)
        case _:
            bad = present & typed.is_null()
    if column.minimum is not None:
        bad = bad | (typed.is_not_null() & (typed < column.minimum))
    return bad


def _check_column(path: Path, raw: pl.DataFrame, typed: pl.DataFrame, column: Column) -> None:
    name = column.name
    missing = raw.get_column(name).is_null()
    if column.required and missing.any():
        _raise_at(path, missing, name, "is blank but a value is required")
    bad = raw.with_columns(typed.get_column(name).alias("_typed")).select(
        _invalid(column, pl.col(name), pl.col("_typed")).alias("bad")
    )
    flags = bad.get_column("bad")
    if not flags.any():
        return
    index = int(flags.arg_true()[0])
    value = raw.get_column(name)[index]
    shown = "the value" if column.identifies_student else repr(value)
    if column.kind == "code":
        if name == "race":
            message = f"{shown} is not a student-group code ({', '.join(column.codes)})"
        else:
            message = f"{shown} is not one of {', '.join(column.codes)}"
    elif column.minimum is not None and typed.get_column(name)[index] is not None:
        message = f"{shown} is below {column.minimum:g}"
    else:
        message = f"{shown} is not {_KIND_WORDS.get(column.kind, 'valid')}"
    raise InputError(path, message, line=index + 2, column=name)


def _raise_at(path: Path, flags: pl.Series, column: str, message: str) -> None:
    index = int(flags.arg_true()[0])
    raise InputError(path, message, line=index + 2, column=column)


def _check_key(path: Path, typed: pl.DataFrame, spec: TableSpec) -> None:
    # Equal rows have equal hashes: as many distinct hashes as rows proves the key unique, in a
    # fraction of an exact check's time (which runs only when two hashes meet).
    if typed.select(pl.struct(spec.key).hash().n_unique()).item() == typed.height:
        return
    repeated = typed.select(spec.key).is_duplicated()
    if not repeated.any():
        return
    indexed = typed.with_row_index("row").filter(repeated)
    first = indexed.row(0, named=True)
    same = indexed.filter(pl.all_horizontal(pl.col(k) == first[k] for k in spec.key)).get_column(
        "row"
    )
    raise InputError(
        path,
        f"{spec.key_meaning} (also on line {int(same[0]) + 2})",
        line=int(same[1]) + 2,
        column=spec.key[-1],
    )


# --- checks across columns and tables ---------------------------------------------------------


def check_consistency(records: StudentRecords) -> None:
    """Rules that need more than one column or table: score ranges, dates in order, known
    schools and students."""
    paths = records.paths
    _check_entities(paths["entities"], records.entities)
    schools = records.entities.filter(pl.col("rtype") == "S").get_column("cds")
    _check_rows(
        paths["students"],
        records.students,
        [
            (
                (pl.col("el_status") == "RFEP") & pl.col("rfep_date").is_null(),
                "rfep_date",
                "is blank but the student is RFEP",
            ),
        ],
    )
    known = records.students.select("year", "student_id")
    tables: list[tuple[str, pl.DataFrame | None, bool]] = [
        ("enrollments", records.enrollments, True),
        ("caaspp", records.caaspp, True),
        ("elpac", records.elpac, True),
        ("attendance", records.attendance, True),
        ("suspensions", records.suspensions, True),
        ("graduation", records.graduation, True),
        ("cci", records.cci, False),
    ]
    unknown = _unknown_students([(name, table) for name, table, _ in tables], known)
    for name, table, has_school in tables:
        if table is None:
            continue
        path = paths[name]
        if name in unknown:
            raise InputError(
                path,
                "the student has no record in students for that year",
                line=unknown[name] + 2,
                column="student_id",
            )
        if has_school:
            _check_rows(
                path,
                table,
                [
                    (
                        pl.col("cds").is_in(schools.implode()).not_(),
                        "cds",
                        "is not a school in entities",
                    )
                ],
            )
    _check_rows(
        paths["enrollments"],
        records.enrollments,
        [
            (
                pl.col("end_date").is_not_null() & (pl.col("end_date") < pl.col("start_date")),
                "end_date",
                "is before start_date",
            )
        ],
    )
    if records.caaspp is not None:
        _check_caaspp(paths["caaspp"], records.caaspp)
    if records.elpac is not None:
        _check_elpac(paths["elpac"], records.elpac)
    if records.attendance is not None:
        absent = pl.sum_horizontal("days_oss", "days_excused", "days_unexcused", "days_nonada_is")
        _check_rows(
            paths["attendance"],
            records.attendance,
            [(absent > pl.col("days_expected"), "days_expected", "is less than the days absent")],
        )


def _check_entities(path: Path, entities: pl.DataFrame) -> None:
    school = pl.col("rtype") == "S"
    _check_rows(
        path,
        entities,
        [
            (
                school & pl.col("type").is_in(SCHOOL_TYPES).not_(),
                "type",
                f"must be one of {', '.join(SCHOOL_TYPES)} for a school",
            ),
            (
                ~school & pl.col("type").is_in(LEA_TYPES).not_(),
                "type",
                f"must be one of {', '.join(LEA_TYPES)} for a district or county office",
            ),
            (
                ~school & pl.col("cds").str.ends_with("0000000").not_(),
                "cds",
                "a district row's CDS code must end in 0000000",
            ),
        ],
    )


def _check_rows(
    path: Path, table: pl.DataFrame, checks: Sequence[tuple[pl.Expr, str, str]]
) -> None:
    """Raise at the first row where a check's expression is true."""
    found = table.select(
        bad.fill_null(False).any().alias(str(i)) for i, (bad, _, _) in enumerate(checks)
    ).row(0)
    for (bad, column, message), any_bad in zip(checks, found, strict=True):
        if any_bad:
            flags = table.select(bad.fill_null(False).alias("bad")).get_column("bad")
            value = table.get_column(column)[int(flags.arg_true()[0])]
            shown = "" if column == "student_id" or value is None else f"{excerpt(value)} "
            _raise_at(path, flags, column, f"{shown}{message}".strip())


def _unknown_students(
    tables: Sequence[tuple[str, pl.DataFrame | None]], known: pl.DataFrame
) -> dict[str, int]:
    """Per table name, the first row (0-based) whose (year, student_id) is not in ``known``;
    tables without such a row are left out. One join for every table, so that the students
    table (the largest) is hashed once."""
    present = [(name, table) for name, table in tables if table is not None]
    if not present:
        return {}
    rows = pl.concat(
        table.select(
            "year",
            "student_id",
            pl.lit(index, pl.UInt32).alias("_table"),
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("_row"),
        )
        for index, (_, table) in enumerate(present)
    )
    first = (
        rows.join(known, on=["year", "student_id"], how="anti")
        .group_by("_table")
        .agg(pl.col("_row").min())
    )
    return {present[index][0]: int(row) for index, row in first.iter_rows()}


def _score_limits() -> pl.DataFrame:
    rows = [
        (subject, grade, "SBA", low, high)
        for (subject, grade), (low, *_, high) in SBA_RANGES.items()
    ]
    rows += [
        (subject, grade, "CAA", caa_floor(grade), caa_floor(grade) + 99)
        for subject, grade in SBA_RANGES
    ]
    return pl.DataFrame(
        rows,
        schema={"subject": pl.String, "grade": pl.Int8, "test": pl.String, "low": pl.Int64,
                "high": pl.Int64},
        orient="row",
    )  # fmt: skip


def _check_caaspp(path: Path, caaspp: pl.DataFrame) -> None:
    _check_rows(
        path,
        caaspp,
        [
            (
                pl.col("grade").is_in(TESTED_GRADES).not_(),
                "grade",
                "is not a tested grade (3 to 8 or 11)",
            ),
            (
                pl.col("attempted") & pl.col("test_date").is_null(),
                "test_date",
                "is blank but the student attempted the test",
            ),
        ],
    )
    limited = caaspp.join(_score_limits(), on=["subject", "grade", "test"], how="left")
    out_of_range = pl.col("scale_score").is_not_null() & (
        (pl.col("scale_score") < pl.col("low")) | (pl.col("scale_score") > pl.col("high"))
    )
    flags = limited.select(out_of_range.fill_null(False).alias("bad")).get_column("bad")
    if flags.any():
        row = limited.row(int(flags.arg_true()[0]), named=True)
        grade = GRADE_NAMES[row["grade"]]
        raise InputError(
            path,
            f"{row['scale_score']} is outside the grade {grade} {row['subject']} {row['test']} "
            f"range {row['low']}-{row['high']}",
            line=int(flags.arg_true()[0]) + 2,
            column="scale_score",
        )


def _check_elpac(path: Path, elpac: pl.DataFrame) -> None:
    alternate = pl.col("test") == "ALT"
    _check_rows(
        path,
        elpac,
        [
            (pl.col("grade") < 0, "grade", "is not an ELPAC grade (KN to 12)"),
            (
                alternate & pl.col("scale_score").is_not_null() & pl.col("alt_level").is_null(),
                "alt_level",
                "is blank but an Alternate ELPAC score is given",
            ),
            (
                ~alternate & pl.col("scale_score").is_not_null()
                & ((pl.col("scale_score") < 1150) | (pl.col("scale_score") > 1950)),
                "scale_score",
                "is outside the Summative ELPAC scale (1150-1950)",
            ),
            (
                alternate & pl.col("scale_score").is_not_null()
                & ((pl.col("scale_score") < 100) | (pl.col("scale_score") > 999)),
                "scale_score",
                "is not a three-digit Alternate ELPAC scale score",
            ),
        ],
    )  # fmt: skip
