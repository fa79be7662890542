"""Readers for the support engine's other inputs: local indicators, CDS lists, CDE's own lists.

These are the only functions in ``continuum.support`` that touch files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import fastexcel
import polars as pl

from continuum.errors import InputError, excerpt
from continuum.formats.text import text_encoding, utf8_source
from continuum.formats.xlsx import check_workbook
from continuum.tables import read_table

LOCAL_FILE = re.compile(r"^pr(?P<priority>\d+)(?P<year>\d{4})\.txt$", re.IGNORECASE)
# CDE's 2017 and 2018 layout: one file for every priority, the priority inside the indicator's
# name ("Basic-Priority Area 1"), ratings Met / Not Met / NA.
LOCAL_PERF_FILE = re.compile(r"^localindperf(?P<year>\d{4})\.txt$", re.IGNORECASE)
LOCAL_PERF_PRIORITY = r"Priority Area (\d+)\s*$"
PERFORMANCE_COLUMNS = ("performance", "countyperformance")
CDS_PATTERN = r"^\d{14}$"
# The student group columns of CDE's ESSA files (TOM: two or more races).
ESSA_GROUP_COLUMNS = (
    "AA",
    "AI",
    "AS",
    "EL",
    "FI",
    "FOS",
    "HI",
    "HOM",
    "PI",
    "SED",
    "SWD",
    "TOM",
    "WH",
)


def read_local_indicators(directory: Path | str) -> pl.DataFrame:
    """Local indicator self-ratings from CDE's ``PrNYYYY.txt`` files (or the 2017/2018
    ``LocalIndPerfYYYY.txt``) in one directory.

    Returns ``cds, priority, performance`` (performance as the LEA reported it: Met, Not Met,
    Not Met For Two or More Years, NA). The per-priority files are pipe- or tab-separated; their
    column names differ in case and, for priorities 6 and 9, name the rating
    ``countyPerformance``.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError(directory, "is not a directory of local indicator files")
    frames = []
    for path in sorted(directory.iterdir()):
        if LOCAL_FILE.match(path.name):
            frames.append(_read_local_file(path))
        elif LOCAL_PERF_FILE.match(path.name):
            frames.append(_read_local_perf_file(path))
    if not frames:
        raise InputError(
            directory,
            "holds no local indicator files (names like Pr12024.txt or LocalIndPerf2018.txt)",
        )
    return pl.concat(frames, how="vertical")


def _read_local_file(path: Path) -> pl.DataFrame:
    with path.open(encoding=text_encoding(path)) as handle:
        header = handle.readline()
    separator = "|" if header.count("|") > header.count("\t") else "\t"
    try:
        raw = pl.read_csv(
            utf8_source(path),
            separator=separator,
            infer_schema_length=0,
            truncate_ragged_lines=True,
        )
    except pl.exceptions.PolarsError as error:
        raise InputError(path, f"cannot read the file: {excerpt(error, 120)}") from error
    raw = raw.rename({c: c.strip().lower() for c in raw.columns})
    rating = next((c for c in PERFORMANCE_COLUMNS if c in raw.columns), "performance")
    for needed in ("cdscode", "prioritynumber", rating):
        if needed not in raw.columns:
            raise InputError(path, f"missing column {needed}", line=1, column=needed)
    frame = raw.select(
        pl.col("cdscode").str.strip_chars().alias("cds"),
        pl.col("prioritynumber").str.strip_chars().cast(pl.Int8, strict=False).alias("priority"),
        pl.col(rating).str.strip_chars().alias("performance"),
    )
    bad = frame.with_row_index("line", offset=2).filter(
        ~pl.col("cds").str.contains(CDS_PATTERN) | pl.col("priority").is_null()
    )
    if bad.height:
        raise InputError(
            path,
            "expected a 14-digit CDS code and a priority number",
            line=int(bad.item(0, "line")),
            column="CDSCode",
        )
    return frame


