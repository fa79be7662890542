"""A real worker process killed in the middle of an import (SIGKILL), end to end.

Everything runs in subprocesses on a database of its own (a SQLite file in a temporary
CONTINUUM_DATA_DIR; with DATABASE_URL, a scratch PostgreSQL database beside it), because
pytest-django's test database cannot be shared with another process. The import is of a
statewide-sized file (about 200,000 rows), so the worker is inside the import's write transaction
for several seconds when it is killed. Every wait polls against a deadline; nothing asserts
how fast anything is.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from continuum.synth import generate_county, generate_statewide
from continuum.web.settings import database_from_url

HEARTBEAT_SECONDS = 3
# The last step an import shows before its write transaction (dashboard_files_import): the
# steps inside it are not visible to other connections until it commits.
WRITING_STEP = "Comparing with the stored results"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
BACKEND = "postgresql" if DATABASE_URL.startswith(("postgres://", "postgresql://")) else "sqlite"

# Marked as a database test so that the PostgreSQL pass of `make test` (pytest -m django_db)
# runs it too; it uses its own database, not pytest-django's.
pytestmark = pytest.mark.django_db

Query = Callable[[str], list[tuple[Any, ...]]]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[dict[str, str], Query]]:
    """The environment of a separate installation, and a way to query its database."""
    env = {
        **os.environ,
        "CONTINUUM_DATA_DIR": str(tmp_path / "data"),
        "CONTINUUM_IMPORT_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS),
        "CONTINUUM_LOG_LEVEL": "WARNING",
        "DATABASE_URL": "",
    }
    if BACKEND == "sqlite":
        import sqlite3

        path = tmp_path / "data" / "continuum.sqlite3"

        def query_sqlite(sql: str) -> list[tuple[Any, ...]]:
            with sqlite3.connect(path) as connection:
                return connection.execute(sql).fetchall()

        yield env, query_sqlite
        return
    import psycopg

    base = database_from_url(DATABASE_URL)
    name = f"{base['NAME']}_worker_fault"
    server = {
        "host": str(base["HOST"]), "port": str(base["PORT"] or 5432),
        "user": str(base["USER"]), "password": str(base["PASSWORD"]),
    }  # fmt: skip
    with psycopg.connect(**server, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = re.sub(r"/[^/]*$", f"/{name}", DATABASE_URL)

    def query_postgresql(sql: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(**server, dbname=name) as connection:
            return connection.execute(sql).fetchall()  # type: ignore[arg-type]

    try:
        yield env, query_postgresql
    finally:
        with psycopg.connect(**server, dbname="postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _directory(path: Path, files: list[Path]) -> Path:
    """A CDE school directory (pubschls.txt layout) of the entities in these Dashboard files:
    imports store only entities the directory knows."""
    import polars as pl

    columns = ("CDSCode", "StatusType", "County", "District", "School", "Charter", "DOC",
               "SOCType", "EdOpsCode", "GSserved", "GSoffered")  # fmt: skip
    frames = [
        pl.read_csv(f, separator="\t", infer_schema=False, quote_char=None).select(
            "cds", "rtype", "schoolname", "districtname", "countyname"
        )
        for f in files
    ]
    entities = pl.concat(frames).filter(pl.col("rtype") != "X").unique("cds", keep="first")
    lines = ["\t".join(columns)]
    for cds, rtype, school, district, county in entities.iter_rows():
        lines.append("\t".join((
            cds, "Active", county or "Synthetic", district or "District", school or "",
            "N", "54" if rtype != "S" else "",
            "Elementary Schools (Public)" if rtype == "S" else "",
            "TRAD", "K-5", "K-5",
        )))  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _continuum(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "continuum", *args], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "continuum", "web", "worker", "--interval", "0.2"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _queue(env: dict[str, str], *files: Path) -> int:
    printed = _continuum(env, "web", "import", *map(str, files))
    found = re.search(r"Import (\d+) queued", printed)
    assert found is not None, printed
    return int(found.group(1))


def _wait_for(what: str, seconds: float, check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what} after {seconds:.0f} s")
        time.sleep(0.1)


def _import_state(query: Query, import_id: int) -> tuple[str, str]:
    rows = query(f"SELECT status, step FROM accountability_dashboardimport WHERE id = {import_id}")
    return (str(rows[0][0]), str(rows[0][1])) if rows else ("", "")


def _stored_results(query: Query) -> list[tuple[Any, ...]]:
    return query(
        "SELECT year, cds, studentgroup, indicator, type, currdenom, currstatus, change, color "
        "FROM accountability_indicatorresult "
        "ORDER BY year, cds, studentgroup, indicator, type"
    )


def test_a_worker_killed_mid_import_marks_it_failed_changes_nothing_and_the_next_succeeds(
    site: tuple[dict[str, str], Query], tmp_path: Path
) -> None:
    env, query = site
    _continuum(env, "web", "manage", "migrate", "-v0")
    county_2025 = sorted(generate_county(tmp_path / "county2025", year=2025, seed=3).rows)
    statewide = generate_statewide(tmp_path / "statewide", year=2025, seed=7).rows
    ela = next(path for path in statewide if path.name.startswith("ela"))
    county_2024 = sorted(generate_county(tmp_path / "county2024", year=2024, seed=3).rows)
    _continuum(
        env,
        "web",
        "agencies",
        str(_directory(tmp_path / "pubschls.txt", [*county_2025, *county_2024, ela])),
    )
    _continuum(env, "web", "import", "--now", *map(str, county_2025))
    worker = _worker(env)
    try:
        # The baseline's rows, once any copy of it queued beside --now has run too.
        _wait_for(
            "the baseline import",
            120,
            lambda: (
                not query(
                    "SELECT id FROM accountability_dashboardimport "
                    "WHERE status IN ('queued', 'running')"
                )
            ),
        )
        before = _stored_results(query)
        assert before
        doomed = _queue(env, ela)
        _wait_for(
            "the import to be writing",
            180,
            lambda: _import_state(query, doomed)[1].startswith(WRITING_STEP),
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert _import_state(query, doomed)[0] == "running"  # the dead worker left it running

    worker = _worker(env)
    try:
        _wait_for(
            "the dead import to be marked failed",
            HEARTBEAT_SECONDS + 60,
            lambda: _import_state(query, doomed)[0] == "failed",
        )
        assert "the worker stopped while importing" in _import_state(query, doomed)[1]
        assert query(
            "SELECT id FROM audit_auditevent WHERE verb = 'dashboard_import_fail' "
            f"AND subject_id = '{doomed}'"
        )
        assert _stored_results(query) == before

        following = _queue(env, *county_2024)
        _wait_for(
            "the next import", 180, lambda: _import_state(query, following)[0] in {"done", "failed"}
        )
        assert _import_state(query, following)[0] == "done"
        assert query("SELECT count(*) FROM accountability_indicatorresult WHERE year = 2024")[0][0]
    finally:
        worker.terminate()
        worker.wait(timeout=30)
