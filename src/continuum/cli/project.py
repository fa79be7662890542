"""``continuum project``: a district's Dashboard and support levels, projected from its student
records before CDE publishes them. This is where the engines meet: the dashboard engine's
calculators give the CDE-shaped rows and their levels, the support engine the determinations
that follow (``determine_da``; ESSA where the year has ESSA rules)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click
import polars as pl
from rich.console import Console

from continuum.dashboard.files import read_dashboard_files
from continuum.dashboard.levels import compute_levels, levels_table
from continuum.dashboard.rules import COLOUR_NAMES
from continuum.dashboard.students.inputs import StudentRecords, read_student_records
from continuum.dashboard.students.outside import tables_from_files
from continuum.dashboard.students.project import (
    CALCULATORS,
    INDICATOR_NAMES,
    as_dashboard_frame,
    projected_files,
)
from continuum.errors import InputError
from continuum.formats.dashboard_downloads import file_name, write_tab_separated
from continuum.formats.student_files import read_student_file
from continuum.progress import progress_bar
from continuum.support.assistance import DaDetermination, determine_da
from continuum.support.essa import (
    EssaDetermination,
    determine_essa,
    essa_years,
    load_essa_rules,
)
from continuum.support.levels_input import dashboard_directory_files, normalise_levels
from continuum.support.rules import available_years
from continuum.tables import write_table

GROUP_NAMES = {
    "ALL": "All students", "AA": "Black/African American students",
    "AI": "American Indian or Alaska Native students", "AS": "Asian students",
    "FI": "Filipino students", "HI": "Hispanic students", "PI": "Pacific Islander students",
    "WH": "White students", "MR": "Students of two or more races", "EL": "English learners",
    "LTEL": "Long-term English learners", "SED": "Socioeconomically disadvantaged students",
    "SWD": "Students with disabilities", "FOS": "Foster youth", "HOM": "Homeless students",
}  # fmt: skip


@dataclass(frozen=True)
class Projection:
    """Everything ``continuum project`` writes, before it is written."""

    year: int
    files: dict[str, pl.DataFrame]  # file prefix (ela, chronic, …) → CDE-shaped rows, as text
    levels: pl.DataFrame  # levels_table of the projected rows
    da: DaDetermination | None
    essa: EssaDetermination | None
    notes: list[str]


def project(
    records: StudentRecords,
    year: int,
    prior_dashboard: pl.DataFrame | None = None,
    advance: Callable[[str], None] = lambda _: None,
) -> Projection:
    """Project ``year``'s Dashboard and support determinations from student records; the prior
    Dashboard (a frame from ``read_dashboard_files``) gives change where records do not."""
    files, notes = projected_files(records, year, prior_dashboard, advance)
    advance("levels and colours")
    levels = levels_table(compute_levels(as_dashboard_frame(files)))
    by_year = {year: normalise_levels(levels)}
    if prior_dashboard is not None and not prior_dashboard.is_empty():
        prior_levels = normalise_levels(levels_table(compute_levels(prior_dashboard)))
        for prior_year in prior_levels.get_column("reportingyear").unique().to_list():
            if int(prior_year) != year:
                by_year[int(prior_year)] = prior_levels.filter(
                    pl.col("reportingyear") == prior_year
                )
    advance("support determinations")
    da = None
    if year in available_years():
        da = determine_da(by_year, year)
    else:
        notes.append(f"Differentiated Assistance: no DA rules for {year}")
    essa = None
    if year in essa_years() and not load_essa_rules(year).entry_year:
        notes.append(
            f"ESSA: {year} is not an entry year of the CSI/ATSI cycle; its statuses are last "
            "year's kept or ended, which a projection from student records does not have "
            "(use 'continuum support essa --prior')"
        )
    elif year in essa_years():
        schools = records.entities.filter(pl.col("rtype") == "S").select(
            "cds",
            pl.when(pl.col("title_i")).then(pl.lit("Yes")).otherwise(pl.lit("No")).alias("title_i"),
            pl.when(pl.col("dass")).then(pl.lit("Yes")).otherwise(pl.lit("No")).alias("dass"),
        )
        essa = determine_essa(by_year, year, schools=schools)
    else:
        notes.append(f"ESSA: no ESSA rules for {year} (known years: {essa_years()})")
    return Projection(year, files, levels, da, essa, notes)


def _change_words(change: float | None) -> str:
    if change is None:
        return "no prior year"
    if change > 0:
        return f"increased {change:.1f}"
    if change < 0:
        return f"declined {-change:.1f}"
    return "maintained"


def summary_lines(projection: Projection) -> list[str]:
    """Readable aggregate lines per LEA and charter school, e.g. "Hispanic students: ELA
    projected Red (−72.4, declined 4.1)"; no student-level information."""
    rows = projection.levels.filter(
        (pl.col("rtype") == "D") | (pl.col("charter_flag") == "Y")
    ).filter(pl.col("studentgroup").is_in(list(GROUP_NAMES)) & pl.col("currstatus").is_not_null())
    lines: list[str] = []
    da_rows: dict[str, dict[str, object]] = {}
    if projection.da is not None:
        status = f"AssistanceStatus{projection.year}"
        for row in projection.da.table.iter_rows(named=True):
            da_rows[str(row["CDS"])] = {"status": row[status], "why": row.get("Explanation")}
    order = list(INDICATOR_NAMES)
    for (cds,), entity in rows.sort("cds").group_by(["cds"], maintain_order=True):
        first = entity.row(0, named=True)
        name = first["schoolname"] or first["districtname"] or cds
        lines.append(f"{name} ({cds}), projected {projection.year} Dashboard")
        ordered = entity.with_columns(
            pl.col("studentgroup")
            .replace_strict({g: i for i, g in enumerate(GROUP_NAMES)}, return_dtype=pl.Int32)
            .alias("_g"),
            pl.col("indicator")
            .replace_strict(
                {ind: i for i, ind in enumerate(order)}, default=99, return_dtype=pl.Int32
            )
            .alias("_i"),
        ).sort("_g", "_i")
        for row in ordered.iter_rows(named=True):
            colour = COLOUR_NAMES[int(row["color"] or 0)]
            shown = colour if row["color"] else f"status only (n={int(row['currdenom'])})"
            lines.append(
                f"  {GROUP_NAMES[row['studentgroup']]}: {INDICATOR_NAMES[row['indicator']]} "
                f"projected {shown} ({row['currstatus']:.1f}, {_change_words(row['change'])})"
            )
        if cds in da_rows:
            lines.append(f"  Differentiated Assistance: {da_rows[cds]['status'] or 'not eligible'}")
    if projection.essa is not None:
        status = f"AssistanceStatus{projection.year}"
        identified = projection.essa.table.filter(pl.col(status).is_not_null())
        lines.append(f"ESSA: {identified.height} schools identified")
    lines.extend(f"Note: {note}" for note in projection.notes)
    return lines


