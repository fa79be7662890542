"""Statewide benchmark: ``continuum dashboard levels`` against a plain Polars read of the files.

Generates the synthetic statewide set (``continuum synth statewide``) into a temporary directory,
then times two whole processes, start-up and imports included, each run once untimed (files
in the page cache, bytecode written) and then five times in turn, the median of each counted:

* read: ``python -c`` that imports Polars and ``pl.read_csv``s every file, tab-separated, every
  column as text;
* levels: the command ``continuum dashboard levels FILES --out levels.parquet`` (read, check,
  compute, write).

The target is levels ≤ 1.2 × read. A third process, not part of the ratio, times the stages of
the engine (``read_dashboard_files``, ``compute_levels``) in-process after a warm-up, to show
where the time goes. Prints the machine, the figures and the ratio as Markdown; ``--write PATH``
also writes them to a file (docs/benchmarks.md), keeping the notes below its marker line. Never
asserts on times.

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

from worker_process import timed_process

SEED = 2025
YEAR = 2025
TARGET_RATIO = 1.2
RUNS = 5
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


def _worker(directory: Path) -> None:
    """Time the engine's two stages in this (fresh) process and print them as JSON."""
    from continuum.dashboard.files import read_dashboard_files
    from continuum.dashboard.levels import compute_levels

    files = sorted(directory.glob("*.txt"))
    # First once, untimed, on the smallest file, so that what is timed is the steady state and
    # not one-off start-up costs (thread pools, lazily loaded code, rule files).
    compute_levels(read_dashboard_files([min(files, key=lambda path: path.stat().st_size)]))
    start = time.perf_counter()
    frame = read_dashboard_files(files)
    read_done = time.perf_counter()
    levels = compute_levels(frame)
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = {
        "seconds": seconds,
        "peak_rss_bytes": peak_kib * 1024,
        "rows": levels.height,
        "read_seconds": read_done - start,
        "compute_seconds": seconds - (read_done - start),
    }
    print(json.dumps(result))


READ_SCRIPT = (
    "import sys, polars as pl\n"
    "[pl.read_csv(p, separator='\\t', infer_schema_length=0) for p in sys.argv[1:]]"
)


def _process(command: list[str]) -> Run:
    """Wall time and peak RSS of one whole process (imports and start-up included)."""
    seconds, peak = timed_process(command)
    return Run(seconds=seconds, peak_rss_bytes=peak, rows=0)


def _median(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]


def _whole_processes(directory: Path) -> tuple[Run, Run]:
    """The plain read and ``continuum dashboard levels``, each run once untimed (files in the
    page cache, bytecode compiled), then ``RUNS`` times in turn; the median run of each."""
    files = [str(p) for p in sorted(directory.glob("*.txt"))]
    continuum = str(Path(sys.executable).with_name("continuum"))
    out = directory / "levels.parquet"
    read_command = [sys.executable, "-c", READ_SCRIPT, *files]
    levels_command = [continuum, "dashboard", "levels", *files, "--out", str(out)]
    _process(read_command)
    _process(levels_command)
    reads, levels = [], []
    for _ in range(RUNS):
        reads.append(_process(read_command))
        levels.append(_process(levels_command))
    out.unlink()
    return _median(reads), _median(levels)


def _stages(directory: Path) -> Run:
    output = subprocess.run(
        [sys.executable, __file__, "--worker", str(directory)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return Run(**json.loads(output.strip().splitlines()[-1]))


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
    read: Run,
    levels: Run,
    stages: Run,
) -> str:
    rows, schools, leas, generate_seconds, size = generated
    ratio = levels.seconds / read.seconds

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
        f"Whole processes, start-up and imports included, each run once untimed and then "
        f"{RUNS} times in turn: the median run of each (load average "
        f"{os.getloadavg()[0]:.1f} at the end). Peak memory is the process's maximum resident "
        f"set size.",
        "",
        "| process | time | peak RSS |",
        "|---|---:|---:|",
        f"| Polars alone: `python -c` importing Polars and `pl.read_csv(sep=tab, "
        f"infer_schema_length=0)` of the 8 files | {read.seconds:.2f} s "
        f"| {read.peak_rss_bytes / 1024**2:,.0f} MiB |",
        f"| `continuum dashboard levels` of the 8 files `--out levels.parquet` "
        f"| {levels.seconds:.2f} s | {levels.peak_rss_bytes / 1024**2:,.0f} MiB |",
        "",
        f"`dashboard levels` / read: **{ratio:.2f}×** "
        f"(target ≤ {TARGET_RATIO}×: {verdict(ratio <= TARGET_RATIO)}). "
        f"Peak memory: **{levels.peak_rss_bytes / 1024**3:.2f} GiB** "
        f"(target < 2 GiB: {verdict(levels.peak_rss_bytes < TARGET_MEMORY_BYTES)}).",
        "",
        "Where the engine's time goes (a third process, in-process after a warm-up, not part of "
        f"the ratio): reading and checking the files {stages.read_seconds:.2f} s, computing "
        f"levels and explanations {stages.compute_seconds:.2f} s.",
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
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--write", type=Path, help="also write the report to this Markdown file")
    args = parser.parse_args()
    if args.worker:
        _worker(args.worker)
        return
    from continuum.synth import generate_statewide

    with tempfile.TemporaryDirectory(prefix="continuum-bench-") as temporary:
        directory = Path(temporary)
        print(f"Generating the statewide set in {directory} …", file=sys.stderr)
        start = time.perf_counter()
        generated = generate_statewide(directory, year=YEAR, seed=SEED)
        generate_seconds = time.perf_counter() - start
        size = sum(path.stat().st_size for path in directory.iterdir())
        print("Timing the Polars read and `continuum dashboard levels` …", file=sys.stderr)
        read, levels = _whole_processes(directory)
        print("Timing the engine's stages …", file=sys.stderr)
        stages = _stages(directory)
    report = _report(
        _machine(),
        (generated.total_rows, generated.schools, generated.leas, generate_seconds, size),
        read,
        levels,
        stages,
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
