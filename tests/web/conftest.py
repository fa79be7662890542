"""Fixtures of the web tests: the personas' world, fast hashing, a private upload directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from pytest_django.fixtures import Settings

from continuum.web.accounts.models import User
from tests.web.browser import browser, page
from tests.web.personas import World, client_for, personas_create, world_create

__all__ = ["browser", "page"]  # the browser fixtures, for every web test module


@pytest.fixture(autouse=True)
def _fast_and_private(settings: Settings, tmp_path: Path) -> None:
    # Argon2 is deliberately slow; tests check hashing settings separately.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "uploads"
    # Page fragments are cached by data version; each test's world starts at the same one.
    cache.clear()


@pytest.fixture
def world(db: None) -> World:
    """Rio Verde County with two districts, a school in each, results and determinations."""
    return world_create()


@pytest.fixture
def users(world: World) -> dict[str, User]:
    """The personas' accounts."""
    return personas_create(world)


@pytest.fixture
def as_persona(users: dict[str, User]) -> dict[str, Client]:
    """A signed-in client per persona (anonymous included)."""
    return {name: client_for(users.get(name)) for name in (*users, "anonymous")}
