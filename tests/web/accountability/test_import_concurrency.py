"""Two imports committing at the same moment, from two threads with their own database
connections: of the same year and indicator they never interleave (the second waits for the
first, then replaces what the first wrote); of different indicators both land whole.

On PostgreSQL the second import of a unit waits on its ``ResultLock`` row; on SQLite it waits on
the database's write lock (one writer at a time) within the busy timeout. SQLite's test database
lives in memory with a shared cache, where a second writer is refused at once instead of
waiting, so on SQLite the threads use a file copy of it, as the site does (WAL, busy timeout).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.db import connection, connections, transaction

from continuum.web.accountability.models import (
    DaResult,
    DashboardImport,
    IndicatorResult,
    ReplacedUnits,
    ResultYear,
)
from continuum.web.accountability.services import commit
from continuum.web.accountability.services.commit import dashboard_files_import
from continuum.web.accountability.services.determinations import determinations_recompute
from continuum.web.accounts.models import User
from tests.web.accountability.dashboard_files import Row, dashboard_file
from tests.web.personas import World

pytestmark = pytest.mark.django_db(transaction=True)

T = TypeVar("T")
# How long the first import to write keeps its transaction open, so that the other one is
# certainly trying to commit meanwhile.
HOLD_SECONDS = 1.5
Values = set[tuple[str, str, float | None]]


def in_thread(call: Callable[[], T]) -> T:
    """``call`` run in a new thread, on that thread's own database connection."""
    outcome: list[T] = []
    problem: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as error:  # handed to the caller below
            problem.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if problem:
        raise problem[0]
    return outcome[0]


@pytest.fixture
def threads_database(world: World, users: dict[str, User], tmp_path: Path) -> Iterator[None]:
    """The database the test's threads use, holding the personas' world: the test database on
    PostgreSQL; on SQLite a file copy of the in-memory test database."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    copy = sqlite3.connect(tmp_path / "threads.sqlite3")
    connection.connection.backup(copy)
    copy.close()
    name = connection.settings_dict["NAME"]
    # Shared by every connection of the alias: each thread's new connection opens the copy.
    connection.settings_dict["NAME"] = str(tmp_path / "threads.sqlite3")
    try:
        yield
    finally:
        connection.settings_dict["NAME"] = name


@dataclass
class Timeline:
    """When each thread got its locks, finished writing its rows, and let go of its
    transaction; the first to write holds its transaction open ``HOLD_SECONDS``."""

    times: dict[tuple[str, str], float] = field(default_factory=dict)
    first: str = ""
    guard: threading.Lock = field(default_factory=threading.Lock)

    def mark(self, what: str) -> None:
        self.times[(threading.current_thread().name, what)] = time.monotonic()

    def of(self, thread: str, what: str) -> float:
        return self.times[(thread, what)]


@pytest.fixture
def timeline(monkeypatch: pytest.MonkeyPatch) -> Timeline:
    """The commits' steps, timed; the first commit to write its rows holds its transaction."""
    line = Timeline()
    units_lock, plan_commit = commit.units_lock, commit.plan_commit

    def locked(*args: Any, **kwargs: Any) -> None:
        units_lock(*args, **kwargs)
        line.mark("locked")

    def written(*args: Any, **kwargs: Any) -> None:
        plan_commit(*args, **kwargs)
        line.mark("written")
        with line.guard:
            first = not line.first
            if first:
                line.first = threading.current_thread().name
        if first:
            time.sleep(HOLD_SECONDS)
        line.mark("released")

    monkeypatch.setattr(commit, "units_lock", locked)
    monkeypatch.setattr(commit, "plan_commit", written)
    return line


def _imported_at_once(
    actor: User, paths: dict[str, Path], timeline: Timeline
) -> tuple[dict[str, dict[str, Any]], str, str]:
    """Each file imported in a thread of its name, the threads started together, each on its
    own connection: their reports, and which of them wrote first and which second."""
    start = threading.Barrier(len(paths))
    outcomes: dict[str, object] = {}

    def run(name: str, path: Path) -> None:
        start.wait()
        try:
            outcomes[name] = dashboard_files_import(actor=actor, paths=[path])
        except BaseException as error:  # reported by the assertion below
            outcomes[name] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item, name=item[0]) for item in paths.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reports = {name: o for name, o in outcomes.items() if isinstance(o, dict)}
    assert len(reports) == len(paths), outcomes
    (second,) = set(paths) - {timeline.first}
    return reports, timeline.first, second


def _year_rows_counted() -> bool:
    """Whether 2025's stored row count is the number of its rows (no count lost)."""
    counted = ResultYear.objects.get(year=2025).rows
    return counted == IndicatorResult.objects.filter(year=2025).count()


def _values(rows: list[dict[str, Any]]) -> Values:
    return {(r["cds"], r["studentgroup"], r["currstatus"]) for r in rows}


