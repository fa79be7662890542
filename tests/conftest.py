"""Fixtures shared by every test package."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data; fails (not skips) when CONTINUUM_REQUIRE_SHARED_DATA=1 and it is missing."""
    if not (SHARED_DATA / "cde").is_dir():
        message = f"real CDE data not found at {SHARED_DATA}"
        if os.environ.get("CONTINUUM_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return SHARED_DATA
