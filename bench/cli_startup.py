"""How long ``continuum --help`` takes to start and print, and ``continuum project --help`` for
comparison (that one imports Polars and the engines).

Runs each command RUNS times in a fresh interpreter, after one warm-up run, and prints the
minimum, median and maximum wall-clock time. Never asserts on times.

    make bench-cli               # or: uv run python bench/cli_startup.py
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time

COMMANDS = (("--help",), ("project", "--help"))


def timed(arguments: list[str], runs: int) -> list[float]:
    """Wall-clock seconds of ``runs`` runs of ``arguments`` (after one warm-up run)."""
    subprocess.run(arguments, check=True, capture_output=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(arguments, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per command (default 20)")
    runs = parser.parse_args().runs
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    for words in COMMANDS:
        command = " ".join(("continuum", *words))
        times = timed([sys.executable, "-m", "continuum", *words], runs)
        print(
            f"{command:28} min {min(times):.3f} s  median {statistics.median(times):.3f} s  "
            f"max {max(times):.3f} s  ({runs} runs)"
        )


if __name__ == "__main__":
    main()
