"""Imports that a dead worker cannot leave running forever, and uploaded files that do not stay.

A running import keeps a heartbeat: a small file in its upload directory naming the worker's
host and process, touched by a thread every quarter of ``CONTINUUM_IMPORT_HEARTBEAT_SECONDS``.
It is a file and not a database row because, on SQLite, the import's own write transaction holds
the database's write lock and hides its writes until it commits.

An import still marked running is taken as dead when its heartbeat is older than
``CONTINUUM_IMPORT_HEARTBEAT_SECONDS``, or at once when the heartbeat names a process of this
host that no longer exists. It is then marked failed with the reason, audited. Its transaction
never committed, so its data were not changed. Who checks: the worker (``continuum web
worker``) at start and every heartbeat period, and the import list and import page whenever
they are read.

The same worker loop removes the uploaded files of finished and failed imports once
``CONTINUUM_IMPORT_FILE_RETENTION_DAYS`` have passed (also ``continuum web imports-purge``).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import OperationalError, close_old_connections, transaction
from django.utils import timezone

from continuum.web.accountability.models import DashboardImport
from continuum.web.audit.services import audit_event_record

logger = logging.getLogger(__name__)

HEARTBEAT_FILE = "heartbeat.json"
WORKER_STOPPED = "the worker stopped while importing; nothing was changed"
UNEXPECTED_ERROR = "the import stopped on an unexpected error ({kind}); nothing was changed"

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Heartbeat:
    """What a heartbeat file says: which process keeps it, and when it last did."""

    host: str
    pid: int
    touched_at: float

    def is_stale(self, *, now: float, timeout: float) -> bool:
        """True when the import it belongs to can no longer be running."""
        if now - self.touched_at > timeout:
            return True
        return self.host == socket.gethostname() and not _process_exists(self.pid)


def heartbeat_read(directory: Path) -> Heartbeat | None:
    """The heartbeat in an import's directory, or None when there is none (or it is unreadable)."""
    path = directory / HEARTBEAT_FILE
    try:
        touched_at = path.stat().st_mtime
        said = json.loads(path.read_text(encoding="utf-8"))
        return Heartbeat(host=str(said["host"]), pid=int(said["pid"]), touched_at=touched_at)
    except (OSError, ValueError, KeyError, TypeError):
        return None


