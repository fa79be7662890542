"""What the statewide benchmarks share: inputs drawn in a temporary directory, then read and
timed in a fresh process (so its peak memory is the engine's alone), and the machine line."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def measured_in_fresh_process(
    script: str,
    description: str,
    generate: Callable[[Path], dict[str, int]],
    worker: Callable[[Path], None],
) -> tuple[dict[str, int], float, dict[str, Any]] | None:
    """Run ``script``'s benchmark: ``generate`` writes the inputs (returning their sizes), then
    ``script --worker DIR`` runs ``worker`` in a new process, which prints its figures as one
    JSON line. Returns the sizes, the seconds generation took and the worker's figures; None
    in the worker process itself."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        worker(arguments.worker)
        return None
    with tempfile.TemporaryDirectory(prefix="continuum-bench-") as temporary:
        directory = Path(temporary)
        start = time.perf_counter()
        sizes = generate(directory)
        generate_seconds = time.perf_counter() - start
        completed = subprocess.run(
            [sys.executable, script, "--worker", str(directory)], capture_output=True, text=True
        )
        if completed.returncode:
            sys.exit(f"the worker failed:\n{completed.stderr}")
        result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return sizes, generate_seconds, result


def machine_line() -> str:
    """The machine the figures were measured on, with its load when they were."""
    return (
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, {platform.system()}, load average "
        f"{os.getloadavg()[0]:.1f}\n"
    )


def child_environment() -> dict[str, str]:
    """The environment without ``PYTHONDONTWRITEBYTECODE``: with it set (as on some CI
    machines), every process compiles Polars and Continuum from source again, which is not how
    an installed command runs."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed_process(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak resident memory (bytes) of one whole process; exits with its
    error output if it fails."""
    start = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=child_environment()
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    stderr = child.stderr.read().decode() if child.stderr else ""
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"{command[0]} failed:\n{stderr}")
    return seconds, usage.ru_maxrss * 1024
