"""CDE's Differentiated Assistance lists (``assistancestatusYY.xlsx``, the 2017 ``.xls``).

CDE changed the list's layout from year to year: the sheet's name, the rows of titles above the
header, the column names (``AA_PRIORITIES`` in 2017, ``AApriorities`` later; ``MR`` or ``TOM`` for
two or more races), the year column (``ReportingYear`` = ``2017f``, ``ReportYear``, or none in the
December 2019 original) and the status words ("Differentiated Support" in 2017, "Differentiated
Assistance" later). Each layout is described below as data; :func:`read_assistance_list` finds the
one a file uses and returns its rows under one set of names (CDE's 2023 spelling), so that nothing
downstream knows which year's layout it read. A file no layout fits is refused with the file, the
sheet and the columns it lacks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import fastexcel
import polars as pl

from continuum.errors import InputError, excerpt
from continuum.formats.xlsx import MEGABYTE, check_workbook, workbook_limits

# The student groups of the lists, in CDE's 2023 column order (TOM: two or more races).
GROUPS = ("AA", "AI", "AS", "EL", "FI", "FOS", "HI", "HOM", "PI", "SED", "SWD", "TOM", "WH")
MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}
MONTH_YEAR = re.compile(r"\b(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE)
NUMERIC_DATE = re.compile(r"\b(\d{1,2})/\d{1,2}/(\d{4})\b")
STATUS_COLUMN = re.compile(r"^AssistanceStatus(\d{4})$")


@dataclass(frozen=True)
class AssistanceLayout:
    """One layout CDE used: how to find the sheet and header, and what each column is called.

    ``columns`` maps the 2023 name to this layout's name (matched ignoring case); ``{group}``
    in ``group_column`` stands for a group code, renamed by ``group_names`` first. ``year_column``
    is None when the year must be read from the latest ``AssistanceStatusYYYY`` column.
    """

    name: str
    sheet_prefix: str
    first_header: tuple[str, ...]  # what the header row's first cell may say (any case)
    columns: dict[str, str]
    group_column: str
    year_column: str | None
    status_column: str | None = None  # one status column named without its year (2017)
    group_names: dict[str, str] = field(default_factory=dict)
    year_values: dict[str, str] = field(default_factory=dict)
    status_values: dict[str, str] = field(default_factory=dict)
    blank_header: str | None = None  # what a header cell left blank holds ({year} filled in)

    def required(self) -> list[str]:
        """The columns a file of this layout must have, in this layout's spelling."""
        names = list(self.columns.values())
        if self.year_column:
            names.append(self.year_column)
        if self.status_column:
            names.append(self.status_column)
        return names + [self._group(group) for group in GROUPS]

    def _group(self, group: str) -> str:
        return self.group_column.format(group=self.group_names.get(group, group))


_COMMON = {"CDS": "CDS", "LEAname": "LEAname", "Countyname": "Countyname"}
LAYOUTS = (
    AssistanceLayout(
        name="December 2017 list (LCFF_Assistance_Status_Fall2017, .xls)",
        sheet_prefix="LCFF_Assistance_Status",
        first_header=("cdcode",),
        columns={
            "CDS": "CDS",
            "LEAname": "districtname",
            "Countyname": "countyname",
            "TotalStudentGroups": "TOTAL_STUDENT_GROUPS",
        },
        group_column="{group}_PRIORITIES",
        group_names={"TOM": "MR"},
        year_column="ReportingYear",
        status_column="Assistance_Status",
        year_values={"2017f": "2017"},
        status_values={
            "Differentiated Support": "Differentiated Assistance",
            "General Support": "General Assistance",
        },
    ),
    AssistanceLayout(
        name="2018 list (LCFFLEAAssistance2018)",
        sheet_prefix="LCFFLEAAssistance",
        first_header=("cdcode",),
        columns={**_COMMON, "TotalStudentGroups": "TotalStudentGroups"},
        group_column="{group}priorities",
        year_column="ReportingYear",
    ),
    AssistanceLayout(
        name="District and COE sheet (2019 revision, 2022, 2023)",
        sheet_prefix="District and COE",
        first_header=("cdcode",),
        columns={**_COMMON, "TotalStudentGroups": "TotalStudentGroups"},
        group_column="{group}priorities",
        year_column="ReportYear",
        # The 2022 file leaves its last header (EC52072_2022, per its record layout) blank.
        blank_header="EC52072_{year}",
    ),
    AssistanceLayout(
        name="District and COE sheet without a year column (December 2019 original)",
        sheet_prefix="District and COE",
        # Its header is in lower case (cds, …) and it has no ReportYear column.
        first_header=("cdcode", "cds"),
        columns={**_COMMON, "TotalStudentGroups": "TotalStudentGroups"},
        group_column="{group}priorities",
        year_column=None,
    ),
)


