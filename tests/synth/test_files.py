"""The generator writes CDE's files: their names, layouts, formats, and the same bytes per seed."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from continuum.dashboard.files import FILE_PREFIXES, read_dashboard_file, read_dashboard_files
from continuum.dashboard.rules import load_rules
from continuum.errors import InputError, RuleError
from continuum.formats.dashboard_downloads import file_layouts
from continuum.synth import generate_county, generate_statewide, statewide_entities
from continuum.synth.generate import reported_layouts

LEVEL_COLUMNS = ("statuslevel", "changelevel", "color", "box")


def _contents(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def test_the_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    generate_county(tmp_path / "a", year=2025, seed=5)
    generate_county(tmp_path / "b", year=2025, seed=5)
    assert _contents(tmp_path / "a") == _contents(tmp_path / "b")


def test_another_seed_writes_other_numbers(tmp_path: Path) -> None:
    generate_county(tmp_path / "a", year=2025, seed=5)
    generate_county(tmp_path / "b", year=2025, seed=6)
    a, b = _contents(tmp_path / "a"), _contents(tmp_path / "b")
    assert a.keys() == b.keys()
    assert all(a[name] != b[name] for name in a)


@pytest.mark.parametrize("year", [2022, 2023, 2024, 2025])
def test_files_are_the_indicators_the_year_reported(
    county_dirs: dict[int, Path], year: int
) -> None:
    written = sorted(path.name for path in county_dirs[year].iterdir())
    reported = load_rules(year).indicators
    expected = sorted(
        f"{prefix}download{year}.txt"
        for prefix, indicator in FILE_PREFIXES.items()
        if indicator in reported
    )
    assert written == expected


@pytest.mark.parametrize("year", [2022, 2023, 2024, 2025])
def test_headers_are_cde_columns_of_the_year_in_order(
    county_dirs: dict[int, Path], year: int
) -> None:
    for prefix, layout in reported_layouts(year).items():
        header = (county_dirs[year] / f"{prefix}download{year}.txt").read_text().split("\n")[0]
        assert tuple(header.split("\t")) == layout


def test_2025_layouts_are_the_real_2025_headers(shared_data: Path) -> None:
    sample = shared_data / "cde" / "dashboard" / "2025-sample"
    for prefix, layout in file_layouts(2025).items():
        real = (sample / f"{prefix}download2025.txt").read_text().split("\n")[0]
        assert tuple(real.split("\t")) == layout


@pytest.mark.parametrize("year", [2022, 2023, 2024, 2025])
def test_the_engine_reads_every_file_back(county_dirs: dict[int, Path], year: int) -> None:
    frame = read_dashboard_files(sorted(county_dirs[year].glob("*.txt")))
    assert frame.height > 10_000
    assert frame.get_column("reportingyear").unique().to_list() == [year]


def test_rows_are_tab_separated_unquoted_with_lf_line_ends(county_dirs: dict[int, Path]) -> None:
    data = (county_dirs[2025] / "suspdownload2025.txt").read_bytes()
    assert b"\r" not in data
    assert b'"' not in data
    widths = {line.count(b"\t") for line in data.rstrip(b"\n").split(b"\n")}
    assert widths == {len(file_layouts(2025)["susp"]) - 1}


def test_published_level_columns_are_left_empty(raw_2025: dict[str, pl.DataFrame]) -> None:
    for frame in raw_2025.values():
        present = [c for c in frame.columns if c.lower() in LEVEL_COLUMNS]
        assert len(present) == 4
        assert frame.select(pl.col(present).is_not_null().any()).row(0) == (False,) * 4


def test_a_year_without_a_layout_is_a_rule_error(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="2019"):
        generate_county(tmp_path, year=2019, seed=1)


def test_an_output_path_that_is_a_file_is_an_input_error(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("not a directory")
    with pytest.raises(InputError, match="not a directory"):
        generate_county(target, year=2025, seed=1)


def test_statewide_entities_are_the_entities_the_statewide_files_hold(tmp_path: Path) -> None:
    generated = generate_statewide(tmp_path, year=2025, seed=7)
    ela = next(path for path in generated.rows if path.name.startswith("ela"))
    rows = read_dashboard_file(ela).frame.filter(pl.col("rtype") != "X")
    entities = statewide_entities(seed=7)
    known = {*entities.leas.get_column("cds"), *entities.schools.get_column("cds")}
    assert set(rows.get_column("cds")) == known