def _read_local_perf_file(path: Path) -> pl.DataFrame:
    """CDE's 2017/2018 layout: ``CDS, LEAname, Countyname, LocalIndicator, Performance``."""
    try:
        raw = pl.read_csv(utf8_source(path), separator="\t", infer_schema_length=0)
    except pl.exceptions.PolarsError as error:
        raise InputError(path, f"cannot read the file: {excerpt(error, 120)}") from error
    names = {c.strip().lower(): c for c in raw.columns}
    for needed in ("cds", "localindicator", "performance"):
        if needed not in names:
            raise InputError(path, f"missing column {needed}", line=1, column=needed)
    frame = raw.select(
        pl.col(names["cds"]).str.strip_chars().alias("cds"),
        pl.col(names["localindicator"])
        .str.extract(LOCAL_PERF_PRIORITY)
        .cast(pl.Int8, strict=False)
        .alias("priority"),
        pl.col(names["performance"]).str.strip_chars().alias("performance"),
    )
    lined = frame.with_row_index("line", offset=2)
    bad_cds = lined.filter(pl.col("cds").str.contains(CDS_PATTERN).fill_null(False).not_())
    bad_priority = lined.filter(pl.col("priority").is_null())
    for bad, column, message in (
        (bad_cds, names["cds"], "expected a 14-digit CDS code"),
        (
            bad_priority,
            names["localindicator"],
            "expected an indicator like 'Basic-Priority Area 1'",
        ),
    ):
        if bad.height:
            raise InputError(path, message, line=int(bad.item(0, "line")), column=column)
    return frame


def read_cds_list(path: Path | str) -> list[str]:
    """CDS codes from a file with one code per line (a header line and blanks are ignored)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such file")
    codes = []
    text = path.read_text(encoding=text_encoding(path))
    for number, line in enumerate(text.splitlines(), start=1):
        value = line.split(",")[0].strip().strip('"')
        if not value or (number == 1 and not value.isdigit()):
            continue
        if not re.match(CDS_PATTERN, value):
            raise InputError(path, f"{excerpt(value)} is not a 14-digit CDS code", line=number)
        codes.append(value)
    return codes


def read_cde_essa_status(path: Path | str) -> pl.DataFrame:
    """CDE's ESSA assistance file (``essaassistanceYY.xlsx``), every column as text."""
    path = Path(path)
    raw = _read_sheet(path, lambda name: "ESSA State Schools" in name)
    header_row = _header_row(raw, "cds", path)
    names = [str(v).strip() for v in raw.row(header_row)]
    return raw.slice(header_row + 1).rename(dict(zip(raw.columns, names, strict=True)))


def read_cde_required_goals(path: Path | str) -> pl.DataFrame:
    """CDE's list of LEAs required to add LCAP goals under EC 52064(e) (``CDS, LEA, groups``)."""
    path = Path(path)
    raw = _read_sheet(path, lambda name: "52064" in name)
    header_row = _header_row(raw, "cds", path)
    names = [str(v).strip() for v in raw.row(header_row)]
    return raw.slice(header_row + 1).rename(dict(zip(raw.columns, names, strict=True)))


def read_cde_lowest_performance(path: Path | str) -> pl.DataFrame:
    """One of CDE's lowest-performance lists (``lowperfsch23data.xlsx`` …), every column as text.

    The header is on the row after CDE's title rows; its names are stripped (the 2023 files
    spell the first one ``"reportingyear "``).
    """
    path = Path(path)
    raw = _read_sheet(path, lambda name: True)
    header_row = _header_row(raw, "reportingyear", path)
    names = [str(v).strip() for v in raw.row(header_row)]
    return raw.slice(header_row + 1).rename(dict(zip(raw.columns, names, strict=True)))


def _read_sheet(path: Path, wanted: Callable[[str], bool]) -> pl.DataFrame:
    if not path.is_file():
        raise InputError(path, "no such file")
    check_workbook(path)
    try:
        sheets = [s for s in fastexcel.read_excel(str(path)).sheet_names if wanted(s.strip())]
        if not sheets:
            raise InputError(path, "has no sheet of the expected kind")
        return pl.read_excel(path, sheet_name=sheets[0], has_header=False, infer_schema_length=0)
    except InputError:
        raise
    except Exception as error:  # fastexcel raises its own types for damaged workbooks
        raise InputError(path, f"cannot read the workbook: {excerpt(error, 120)}") from error


def _header_row(raw: pl.DataFrame, first: str, path: Path) -> int:
    for index, value in enumerate(raw.get_column(raw.columns[0]).to_list()):
        if isinstance(value, str) and value.strip().lower() == first:
            return index
    raise InputError(path, f"no header row starting with {first!r}")


