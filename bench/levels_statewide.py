"""Statewide benchmark: the engine's levels against a plain Polars read of the same files.

Generates the synthetic statewide set (``continuum synth statewide``) into a temporary directory,
then times, each in a fresh subprocess so that its peak memory is its own:

* read: ``pl.read_csv`` of every file, tab-separated, every column as text;
* engine: ``read_dashboard_files`` + ``compute_levels`` (the full path of ``dashboard levels``).

Each is run three times and the best time is kept; each process first runs its call once,
untimed, on the smallest file, so that one-off start-up costs are not timed. Prints the machine,
the figures and their ratio as Markdown; ``--write PATH`` also writes them to a file
(docs/benchmarks.md), keeping the notes below its marker line. Never asserts on times.

    make bench                     # or: uv run python bench/levels_statewide.py
    uv run python bench/levels_statewide.py --write docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

REPEATS = 3
SEED = 2025
YEAR = 2025
TARGET_RATIO = 1.5
TARGET_MEMORY_BYTES = 2 * 1024**3
COMMAND = "make bench  (= uv run --frozen python bench/levels_statewide.py)"
# --write replaces the figures above this line and keeps the hand-written notes below it.
NOTES_MARKER = "<!-- figures above are written by bench/levels_statewide.py --write -->"


@dataclass(frozen=True)
class Run:
    """One measured subprocess: seconds for the measured call and the process's peak RSS."""

    seconds: float
    peak_rss_bytes: int
    rows: int
    read_seconds: float = 0.0
    compute_seconds: float = 0.0


def _worker(mode: str, directory: Path) -> None:
    """Measure one call in this (fresh) process and print the result as JSON."""
    files = sorted(directory.glob("*.txt"))
    # Both modes first run once, untimed, on the smallest file, so that what is timed is the
    # steady state and not one-off start-up costs (thread pools, lazily loaded code, rule files).
    warm_up = [min(files, key=lambda path: path.stat().st_size)]
    if mode == "read":
        pl.read_csv(warm_up[0], separator="\t", infer_schema_length=0)
        start = time.perf_counter()
        frames = [pl.read_csv(path, separator="\t", infer_schema_length=0) for path in files]
        seconds = time.perf_counter() - start
        rows = sum(frame.height for frame in frames)
    else:
        from continuum.dashboard.files import read_dashboard_files
        from continuum.dashboard.levels import compute_levels

        compute_levels(read_dashboard_files(warm_up))
        start = time.perf_counter()
        frame = read_dashboard_files(files)
        read_done = time.perf_counter()
        levels = compute_levels(frame)
        seconds = time.perf_counter() - start
        rows = levels.height
        parts = {
            "read_seconds": read_done - start,
            "compute_seconds": seconds - (read_done - start),
        }
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = {"seconds": seconds, "peak_rss_bytes": peak_kib * 1024, "rows": rows}
    print(json.dumps(result | (parts if mode == "engine" else {})))


