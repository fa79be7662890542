"""Workbooks are checked before they are parsed: extent, rows, cells, size and compression."""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

import pytest

from continuum.errors import InputError
from continuum.formats.xlsx import (
    DEFAULT_LIMITS,
    WorkbookLimits,
    check_workbook,
    workbook_limits,
    workbook_limits_configure,
)
from tests.workbooks import with_bomb, with_dimension, with_far_cell, workbook_write

ROWS = [["cds", "name"], ["01611190000000", "Alder"], ["01611190000001", "Birch"]]


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return workbook_write(tmp_path / "small.xlsx", ROWS)


def test_a_small_genuine_workbook_passes(small: Path) -> None:
    check_workbook(small)


def test_a_5_kb_workbook_declaring_the_largest_sheet_is_refused_in_little_memory(
    small: Path, tmp_path: Path
) -> None:
    huge = with_dimension(small, tmp_path / "huge.xlsx", "A1:XFD1048576")
    assert huge.stat().st_size < 8_000
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="reaches row 1,048,576") as raised:
            check_workbook(huge)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(huge) in str(raised.value)
    assert peak < 50 * 1024 * 1024


def test_a_declared_extent_past_the_cell_limit_is_refused(small: Path, tmp_path: Path) -> None:
    wide = with_dimension(small, tmp_path / "wide.xlsx", "A1:XFD2000")
    with pytest.raises(InputError, match="2,000 rows by 16,384 columns"):
        check_workbook(wide)


def test_two_cells_a_million_rows_apart_are_refused_without_a_declared_dimension(
    small: Path, tmp_path: Path
) -> None:
    far = with_far_cell(small, tmp_path / "far.xlsx")
    with pytest.raises(InputError, match="CONTINUUM_XLSX_MAX_ROWS"):
        check_workbook(far)


def test_the_row_limit_counts_the_rows_a_sheet_holds(small: Path) -> None:
    with pytest.raises(InputError, match="reaches row 3, more than the 2 rows allowed"):
        check_workbook(small, WorkbookLimits(max_rows=2))
    check_workbook(small, WorkbookLimits(max_rows=3))


def test_a_part_that_expands_a_thousandfold_is_refused_as_a_zip_bomb(
    small: Path, tmp_path: Path
) -> None:
    bomb = with_bomb(small, tmp_path / "bomb.xlsx")
    with pytest.raises(InputError, match=r"xl/padding\.xml expands .* times"):
        check_workbook(bomb)


def test_the_uncompressed_size_limit_is_checked(small: Path, tmp_path: Path) -> None:
    bomb = with_bomb(small, tmp_path / "bomb.xlsx", megabytes=3)
    limits = WorkbookLimits(max_uncompressed_mb=2, max_compression_ratio=10**6)
    with pytest.raises(InputError, match="expands to 3 MB, more than the 2 MB allowed"):
        check_workbook(bomb, limits)


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(InputError, match="is not a text file or workbook"):
        check_workbook(path)


@pytest.mark.parametrize("data", [b"", b"cds\tname\n", b"PK\x03\x04" + bytes(100)])
def test_text_empty_and_truncated_files_named_xlsx_are_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "data.xlsx"
    path.write_bytes(data)
    with pytest.raises(InputError, match="is not a text file or workbook"):
        check_workbook(path)


def test_a_truncated_workbook_is_refused(small: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(small.read_bytes()[: small.stat().st_size // 2])
    with pytest.raises(InputError, match="is not a text file or workbook"):
        check_workbook(cut)


def test_configured_limits_apply_to_checks_given_none(small: Path) -> None:
    workbook_limits_configure(WorkbookLimits(max_rows=1))
    try:
        with pytest.raises(InputError, match="1 rows allowed"):
            check_workbook(small)
    finally:
        workbook_limits_configure(DEFAULT_LIMITS)
    assert workbook_limits() == DEFAULT_LIMITS
