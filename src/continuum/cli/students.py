"""``continuum students``: the student files a district holds, as CDE and its vendors write them.

``inspect`` says what each file is and what it holds, in counts only: never a name or an SSID.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click
import polars as pl

from continuum.errors import ContinuumError
from continuum.formats.calpads import CalpadsFile
from continuum.formats.calpads_reports import CalpadsReport
from continuum.formats.student_files import read_student_file
from continuum.formats.toms import TomsFile, record_types


@click.group()
def students() -> None:
    """Student files: TOMS score files and CALPADS extracts, read as districts download them."""


@students.command("inspect")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def inspect_command(files: Sequence[Path]) -> None:
    """Say what each FILE is and what it holds, in counts (never names or SSIDs).

    For a TOMS CAASPP or Summative ELPAC Student Score Data File (2014-15 to 2024-25; caret,
    comma or fixed width): the test, year, shape and variant and why it was identified so; its
    records, students, schools and grades; every repair made (leading zeros, dates, trailing
    columns, byte-order mark, line ends) with counts; and which calculators it can feed. The
    same for a CALPADS SENR, SINF, SELA, SPRG, STAS, SPED, SINC or SIRS extract (input file or
    ODS extract): its record type and layout, records, students, schools, school years, codes
    by count (programs, ELAS, incident results) and what it feeds. For a CALPADS report CSV
    (1.23, 14.2, 15.2, 7.12, 8.1): which report and why, its school year, rows, students,
    schools, repairs and the table it feeds. A file that is none of these (a Dashboard
    download, a budget export, another CALPADS record type) is named as such.

    Exit status 0 when every file was read, 2 when any was refused (each refusal says why).
    """
    refused = 0
    for number, path in enumerate(files):
        if number:
            click.echo("")
        try:
            read = read_student_file(path)
        except ContinuumError as error:
            refused += 1
            click.echo(f"refused: {error}")
            continue
        if isinstance(read, TomsFile):
            lines = describe_toms(read)
        elif isinstance(read, CalpadsReport):
            lines = describe_report(read)
        else:
            lines = describe_calpads(read)
        click.echo("\n".join(lines))
    if refused:
        raise click.exceptions.Exit(2)


def describe_toms(read: TomsFile) -> list[str]:
    """What ``inspect`` prints for a TOMS file: aggregates only."""
    records = read.records
    layout = read.layout
    variant = f", {read.variant} students" if read.variant else ", variant not in the file name"
    lines = [
        f"{read.path}: TOMS {layout.describe()} (ETS for CDE), {read.shape}{variant}",
        f"  identified because {read.reason}",
        f"  records: {records.height:,}",
        f"  students: {records.get_column('ssid').n_unique():,}",
    ]
    if "school_code" in records.columns:
        schools = records.filter(pl.col("school_code") != "").get_column("school_code")
        lines.append(f"  schools: {schools.n_unique():,}")
    if "grade" in records.columns:
        grades = sorted(
            (g for g in records.get_column("grade").unique().to_list() if g),
            key=lambda g: (g.isdigit(), g),
        )
        lines.append(f"  grades assessed: {', '.join(grades) or 'none'}")
    types = record_types(layout.test)
    counts = records.group_by("record_type").len().sort("record_type")
    for code, count in counts.iter_rows():
        lines.append(f"  record type {code} ({types[code].label}): {count:,}")
    lines.extend(_repairs(read.repairs))
    lines.append(f"  feeds: {feeds(read)}")
    return lines


def _repairs(repairs: dict[str, int]) -> list[str]:
    lines = ["  repairs: none" if not repairs else "  repairs:"]
    lines.extend(f"    {what}: {count:,}" for what, count in repairs.items())
    return lines


GROUPS = "the student groups of every indicator"
CALPADS_FEEDS = {
    "SENR": "enrolments (continuous enrolment, the schools and LEAs results belong to)",
    "STAS": "chronic absenteeism (with enrolments and the students' groups)",
    "SINF": f"the students table with SELA, SPRG and SPED: race/ethnicity and SED (parent "
    f"education), {GROUPS}",
    "SELA": f"the students table with SINF: EL, RFEP and LTEL, {GROUPS} and ELPI",
    "SPRG": f"the students table with SINF: SED (meal, migrant, homeless, tribal foster "
    f"programs), homeless, {GROUPS}",
    "SPED": f"the students table with SINF: students with disabilities and the district of "
    f"special education accountability, {GROUPS}",
    "SINC": "suspension rate, with SIRS (the incident dates)",
    "SIRS": "suspension rate, with SINC (out-of-school and in-school suspensions and days)",
}
# Record type → the coded field counted by value, and what it is called.
CALPADS_COUNTS = {
    "SENR": ("status", "enrolment status"),
    "SELA": ("elas", "ELAS"),
    "SPRG": ("program", "education program"),
    "SIRS": ("incident_result", "incident result"),
    "SINF": ("parent_education", "parent education level"),
}


def describe_calpads(read: CalpadsFile) -> list[str]:
    """What ``inspect`` prints for a CALPADS extract: aggregates only."""
    records = read.records
    layout = read.layout
    schools = (records.get_column("lea") + records.get_column("school")).n_unique()
    kind = "ODS extract" if read.ods else "input file"
    lines = [
        f"{read.path}: CALPADS {layout.record_type} {kind} ({layout.label}, CDE)",
        f"  identified because {read.reason}",
        f"  layout: calpads_layouts/{layout.name}.csv ({len(layout.fields)} fields)",
        f"  records: {records.height:,}",
        f"  students: {records.get_column('ssid').n_unique():,}",
        f"  schools: {schools:,}",
        f"  school years: {', '.join(str(y) for y in read.years)}",
    ]
    if layout.record_type in CALPADS_COUNTS:
        column, what = CALPADS_COUNTS[layout.record_type]
        counts = records.group_by(column).len().sort(column)
        for code, count in counts.iter_rows():
            lines.append(f"  {what} {code or '(blank)'}: {count:,}")
    lines.extend(_repairs(read.repairs))
    lines.append(f"  feeds: {CALPADS_FEEDS[layout.record_type]}")
    return lines


def describe_report(read: CalpadsReport) -> list[str]:
    """What ``inspect`` prints for a CALPADS report CSV: aggregates only."""
    layout = read.layout
    records = read.records
    year = f"{read.year - 1}-{read.year % 100:02d}" if read.year else "not in the file name"
    lacking = read.lacking()
    feeds = layout.feeds if not lacking else f"nothing: no column {', '.join(lacking)}"
    lines = [
        f"{read.path}: {layout.describe()} (CALPADS report export, CDE)",
        f"  identified because {read.reason}",
        f"  school year: {year}",
        f"  rows: {records.height:,}",
        f"  students: {records.get_column('ssid').n_unique():,}",
        f"  schools: {records.get_column('school_code').n_unique():,}",
    ]
    if "cohort_category" in records.columns:
        counts = records.group_by("cohort_category").len().sort("cohort_category")
        lines.extend(f"  cohort category {c}: {n:,}" for c, n in counts.iter_rows())
    if "result_code" in records.columns:
        counts = records.group_by("result_code").len().sort("result_code")
        lines.extend(f"  incident result {c}: {n:,}" for c, n in counts.iter_rows())
    lines.extend(_repairs(read.repairs))
    lines.append(f"  feeds: {feeds}")
    return lines


def feeds(read: TomsFile) -> str:
    """Which calculators the file's records can feed, and what they need beside it."""
    present = {
        record_types(read.test)[code]
        for code in read.records.get_column("record_type").unique().to_list()
    }
    if read.test == "ELPAC":
        return (
            "English learner progress (ELPI) for Dashboard "
            f"{read.year}, with the prior year's ELPAC file and CALPADS enrolment"
        )
    subjects = sorted({t.subject for t in present if t.subject})
    if not subjects or "scale_score" not in read.records.columns:
        return "no calculator (no Smarter Balanced or CAA ELA or Math results in this layout)"
    named = " and ".join("ELA" if s == "ELA" else "Math" for s in subjects)
    return (
        f"{named} distance from standard for Dashboard {read.year}, with CALPADS enrolment "
        "(continuous enrolment and student groups)"
    )
