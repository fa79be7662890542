"""``continuum synth …``: write synthetic CDE Dashboard download files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from continuum.formats.dashboard_downloads import layout_years
from continuum.progress import progress_bar
from continuum.synth.early_warning import early_warning_tables, write_early_warning_tables
from continuum.synth.entities import demo_county
from continuum.synth.generate import (
    GeneratedFiles,
    ProgressCallback,
    generate_county,
    generate_statewide,
    steps,
)
from continuum.synth.student_files import write_student_files
from continuum.synth.students import generate_student_records, write_synthetic_students

_OUT = click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for the files (created if missing; files of the same name are replaced).",
)
_YEAR = click.option(
    "--year",
    default=2025,
    show_default=True,
    type=click.Choice([str(y) for y in layout_years()]),
    help="Dashboard year: sets the files' layout, indicators and student groups.",
)
_SEED = click.option(
    "--seed",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    help="Random seed; the same seed and year give the same files byte for byte.",
)


@click.group()
def synth() -> None:
    """Synthetic Dashboard data: realistic, entirely invented, in CDE's exact file format.

    Writes {ela,math,chronic,susp,grad,cci,elpi,science}download{YEAR}.txt (the indicators the
    year reported), tab-separated with the columns of CDE's files of that year: a state row,
    LEA rows (county office, elementary, high and unified districts) and school rows
    (elementary, middle, high, K-12, DASS and charter schools) for every student group.
    Statuses follow from the counts as CDE rounds them; the level columns (statuslevel,
    changelevel, color, box) are left empty for `continuum dashboard levels` to compute.
    """


@synth.command()
@_OUT
@_YEAR
@_SEED
def county(out: Path, year: str, seed: int) -> None:
    """The demo county: about 250 schools, like Sacramento.

    A county office, 13 districts (unified, elementary and high, two with a single school) and
    about 250 schools with their charters: about 23,000 rows, in which every indicator, student
    group, school type and n-size case occurs.
    """
    _run(lambda progress: generate_county(out, year=int(year), seed=seed, progress=progress), year)


@synth.command()
@_OUT
@_YEAR
@_SEED
def statewide(out: Path, year: str, seed: int) -> None:
    """A California-sized state: about 11,000 LEAs and schools.

    58 counties, about 1,000 LEAs and 10,000 schools: about a million rows, for benchmarks.
    Takes a few seconds and about 150 MB of disk.
    """
    _run(
        lambda progress: generate_statewide(out, year=int(year), seed=seed, progress=progress),
        year,
    )


@synth.command()
@_OUT
@click.option(
    "--year",
    default=2025,
    show_default=True,
    type=click.Choice([str(y) for y in layout_years() if y >= 2024]),
    help="Dashboard year; records are written for it and the two years before.",
)
@_SEED
@click.option(
    "--format",
    "table_format",
    default="csv",
    show_default=True,
    type=click.Choice(["csv", "parquet"]),
    help="Format of the student record tables.",
)
def students(out: Path, year: str, seed: int, table_format: str) -> None:
    """Student-level records for the demo county, and the Dashboard files they give.

    Writes OUT/students/ (entities, students, enrollments, caaspp, elpac, attendance,
    suspensions, graduation, cci: the tables of docs/dashboard/student-inputs.md) and
    OUT/dashboard/ ({ela,…}downloadYEAR.txt computed from those records by the student-level
    calculators). Entirely invented; about 180,000 students.
    """
    console = Console(stderr=True)
    with progress_bar(console) as bar:
        task = bar.add_task("Drawing students", total=15)

        def advance(message: str) -> None:
            bar.update(task, advance=1, description=message)

        written = write_synthetic_students(
            [demo_county()], out, year=int(year), seed=seed, suffix=f".{table_format}",
            progress=advance,
        )  # fmt: skip
    table = Table()
    table.add_column("table or file")
    table.add_column("rows", justify="right")
    for name, rows in written.items():
        table.add_row(name, f"{rows:,}")
    console.print(table)


@synth.command("student-files")
@_OUT
@click.option(
    "--year",
    default=2025,
    show_default=True,
    type=click.Choice([str(y) for y in layout_years() if y >= 2024]),
    help="Dashboard year of the files (2025: the 2024-25 school year).",
)
@_SEED
@click.option(
    "--damaged",
    is_flag=True,
    help="Write them as a spreadsheet re-saves them: leading zeros dropped, dates rewritten, "
    "trailing empty columns, a byte-order mark, CRLF line ends (TOMS files comma-separated).",
)
def student_files(out: Path, year: str, seed: int, damaged: bool) -> None:
    """The demo county's student files, as a district downloads them.

    For the synthetic students of `continuum synth students` (same seed, same students),
    writes to OUT the year's files that `continuum students inspect` and `continuum project
    --file` read:

    \b
      …_CAASPP_Student_Score_Data_File_EnrolledStudentScoreData_YEAR_DLMTR.csv   TOMS CAASPP
      …_Summative_ELPAC_…_EnrolledStudentScoreData_YEAR_DLMTR.csv               TOMS ELPAC
      SENR_, SELA_, STAS_YYYY-YY.txt     CALPADS ODS extracts
      1.23_, 14.2_, 15.2_, 7.12_, 8.1_…_YYYY-YY.csv   CALPADS report CSVs

    Entirely invented; names, birth dates and local ids are blank. Lists each file and its
    records.
    """
    county = demo_county()
    records = generate_student_records([county], year=int(year), seed=seed)
    cds = f"{county.code:02d}000000000000"
    written = write_student_files(records, out, year=int(year), cds=cds, damaged=damaged)
    click.echo(f"{len(written)} student files in {out}:")
    for name, rows in written.items():
        click.echo(f"  {name}: {rows:,} records")


def _run(generate: Callable[[ProgressCallback], GeneratedFiles], year: str) -> None:
    console = Console(stderr=True)
    with progress_bar(console) as bar:
        task = bar.add_task("Building schools and LEAs", total=steps(int(year)))

        def advance(message: str) -> None:
            bar.update(task, advance=1, description=message)

        result = generate(advance)

    console.print(f"{result.schools:,} schools and {result.leas:,} LEAs in {result.directory}")
    console.print(_summary(result))


def _summary(result: GeneratedFiles) -> Table:
    table = Table()
    table.add_column("file")
    table.add_column("rows", justify="right")
    for path, rows in result.rows.items():
        table.add_row(path.name, f"{rows:,}")
    table.add_row("total", f"{result.total_rows:,}", style="bold")
    return table


@synth.command("early-warning")
@_OUT
@_SEED
@click.option(
    "--students",
    "count",
    default=5000,
    show_default=True,
    type=click.IntRange(min=1, max=2_000_000),
    help="How many invented students (grades 6-12).",
)
@click.option(
    "--from",
    "start",
    default="2025-08-13",
    show_default=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="First school day.",
)
@click.option(
    "--days",
    default=180,
    show_default=True,
    type=click.IntRange(min=1, max=260),
    help="School days (weekdays from --from).",
)
def early_warning(out: Path, seed: int, count: int, start: dt.datetime, days: int) -> None:
    """Early-warning tables for invented students: OUT/roster.csv, attendance.csv (one row per
    student and school day), incidents.csv and marks.csv (two semester marks in six courses),
    in the layout `continuum mtss flags` reads (docs/improvement/early-warning.md)."""
    tables = early_warning_tables(count, seed=seed, start=start.date(), days=days)
    written = write_early_warning_tables(tables, out)
    table = Table()
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in written.items():
        table.add_row(f"{name}.csv", f"{rows:,}")
    Console(stderr=True).print(table)