def read_school_info(path: Path | str, title_i_column: str) -> pl.DataFrame:
    """``cds, title_i, dass`` for ESSA determinations.

    Either CDE's ESSA file (``essaassistanceYY.xlsx``; Title I is read from ``title_i_column``,
    e.g. TitleI2223 for the 2023 determinations) or a CSV with columns cds, title_i and,
    optionally, dass (values Yes/No or Y/N, any case; a missing dass column means No).
    """
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        frame = read_cde_essa_status(path)
        for needed in ("cds", title_i_column, "DASS"):
            if needed not in frame.columns:
                raise InputError(path, f"has no {needed} column", line=1, column=needed)
        # CDE's sheet ends with note rows (no CDS code); no school of its matches them.
        return frame.select(
            "cds", pl.col(title_i_column).alias("title_i"), pl.col("DASS").alias("dass")
        )
    frame = _read_table(path)
    if frame.height == 0:
        raise InputError(path, "has a header but no rows")
    if "title_i" not in frame.columns:
        raise InputError(path, "missing column title_i", line=1, column="title_i")
    if "dass" not in frame.columns:
        frame = frame.with_columns(pl.lit("No").alias("dass"))
    return _checked_schools(path, frame.select("cds", "title_i", "dass"))


YES_NO = {"yes": "Yes", "y": "Yes", "no": "No", "n": "No"}
SCHOOL_FLAG_NAMES = {"title_i": "Title I", "dass": "DASS"}


def _checked_schools(path: Path, frame: pl.DataFrame) -> pl.DataFrame:
    """Refuse a CSV row whose CDS code is not 14 digits or repeats another's, or whose title_i
    or dass is not Yes/No or Y/N (any case; a blank title_i is unknown), naming the line;
    the flags come back as Yes/No."""
    frame = frame.with_columns(pl.col("title_i", "dass").cast(pl.String).str.strip_chars())
    for column in ("title_i", "dass"):
        value = pl.col(column)
        bad = frame.with_row_index("line", offset=2).filter(
            value.is_not_null() & (value != "") & ~value.str.to_lowercase().is_in(list(YES_NO))
        )
        if bad.height:
            row = bad.row(0, named=True)
            raise InputError(
                path,
                f"{SCHOOL_FLAG_NAMES[column]} must be Yes or No, not {excerpt(row[column])} "
                "(Y and N are read as Yes and No)",
                int(row["line"]),
                column,
            )
    frame = frame.with_columns(
        pl.col(c).str.to_lowercase().replace_strict(YES_NO, default=None)
        for c in ("title_i", "dass")
    )
    lined = frame.with_row_index("line", offset=2)
    bad = lined.filter(pl.col("cds").str.contains(CDS_PATTERN).not_().fill_null(True))
    if bad.height:
        row = bad.row(0, named=True)
        raise InputError(
            path, f"{excerpt(row['cds'])} is not a 14-digit CDS code", int(row["line"]), "cds"
        )
    repeated = lined.filter(pl.col("cds").is_duplicated())
    if repeated.height:
        cds = repeated.item(0, "cds")
        lines = repeated.filter(pl.col("cds") == cds).get_column("line").head(5).to_list()
        raise InputError(
            path,
            f"school {cds} appears {len(lines)} times: lines {', '.join(map(str, lines))}",
            int(lines[0]),
            "cds",
        )
    return frame


def read_prior_essa_status(path: Path | str, year: int) -> pl.DataFrame:
    """``cds, status`` for ``year`` from CDE's ESSA file or a ``support essa`` output table.

    The student group columns (``AA`` … ``WH``, ``TOM`` for two or more races: 1 when the group
    made the school ATSI or TSI) come along as whole numbers when the file has them: a non-entry
    year needs them to decide which ATSI groups still meet the criteria.
    """
    path = Path(path)
    frame = read_cde_essa_status(path) if path.suffix.lower() == ".xlsx" else _read_table(path)
    column = f"AssistanceStatus{year}"
    if column not in frame.columns:
        raise InputError(path, f"has no {column} column", line=1, column=column)
    groups = [c for c in ESSA_GROUP_COLUMNS if c in frame.columns]
    return frame.select(
        pl.col("cds").cast(pl.String),
        pl.col(column).cast(pl.String).alias("status"),
        *(pl.col(c).cast(pl.String).str.strip_chars().cast(pl.Int8, strict=False) for c in groups),
    )


def _read_table(path: Path) -> pl.DataFrame:
    frame = read_table(path)
    frame = frame.rename(
        {c: c.lower() for c in frame.columns if c.lower() in ("cds", "title_i", "dass")}
    )
    if "cds" not in frame.columns:
        raise InputError(path, "missing column cds", line=1, column="cds")
    return frame
