"""``continuum mtss``: early-warning flags from a district's own tables, by versioned rules, and
progress-monitoring decisions (docs/improvement/early-warning.md).

The terminal shows counts only; student identifiers go only into the files the user asks for.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import click
import polars as pl

from continuum.errors import InputError
from continuum.improvement.early_warning import (
    Window,
    flag_changes,
    flags,
    load_rule_set,
    measures,
    preset_keys,
    read_tables,
    rule_lines,
    summary,
)
from continuum.improvement.progress import Aimline, Point, decisions
from continuum.tables import check_output_path, read_table, write_table

_DATE = click.DateTime(formats=["%Y-%m-%d"])


@click.group()
def mtss() -> None:
    """MTSS: early-warning flags by versioned rules, and progress-monitoring decisions."""


@mtss.command("presets")
def presets_command() -> None:
    """List the early-warning rule sets that ship with Continuum, with their rules in words."""
    for key in preset_keys():
        rules = load_rule_set(key)
        click.echo(f"{key}: " + "\n".join(rule_lines(rules)))
        click.echo("  sources: " + "; ".join(rules.sources))


@mtss.command("copy-rules")
@click.argument("preset")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def copy_rules_command(preset: str, out: Path) -> None:
    """Copy PRESET (or a rule file) to OUT for a district to edit: give it its own key, raise
    its version and set its effective date; `mtss flags --compare OUT` then shows which
    students' flags the edit changes."""
    rules = load_rule_set(preset)
    if out.exists():
        raise InputError(out, "already exists; choose another name")
    if not out.parent.is_dir():
        raise InputError(out, f"the folder {out.parent} does not exist")
    shutil.copyfile(rules.path, out)
    click.echo(f"Copied {rules.label} to {out}")


@mtss.command("flags")
@click.option(
    "--rules",
    "rules_source",
    required=True,
    help="A preset's key (see `continuum mtss presets`) or a rule file (.toml).",
)
@click.option(
    "--students",
    "directory",
    required=True,
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Directory with roster.csv and any of attendance.csv, incidents.csv, marks.csv "
    "(or .parquet); see docs/improvement/early-warning.md.",
)
@click.option("--from", "start", required=True, type=_DATE, help="First day counted (YYYY-MM-DD).")
@click.option("--to", "end", required=True, type=_DATE, help="Last day counted (YYYY-MM-DD).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the flags (one row per student and indicator, with evidence) to .csv/.parquet.",
)
@click.option(
    "--compare",
    "compare_source",
    help="A second rule set: also show which students' flags it would change.",
)
@click.option(
    "--changes",
    "changes_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --compare: write the changed flags (student, indicator, before, after).",
)
def flags_command(
    rules_source: str,
    directory: Path,
    start: dt.datetime,
    end: dt.datetime,
    out: Path | None,
    compare_source: str | None,
    changes_out: Path | None,
) -> None:
    """Flag students at risk by RULES over the days from --from to --to.

    Prints, per indicator and level, how many students were judged and flagged (never who).
    Each flag written to --out carries the rule set and version, the indicator and level, the
    condition that held, the student's figure and the counts and dates behind it.
    """
    if end < start:
        raise click.BadParameter("--to is before --from", param_hint="--to")
    if changes_out is not None and compare_source is None:
        raise click.BadParameter("--changes needs --compare", param_hint="--changes")
    for path in (out, changes_out):
        check_output_path(path)
    rules = load_rule_set(rules_source)
    other = load_rule_set(compare_source) if compare_source else None
    tables = read_tables(directory)
    measured = measures(tables.roster, tables.tables, Window(start.date(), end.date()))
    flagged = flags(rules, measured)
    _print_summary(rules.label, summary(rules, measured, flagged))
    if out is not None:
        write_table(flagged, out)
        click.echo(f"Wrote {flagged.height:,} flags to {out}")
    if other is not None:
        changes = flag_changes(flagged, flags(other, measured))
        counts = changes.group_by("change").agg(pl.col("student_id").n_unique().alias("n"))
        by_change = dict(counts.iter_rows())
        click.echo(
            f"{other.label} against {rules.label}: {changes.height:,} flag(s) change for "
            f"{changes.get_column('student_id').n_unique():,} student(s) "
            f"({by_change.get('new', 0):,} newly flagged, {by_change.get('cleared', 0):,} "
            f"cleared, {by_change.get('level', 0):,} at another level)"
        )
        if changes_out is not None:
            write_table(changes, changes_out)
            click.echo(f"Wrote the changes to {changes_out}")


def _print_summary(label: str, counts: pl.DataFrame) -> None:
    click.echo(label)
    if counts.is_empty():
        click.echo("  no student flagged")
    for indicator, level, students, judged in counts.iter_rows():
        click.echo(f"  {indicator}: {level}: {students:,} of {judged:,} students")


@mtss.command("progress")
@click.argument("scores", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--baseline", required=True, help="Baseline as DATE:SCORE (2026-01-05:20).")
@click.option("--goal", required=True, help="Goal as DATE:SCORE (2026-03-16:50).")
@click.option("--lower-is-better", is_flag=True, help="For measures where less is better.")
def progress_command(scores: Path, baseline: str, goal: str, lower_is_better: bool) -> None:
    """Decision rules on one student's progress-monitoring SCORES (a table with date, score):
    three points below the aimline, the four-point rule, and the trend over six points."""
    try:
        aimline = Aimline(
            _point(baseline, "--baseline"), _point(goal, "--goal"), lower_is_better=lower_is_better
        )
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--goal") from None
    table = read_table(scores)
    missing = [c for c in ("date", "score") if c not in table.columns]
    if missing:
        raise InputError(scores, f"missing required column {missing[0]!r}", line=1)
    points = []
    for line, (day, score) in enumerate(table.select("date", "score").iter_rows(), start=2):
        try:
            points.append(Point(dt.date.fromisoformat(str(day)), float(score)))
        except (TypeError, ValueError):
            raise InputError(scores, "needs a date (YYYY-MM-DD) and a number", line=line) from None
    try:
        found = decisions(aimline, points)
    except ValueError as error:
        raise InputError(scores, str(error)) from None
    if not found:
        click.echo(f"{len(points)} point(s): no decision rule fires")
    for decision in found:
        click.echo(f"{decision.rule}: {decision.suggestion} ({decision.evidence})")


def _point(text: str, option: str) -> Point:
    day, _, score = text.partition(":")
    try:
        return Point(dt.date.fromisoformat(day), float(score))
    except ValueError:
        raise click.BadParameter(f"{text!r} is not DATE:SCORE", param_hint=option) from None
