"""``continuum serve`` keeps its background worker running: a worker that exits is started again."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from continuum.web.supervisor import ProcessSupervisor


def _wait_until(check: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.05)


def test_a_worker_that_exits_is_started_again_with_a_message() -> None:
    said: list[str] = []
    supervisor = ProcessSupervisor(
        [sys.executable, "-c", "import sys; sys.exit(3)"],
        name="background worker",
        say=said.append,
        poll_seconds=0.05,
        first_backoff_seconds=0.05,
    )
    supervisor.start()
    try:
        _wait_until(lambda: supervisor.restarts >= 2)
    finally:
        supervisor.stop()
    assert "The background worker stopped (exit code 3); starting it again." in said
    assert any(line.startswith("The background worker started again (pid ") for line in said)


def test_stopping_the_supervisor_stops_its_worker_and_starts_no_other() -> None:
    supervisor = ProcessSupervisor(
        [sys.executable, "-c", "import time; time.sleep(600)"],
        name="background worker",
        say=lambda line: None,
        poll_seconds=0.05,
    )
    supervisor.start()
    assert supervisor.running
    first = supervisor.pid
    supervisor.stop()
    assert supervisor.restarts == 0 and supervisor.pid == first
    assert not supervisor.running
