"""``continuum dashboard …``: levels, verification and summaries from CDE Dashboard files."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click
import polars as pl
from rich.console import Console
from rich.table import Table

from continuum.dashboard.files import read_dashboard_file, refuse_duplicate_rows
from continuum.dashboard.levels import compute_levels, levels_table, with_figures
from continuum.dashboard.rules import COLOUR_NAMES, available_years
from continuum.dashboard.verify import verify_levels
from continuum.progress import progress_bar
from continuum.tables import check_output_path, read_table, write_table

FILES_ARGUMENT = click.argument(
    "files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path)
)


@click.group()
def dashboard() -> None:
    """California School Dashboard: performance levels from CDE's download files.

    FILES are CDE download files (eladownload2025.txt, chronicdownload2023.xlsx, …) for any mix
    of indicators and Dashboard years; the indicator and year come from each file's name or its
    'indicator' and 'reportingyear' columns. Columns are matched by name, ignoring case; blanks
    and '*' count as missing. Any level or colour columns in the files are ignored when levels
    are computed.
    """


@dashboard.command()
@FILES_ARGUMENT
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output table: .csv or .parquet (chosen by the extension). Written only on success.",
)
def levels(files: Sequence[Path], out: Path) -> None:
    """Compute status level, change level, colour and box for every row of FILES.

    Writes one row per file row with: cds, rtype, school and district names, flags,
    studentgroup, type (suspension), indicator, reportingyear, currdenom, priordenom,
    currstatus, priorstatus, change (recomputed from numerators where the file has them),
    statuslevel, changelevel, color, box (CDE's codes: color 1 Red … 5 Blue, 0 none),
    smalldenom, pl_1 … pl_4 and pltotct (the 2018 ELPAC distribution, blank otherwise) and an
    explanation in words of the cuts and grid cell behind the result.
    """
    check_output_path(out)
    computed = _computed(files)
    write_table(levels_table(computed), out)
    console = Console(stderr=True)
    console.print(f"Wrote {computed.height:,} rows to {out}")


@dashboard.command()
@FILES_ARGUMENT
@click.option(
    "--show",
    default=50,
    show_default=True,
    help="Print at most this many disagreeing rows (0 for none).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write every disagreement (.csv or .parquet).",
)
def verify(files: Sequence[Path], show: int, out: Path | None) -> None:
    """Check the engine against the levels CDE published in FILES.

    Prints, per indicator and year, how many published status levels, change levels, colours
    and boxes the engine reproduces, then each disagreement with the engine's explanation.
    A disagreement on a row that a rule file lists as a known exception (for example a colour
    CDE set by hand under its data error flag) is shown with the reason and does not fail.

    Exit status: 0 when every other row agrees, 1 when any row disagrees unexplained.
    """
    if out is not None:
        check_output_path(out)
    result = verify_levels(_computed(files))
    console = _console()
    console.print(_summary_table(result.summary))
    shown = result.disagreements.head(show) if show else result.disagreements.clear()
    for row in shown.iter_rows(named=True):
        status = f"explained ({row['exception_id']})" if row["exception_id"] else "UNEXPLAINED"
        published = "/".join(
            str(row[f"published_{c}"]) for c in ("statuslevel", "changelevel", "color", "box")
        )
        computed = "/".join(str(row[c]) for c in ("statuslevel", "changelevel", "color", "box"))
        console.print(
            f"[bold]{row['source_file']}:{row['source_line']}[/bold] {row['cds']} "
            f"{row['studentgroup']} {row['indicator']} {row['reportingyear']}: "
            f"published {published}, computed {computed} — {status}\n  "
            + with_figures(
                row["explanation"], row["indicator"], row["computed_status"], row["computed_change"]
            )
            + (f"\n  Reason: {row['exception_reason']}" if row["exception_reason"] else ""),
            highlight=False,
        )
    if out is not None:
        write_table(result.disagreements, out)
    unexplained = result.unexplained.height
    console.print(
        f"{result.disagreements.height} disagreement(s), {unexplained} unexplained.",
        highlight=False,
    )
    if unexplained:
        sys.exit(1)


@dashboard.command()
@click.argument("levels_file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
def summary(levels_file: Path) -> None:
    """Print a readable summary of a levels table written by 'continuum dashboard levels'.

    For each LEA (district rows) it shows the colour of every indicator for all students (for
    English Learner Progress, the English learner group, which is the indicator's whole
    population), and counts how many student group results are Red.
    """
    table = read_table(levels_file).with_columns(pl.col("color", "statuslevel").cast(pl.Int8))
    console = _console()
    leas = table.filter(pl.col("rtype") == "D")
    indicators = sorted(leas.get_column("indicator").unique().to_list())
    grid = Table(title=f"All students (ELPI: English learners), by LEA ({levels_file.name})")
    grid.add_column("LEA")
    for indicator in indicators:
        grid.add_column(indicator)
    grid.add_column("Red groups", justify="right")
    for (cds, name), rows in leas.sort("districtname").group_by(
        ["cds", "districtname"], maintain_order=True
    ):
        all_students = {
            r["indicator"]: COLOUR_NAMES[r["color"]] if r["color"] else _status_only(r)
            for r in rows.filter(_whole_population).iter_rows(named=True)
        }
        reds = rows.filter(pl.col("color") == 1).height
        grid.add_row(f"{name} ({cds})", *(all_students.get(i, "") for i in indicators), str(reds))
    console.print(grid)
    colours = table.group_by("color").len().sort("color")
    counts = ", ".join(f"{COLOUR_NAMES[c]}: {n:,}" for c, n in colours.iter_rows())
    console.print(f"{table.height:,} rows; {counts}", highlight=False)


@dashboard.command()
def years() -> None:
    """List the Dashboard years that have a rule set."""
    click.echo(" ".join(str(y) for y in available_years()))


# The group whose result stands for the whole LEA: ELPI is reported for English learners only.
_whole_population = (pl.col("studentgroup") == "ALL") | (
    (pl.col("indicator") == "ELPI") & (pl.col("studentgroup") == "EL")
)


def _console() -> Console:
    """A console as wide as the terminal, or 160 columns when the output is a file or pipe."""
    return Console() if sys.stdout.isatty() else Console(width=160)


def _status_only(row: dict[str, object]) -> str:
    return f"status {row['statuslevel']}" if row["statuslevel"] else "—"


def _computed(files: Sequence[Path]) -> pl.DataFrame:
    frames = []
    with progress_bar() as progress:
        task = progress.add_task("Reading files", total=len(files) + 1)
        for path in files:
            progress.update(task, description=f"Reading {path.name}")
            frames.append(read_dashboard_file(path, check_duplicates=False).frame)
            progress.advance(task)
        progress.update(task, description="Computing levels")
        combined = pl.concat(frames, how="vertical")
        refuse_duplicate_rows(combined)  # within each file and across the files
        computed = compute_levels(combined)
        progress.advance(task)
    return computed


def _summary_table(summary: pl.DataFrame) -> Table:
    table = Table(title="Agreement with CDE's published levels")
    for name in (
        "year",
        "indicator",
        "rows",
        "status level",
        "change level",
        "colour",
        "box",
        "explained",
        "unexplained",
    ):
        table.add_column(name, justify="left" if name == "indicator" else "right")
    for row in summary.iter_rows(named=True):
        cells = []
        for column in ("statuslevel", "changelevel", "color", "box"):
            checked, agree = row[f"{column}_checked"], row[f"{column}_agree"]
            cells.append(f"{agree}/{checked} ({100 * agree / checked:.1f}%)" if checked else "—")
        table.add_row(
            str(row["reportingyear"]),
            row["indicator"],
            str(row["rows"]),
            *cells,
            str(row["explained"]),
            str(row["unexplained"]),
        )
    return table
