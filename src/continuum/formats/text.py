"""Which encoding a text file is in, and refusing what is not text.

CDE publishes UTF-8, but its 2017 and 2018 files carry Windows-1252 names (``Para Los Niños``),
and a file saved from Excel may start with a byte-order mark. Every reader of delimited text
asks :func:`text_encoding` first, so all of them accept the same files and refuse the same ones.
"""

from __future__ import annotations

import codecs
import io
import re
from pathlib import Path

from continuum.errors import InputError

CHUNK = 1 << 20
UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
WINDOWS_1252 = "cp1252"
LATIN_1 = "latin-1"
WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
ZIP_MAGIC = b"PK\x03\x04"
# Bytes no text file holds (tab, line feed, form feed and carriage return are text).
CONTROL_BYTE = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# The five bytes Windows-1252 leaves undefined; a file holding them is read as Latin-1.
CP1252_UNDEFINED = b"\x81\x8d\x8f\x90\x9d"
# ``bytes.translate(None, delete)`` drops these and leaves only the bytes looked for: one pass in
# C, many times faster than a regular expression search over every chunk.
NOT_CONTROL = bytes(b for b in range(256) if not CONTROL_BYTE.match(bytes([b])))
NOT_CP1252_UNDEFINED = bytes(b for b in range(256) if b not in CP1252_UNDEFINED)
SAVE_AS = "save it as UTF-8 or as CDE published it"


def text_encoding(path: Path) -> str:
    """The encoding to read ``path`` with: ``utf-8``, ``utf-8-sig`` (a byte-order mark),
    ``cp1252`` (Windows-1252, which reads Latin-1 text the same) or ``latin-1``.

    Raises InputError for an empty file, UTF-16 or UTF-32 text, a zip or workbook, and any file
    holding control bytes (naming the line of the first)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(CHUNK)
            if not head:
                raise InputError(path, "is empty (0 bytes)")
            _refuse_wide_or_zip(path, head)
            return _scan(path, handle, head)
    except OSError as error:
        raise InputError(path, f"cannot read the file: {error.strerror or error}") from error


def _refuse_wide_or_zip(path: Path, head: bytes) -> None:
    for bom, name in WIDE_BOMS:
        if head.startswith(bom):
            raise InputError(path, f"is {name} text; {SAVE_AS}")
    if head.startswith(ZIP_MAGIC):
        raise InputError(path, "is a zip file or workbook, not a text file")
    sample = head[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    # UTF-16 without a mark: ASCII text puts a zero byte beside every character.
    if len(sample) >= 4 and max(even, odd) >= len(sample) // 4 and min(even, odd) == 0:
        raise InputError(path, f"is UTF-16 text; {SAVE_AS}")


def _scan(path: Path, handle: io.BufferedReader, head: bytes) -> str:
    """Read the whole file once: refuse control bytes, and tell UTF-8 from Windows-1252."""
    utf8 = codecs.getincrementaldecoder(UTF8)()
    is_utf8 = is_cp1252 = True
    offset = 0
    chunk = head
    while chunk:
        if chunk.translate(None, NOT_CONTROL):
            _refuse_control_byte(path, offset, chunk)
        # ASCII (most of CDE's files, chunk after chunk) is valid UTF-8 and Windows-1252 as it
        # stands, unless it follows the first bytes of a character the last chunk cut in two.
        if not chunk.isascii() or utf8.getstate()[0]:
            is_utf8 = is_utf8 and _decodes(utf8, chunk)
            is_cp1252 = is_cp1252 and not chunk.translate(None, NOT_CP1252_UNDEFINED)
        offset += len(chunk)
        chunk = handle.read(CHUNK)
    if is_utf8 and _decodes(utf8, b"", final=True):
        return UTF8_BOM if head.startswith(codecs.BOM_UTF8) else UTF8
    return WINDOWS_1252 if is_cp1252 else LATIN_1


def _refuse_control_byte(path: Path, offset: int, chunk: bytes) -> None:
    """Name the line of the first control byte of ``chunk``, which starts at byte ``offset``."""
    control = CONTROL_BYTE.search(chunk)
    assert control is not None
    with path.open("rb") as handle:
        lines_before = handle.read(offset).count(b"\n")
    raise InputError(
        path,
        f"is not a text file or workbook (byte 0x{chunk[control.start()]:02x})",
        line=lines_before + chunk.count(b"\n", 0, control.start()) + 1,
    )


def _decodes(decoder: codecs.IncrementalDecoder, chunk: bytes, *, final: bool = False) -> bool:
    try:
        decoder.decode(chunk, final)
    except UnicodeDecodeError:
        return False
    return True


def utf8_source(path: Path, encoding: str | None = None) -> Path | io.BytesIO:
    """``path`` itself when it is UTF-8 (with or without a mark), else its text re-encoded as
    UTF-8 in memory: what Polars' CSV reader, which reads only UTF-8, is given. ``encoding``,
    when the caller already has it from :func:`text_encoding`, saves a second scan."""
    encoding = encoding or text_encoding(path)
    if encoding in (UTF8, UTF8_BOM):
        return path
    return io.BytesIO(path.read_bytes().decode(encoding).encode(UTF8))


def open_text(path: Path, encoding: str | None = None) -> io.TextIOWrapper:
    """``path`` opened for reading as text in its own encoding (for the ``csv`` module);
    ``encoding`` as for ``utf8_source``."""
    return path.open(encoding=encoding or text_encoding(path), newline="")
