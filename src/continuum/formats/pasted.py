"""Two columns pasted from a spreadsheet: a date and a value per line (run-chart points).

What a spreadsheet puts on the clipboard when two columns are copied: one line per row, cells
separated by tabs (Excel, Google Sheets, LibreOffice), or by commas or semicolons when the text
comes from a CSV file. A header row is optional. Dates are read as ``2026-12-07``,
``12/7/2026`` (month first, as in the United States) or ``7 Dec 2026`` (``7 December 2026``);
values as numbers with a decimal point, optionally followed by ``%`` (``45%`` is read as 45).
A decimal comma (``4,5``) is refused rather than guessed: in CSV text it cannot be told from a
column separator, and elsewhere from a thousands separator.

Every refusal is an :class:`~continuum.errors.InputError` naming the line (of the pasted text,
counting blank lines) and the column (``A`` for the date, ``B`` for the value).
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass

from continuum.errors import InputError, excerpt

SOURCE = "the pasted points"
MOST_POINTS = 1000
DATE_COLUMN, VALUE_COLUMN = "A (date)", "B (value)"
DATE_FORMATS = "2026-12-07, 12/7/2026 or 7 Dec 2026"
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
DAY_MONTH_YEAR = re.compile(r"(\d{1,2}) ([A-Za-z]{3,9})\.? (\d{4})")
MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")),
        start=1,
    )
    for name in names
}  # fmt: skip
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+%?")
COMMA_REFUSED = "Decimal commas are not accepted: write 4.5, not 4,5 (and no thousands separators)."


@dataclass(frozen=True)
class PastedPoint:
    """One pasted line: its date and value, and the line it was on."""

    line: int
    date: datetime.date
    value: float


def pasted_points(text: str) -> list[PastedPoint]:
    """The points of pasted text, in the order pasted. Raises InputError for the first line
    that is not a date and a value, for a date given twice, for nothing to read and for more
    than ``MOST_POINTS`` points."""
    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1)]
    filled = [(number, line) for number, line in lines if line.strip()]
    if not filled:
        raise InputError(SOURCE, "There is nothing to read: paste two columns, dates and values.")
    separator = _separator([line for _, line in filled])
    points: list[PastedPoint] = []
    seen: dict[datetime.date, int] = {}
    for index, (number, line) in enumerate(filled):
        cells = _cells(line, separator)
        if index == 0 and _is_header(cells):
            continue
        _two_cells(cells, number, separator)
        date = pasted_date(cells[0], number)
        value = pasted_value(cells[1], number)
        if date in seen:
            raise InputError(
                SOURCE, f"{day_words(date)} is also on line {seen[date]}: give each date once.",
                number, DATE_COLUMN,
            )  # fmt: skip
        seen[date] = number
        points.append(PastedPoint(number, date, value))
        if len(points) > MOST_POINTS:
            raise InputError(
                SOURCE, f"More than {MOST_POINTS} points: paste them in parts.", number
            )
    if not points:
        raise InputError(SOURCE, "There is only a header: paste the dates and values under it.")
    return points


def _separator(lines: list[str]) -> str:
    """Tabs when any line has one (a spreadsheet's copy), else semicolons, else commas."""
    if any("\t" in line for line in lines):
        return "\t"
    if any(";" in line for line in lines):
        return ";"
    return ","


def _cells(line: str, separator: str) -> list[str]:
    """A line's cells, stripped; empty cells at the end (a wider selection) are dropped."""
    cells = [cell.strip().strip('"').strip() for cell in line.split(separator)]
    while len(cells) > 2 and not cells[-1]:
        cells.pop()
    return cells


def _is_header(cells: list[str]) -> bool:
    """A first line whose first cell is no date and whose second is no number: column names."""
    if len(cells) < 2 or not cells[0]:
        return False
    return _date_or_none(cells[0]) is None and not NUMBER.fullmatch(cells[1].rstrip("%").strip())


def _two_cells(cells: list[str], line: int, separator: str) -> None:
    if len(cells) == 2:
        return
    if len(cells) == 3 and separator == "," and DECIMAL_COMMA.fullmatch(f"{cells[1]},{cells[2]}"):
        raise InputError(
            SOURCE,
            f"{excerpt(cells[1] + ',' + cells[2])} looks like a number with a decimal comma. "
            f"{COMMA_REFUSED}",
            line, VALUE_COLUMN,
        )  # fmt: skip
    if len(cells) < 2:
        raise InputError(
            SOURCE, "This line has one column; give a date and a value on each line.", line
        )
    raise InputError(
        SOURCE, f"This line has {len(cells)} columns; give only a date and a value.", line
    )


def pasted_date(cell: str, line: int) -> datetime.date:
    """A date cell as a date; InputError naming the line and column A otherwise."""
    if not cell:
        raise InputError(SOURCE, f"The date is empty; write it as {DATE_FORMATS}.", line,
                         DATE_COLUMN)  # fmt: skip
    date = _date_or_none(cell)
    if date is None:
        raise InputError(
            SOURCE, f"{excerpt(cell)} is not a date; write dates as {DATE_FORMATS}.", line,
            DATE_COLUMN,
        )  # fmt: skip
    return date


def _date_or_none(cell: str) -> datetime.date | None:
    parts: tuple[int, int, int] | None = None
    if found := ISO_DATE.fullmatch(cell):
        parts = (int(found[1]), int(found[2]), int(found[3]))
    elif found := US_DATE.fullmatch(cell):
        parts = (int(found[3]), int(found[1]), int(found[2]))
    elif (found := DAY_MONTH_YEAR.fullmatch(cell)) and found[2].lower() in MONTHS:
        parts = (int(found[3]), MONTHS[found[2].lower()], int(found[1]))
    if parts is None:
        return None
    try:
        return datetime.date(*parts)
    except ValueError:
        return None


def pasted_value(cell: str, line: int) -> float:
    """A value cell as a number; InputError naming the line and column B otherwise."""
    if not cell:
        raise InputError(SOURCE, "The value is empty; write a number.", line, VALUE_COLUMN)
    if "," in cell:
        raise InputError(
            SOURCE,
            f"{excerpt(cell)} has a comma. {COMMA_REFUSED}",
            line, VALUE_COLUMN,
        )  # fmt: skip
    number = cell[:-1].strip() if cell.endswith("%") else cell
    if not NUMBER.fullmatch(number):
        raise InputError(
            SOURCE, f"{excerpt(cell)} is not a number; write it like 12 or 4.5.", line,
            VALUE_COLUMN,
        )  # fmt: skip
    value = float(number)
    if not math.isfinite(value):
        raise InputError(SOURCE, f"{excerpt(cell)} is too large.", line, VALUE_COLUMN)
    return value


def day_words(date: datetime.date) -> str:
    """A date as messages and pages write it: 7 Dec 2026."""
    return f"{date.day} {date:%b %Y}"
