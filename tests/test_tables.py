"""Plain tables in and out: CSV or Parquet by extension, never half-written."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from continuum.errors import InputError
from continuum.tables import check_output_path, read_table, write_table


def test_csv_round_trip_reads_every_column_as_text(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    write_table(pl.DataFrame({"cds": ["01611190000000"], "n": [3]}), path)
    assert read_table(path).to_dicts() == [{"cds": "01611190000000", "n": "3"}]


def test_parquet_round_trip_keeps_types(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    write_table(pl.DataFrame({"n": [3]}), path)
    assert read_table(path).schema["n"] == pl.Int64


def test_an_output_that_is_not_csv_or_parquet_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"\.csv or \.parquet"):
        check_output_path(tmp_path / "t.xlsx")


def test_an_output_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        check_output_path(tmp_path / "missing" / "t.csv")


def test_a_failed_write_leaves_the_previous_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    path.write_text("previous")
    unwritable = pl.DataFrame({"x": [object()]}, schema={"x": pl.Object})
    with pytest.raises(Exception):  # noqa: B017 - Polars refuses Object columns in Parquet
        write_table(unwritable, path)
    assert path.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.parquet"]


def test_a_missing_table_is_reported(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_table(tmp_path / "t.csv")
