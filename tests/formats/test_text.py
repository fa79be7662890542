"""Which encoding a text file is read in, and which files are refused as not text."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

import polars as pl
import pytest

from continuum.errors import InputError
from continuum.formats.text import CHUNK, open_text, text_encoding, utf8_source

NAME = "Para Los Niños Middle"


def _file(tmp_path: Path, data: bytes, name: str = "data.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (f"cds\tname\n1\t{NAME}\n".encode(), "utf-8"),
        (codecs.BOM_UTF8 + f"cds\tname\n1\t{NAME}\n".encode(), "utf-8-sig"),
        (f"cds\tname\n1\t{NAME} – “quoted”\n".encode("cp1252"), "cp1252"),
        ("cds\tname\n1\tNi\xf1o \x81\n".encode("latin-1"), "latin-1"),
    ],
)
def test_utf8_bom_and_windows_1252_files_read_their_names_right(
    tmp_path: Path, encoded: bytes, encoding: str
) -> None:
    path = _file(tmp_path, encoded)
    assert text_encoding(path) == encoding
    frame = pl.read_csv(utf8_source(path), separator="\t")
    assert frame.columns == ["cds", "name"]
    assert frame.item(0, "name") == encoded.decode(encoding).splitlines()[1].split("\t")[1]
    with open_text(path) as handle:
        assert handle.read().lstrip("\ufeff") == encoded.decode(encoding).lstrip("\ufeff")


def test_a_latin_1_name_far_into_a_file_is_still_read_as_latin_1(tmp_path: Path) -> None:
    lines = ["cds\tname", *(f"{n}\tAlder" for n in range(200_000)), "9\tNi\xf1os"]
    path = _file(tmp_path, "\n".join(lines).encode("latin-1"))
    assert pl.read_csv(utf8_source(path), separator="\t").item(-1, "name") == "Niños"


@pytest.mark.parametrize(
    ("last_of_first_chunk", "encoding"),
    [("ñ".encode(), "utf-8"), ("ñ".encode("latin-1"), "cp1252")],
)
def test_a_character_cut_by_a_chunk_end_decides_the_encoding_before_plain_ascii_chunks(
    tmp_path: Path, last_of_first_chunk: bytes, encoding: str
) -> None:
    # The first chunk ends inside (UTF-8) or at (Latin-1) the only non-ASCII character; every
    # chunk after it is plain ASCII, which the scan passes over without decoding.
    head = b"cds\tname\n1\t"
    first = head + b"a" * (CHUNK - len(head) - 1) + last_of_first_chunk[:1]
    rest = last_of_first_chunk[1:] + b"\n" + b"2\tAlder\n" * (3 * CHUNK // 8)
    path = _file(tmp_path, first + rest)
    assert len(first) == CHUNK
    assert text_encoding(path) == encoding


def test_cdes_2017_elpi_file_reads_its_latin_1_school_names(shared_data: Path) -> None:
    path = shared_data / "cde/dashboard/2017-statewide/elpidownload2017f.txt"
    assert text_encoding(path) == "cp1252"
    names = pl.read_csv(utf8_source(path), separator="\t", infer_schema_length=0)
    assert NAME in names.get_column("schoolname").to_list()


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF16_LE + "cds\tname\n".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "cds\tname\n".encode("utf-16-be"),
        "cds\tname\n1\tAlder\n".encode("utf-16-le"),
        "cds\tname\n1\tAlder\n".encode("utf-16-be"),
    ],
)
def test_utf16_with_or_without_a_mark_is_refused_by_name(tmp_path: Path, data: bytes) -> None:
    path = _file(tmp_path, data)
    with pytest.raises(InputError, match="is UTF-16 text; save it as UTF-8") as raised:
        text_encoding(path)
    assert str(path) in str(raised.value)


def test_a_file_with_a_nul_byte_is_refused_naming_its_line(tmp_path: Path) -> None:
    path = _file(tmp_path, b"cds\tname\n1\tAlder\n2\tBi\x00rch\n")
    with pytest.raises(InputError, match="is not a text file or workbook") as raised:
        text_encoding(path)
    assert raised.value.line == 3


def test_random_bytes_are_refused(tmp_path: Path) -> None:
    path = _file(tmp_path, bytes(range(256)) * 4)
    with pytest.raises(InputError, match="is not a text file or workbook"):
        text_encoding(path)


def test_a_zip_or_workbook_named_as_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "eladownload2025.txt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "cds")
    with pytest.raises(InputError, match="is a zip file or workbook, not a text file"):
        text_encoding(path)


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"is empty \(0 bytes\)"):
        text_encoding(_file(tmp_path, b""))
