"""Heartbeats of running imports, imports whose worker died, and the removal of old files."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks as CaptureCallbacks
from pytest_django.fixtures import Settings

from continuum.web.accountability import worker
from continuum.web.accountability.models import DashboardImport
from continuum.web.accountability.services import queue
from continuum.web.accountability.worker import (
    HEARTBEAT_FILE,
    ImportHeartbeat,
    dashboard_import_files_purge,
    dashboard_imports_fail_stale,
    heartbeat_read,
    imports_maintain_forever,
)
from continuum.web.audit.models import AuditEvent
from tests.cli_runner import run as run_cli
from tests.web.personas import World

pytestmark = pytest.mark.django_db


def _import(tmp_path: Path, status: str, **fields: Any) -> DashboardImport:
    run = DashboardImport.objects.create(status=status, file_names=["eladownload2025.txt"])
    directory = tmp_path / "imports" / str(run.pk)
    directory.mkdir(parents=True)
    (directory / "eladownload2025.txt").write_text("cds\n", encoding="utf-8")
    run.directory = str(directory)
    run.save(update_fields=["directory"])
    DashboardImport.objects.filter(pk=run.pk).update(**fields)
    run.refresh_from_db()
    return run


def _heartbeat(run: DashboardImport, *, pid: int, age_seconds: float = 0.0) -> None:
    path = Path(run.directory) / HEARTBEAT_FILE
    path.write_text(json.dumps({"host": socket.gethostname(), "pid": pid}), encoding="utf-8")
    touched = time.time() - age_seconds
    os.utime(path, (touched, touched))


def _finished_process_id() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_heartbeat_names_its_process_is_touched_while_kept_and_removed_after(
    tmp_path: Path,
) -> None:
    with ImportHeartbeat(tmp_path, timeout_seconds=1):
        first = heartbeat_read(tmp_path)
        assert first is not None and first.pid == os.getpid()
        deadline = time.monotonic() + 30
        while (later := heartbeat_read(tmp_path)) and later.touched_at <= first.touched_at:
            assert time.monotonic() < deadline, "the heartbeat was never touched again"
            time.sleep(0.05)
    assert heartbeat_read(tmp_path) is None


def test_an_import_keeps_a_heartbeat_while_it_runs_and_drops_it_when_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _import(tmp_path, DashboardImport.Status.QUEUED)
    seen = []

    def files_preview(**kwargs: Any) -> dict[str, Any]:
        seen.append(heartbeat_read(Path(run.directory)))
        return {"files": [], "years": [], "rows": 0, "counties": [], "problems": []}

    monkeypatch.setattr(queue, "dashboard_files_preview", files_preview)
    assert queue.dashboard_import_run(import_id=run.pk).status == DashboardImport.Status.REVIEW
    assert seen[0] is not None and seen[0].pid == os.getpid()
    assert heartbeat_read(Path(run.directory)) is None


def test_an_import_whose_heartbeat_is_older_than_the_timeout_is_marked_failed_and_audited(
    tmp_path: Path, settings: Settings
) -> None:
    settings.CONTINUUM_IMPORT_HEARTBEAT_SECONDS = 60
    run = _import(tmp_path, DashboardImport.Status.RUNNING)
    _heartbeat(run, pid=os.getpid(), age_seconds=61)
    assert dashboard_imports_fail_stale() == [run.pk]
    run.refresh_from_db()
    assert run.status == DashboardImport.Status.FAILED
    assert run.step == "Failed: the worker stopped while importing; nothing was changed"
    assert run.finished_at is not None
    event = AuditEvent.objects.get(verb="dashboard_import_fail", subject_id=str(run.pk))
    assert event.details["worker"]["pid"] == os.getpid()


def test_an_import_whose_worker_process_is_gone_is_marked_failed_before_the_timeout(
    tmp_path: Path, settings: Settings
) -> None:
    settings.CONTINUUM_IMPORT_HEARTBEAT_SECONDS = 3600
    run = _import(tmp_path, DashboardImport.Status.RUNNING)
    _heartbeat(run, pid=_finished_process_id())
    assert dashboard_imports_fail_stale() == [run.pk]


def test_an_import_with_a_fresh_heartbeat_of_a_live_process_stays_running(
    tmp_path: Path, settings: Settings
) -> None:
    settings.CONTINUUM_IMPORT_HEARTBEAT_SECONDS = 60
    run = _import(tmp_path, DashboardImport.Status.RUNNING)
    _heartbeat(run, pid=os.getpid(), age_seconds=5)
    done = _import(tmp_path, DashboardImport.Status.DONE)
    assert dashboard_imports_fail_stale() == []
    assert DashboardImport.objects.get(pk=run.pk).status == DashboardImport.Status.RUNNING
    assert DashboardImport.objects.get(pk=done.pk).status == DashboardImport.Status.DONE


def test_a_running_import_without_a_heartbeat_is_marked_failed(tmp_path: Path) -> None:
    run = _import(tmp_path, DashboardImport.Status.RUNNING)
    assert dashboard_imports_fail_stale(import_ids=[run.pk]) == [run.pk]


def test_the_import_page_and_list_show_an_import_whose_worker_died_as_failed(
    tmp_path: Path, as_persona: dict[str, Client], world: World
) -> None:
    run = _import(tmp_path, DashboardImport.Status.RUNNING, county=world.county)
    _heartbeat(run, pid=_finished_process_id())
    page = as_persona["carol"].get(reverse("accountability:import", args=[run.pk]))
    text = page.content.decode()
    assert "Failed" in text and "the worker stopped while importing" in text
    listed = _import(tmp_path, DashboardImport.Status.RUNNING)
    as_persona["carol"].get(reverse("accountability:imports"))
    assert DashboardImport.objects.get(pk=listed.pk).status == DashboardImport.Status.FAILED


def test_an_unexpected_error_marks_the_import_failed_instead_of_leaving_it_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _import(tmp_path, DashboardImport.Status.QUEUED)

    def files_preview(**kwargs: Any) -> dict[str, Any]:
        raise MemoryError

    monkeypatch.setattr(queue, "dashboard_files_preview", files_preview)
    with pytest.raises(MemoryError):
        queue.dashboard_import_run(import_id=run.pk)
    run.refresh_from_db()
    assert run.status == DashboardImport.Status.FAILED
    assert "unexpected error (MemoryError)" in run.report["problems"][0]["message"]
    assert AuditEvent.objects.filter(verb="dashboard_import_fail", subject_id=str(run.pk))


def test_files_of_imports_ended_longer_ago_than_the_retention_are_removed_once_audited(
    tmp_path: Path, settings: Settings, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    settings.CONTINUUM_IMPORT_FILE_RETENTION_DAYS = 30
    now = timezone.now()
    expired = _import(tmp_path, DashboardImport.Status.FAILED, finished_at=now - timedelta(31))
    recent = _import(tmp_path, DashboardImport.Status.DONE, finished_at=now - timedelta(29))
    running = _import(tmp_path, DashboardImport.Status.RUNNING)
    DashboardImport.objects.filter(pk=running.pk).update(created_at=now - timedelta(90))

    with django_capture_on_commit_callbacks(execute=True):
        assert dashboard_import_files_purge() == [expired.pk]
    assert not Path(expired.directory).exists()
    assert Path(recent.directory).exists() and Path(running.directory).exists()
    assert DashboardImport.objects.get(pk=expired.pk).files_removed_at is not None
    event = AuditEvent.objects.get(verb="dashboard_import_files_purge")
    assert event.details == {"imports": [expired.pk], "retention_days": 30}
    assert dashboard_import_files_purge() == []


def test_imports_purge_command_removes_expired_files(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    expired = _import(
        tmp_path, DashboardImport.Status.DONE, finished_at=timezone.now() - timedelta(365)
    )
    with django_capture_on_commit_callbacks(execute=True):
        outcome = run_cli(capsys, monkeypatch, "web", "imports-purge")
    assert outcome.status == 0 and "Files removed for 1 imports" in outcome.stdout
    assert not Path(expired.directory).exists()


def test_the_worker_upkeep_runs_a_round_at_once_and_stops_when_told(
    tmp_path: Path,
    django_capture_on_commit_callbacks: CaptureCallbacks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Run here in the test's thread, the loop must not close the test's own connection.
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
    stale = _import(tmp_path, DashboardImport.Status.RUNNING)
    expired = _import(
        tmp_path, DashboardImport.Status.DONE, finished_at=timezone.now() - timedelta(365)
    )
    stop = threading.Event()
    stop.set()
    with django_capture_on_commit_callbacks(execute=True):
        imports_maintain_forever(interval_seconds=3600, stop=stop)
    assert DashboardImport.objects.get(pk=stale.pk).status == DashboardImport.Status.FAILED
    assert not Path(expired.directory).exists()
