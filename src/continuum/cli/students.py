"""``continuum students``: the student files a district holds, as CDE and its vendors write them.

``inspect`` says what each file is and what it holds, in counts only: never a name or an SSID.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click
import polars as pl

from continuum.errors import ContinuumError
from continuum.formats.toms import TomsFile, read_toms_file, record_types


@click.group()
def students() -> None:
    """Student files: TOMS CAASPP and ELPAC score files, read as districts download them."""


@students.command("inspect")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def inspect_command(files: Sequence[Path]) -> None:
    """Say what each FILE is and what it holds, in counts (never names or SSIDs).

    For a TOMS CAASPP or Summative ELPAC Student Score Data File (2014-15 to 2024-25; caret,
    comma or fixed width): the test, year, shape and variant and why it was identified so; its
    records, students, schools and grades; every repair made (leading zeros, dates, trailing
    columns, byte-order mark, line ends) with counts; and which calculators it can feed. A file
    that is not one (a Dashboard download, a budget export) is named as such.

    Exit status 0 when every file was read, 2 when any was refused (each refusal says why).
    """
    refused = 0
    for number, path in enumerate(files):
        if number:
            click.echo("")
        try:
            read = read_toms_file(path)
        except ContinuumError as error:
            refused += 1
            click.echo(f"refused: {error}")
            continue
        click.echo("\n".join(describe_toms(read)))
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
    lines.append("  repairs: none" if not read.repairs else "  repairs:")
    lines.extend(f"    {what}: {count:,}" for what, count in read.repairs.items())
    lines.append(f"  feeds: {feeds(read)}")
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