class ImportHeartbeat:
    """Keeps an import's heartbeat file fresh from a daemon thread while the import runs.

    The thread dies with the process, which is the point: a killed worker stops touching it.
    """

    def __init__(self, directory: Path, *, timeout_seconds: float) -> None:
        self.path = directory / HEARTBEAT_FILE
        self.interval = max(timeout_seconds / 4, 0.25)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="import-heartbeat", daemon=True)

    def __enter__(self) -> ImportHeartbeat:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(
            json.dumps({"host": socket.gethostname(), "pid": os.getpid()}), encoding="utf-8"
        )
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()
        self.path.unlink(missing_ok=True)

    def _beat(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.path.touch()
            except OSError:
                # The directory went away (a finished import removes its files); nothing to keep.
                return


def keeps_heartbeat(run: Callable[P, R]) -> Callable[P, R]:
    """Decorate ``dashboard_import_run(*, import_id)``: a heartbeat while it runs, and an import
    that an unexpected error (or a stopped worker) interrupts is marked failed, not left running."""

    @functools.wraps(run)
    def with_heartbeat(*args: P.args, **kwargs: P.kwargs) -> R:
        import_id = int(str(kwargs["import_id"]))
        directory = DashboardImport.objects.values_list("directory", flat=True).get(pk=import_id)
        timeout = settings.CONTINUUM_IMPORT_HEARTBEAT_SECONDS
        with ImportHeartbeat(Path(directory), timeout_seconds=timeout):
            try:
                return run(*args, **kwargs)
            except BaseException as error:
                reason = (
                    WORKER_STOPPED
                    if isinstance(error, SystemExit | KeyboardInterrupt)
                    else UNEXPECTED_ERROR.format(kind=type(error).__name__)
                )
                dashboard_import_fail(import_id=import_id, reason=reason)
                raise

    return with_heartbeat


def dashboard_import_fail(
    *, import_id: int, reason: str, details: dict[str, Any] | None = None
) -> bool:
    """Mark a running import failed with ``reason``, audited. Returns False (and changes
    nothing) when the import is no longer running, e.g. it finished meanwhile."""
    problem = {"message": reason}
    with transaction.atomic():
        updated = DashboardImport.objects.filter(
            pk=import_id, status=DashboardImport.Status.RUNNING
        ).update(
            status=DashboardImport.Status.FAILED,
            step=f"Failed: {reason}"[:200],
            report={"files": [], "years": [], "problems": [problem]},
            finished_at=timezone.now(),
        )
        if not updated:
            return False
        created_by = (
            DashboardImport.objects.select_related("created_by").get(pk=import_id).created_by
        )
        audit_event_record(
            actor=created_by,
            verb="dashboard_import_fail",
            subject_type="dashboard_import",
            subject_id=import_id,
            details={"problem": problem, **(details or {})},
        )
    return True


def dashboard_imports_fail_stale(*, import_ids: list[int] | None = None) -> list[int]:
    """Mark failed every running import (or those of ``import_ids``) whose worker has died.

    Returns the ids marked. On SQLite, when another import holds the write lock, the rest are
    left for the next check (the worker's loop, or the next read of the import pages).
    """
    running = DashboardImport.objects.filter(status=DashboardImport.Status.RUNNING)
    if import_ids is not None:
        running = running.filter(pk__in=import_ids)
    timeout = float(settings.CONTINUUM_IMPORT_HEARTBEAT_SECONDS)
    now = time.time()
    failed = []
    for import_id, directory in running.values_list("pk", "directory"):
        heartbeat = heartbeat_read(Path(directory))
        if heartbeat is not None and not heartbeat.is_stale(now=now, timeout=timeout):
            continue
        details: dict[str, Any] = {"heartbeat_timeout_seconds": timeout}
        if heartbeat is not None:
            details["worker"] = {"host": heartbeat.host, "pid": heartbeat.pid}
        try:
            if dashboard_import_fail(import_id=import_id, reason=WORKER_STOPPED, details=details):
                logger.warning("import %s marked failed: its worker stopped", import_id)
                failed.append(import_id)
        except OperationalError:
            logger.warning("import %s: database busy, its stale check is left for later", import_id)
            break
    return failed


def dashboard_import_files_purge(*, now: datetime | None = None) -> list[int]:
    """Remove the uploaded files of imports that finished or failed more than
    ``CONTINUUM_IMPORT_FILE_RETENTION_DAYS`` ago; audited. Returns the imports' ids."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.CONTINUUM_IMPORT_FILE_RETENTION_DAYS)
    expired = DashboardImport.objects.filter(
        status__in=[DashboardImport.Status.DONE, DashboardImport.Status.FAILED],
        finished_at__lte=cutoff,
        files_removed_at__isnull=True,
    )
    with transaction.atomic():
        chosen = list(expired.select_for_update().values_list("pk", "directory"))
        if not chosen:
            return []
        ids = [import_id for import_id, _ in chosen]
        DashboardImport.objects.filter(pk__in=ids).update(files_removed_at=timezone.now())
        audit_event_record(
            actor=None,
            verb="dashboard_import_files_purge",
            subject_type="dashboard_import",
            details={
                "imports": ids,
                "retention_days": settings.CONTINUUM_IMPORT_FILE_RETENTION_DAYS,
            },
        )
        # Removed once the rows say so: a failed commit leaves files that the next purge finds.
        for _, directory in chosen:
            transaction.on_commit(functools.partial(_directory_remove, directory))
    return ids


def imports_maintain() -> dict[str, list[int]]:
    """One round of the worker's upkeep: stale imports failed, expired files removed."""
    return {"failed": dashboard_imports_fail_stale(), "purged": dashboard_import_files_purge()}


def imports_maintain_forever(*, interval_seconds: float, stop: threading.Event) -> None:
    """The worker's upkeep loop, run in a daemon thread beside the task worker: a round at
    once, then one every ``interval_seconds`` until ``stop`` is set."""
    while True:
        try:
            imports_maintain()
        except OperationalError:
            # SQLite's write lock held by the import running beside us: try again next round.
            logger.info("database busy; import upkeep left for the next round")
        finally:
            close_old_connections()
        if stop.wait(interval_seconds):
            return


def _directory_remove(directory: str) -> None:
    if directory:
        shutil.rmtree(directory, ignore_errors=True)


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: it exists
    return True
