"""Early-warning benchmark: ``continuum mtss flags`` over 250,000 students, 180 school days of
attendance each (45 million rows) and a year of marks.

Writes the synthetic tables (``continuum.synth.early_warning``) as CSV into a temporary
directory, then times the whole command (read and check every table, compute the measures,
apply a rule set, write the flags) in a fresh process, once untimed to warm the page cache,
then once timed, for each of two presets. Prints the machine, sizes, times and peak memory.
Never asserts; the goal (issue 15) is under 30 s and 4 GB.

    make bench-early-warning     # or: uv run python bench/early_warning.py
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from worker_process import machine_line, timed_process

STUDENTS = 250_000
DAYS = 180
SEED = 2026
START = dt.date(2025, 8, 13)
PRESETS = ("michigan-ewims", "national-high-school")
TARGET_SECONDS = 30
TARGET_MEMORY_BYTES = 4 * 1024**3
COMMAND = "make bench-early-warning  (= uv run --frozen python bench/early_warning.py)"


def main() -> None:
    from continuum.synth.early_warning import early_warning_tables, write_early_warning_tables

    continuum = str(Path(sys.executable).with_name("continuum"))
    with tempfile.TemporaryDirectory(prefix="continuum-bench-") as temporary:
        directory = Path(temporary) / "district"
        start = time.perf_counter()
        tables = early_warning_tables(STUDENTS, seed=SEED, start=START, days=DAYS)
        sizes = write_early_warning_tables(tables, directory)
        del tables
        drawn = time.perf_counter() - start
        megabytes = sum(p.stat().st_size for p in directory.iterdir()) / 1024**2
        runs = []
        for preset in PRESETS:
            command = [
                continuum, "mtss", "flags", "--rules", preset, "--students", str(directory),
                "--from", START.isoformat(), "--to", "2026-06-30",
                "--out", str(Path(temporary) / f"{preset}.parquet"),
            ]  # fmt: skip
            timed_process(command)
            runs.append((preset, *timed_process(command)))
    print(f"## Early warning, {STUDENTS:,} students ({dt.date.today().isoformat()})\n")
    print(f"Command: `{COMMAND}`\n")
    print(machine_line())
    tables_line = ", ".join(f"{name} {rows:,}" for name, rows in sizes.items())
    print(f"Inputs (CSV, {megabytes:,.0f} MB, drawn and written in {drawn:.0f} s, not timed): "
          f"{tables_line}.\n")  # fmt: skip
    print("| rule set | `continuum mtss flags`, whole process | peak memory |")
    print("|---|---:|---:|")
    for preset, seconds, peak in runs:
        print(f"| `{preset}` | {seconds:.1f} s | {peak / 1024**3:.2f} GB |")
    worst = max(seconds for _, seconds, _ in runs)
    heaviest = max(peak for *_, peak in runs)
    print(
        f"\nGoal under {TARGET_SECONDS} s and {TARGET_MEMORY_BYTES / 1024**3:.0f} GB: "
        f"{'met' if worst < TARGET_SECONDS and heaviest < TARGET_MEMORY_BYTES else 'not met'}."
    )


if __name__ == "__main__":
    main()
