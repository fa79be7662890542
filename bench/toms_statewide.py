"""Statewide benchmark of reading a TOMS CAASPP Student Score Data File and projecting ELA and
Math from it.

Draws the statewide synthetic population (as ``bench/students_statewide.py``), writes its 2025
Smarter Balanced and CAA results, 3,000,000 records, as one TOMS 2024-25 caret file (401
columns, as TOMS writes it) and the CALPADS-side tables of 2025 (entities, students,
enrollments) as Parquet into a temporary directory. Then, in a fresh subprocess so that its
peak memory is its own:

* read: ``read_toms_file`` (identify, check every record's fields, read, repair, check values);
* convert: ``outside_tables`` (the ``caaspp`` table, checked as caaspp.csv would be);
* records: ``read_student_records`` of the other tables, with the TOMS table, checked together;
* calculate: ELA and Math distance from standard (``distance_from_standard``).

Prints the machine, the sizes, the times and the subprocess's peak memory. Never asserts.

    make bench-toms              # or: uv run python bench/toms_statewide.py
"""

from __future__ import annotations

import json
import resource
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from worker_process import machine_line, measured_in_fresh_process

SEED = 2025
YEAR = 2025
RECORDS = 3_000_000
LAYOUT = "caaspp_2024-25_delimited"
TARGET_SECONDS = 20
TARGET_MEMORY_BYTES = 3 * 1024**3
COMMAND = "make bench-toms  (= uv run --frozen python bench/toms_statewide.py)"
TOMS_NAME = "CAASPP_Student_Score_Data_File_EnrolledStudentScoreData_2025_DLMTR.csv"


def _worker(directory: Path) -> None:
    """Read, convert and calculate in this (fresh) process; print seconds and peak RSS (JSON)."""
    from continuum.dashboard.students.academic import distance_from_standard
    from continuum.dashboard.students.common import with_numeric_cds
    from continuum.dashboard.students.inputs import read_student_records
    from continuum.dashboard.students.outside import outside_tables
    from continuum.formats.toms import read_toms_file

    times = {}
    start = time.perf_counter()
    read = read_toms_file(directory / TOMS_NAME)
    times["read"] = time.perf_counter() - start
    start = time.perf_counter()
    tables = outside_tables([read])
    times["convert"] = time.perf_counter() - start
    start = time.perf_counter()
    records = read_student_records(directory, tables.tables)
    times["records"] = time.perf_counter() - start
    start = time.perf_counter()
    numeric = with_numeric_cds(records)
    rows = sum(distance_from_standard(numeric, YEAR, s).frame.height for s in ("ELA", "MATH"))
    times["calculate"] = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"times": times, "peak_rss_bytes": peak, "rows": rows,
                      "records": read.records.height, "reason": read.reason}))  # fmt: skip


def _generate(directory: Path) -> dict[str, int]:
    import polars as pl

    from continuum.formats.toms import toms_layout
    from continuum.synth.entities import statewide_counties
    from continuum.synth.students import generate_student_records, write_student_records
    from continuum.synth.toms import caaspp_fields, write_toms_file

    counties = statewide_counties(np.random.default_rng([SEED, 0]))
    records = generate_student_records(counties, year=YEAR, seed=SEED, history=0)
    assert records.caaspp is not None
    caaspp = records.caaspp.filter(pl.col("year") == YEAR).head(RECORDS)
    path = directory / TOMS_NAME
    write_toms_file(caaspp_fields(caaspp), toms_layout(LAYOUT), path, shape="caret")
    this_year = pl.col("year") == YEAR
    calpads = replace(
        records, students=records.students.filter(this_year),
        enrollments=records.enrollments.filter(this_year), caaspp=None, elpac=None,
        attendance=None, suspensions=None, graduation=None, cci=None,
    )  # fmt: skip
    sizes = write_student_records(calpads, directory, suffix=".parquet")
    sizes["TOMS caret file"] = caaspp.height
    sizes["TOMS file MB"] = path.stat().st_size // 1024**2
    return sizes


def main() -> None:
    measured = measured_in_fresh_process(__file__, __doc__.splitlines()[0], _generate, _worker)
    if measured is None:
        return
    sizes, generate_seconds, result = measured
    times = result["times"]
    today = time.strftime("%Y-%m-%d")
    print(f"## TOMS CAASPP file read and ELA/Math projection, statewide ({today})\n")
    print(f"Command: `{COMMAND}`\n")
    print(machine_line())
    print(
        "Inputs: " + ", ".join(f"{name} {rows:,}" for name, rows in sizes.items())
        + f" (drawn and written in {generate_seconds:.0f} s, not timed below); the file was "
        f"identified because {result['reason']}.\n"
    )  # fmt: skip
    print("| step | time |")
    print("|---|---:|")
    for step, words in (
        ("read", "read the TOMS file whole (`read_toms_file`)"),
        ("convert", "the caaspp table from it (`outside_tables`)"),
        ("records", "read and check the CALPADS-side tables with it (`read_student_records`)"),
        ("calculate", "ELA and Math distance from standard"),
    ):
        print(f"| {words} | {times[step]:.1f} s |")
    toms = times["read"] + times["convert"] + times["calculate"]
    print(f"| TOMS read, conversion and ELA/Math | {toms:.1f} s (target < {TARGET_SECONDS} s) |")
    print(f"| everything | {sum(times.values()):.1f} s |")
    print(
        f"| peak memory of the process | {result['peak_rss_bytes'] / 1024**3:.2f} GB "
        f"(target < {TARGET_MEMORY_BYTES / 1024**3:.0f} GB) |\n"
    )
    print(f"Output: {result['rows']:,} ELA and Math count rows from {result['records']:,} records.")


if __name__ == "__main__":
    main()
