"""Settings from the environment, and Django's deployment checks under production settings."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from continuum.web.settings import database_from_url, env_bool, sqlite_database


def test_database_url_gives_postgresql_settings() -> None:
    database = database_from_url("postgres://continuum:s%40cret@db.internal:5433/continuum")
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["USER"], database["PASSWORD"]) == ("continuum", "s@cret")
    assert (database["HOST"], database["PORT"], database["NAME"]) == (
        "db.internal", "5433", "continuum"
    )  # fmt: skip


def test_other_database_schemes_are_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="postgres://"):
        database_from_url("mysql://x@y/z")


def test_a_yes_no_variable_must_say_yes_or_no(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTINUUM_TEST_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="CONTINUUM_TEST_FLAG"):
        env_bool("CONTINUUM_TEST_FLAG", False)


def test_deploy_checks_pass_with_production_settings(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "CONTINUUM_DATA_DIR": str(tmp_path),
        "CONTINUUM_DEBUG": "false",
        "CONTINUUM_SECURE": "true",
        "CONTINUUM_SECRET_KEY": secrets.token_urlsafe(50),
        "CONTINUUM_ALLOWED_HOSTS": "continuum.example.org",
    }
    command = [sys.executable, "-m", "continuum", "web", "manage", "check", "--deploy"]
    done = subprocess.run(
        [*command, "--fail-level", "WARNING"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_env_example_documents_every_setting_read() -> None:
    source = (Path(__file__).parents[2] / "src/continuum/web/settings.py").read_text()
    example = (Path(__file__).parents[2] / ".env.example").read_text()
    read = set(re.findall(r"\"((?:CONTINUUM_|DATABASE_)[A-Z_]+)\"", source))
    read -= {"CONTINUUM_TWO_FACTOR_ROLES"}  # a Django setting name, not a variable
    assert read and {name for name in read if f"{name}=" not in example} == set()


def test_a_sqlite_file_database_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    from django.db.backends.sqlite3.base import DatabaseWrapper

    settings_dict = {
        **sqlite_database(tmp_path / "continuum.sqlite3"),
        "TIME_ZONE": None, "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False, "TEST": {},
    }  # fmt: skip
    wrapper = DatabaseWrapper(settings_dict, alias="wal_check")
    # Django's own connect step (with the settings' init commands), outside pytest-django's guard.
    connection = wrapper.get_new_connection(wrapper.get_connection_params())
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert connection.execute("PRAGMA busy_timeout").fetchone() == (20000,)
    finally:
        connection.close()
