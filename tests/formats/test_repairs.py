"""Field counts of caret files, checked line by line whatever the chunks the file is read in."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from continuum.errors import InputError
from continuum.formats import repairs
from continuum.formats.repairs import check_field_counts, stripped

# Chunks of 16 bytes end inside most lines (the reader takes whole lines only); 4096 holds the
# whole file; the default too.
CHUNK_SIZES = [16, 4096, repairs.FIELD_COUNT_CHUNK]


def _counted(path: Path, width: int, *, header: bool = True) -> dict[str, int]:
    found: dict[str, int] = {}
    check_field_counts(
        path,
        separator="^",
        quoted=False,
        width=width,
        header_width=width if header else None,
        repairs=found,
    )
    return found


@pytest.fixture(params=CHUNK_SIZES, ids=lambda size: f"chunk{size}")
def chunked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    size: int = request.param
    monkeypatch.setattr(repairs, "FIELD_COUNT_CHUNK", size)
    return size


def test_crlf_lines_extra_empty_fields_and_a_last_line_without_end_are_counted(
    tmp_path: Path, chunked: int
) -> None:
    path = tmp_path / "file.csv"
    path.write_bytes(b"a^b^c\r\n1^2^3\r\n4^5^6^^\n\n7^8^9\r\n\r\n10^11^12")
    assert _counted(path, 3) == {
        "trailing empty columns removed": 1,
        "Windows line ends (CRLF) read": 4,
    }


@pytest.mark.parametrize(("record", "fields"), [(b"4^5", 2), (b"4^5^6^7", 4), (b"4^5^6^^x", 5)])
def test_a_record_with_another_field_count_is_refused_with_its_line(
    tmp_path: Path, chunked: int, record: bytes, fields: int
) -> None:
    path = tmp_path / "file.csv"
    path.write_bytes(b"a^b^c\n" + b"1^2^3\n" * 5 + record + b"\n1^2^3\n")
    with pytest.raises(InputError, match=f"has {fields} fields where the header has 3") as error:
        _counted(path, 3)
    assert error.value.line == 7


def test_without_a_header_the_first_record_is_line_1(tmp_path: Path, chunked: int) -> None:
    path = tmp_path / "file.txt"
    path.write_bytes(b"1^2^3\n1^2\n")
    with pytest.raises(InputError, match="where the layout has 3") as error:
        _counted(path, 3, header=False)
    assert error.value.line == 2


def test_a_line_longer_than_a_chunk_is_refused_not_misread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(repairs, "FIELD_COUNT_CHUNK", 1 << 20)
    path = tmp_path / "file.csv"
    path.write_bytes(b"a^b^c\n1^2^3\n" + b"x" * (1 << 20) + b"^2^3\n1^2^3\n")
    with pytest.raises(InputError, match="longer than 1 MB") as error:
        _counted(path, 3)
    assert error.value.line == 3


def test_only_values_with_surrounding_white_space_are_stripped() -> None:
    frame = pl.DataFrame({"padded": [" 03", "04\t", "05"], "clean": ["a b", "c", ""]})
    assert stripped(frame).to_dict(as_series=False) == {
        "padded": ["03", "04", "05"],
        "clean": ["a b", "c", ""],
    }
