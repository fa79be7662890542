"""Workbooks for tests: a small real .xlsx, and the damaged ones an attacker or a bad export
makes (a huge declared sheet, cells a million rows apart, a part that expands hugely)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import openpyxl

SHEET = "xl/worksheets/sheet1.xml"


def workbook_write(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """A genuine one-sheet workbook holding ``rows``."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def workbook_rewrite_sheet(source: Path, target: Path, sheet_xml: bytes) -> Path:
    """``source`` with its first sheet's XML replaced (every other part kept)."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for member in original.infolist():
            data = sheet_xml if member.filename == SHEET else original.read(member)
            copy.writestr(member.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    return target


def sheet_xml(source: Path) -> bytes:
    """The first sheet's XML of ``source``."""
    with zipfile.ZipFile(source) as archive:
        return archive.read(SHEET)


def with_dimension(source: Path, target: Path, reference: str) -> Path:
    """``source`` declaring its sheet spans ``reference`` (e.g. A1:XFD1048576)."""
    xml = re.sub(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{reference}"/>'.encode(),
                 sheet_xml(source))  # fmt: skip
    return workbook_rewrite_sheet(source, target, xml)


def with_far_cell(source: Path, target: Path, reference: str = "XFD1048576") -> Path:
    """``source`` with one more cell at ``reference`` and no declared dimension: the parser
    would hold every cell between A1 and it."""
    row = re.sub(r"\D", "", reference)
    cell = f'<row r="{row}"><c r="{reference}" t="inlineStr"><is><t>x</t></is></c></row>'
    xml = re.sub(rb'<dimension ref="[^"]*"\s*/>', b"", sheet_xml(source))
    return workbook_rewrite_sheet(
        source, target, xml.replace(b"</sheetData>", cell.encode() + b"</sheetData>")
    )


def with_bomb(source: Path, target: Path, megabytes: int = 16) -> Path:
    """``source`` with a part of ``megabytes`` of spaces that compresses a thousandfold."""
    workbook_rewrite_sheet(source, target, sheet_xml(source))
    with zipfile.ZipFile(target, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.xml", b" " * (megabytes << 20))
    return target
