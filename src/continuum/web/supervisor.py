"""A child process kept running: ``continuum serve`` starts its task worker again if it exits."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable, Sequence

# A worker that dies sooner than this after starting is failing at start (a broken database,
# say): wait longer before each new try instead of restarting it in a tight loop.
QUICK_EXIT_SECONDS = 10.0
MAX_BACKOFF_SECONDS = 30.0


class ProcessSupervisor:
    """Runs ``command`` as a child process and starts it again, with a message, when it exits,
    until ``stop`` is called."""

    def __init__(
        self,
        command: Sequence[str],
        *,
        name: str,
        say: Callable[[str], None],
        poll_seconds: float = 1.0,
        first_backoff_seconds: float = 1.0,
    ) -> None:
        self.command = list(command)
        self.name = name
        self.say = say
        self.poll_seconds = poll_seconds
        self.first_backoff_seconds = first_backoff_seconds
        self.restarts = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._started_at = 0.0
        self._watcher = threading.Thread(target=self._watch, name=f"{name}-supervisor", daemon=True)

    @property
    def pid(self) -> int | None:
        """The running child's process id."""
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        """Whether the child is running now."""
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Start the child and begin watching it."""
        self._spawn()
        self._watcher.start()

    def stop(self, *, timeout: float = 10.0) -> None:
        """Stop watching, then stop the child (terminate, and kill if it does not exit)."""
        self._stop.set()
        if self._watcher.is_alive():
            self._watcher.join()
        with self._lock:
            process = self._process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def _spawn(self) -> None:
        with self._lock:
            if self._stop.is_set():
                return
            self._process = subprocess.Popen(self.command)
            self._started_at = time.monotonic()

    def _watch(self) -> None:
        backoff = 0.0
        while not self._stop.wait(self.poll_seconds):
            assert self._process is not None
            code = self._process.poll()
            if code is None:
                continue
            lived = time.monotonic() - self._started_at
            if lived >= QUICK_EXIT_SECONDS:
                backoff = 0.0
            else:
                backoff = min(max(backoff * 2, self.first_backoff_seconds), MAX_BACKOFF_SECONDS)
            later = f" in {backoff:.0f} s" if backoff >= 1 else ""
            self.say(f"The {self.name} stopped (exit code {code}); starting it again{later}.")
            if self._stop.wait(backoff):
                return
            self._spawn()
            self.restarts += 1
            self.say(f"The {self.name} started again (pid {self.pid}).")
