"""Statewide benchmark of the student-level calculators.

Draws a California-sized synthetic population (``continuum.synth.students`` over the statewide
plan of ``continuum synth statewide``: about six million students, one year of records plus the
earlier ELPAC year and students table that ELPI needs) and writes it as Parquet into a temporary
directory. Then, in a fresh subprocess so that its peak memory is its own:

* read: ``read_student_records`` (every table read and checked, as ``continuum project`` does);
* calculate: every calculator for the year and its CDE-shaped rows (``projected_files``).

Prints the machine, the sizes, the two times and the subprocess's peak memory. Never asserts on
times or memory.

    make bench-students          # or: uv run python bench/students_statewide.py
"""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path

import numpy as np

from worker_process import machine_line, measured_in_fresh_process

SEED = 2025
YEAR = 2025
TARGET_SECONDS = 60
TARGET_MEMORY_BYTES = 8 * 1024**3
COMMAND = "make bench-students  (= uv run --frozen python bench/students_statewide.py)"


def _worker(directory: Path) -> None:
    """Read and calculate in this (fresh) process; print seconds, rows and peak RSS as JSON."""
    from continuum.dashboard.students.inputs import read_student_records
    from continuum.dashboard.students.project import projected_files

    start = time.perf_counter()
    records = read_student_records(directory)
    read_seconds = time.perf_counter() - start
    start = time.perf_counter()
    files, _ = projected_files(records, YEAR, None)
    calculate_seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(
        json.dumps(
            {
                "read_seconds": read_seconds,
                "calculate_seconds": calculate_seconds,
                "peak_rss_bytes": peak,
                "output_rows": sum(frame.height for frame in files.values()),
                "students": records.students.filter(records.students["year"] == YEAR).height,
            }
        )
    )


def _generate(directory: Path) -> dict[str, int]:
    from continuum.synth.entities import statewide_counties
    from continuum.synth.students import generate_student_records, write_student_records

    counties = statewide_counties(np.random.default_rng([SEED, 0]))
    records = generate_student_records(counties, year=YEAR, seed=SEED, history=0)
    return write_student_records(records, directory, suffix=".parquet")


def main() -> None:
    measured = measured_in_fresh_process(__file__, __doc__.splitlines()[0], _generate, _worker)
    if measured is None:
        return
    sizes, generate_seconds, result = measured
    total = result["read_seconds"] + result["calculate_seconds"]
    print(f"## Student-level calculators, statewide ({time.strftime('%Y-%m-%d')})\n")
    print(f"Command: `{COMMAND}`\n")
    print(machine_line())
    print(
        f"Population: {result['students']:,} students in {YEAR}; tables "
        + ", ".join(f"{name} {rows:,}" for name, rows in sizes.items())
        + f" rows (drawn and written in {generate_seconds:.0f} s, not timed below).\n"
    )
    print("| step | time |")
    print("|---|---:|")
    print(
        f"| read and check every table (`read_student_records`) | {result['read_seconds']:.1f} s |"
    )
    print(
        "| all calculators and their CDE-shaped rows (`projected_files`) | "
        f"{result['calculate_seconds']:.1f} s |"
    )
    print(f"| total | {total:.1f} s (target < {TARGET_SECONDS} s) |")
    print(
        f"| peak memory of the process | {result['peak_rss_bytes'] / 1024**3:.2f} GB "
        f"(target < {TARGET_MEMORY_BYTES / 1024**3:.0f} GB) |\n"
    )
    print(f"Output: {result['output_rows']:,} CDE-shaped rows.")


if __name__ == "__main__":
    main()
