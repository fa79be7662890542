"""What every student-level calculator shares: who belongs to which student group, which school
and LEA a student's record counts for, counting by group, and exact status and change.

Statuses are kept as exact fractions (integer numerator and denominator) until they are printed,
so that rounding half up to 0.1 and "change from unrounded statuses" are exact, as CDE requires.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import polars as pl

from continuum.dashboard.students.inputs import RACE_CODES, StudentRecords

NEED_GROUPS = {"SED": "sed", "SWD": "swd", "FOS": "foster", "HOM": "homeless", "LTEL": "ltel"}
KEY = ("cds", "rtype", "studentgroup")


@dataclass(frozen=True)
class Counts:
    """Per entity and student group: ``numer``/``denom`` is the status before scaling (a rate
    is 100 × numer / denom, a distance from standard numer / denom), plus indicator columns."""

    indicator: str
    year: int
    scale: int
    frame: pl.DataFrame


# A CDS code is 14 digits: county and district (7), then school (7).
_SCHOOL_DIGITS = 10_000_000


def school_lea(cds: pl.Expr) -> pl.Expr:
    """The district (or county office) row a school's CDS code belongs to."""
    return cds.str.slice(0, 7) + pl.lit("0000000")


def with_numeric_cds(records: StudentRecords) -> StudentRecords:
    """The records with every CDS code (and DSEA county-district code) as an integer, for the
    calculators: they join and group by school millions of times, and integers hash several
    times faster than 14-character text. The readers have checked that every code is 14 (DSEA:
    7) digits, so the integers are one-to-one with the codes and sort in the same order;
    ``with_text_cds`` turns the calculators' counts back."""
    changed: dict[str, pl.DataFrame] = {}
    for name in ("entities", "enrollments", "caaspp", "elpac", "attendance", "suspensions",
                 "graduation"):  # fmt: skip
        table = getattr(records, name)
        if table is not None and table.schema["cds"] == pl.String:
            changed[name] = table.with_columns(pl.col("cds").cast(pl.Int64))
    if records.students.schema["dsea"] == pl.String:
        changed["students"] = records.students.with_columns(pl.col("dsea").cast(pl.Int64))
    return replace(records, **changed)  # type: ignore[arg-type]


def with_text_cds(counts: Counts) -> Counts:
    """Counts whose CDS codes are integers (``with_numeric_cds``) with 14-digit text codes."""
    if counts.frame.schema["cds"] == pl.String:
        return counts
    text = pl.col("cds").cast(pl.String).str.zfill(14)
    return replace(counts, frame=counts.frame.with_columns(text))


def student_info(records: StudentRecords, year: int) -> pl.DataFrame:
    """The year's student rows, or an empty frame of the same schema."""
    return records.students.filter(pl.col("year") == year)


def group_flags(
    records: StudentRecords, year: int, kind: str, among: pl.DataFrame | None = None
) -> pl.DataFrame:
    """One row per student of the year (only those whose ``student_id`` is in ``among``, when
    given): ``student_id`` and a Boolean column per student group (``GROUPS[kind]``), by CDE's
    rules for ``kind``:

    * ``enrolment`` (chronic absenteeism, suspension): a blank race counts in Two or More Races.
    * ``academic``: EL includes students reclassified after 15 June four years back; ELO, RFP
      and EO are added (SBA and CAA come from the test taken, in the academic calculator).
    * ``cohort`` (graduation, CCI): EL, LTEL, SED, SWD, foster and homeless at any time in the
      student's years on record up to this one; race from this year.
    """
    students = student_info(records, year)
    if among is not None:
        students = students.join(among, on="student_id", how="semi")
    if kind == "cohort":
        history = records.students.filter(pl.col("year") <= year)
        if among is not None:
            history = history.join(among, on="student_id", how="semi")
        earlier = history.group_by("student_id").agg(
            (pl.col("el_status") == "EL").any().alias("_ever_el"),
            *(pl.col(c).any().alias(c) for c in NEED_GROUPS.values()),
        )
        students = students.drop(*NEED_GROUPS.values()).join(earlier, on="student_id", how="left")
        el = pl.col("_ever_el")
    elif kind == "academic":
        cutoff = dt.date(year - 4, 6, 15)
        recent_rfep = (pl.col("el_status") == "RFEP") & (pl.col("rfep_date") > cutoff)
        el = (pl.col("el_status") == "EL") | recent_rfep
    else:
        el = pl.col("el_status") == "EL"
    race = pl.col("race")
    if kind == "enrolment":
        race = race.fill_null("MR")
    flags: dict[str, pl.Expr] = {
        "ALL": pl.lit(True),
        **{code: race == code for code in RACE_CODES},
        "EL": el,
        **{group: pl.col(column) for group, column in NEED_GROUPS.items()},
    }
    if kind == "academic":
        flags["ELO"] = pl.col("el_status") == "EL"
        flags["RFP"] = recent_rfep
        flags["EO"] = pl.col("el_status") == "EO"
    return students.select(
        "student_id", *(expr.fill_null(False).alias(group) for group, expr in flags.items())
    )


