"""Running migrations over data stored before them: the database is migrated back to just
before a migration, the test stores rows with the models of that state, and the database is
migrated forward to its latest migrations again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import StateApps


@contextmanager
def migrated_back(app: str, migration: str) -> Iterator[StateApps]:
    """The database with ``app`` migrated back to ``migration``, and the models as they were
    there; on leaving, every later migration runs (the database is at its latest again)."""
    target = [(app, migration)]
    MigrationExecutor(connection).migrate(target)
    try:
        yield MigrationExecutor(connection).loader.project_state(target).apps
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