def _stored(indicator: str, cds: list[str]) -> Values:
    return _values(
        list(
            IndicatorResult.objects.filter(year=2025, indicator=indicator, cds__in=cds).values(
                "cds", "studentgroup", "currstatus"
            )
        )
    )


def _replaced(import_id: int) -> Values:
    """What an import's version kept of the rows it replaced."""
    rows: list[dict[str, Any]] = []
    for kept in ReplacedUnits.objects.filter(dashboard_import_id=import_id):
        rows.extend(json.loads(zlib.decompress(kept.rows_before)))
    return _values(rows)


def _other_rows(indicator: str, cds: list[str]) -> list[tuple[Any, ...]]:
    return list(
        IndicatorResult.objects.exclude(indicator=indicator, cds__in=cds)
        .order_by("id")
        .values_list()
    )


@pytest.mark.usefixtures("threads_database")
def test_two_imports_of_the_same_year_and_indicator_commit_one_after_the_other(
    world: World, users: dict[str, User], tmp_path: Path, timeline: Timeline
) -> None:
    entities = [world.alder.cds, world.oak.cds]
    files = {
        "a": [
            Row(world.alder.cds, "D", world.alder.name, "ALL", 3.0),
            Row(world.oak.cds, "S", world.oak.name, "ALL", 4.0),
        ],
        "b": [
            Row(world.alder.cds, "D", world.alder.name, "ALL", 8.0),
            Row(world.alder.cds, "D", world.alder.name, "EL", 1.0),
            Row(world.oak.cds, "S", world.oak.name, "ALL", 9.0),
        ],
    }
    paths = {
        name: dashboard_file(tmp_path / name, "ela", 2025, rows) for name, rows in files.items()
    }
    before = in_thread(lambda: _stored("ELA", entities))
    others = in_thread(lambda: _other_rows("ELA", entities))

    reports, first, second = _imported_at_once(users["carol"], paths, timeline)
    # The second got its locks only once the first had let go of its transaction.
    assert timeline.of(second, "locked") >= timeline.of(first, "released")
    ids = {name: report["import_id"] for name, report in reports.items()}
    committed = in_thread(
        lambda: dict(
            DashboardImport.objects.filter(pk__in=ids.values()).values_list("pk", "committed_at")
        )
    )
    assert committed[ids[first]] < committed[ids[second]]
    wrote = {
        name: {(r.cds, r.studentgroup, r.currstatus) for r in rows} for name, rows in files.items()
    }
    # Each version kept exactly the rows it replaced: the first the rows before both, the second
    # what the first wrote; the stored rows are the second's, and nothing else changed.
    assert in_thread(lambda: _replaced(ids[first])) == before
    assert in_thread(lambda: _replaced(ids[second])) == wrote[first]
    assert in_thread(lambda: _stored("ELA", entities)) == wrote[second]
    assert in_thread(lambda: _other_rows("ELA", entities)) == others
    assert in_thread(_year_rows_counted)


@pytest.mark.usefixtures("threads_database")
def test_two_imports_of_different_indicators_both_land_whole(
    world: World, users: dict[str, User], tmp_path: Path, timeline: Timeline
) -> None:
    entities = [world.alder.cds, world.oak.cds]
    rows = [
        Row(world.alder.cds, "D", world.alder.name, "ALL", 3.0),
        Row(world.oak.cds, "S", world.oak.name, "ALL", 4.0),
    ]
    paths = {
        "ela": dashboard_file(tmp_path / "ela", "ela", 2025, rows),
        "math": dashboard_file(tmp_path / "math", "math", 2025, rows),
    }

    _, first, second = _imported_at_once(users["carol"], paths, timeline)
    if connection.vendor == "postgresql":
        # Their units' locks differ: the second wrote its rows while the first still held its
        # transaction open.
        assert timeline.of(second, "written") < timeline.of(first, "released")
    else:
        # SQLite lets one writer in at a time: the second waited for the database, then wrote.
        assert timeline.of(second, "locked") >= timeline.of(first, "released")
    wrote = {(r.cds, r.studentgroup, r.currstatus) for r in rows}
    assert in_thread(lambda: _stored("ELA", entities)) == wrote
    assert in_thread(lambda: _stored("MATH", entities)) == wrote
    assert in_thread(_year_rows_counted)

    # The determinations stored are those of both imports' rows together.
    def determinations() -> list[tuple[Any, ...]]:
        return list(
            DaResult.objects.order_by("year", "cds").values_list("year", "cds", "status", "groups")
        )

    def recomputed() -> list[tuple[Any, ...]]:
        with transaction.atomic():
            determinations_recompute()
        return determinations()

    stored = in_thread(determinations)
    assert stored and in_thread(recomputed) == stored