def attribute(rows: pl.DataFrame, records: StudentRecords, year: int) -> pl.DataFrame:
    """Each school-level row once for its school (rtype S) and once for the LEA it counts for
    (rtype D): the school's district, except that a student with disabilities who has a district
    of special education accountability (DSEA) counts for that district instead. Charter schools
    are LEAs of their own and are not part of their authoriser's results."""
    charters = records.entities.filter(pl.col("charter")).get_column("cds")
    numeric = rows.schema["cds"].is_integer()
    if numeric:
        dsea_code = pl.col("dsea").cast(pl.Int64) * _SCHOOL_DIGITS
        district = pl.col("cds") // _SCHOOL_DIGITS * _SCHOOL_DIGITS
    else:
        dsea_code = pl.col("dsea").cast(pl.String).str.zfill(7) + pl.lit("0000000")
        district = school_lea(pl.col("cds"))
    dsea = (
        student_info(records, year)
        .select(
            "student_id",
            pl.when(pl.col("swd") & pl.col("dsea").is_not_null()).then(dsea_code).alias("_dsea"),
        )
        .filter(pl.col("_dsea").is_not_null())
    )  # few students: the join probes a small table
    with_dsea = rows.join(dsea, on="student_id", how="left")
    lea = (
        pl.when(pl.col("_dsea").is_not_null())
        .then(pl.col("_dsea"))
        .when(pl.col("cds").is_in(charters.implode()))
        .then(None)
        .otherwise(district)
    )
    schools = with_dsea.drop("_dsea").with_columns(pl.lit("S").alias("rtype"))
    leas = (
        with_dsea.with_columns(lea.alias("cds"))
        .drop("_dsea")
        .filter(pl.col("cds").is_not_null())
        .with_columns(pl.lit("D").alias("rtype"))
    )
    return pl.concat([schools, leas], how="vertical")


def collapse(
    frame: pl.DataFrame, key: Sequence[str], aggregations: Sequence[pl.Expr]
) -> pl.DataFrame:
    """``frame.group_by(key).agg(aggregations)``, grouping only the LEA rows whose key repeats:
    school rows are unique by the input tables' keys, and most students have one school per
    LEA. Each aggregation keeps its column's name."""
    schools = frame.filter(pl.col("rtype") == "S")
    leas = frame.filter(pl.col("rtype") != "S")
    several = leas.select(key).is_duplicated()
    grouped = leas.filter(several).group_by(key).agg(aggregations)
    return pl.concat(
        [schools.select(grouped.columns), leas.filter(~several).select(grouped.columns), grouped]
    )


def count_by_group(
    rows: pl.DataFrame, groups: Sequence[str], values: Mapping[str, str | None]
) -> pl.DataFrame:
    """Per entity (``cds, rtype``) and student group, the sum of each per-student value column
    (``values``: output name → column; None counts the rows) over the rows whose Boolean group
    column is true. One pass over ``rows``; groups without a member are left out."""
    columns = sorted({c for c in values.values() if c is not None})
    numeric = rows.select(
        "cds",
        "rtype",
        *(pl.col(g) for g in groups),
        *(pl.col(c).cast(pl.Int64).alias(f"_v_{c}") for c in columns),
    )

    def total(group: str, column: str | None) -> pl.Expr:
        if column is None:
            return pl.col(group).sum()
        # Same sum as filtering, but elementwise: no per-group filter in the aggregation.
        return pl.when(pl.col(group)).then(pl.col(f"_v_{column}")).sum()

    sums = numeric.group_by("cds", "rtype").agg(
        *(pl.col(g).sum().alias(f"{g}\x1f") for g in groups),
        *(
            total(g, column).alias(f"{g}\x1f{name}")
            for g in groups
            for name, column in values.items()
        ),
    )
    return (
        pl.concat(
            sums.select(
                "cds",
                "rtype",
                pl.lit(g).alias("studentgroup"),
                pl.col(f"{g}\x1f").alias("_members"),
                *(pl.col(f"{g}\x1f{name}").cast(pl.Int64).alias(name) for name in values),
            )
            for g in groups
        )
        .filter(pl.col("_members") > 0)
        .drop("_members")
        .sort(KEY)
    )


def counts_by_group(
    per_student: pl.DataFrame,
    records: StudentRecords,
    year: int,
    kind: str,
    values: Mapping[str, str | None],
) -> pl.DataFrame:
    """``count_by_group`` over the student groups of ``kind`` (see ``group_flags``)."""
    # Cohort groups look back over every year on record: only for the students counted.
    among = per_student.select("student_id").unique() if kind == "cohort" else None
    flags = group_flags(records, year, kind, among)
    groups = [c for c in flags.columns if c != "student_id"]
    return count_by_group(per_student.join(flags, on="student_id", how="inner"), groups, values)


def half_up_tenths(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """round(numerator / denominator, 1) in tenths, halves away from zero, in exact integers."""
    sign = pl.when(numerator < 0).then(-1).otherwise(1)
    return sign * ((2 * numerator.abs() + denominator) // (2 * denominator))


def status_tenths(numer: pl.Expr, denom: pl.Expr, scale: int) -> pl.Expr:
    """Status in tenths, rounded half up; null when there is no denominator."""
    return pl.when(denom > 0).then(half_up_tenths(10 * scale * numer, denom))


def change_tenths(
    numer: pl.Expr, denom: pl.Expr, prior_numer: pl.Expr, prior_denom: pl.Expr, scale: int
) -> pl.Expr:
    """Current minus prior status from the unrounded fractions, then rounded half up."""
    return pl.when((denom > 0) & (prior_denom > 0)).then(
        half_up_tenths(
            10 * scale * (numer * prior_denom - prior_numer * denom), denom * prior_denom
        )
    )