def _measure(mode: str, directory: Path) -> list[Run]:
    runs = []
    for _ in range(REPEATS):
        output = subprocess.run(
            [sys.executable, __file__, "--worker", mode, str(directory)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        runs.append(Run(**json.loads(output.strip().splitlines()[-1])))
    return runs


def _machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
                break
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": memory,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "Polars": pl.__version__,
        "NumPy": np.__version__,
    }


def _report(
    machine: dict[str, str],
    generated: tuple[int, int, int, float, int],
    read: list[Run],
    engine: list[Run],
) -> str:
    rows, schools, leas, generate_seconds, size = generated
    best_read = min(run.seconds for run in read)
    best_engine = min(run.seconds for run in engine)
    engine_peak = max(run.peak_rss_bytes for run in engine)
    read_peak = max(run.peak_rss_bytes for run in read)
    ratio = best_engine / best_read
    best_run = min(engine, key=lambda run: run.seconds)
    compute_ratio = best_run.compute_seconds / best_read

    def verdict(ok: bool) -> str:
        return "meets" if ok else "misses"

    lines = [
        "# Benchmarks",
        "",
        "## Dashboard levels, statewide",
        "",
        f"Reproduce with `{COMMAND}`; `--write docs/benchmarks.md` rewrites this page.",
        "",
        f"Data: `continuum synth statewide --year {YEAR} --seed {SEED}`: {schools:,} schools and "
        f"{leas:,} LEAs, {rows:,} rows in 8 files ({size / 1024**2:,.0f} MiB), generated in "
        f"{generate_seconds:.1f} s.",
        "",
        f"Each figure is the best of {REPEATS} runs, each run in a fresh Python process; "
        "peak memory is that process's maximum resident set size (imports included).",
        "",
        "| measurement | best time | peak RSS |",
        "|---|---:|---:|",
        f"| Polars alone: `pl.read_csv(sep=tab, infer_schema_length=0)` of the 8 files "
        f"| {best_read:.2f} s | {read_peak / 1024**2:,.0f} MiB |",
        f"| engine: `read_dashboard_files` + `compute_levels` "
        f"| {best_engine:.2f} s | {engine_peak / 1024**2:,.0f} MiB |",
        f"| · of which reading and checking the files (`read_dashboard_files`) "
        f"| {best_run.read_seconds:.2f} s | |",
        f"| · of which computing levels and explanations (`compute_levels`) "
        f"| {best_run.compute_seconds:.2f} s | |",
        "",
        f"Levels computation / read ratio: **{compute_ratio:.2f}×** "
        f"(target ≤ {TARGET_RATIO}×: {verdict(compute_ratio <= TARGET_RATIO)}).",
        "",
        f"End-to-end (read, check and compute) / read ratio: **{ratio:.2f}×** "
        f"(target ≤ {TARGET_RATIO}×: {verdict(ratio <= TARGET_RATIO)}). "
        f"Engine peak memory: **{engine_peak / 1024**3:.2f} GiB** "
        f"(target < 2 GiB: {verdict(engine_peak < TARGET_MEMORY_BYTES)}).",
        "",
        "All runs (seconds): read "
        + ", ".join(f"{run.seconds:.2f}" for run in read)
        + "; engine "
        + ", ".join(f"{run.seconds:.2f}" for run in engine)
        + ".",
        "",
        "Machine:",
        "",
        *(f"- {key}: {value}" for key, value in machine.items()),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    """Generate the statewide set, measure both paths, print (and optionally write) the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker", choices=("read", "engine"), help=argparse.SUPPRESS)
    parser.add_argument("directory", nargs="?", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--write", type=Path, help="also write the report to this Markdown file")
    args = parser.parse_args()
    if args.worker:
        _worker(args.worker, args.directory)
        return
    from continuum.synth import generate_statewide

    with tempfile.TemporaryDirectory(prefix="continuum-bench-") as temporary:
        directory = Path(temporary)
        print(f"Generating the statewide set in {directory} …", file=sys.stderr)
        start = time.perf_counter()
        generated = generate_statewide(directory, year=YEAR, seed=SEED)
        generate_seconds = time.perf_counter() - start
        size = sum(path.stat().st_size for path in directory.iterdir())
        print("Timing the Polars read …", file=sys.stderr)
        read = _measure("read", directory)
        print("Timing the engine …", file=sys.stderr)
        engine = _measure("engine", directory)
    report = _report(
        _machine(),
        (generated.total_rows, generated.schools, generated.leas, generate_seconds, size),
        read,
        engine,
    )
    print(report)
    if args.write:
        notes = ""
        if args.write.exists():
            _, found, notes = args.write.read_text(encoding="utf-8").partition(NOTES_MARKER)
            notes = notes if found else ""
        args.write.write_text(f"{report}\n{NOTES_MARKER}{notes}", encoding="utf-8")


if __name__ == "__main__":
    main()
