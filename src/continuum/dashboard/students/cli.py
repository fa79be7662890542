"""``continuum project``: a district's Dashboard and support levels, projected from its student
records before CDE publishes them."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from continuum.dashboard.files import read_dashboard_files
from continuum.dashboard.students.inputs import read_student_records
from continuum.dashboard.students.project import CALCULATORS, project, summary_lines
from continuum.errors import InputError
from continuum.progress import progress_bar
from continuum.support.levels_input import dashboard_directory_files
from continuum.synth.layouts import file_name
from continuum.synth.writer import write_tab_separated
from continuum.tables import write_table


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
    students_dir: Path, prior_dir: Path | None, out: Path, year: int | None
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

    Nothing is written when an input is wrong: the error names the file, line and column.
    The summary and every output are aggregates; no student identifier is ever printed.
    """
    records = read_student_records(students_dir)
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
    lines = summary_lines(projection)
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