@click.command("project")
@click.option(
    "--students",
    "students_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory of student records (entities, students, enrollments, caaspp, … as .csv or "
    ".parquet); see docs/dashboard/student-inputs.md.",
)
@click.option(
    "--file",
    "student_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A file as the district holds it (repeat for more, any mix and years): a TOMS CAASPP "
    "or Summative ELPAC Student Score Data File (caaspp, elpac), a CALPADS extract: SENR "
    "(enrollments), STAS (attendance), SINF with SELA, SPRG and SPED (students; foster youth "
    "still from STUDENTS' students table), SINC with SIRS (suspensions), or a CALPADS report "
    "CSV (15.2 graduation, 14.2 attendance, 7.12 suspensions, 8.1 students), instead of that "
    "table's CSV; see docs/students/files.md.",
)
@click.option(
    "--prior-dashboard",
    "prior_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory of last year's CDE download files: change where the records hold no prior "
    "year, and the prior year for Differentiated Assistance.",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output directory (created if missing); files of the same name are replaced.",
)
@click.option(
    "--year",
    type=click.IntRange(2023, 2099),
    help="Dashboard year to project (default: the latest year in students).",
)
def project_command(
    students_dir: Path,
    student_files: tuple[Path, ...],
    prior_dir: Path | None,
    out: Path,
    year: int | None,
) -> None:
    """Project the Dashboard from student-level records.

    Computes, for every school and LEA in the records and every student group, the state
    indicators CDE computes from the same kind of data (ELA and Math distance from standard,
    chronic absenteeism, suspension, graduation, college/career, English learner progress),
    following the 2025 Technical Guide. Writes to OUT:

    \b
      dashboard/{ela,math,chronic,…}downloadYYYY.txt  CDE-shaped files of the projected year
      levels.csv       status level, change level and colour of every row
      daYYYY.csv       projected Differentiated Assistance (CDE's assistancestatus columns)
      essaYYYY.csv     projected ESSA identification, when the year has ESSA rules
      summary.txt      the readable summary printed at the end

    With --file, the tables those files hold come from them as districts download them (TOMS
    score files; CALPADS SENR, STAS, SINF, SELA, SPRG, SPED, SINC and SIRS extracts; CALPADS
    reports; the summary notes what was left out and what a report lacks); the other tables
    still come from STUDENTS. With SINF, only the foster column of STUDENTS' students table is
    used (foster youth are in no CALPADS extract). A report's school year is the one in its
    file name (…_2024-25.csv), else --year.

    Nothing is written when an input is wrong: the error names the file, line and column.
    The summary and every output are aggregates; no student identifier is ever printed.
    """
    reads = [read_student_file(path) for path in student_files]
    outside, replacing = tables_from_files(reads, students_dir, year=year)
    records = read_student_records(students_dir, outside.tables, replacing)
    target = year or max(records.years())
    if target not in records.years():
        raise InputError(students_dir, f"the students table has no records for {target}")
    prior = None
    if prior_dir is not None:
        prior = read_dashboard_files(dashboard_directory_files(prior_dir))
    steps = len(CALCULATORS) + 2
    with progress_bar() as bar:
        task = bar.add_task("Projecting", total=steps)

        def advance(what: str) -> None:
            bar.update(task, advance=1, description=f"Projecting: {what}")

        projection = project(records, target, prior, advance)
    lines = summary_lines(projection) + [f"Note: {note}" for note in outside.notes]
    dashboard_dir = out / "dashboard"
    dashboard_dir.mkdir(parents=True, exist_ok=True)
    for prefix, frame in projection.files.items():
        write_tab_separated(frame, dashboard_dir / file_name(prefix, target))
    write_table(projection.levels, out / "levels.csv")
    if projection.da is not None:
        write_table(projection.da.table, out / f"da{target}.csv")
    if projection.essa is not None:
        write_table(projection.essa.table, out / f"essa{target}.csv")
    (out / "summary.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    click.echo("\n".join(lines))
    Console(stderr=True).print(
        f"Projected {target}: {len(projection.files)} indicator files -> {out}"
    )
