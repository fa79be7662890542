"""One demo county per Dashboard year, generated once for all synth tests."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from continuum.dashboard.files import read_dashboard_files
from continuum.dashboard.levels import compute_levels
from continuum.synth import generate_county

SEED = 11


@pytest.fixture(scope="session")
def county_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """The demo county written for each year the generator knows."""
    root = tmp_path_factory.mktemp("synth")
    dirs = {}
    for year in (2022, 2023, 2024, 2025):
        dirs[year] = root / str(year)
        generate_county(dirs[year], year=year, seed=SEED)
    return dirs


@pytest.fixture(scope="session")
def county_2025(county_dirs: dict[int, Path]) -> pl.DataFrame:
    """The 2025 county as the engine reads it."""
    return read_dashboard_files(sorted(county_dirs[2025].glob("*.txt")))


@pytest.fixture(scope="session")
def raw_2025(county_dirs: dict[int, Path]) -> dict[str, pl.DataFrame]:
    """Each 2025 file as text, with CDE's own column names."""
    return {
        path.name.split("download")[0]: pl.read_csv(
            path, separator="\t", infer_schema_length=0, quote_char=None
        )
        for path in sorted(county_dirs[2025].glob("*.txt"))
    }


@pytest.fixture(scope="session")
def levels_2025(county_2025: pl.DataFrame) -> pl.DataFrame:
    """The engine's levels for the 2025 county."""
    return compute_levels(county_2025)
