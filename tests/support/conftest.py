"""Fixtures for the support engine's tests: real CDE files and small levels tables."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
NEEDED = (
    "cde/dashboard/monterey/2022",
    "cde/dashboard/monterey/2023",
    "cde/assistance/assistancestatus22.xlsx",
    "cde/assistance/assistancestatus23.xlsx",
)


@pytest.fixture(scope="session")
def cde_data() -> Path:
    """../shared/data/cde; fails (not skips) when CONTINUUM_REQUIRE_SHARED_DATA=1 and missing."""
    missing = [p for p in NEEDED if not (SHARED_DATA / p).exists()]
    if missing:
        message = f"real CDE data not found: {SHARED_DATA / missing[0]}"
        if os.environ.get("CONTINUUM_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return SHARED_DATA / "cde"