@dataclass(frozen=True)
class AssistanceList:
    """One DA list, its rows under the 2023 column names, every value as text as CDE wrote it
    (group codes A–K, ``*`` or blank for none) but status words, which read as in 2023.

    ``release`` is CDE's (year, month) from the title rows above the header, when they say.
    """

    path: Path
    layout: str
    year: int
    release: tuple[int, int] | None
    frame: pl.DataFrame

    @property
    def release_label(self) -> str:
        """The release as CDE's title rows print it ("March 2020"), or "undated"."""
        if self.release is None:
            return "undated"
        month = next(name for name, number in MONTHS.items() if number == self.release[1])
        return f"{month.title()} {self.release[0]}"


def read_assistance_list(path: Path | str) -> AssistanceList:
    """Read one of CDE's DA lists by whichever layout it uses (InputError if none fits)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such file")
    sheets = _sheets(path)
    misses: list[tuple[str, str, list[str]]] = []
    for layout in LAYOUTS:
        sheet = next((s for s in sheets if s.strip().startswith(layout.sheet_prefix)), None)
        if sheet is None:
            continue
        raw = _read_sheet(path, sheet)
        header_row = _header_row(raw, layout.first_header)
        if header_row is None:
            misses.append((sheet, layout.name, [f"a header row starting {layout.first_header[0]}"]))
            continue
        names = [str(v).strip() if v is not None else "" for v in raw.row(header_row)]
        lowered = {name.lower(): name for name in names if name}
        missing = [c for c in layout.required() if c.lower() not in lowered]
        if missing:
            misses.append((sheet, layout.name, missing))
            continue
        body = raw.slice(header_row + 1).rename(
            {
                old: name or f"blank_{i}"
                for i, (old, name) in enumerate(zip(raw.columns, names, strict=True))
            }
        )
        return _normalised(path, layout, body, lowered, _release(raw.head(header_row)))
    if not misses:
        raise InputError(
            path,
            f"has no sheet of a DA list layout (sheets: {', '.join(sheets)[:200]}); known layouts: "
            + "; ".join(layout.name for layout in LAYOUTS),
        )
    sheet, layout_name, missing = min(misses, key=lambda miss: len(miss[2]))
    raise InputError(
        path,
        f"sheet {sheet!r} does not fit the {layout_name} layout: it lacks "
        + ", ".join(missing)[:200],
    )


def _sheets(path: Path) -> list[str]:
    if path.suffix.lower() == ".xls":
        # An Excel 97–2003 file is not a zip, so it is bounded by its size alone.
        limit = workbook_limits().max_uncompressed_mb * MEGABYTE
        if path.stat().st_size > limit:
            raise InputError(path, f"is larger than {limit // MEGABYTE:,} MB")
    else:
        check_workbook(path)
    try:
        return list(fastexcel.read_excel(str(path)).sheet_names)
    except Exception as error:  # fastexcel raises its own types for damaged workbooks
        raise InputError(path, f"cannot read the workbook: {excerpt(error, 120)}") from error


def _read_sheet(path: Path, sheet: str) -> pl.DataFrame:
    try:
        return pl.read_excel(path, sheet_name=sheet, has_header=False, infer_schema_length=0)
    except Exception as error:  # fastexcel raises its own types for damaged workbooks
        raise InputError(path, f"cannot read sheet {sheet!r}: {excerpt(error, 120)}") from error


def _header_row(raw: pl.DataFrame, first: tuple[str, ...]) -> int | None:
    for index, value in enumerate(raw.get_column(raw.columns[0]).to_list()):
        if isinstance(value, str) and value.strip().lower() in first:
            return index
    return None


def _release(titles: pl.DataFrame) -> tuple[int, int] | None:
    """(year, month) of the first date in the title rows: "March 2020" or "01/08/2019"."""
    for value in titles.get_column(titles.columns[0]).drop_nulls().to_list():
        text = str(value)
        named = MONTH_YEAR.search(text)
        if named:
            return int(named.group(2)), MONTHS[named.group(1).lower()]
        numeric = NUMERIC_DATE.search(text)
        if numeric:
            return int(numeric.group(2)), int(numeric.group(1))
    return None


def _normalised(
    path: Path,
    layout: AssistanceLayout,
    body: pl.DataFrame,
    lowered: dict[str, str],
    release: tuple[int, int] | None,
) -> AssistanceList:
    def column(name: str) -> pl.Expr:
        return pl.col(lowered[name.lower()]).cast(pl.String).str.strip_chars()

    # CDE's sheets end with note rows that have no CDS code.
    body = body.filter(column(layout.columns["CDS"]).str.contains(r"^\d{14}$").fill_null(False))
    if body.is_empty():
        raise InputError(path, f"the {layout.name} sheet has no rows with a CDS code")
    year = _year(path, layout, body, lowered)
    renames = [column(original).alias(name) for name, original in layout.columns.items()]
    renames.append(pl.lit(str(year)).alias("ReportYear"))
    renames += [column(layout._group(group)).alias(f"{group}priorities") for group in GROUPS]
    statuses = {
        int(m.group(1)): original
        for original in lowered.values()
        if (m := STATUS_COLUMN.match(original))
    }
    if layout.status_column:
        statuses[year] = lowered[layout.status_column.lower()]
    renames += [
        column(original).replace(layout.status_values).alias(f"AssistanceStatus{status_year}")
        for status_year, original in sorted(statuses.items())
    ]
    for original in lowered.values():
        if original.startswith("MetMethod") or original.startswith("EC52072_"):
            renames.append(column(original).alias(original))
    if layout.blank_header:
        blanks = [c for c in body.columns if c.startswith("blank_")]
        renames += [
            pl.col(blank)
            .cast(pl.String)
            .str.strip_chars()
            .alias(layout.blank_header.format(year=year))
            for blank in blanks[-1:]
        ]
    return AssistanceList(
        path=path, layout=layout.name, year=year, release=release, frame=body.select(renames)
    )


def _year(
    path: Path,
    layout: AssistanceLayout,
    body: pl.DataFrame,
    lowered: dict[str, str],
) -> int:
    """The list's Dashboard year: its year column, or its latest status column's year."""
    if layout.year_column is None:
        years = [int(m.group(1)) for name in lowered.values() if (m := STATUS_COLUMN.match(name))]
        if not years:
            raise InputError(path, "has neither a ReportYear nor an AssistanceStatusYYYY column")
        return max(years)
    values = (
        body.get_column(lowered[layout.year_column.lower()])
        .cast(pl.String)
        .str.strip_chars()
        .replace(layout.year_values)
        .drop_nulls()
        .unique()
        .to_list()
    )
    if len(values) != 1 or not str(values[0]).isdigit():
        raise InputError(
            path, f"{layout.year_column} holds {excerpt(sorted(map(str, values)), 80)}, not a year"
        )
    return int(values[0])
