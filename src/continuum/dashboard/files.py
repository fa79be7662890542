"""Readers for CDE Dashboard download files (``{ela,math,…}download{YYYY}.txt`` and ``.xlsx``).

A reader returns one normalised frame per file: CDE's column names in lower case (CDE's own files
are not consistent about case, e.g. ``changeLevel``), blanks and ``*`` as missing, numbers typed,
and the published level columns renamed ``published_*`` so that nothing downstream can mistake them
for the engine's own. The year's rule file says which columns each indicator needs.
"""

from __future__ import annotations

import io
import mmap
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from continuum.dashboard.rules import (
    INDICATORS,
    RuleSet,
    available_years,
    load_rules,
    year_of_label,
)
from continuum.errors import InputError, RuleError, excerpt
from continuum.formats.text import text_encoding, utf8_source
from continuum.formats.xlsx import WorkbookLimits, check_workbook

FILE_PREFIXES = {
    "ela": "ELA",
    "math": "MATH",
    "chronic": "CHRO",
    "susp": "SUSP",
    "grad": "GRAD",
    "cci": "CCI",
    "elpi": "ELPI",
    "science": "SCIENCE",
    "ela11": "ELA11",
    "math11": "MATH11",
}
# The year is as CDE wrote it: 2025, or 2017f for the fall 2017 Dashboard.
FILE_NAME = re.compile(
    r"^(?P<prefix>[a-z]+(?:11)?)download(?P<year>\d{4}[a-z]?)(?![a-z])", re.IGNORECASE
)
MISSING_VALUES = ["", "*"]
TAB = ord("\t")
RTYPES = ("S", "D", "X", "L")
SUSPENSION_TYPES = ("ED", "HD", "UD", "ES", "MS", "HS")

TEXT_COLUMNS = (
    "cds",
    "rtype",
    "schoolname",
    "districtname",
    "countyname",
    "charter_flag",
    "coe_flag",
    "dass_flag",
    "studentgroup",
    "type",
    "hscutpoints",
    "smalldenom",
    "safetynet",
    "dataerrorflag",
    "certifyflag",
    "priorcertifyflag",
    "flag95pct",
    "flag50pct",
)
NUMBER_COLUMNS = (
    "currnumer",
    "currdenom",
    "currstatus",
    "priornumer",
    "priordenom",
    "priorstatus",
    "change",
    "currtesters",
    "priortesters",
    "currdenom_swd",
    "priordenom_swd",
    *(ELPAC_COLUMNS := ("pl_1", "pl_2", "pl_3", "pl_4", "pltotct")),
)
PUBLISHED_LEVEL_COLUMNS = ("statuslevel", "changelevel", "color", "box")
OUTPUT_COLUMNS = (
    *TEXT_COLUMNS,
    *NUMBER_COLUMNS,
    *(f"published_{c}" for c in PUBLISHED_LEVEL_COLUMNS),
    "indicator",
    "reportingyear",
    "source_file",
    "source_line",
)
# CDE's longest names are under 100 characters; a longer value is damage, not a name.
MAX_TEXT_LENGTH = 200
# What one row is about: two rows with the same key would overwrite each other.
ROW_KEY = ("reportingyear", "indicator", "cds", "studentgroup", "type")
READ_COLUMNS = frozenset(
    (*TEXT_COLUMNS, *NUMBER_COLUMNS, *PUBLISHED_LEVEL_COLUMNS, "indicator", "reportingyear")
)
OUTPUT_SCHEMA: dict[str, pl.DataType] = {
    **{c: pl.String() for c in TEXT_COLUMNS},
    **{c: pl.Float64() for c in NUMBER_COLUMNS},
    **{f"published_{c}": pl.Int16() for c in PUBLISHED_LEVEL_COLUMNS},
    "indicator": pl.String(),
    "reportingyear": pl.Int32(),
    "source_file": pl.Categorical(),
    "source_line": pl.Int64(),
}


@dataclass(frozen=True)
class DashboardFile:
    """One CDE download file, normalised."""

    path: Path
    indicator: str
    year: int
    frame: pl.DataFrame


def read_dashboard_files(
    paths: Iterable[Path | str], *, limits: WorkbookLimits | None = None
) -> pl.DataFrame:
    """Read several download files (any mix of indicators and years) into one normalised frame;
    a row that two files both hold is refused (see :func:`refuse_duplicate_rows`)."""
    frames = [
        read_dashboard_file(path, limits=limits, check_duplicates=False).frame for path in paths
    ]
    if not frames:
        return pl.DataFrame(schema=OUTPUT_SCHEMA)
    combined = pl.concat(frames, how="vertical")
    refuse_duplicate_rows(combined)
    return combined


def read_dashboard_file(
    path: Path | str, *, limits: WorkbookLimits | None = None, check_duplicates: bool = True
) -> DashboardFile:
    """Read one download file; a bad file raises InputError naming file, line and column.

    ``limits`` bound what a workbook may hold (default: the process's, see
    ``continuum.formats.xlsx.workbook_limits``). ``check_duplicates=False`` leaves repeated rows
    to the caller, which checks the files it reads together once
    (:func:`refuse_duplicate_rows`; one pass over all rows instead of one per file and one more
    across them)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such file")
    raw, typed = _read_raw(path, limits)
    if raw.height == 0:
        raise InputError(path, "has a header but no rows")
    columns = {name.lower(): name for name in raw.columns}
    if len(columns) != len(raw.columns):
        lowered = [name.lower() for name in raw.columns]
        duplicated = sorted({name for name in lowered if lowered.count(name) > 1})
        raise InputError(
            path, f"column names repeat (ignoring case): {excerpt(duplicated, 80)}", line=1
        )
    raw = raw.rename({original: lower for lower, original in columns.items()})
    indicator, year = _identify(path, raw)
    try:
        rules = load_rules(year)
        indicator_rules = rules.indicator(indicator)
    except RuleError as error:
        raise InputError(path, f"{error.message} ({indicator} {year})") from error
    absent = {c: v for c, v in indicator_rules.absent_columns.items() if c not in raw.columns}
    if absent:
        raw = raw.with_columns(pl.lit(value).alias(column) for column, value in absent.items())
        columns.update({column: column for column in absent})
    missing = [c for c in indicator_rules.required_columns if c not in raw.columns]
    if missing:
        raise InputError(
            path,
            f"missing required column(s) {', '.join(missing)} for {indicator} {year}",
            line=1,
            column=missing[0],
        )
    frame = _typed(path, raw, columns, indicator, year, rules, already_typed=typed)
    if check_duplicates:
        refuse_duplicate_rows(frame)
    return DashboardFile(path=path, indicator=indicator, year=year, frame=frame)


def _read_raw(path: Path, limits: WorkbookLimits | None) -> tuple[pl.DataFrame, bool]:
    """The file with its own header; blanks and ``*`` as missing. Text files are parsed with the
    number columns typed (the fast path); if any value does not parse, everything is read as text
    so that ``_typed`` can say which line and column is wrong. Returns (frame, typed)."""
    if path.suffix.lower() == ".xlsx":
        return _read_workbook(path, limits), False
    if path.suffix.lower() == ".xls":
        raise InputError(path, "is an Excel 97–2003 workbook (.xls); save it as .xlsx")
    encoding = text_encoding(path)
    separator = "," if path.suffix.lower() == ".csv" else "\t"
    with path.open("rb") as handle:
        header = handle.readline().decode(encoding).removeprefix("\ufeff").rstrip("\r\n")
    if not header.strip():
        raise InputError(path, "has no header line", line=1)
    names = header.split(separator)
    # Only the columns the engine uses are parsed (CCI files carry a hundred others).
    wanted = [name for name in names if name.lower() in READ_COLUMNS]
    types: dict[str, pl.DataType] = {}
    for name in wanted:
        if name.lower() in NUMBER_COLUMNS:
            types[name] = pl.Float64()
        elif name.lower() in PUBLISHED_LEVEL_COLUMNS:
            types[name] = pl.Int16()
    source = utf8_source(path, encoding)
    try:
        frame, typed = _parse(source, separator, wanted, types), True
    except pl.exceptions.PolarsError:
        try:
            frame, typed = _parse(source, separator, wanted, {}), False
        except pl.exceptions.PolarsError as error:
            raise _broken_row(path, separator) or InputError(
                path, f"cannot read the file: {error}"
            ) from error
    # Polars pads short rows with nulls and, reading only some columns, ignores extra fields.
    # Every row has len(names) - 1 tabs, so one count over the file tells whether any row is
    # broken; only then are the lines scanned to say which.
    if separator == "\t" and _tab_count(path) != (len(names) - 1) * (frame.height + 1):
        error_or_none = _broken_row(path, separator)
        if error_or_none is not None:
            raise error_or_none
    return frame, typed


def _read_workbook(path: Path, limits: WorkbookLimits | None) -> pl.DataFrame:
    """The first sheet, every value as stripped text, once the workbook passes ``limits``."""
    check_workbook(path, limits)
    try:
        frame = pl.read_excel(path, engine="calamine", infer_schema_length=0)
    except pl.exceptions.PolarsError as error:
        raise InputError(path, f"cannot read the workbook: {excerpt(error, 120)}") from error
    except Exception as error:  # fastexcel raises its own types for damaged workbooks
        raise InputError(path, f"cannot read the workbook: {excerpt(error, 120)}") from error
    stripped = frame.with_columns(pl.all().cast(pl.String).str.strip_chars())
    return stripped.with_columns(
        pl.when(pl.all().is_in(MISSING_VALUES)).then(None).otherwise(pl.all()).name.keep()
    )


def _tab_count(path: Path) -> int:
    """Tabs in the file: NumPy compares a memory map chunk by chunk (several times faster than
    ``bytes.count``, and the file is never copied whole)."""
    chunk = 1 << 22
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
        octets = np.frombuffer(view, dtype=np.uint8)
        tabs = sum(
            int(np.count_nonzero(octets[start : start + chunk] == TAB))
            for start in range(0, octets.size, chunk)
        )
        del octets  # the map cannot close while an array still points into it
    return tabs


def _parse(
    source: Path | io.BytesIO, separator: str, columns: list[str], types: dict[str, pl.DataType]
) -> pl.DataFrame:
    """Parse delimited UTF-8 text, columns not in ``types`` as text."""
    if isinstance(source, io.BytesIO):
        source.seek(0)
    return pl.read_csv(
        source,
        columns=columns,
        separator=separator,
        infer_schema_length=0,
        null_values=MISSING_VALUES,
        quote_char='"' if separator == "," else None,
        schema_overrides=types,
    )


def _broken_row(path: Path, separator: str) -> InputError | None:
    """Find the first row whose field count differs from the header's (slow path, errors only)."""
    # Bytes, not text: a separator is one byte in every encoding read, and bytes split only
    # at line ends (text would also split at the form feeds and other breaks of Unicode).
    mark = separator.encode()
    lines = path.read_bytes().splitlines()
    width = lines[0].count(mark) + 1
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == b"":
            continue
        fields = line.count(mark) + 1
        if separator == "\t" and fields != width:
            return InputError(
                path, f"row has {fields} fields but the header has {width}", line=number
            )
    return None


def _identify(path: Path, raw: pl.DataFrame) -> tuple[str, int]:
    """Indicator and Dashboard year: the file's own columns win, its CDE-style name is the
    fallback, and the two must not contradict each other."""
    match = FILE_NAME.match(path.name)
    named_indicator = FILE_PREFIXES.get(match.group("prefix").lower()) if match else None
    named_year = match.group("year").upper() if match else None
    indicator = _single_value(path, raw, "indicator") or named_indicator
    year = _single_value(path, raw, "reportingyear") or named_year
    for column, named, found in (
        ("indicator", named_indicator, indicator),
        ("reportingyear", named_year, year),
    ):
        if named is not None and found != named and not _same_year(column, named, found):
            raise InputError(
                path,
                f"the file name says {named} but the column says {excerpt(found)}",
                column=column,
            )
    if indicator not in INDICATORS:
        raise InputError(
            path,
            "cannot tell the indicator: name the file like CDE does "
            "(e.g. eladownload2025.txt) or include an 'indicator' column",
        )
    if year is None:
        raise InputError(
            path,
            "cannot tell the Dashboard year: name the file like CDE does "
            "(e.g. eladownload2025.txt) or include a 'reportingyear' column",
        )
    known = year_of_label(year)
    if known is not None:
        return indicator, known
    if not year.isdigit():
        labels = ", ".join(label for y in available_years() for label in load_rules(y).labels)
        raise InputError(path, f"{excerpt(year)} is not a Dashboard year (CDE wrote: {labels})")
    return indicator, int(year)


def _same_year(column: str, named: str, found: str | None) -> bool:
    """True when a file name and its reportingyear column write one Dashboard year two ways
    that the year's rule file both lists (e.g. 2017F and 2017f)."""
    return (
        column == "reportingyear"
        and found is not None
        and year_of_label(named) is not None
        and year_of_label(named) == year_of_label(found)
    )


def _single_value(path: Path, raw: pl.DataFrame, column: str) -> str | None:
    """The one value a whole-file column holds (upper-cased), or None if absent or empty."""
    if column not in raw.columns:
        return None
    values = raw.get_column(column).drop_nulls()
    if values.is_empty():
        return None
    first = values[0]
    if (values != first).any():
        several = sorted(values.str.strip_chars().str.to_uppercase().unique().to_list())
        raise InputError(path, f"holds several values: {excerpt(several, 80)}", column=column)
    return str(first).strip().upper()


def _typed(
    path: Path,
    raw: pl.DataFrame,
    original_names: dict[str, str],
    indicator: str,
    year: int,
    rules: RuleSet,
    *,
    already_typed: bool,
) -> pl.DataFrame:
    """Cast to the output schema, reporting the first value that is not of its column's type."""
    present = set(raw.columns)
    number_columns = [c for c in NUMBER_COLUMNS if c in present]
    level_columns = [c for c in PUBLISHED_LEVEL_COLUMNS if c in present]
    renamed = {c: f"published_{c}" for c in level_columns}
    if already_typed:
        cast = raw.rename(renamed)
    else:
        frame = raw.with_columns(
            pl.col(c).str.strip_chars() for c in (*number_columns, *level_columns)
        )
        casts = [pl.col(c).cast(pl.Float64, strict=False).alias(c) for c in number_columns]
        casts += [pl.col(c).cast(pl.Int16, strict=False).alias(renamed[c]) for c in level_columns]
        cast = frame.with_columns(casts)
        checks = [(c, c) for c in number_columns] + list(renamed.items())
        _raise_first_bad_value(path, frame, cast, checks, original_names)
    _check_codes(path, cast, original_names, indicator, rules)
    line = pl.int_range(2, cast.height + 2, dtype=pl.Int64)
    return cast.select(
        *(
            pl.col(c).cast(OUTPUT_SCHEMA[c])
            if c in cast.columns
            else pl.lit(None, OUTPUT_SCHEMA[c]).alias(c)
            for c in OUTPUT_COLUMNS[:-4]
        ),
        pl.lit(indicator).alias("indicator"),
        pl.lit(year, pl.Int32).alias("reportingyear"),
        pl.lit(str(path)).cast(pl.Categorical).alias("source_file"),
        line.alias("source_line"),
    )


def _raise_first_bad_value(
    path: Path,
    text: pl.DataFrame,
    cast: pl.DataFrame,
    checks: Sequence[tuple[str, str]],
    original_names: dict[str, str],
) -> None:
    if not checks:
        return
    bad = pl.any_horizontal(
        pl.col(source).is_not_null() & cast_col.is_null()
        for source, cast_col in ((s, cast.get_column(t)) for s, t in checks)
    )
    flagged = text.with_row_index("row").filter(bad)
    if flagged.is_empty():
        return
    row = flagged.row(0, named=True)
    index = int(row["row"])
    for source, target in checks:
        if row[source] is not None and cast.get_column(target)[index] is None:
            kind = "a whole number" if target.startswith("published_") else "a number"
            raise InputError(
                path,
                f"{excerpt(row[source])} is not {kind}",
                line=index + 2,
                column=original_names[source],
            )


def _check_codes(
    path: Path,
    frame: pl.DataFrame,
    original_names: dict[str, str],
    indicator: str,
    rules: RuleSet,
) -> None:
    """CDS codes, record types and suspension types must be ones CDE uses."""
    checks: list[tuple[str, pl.Expr, str]] = [
        ("cds", pl.col("cds").str.contains(r"^\d{14}$").not_(), "is not a 14-digit CDS code"),
        ("rtype", pl.col("rtype").is_in(RTYPES).not_(), f"is not a record type {RTYPES}"),
    ]
    if rules.indicator(indicator).variant_by == "type":
        variants = tuple(rules.indicator(indicator).status_cuts)
        checks.append(("type", pl.col("type").is_in(variants).not_(), f"is not one of {variants}"))
    checks.append(("studentgroup", pl.col("studentgroup").is_null(), "is missing"))
    checks += [
        (
            column,
            pl.col(column).str.len_chars().fill_null(0) > MAX_TEXT_LENGTH,
            f"is longer than {MAX_TEXT_LENGTH} characters",
        )
        for column in TEXT_COLUMNS
        if column in frame.columns
    ]
    # One pass tells whether anything is wrong; only then is the first bad row looked for.
    found = frame.select(
        bad.fill_null(True).any().alias(str(index)) for index, (_, bad, _) in enumerate(checks)
    ).row(0)
    for (column, bad, message), any_bad in zip(checks, found, strict=True):
        if any_bad:
            row = frame.with_row_index("row").filter(bad.fill_null(True)).row(0, named=True)
            raise InputError(
                path,
                f"{excerpt(row[column])} {message}",
                line=int(row["row"]) + 2,
                column=original_names[column],
            )


def refuse_duplicate_rows(frame: pl.DataFrame, key: Sequence[str] = ROW_KEY) -> None:
    """Refuse rows that repeat a ``key`` (by default year, indicator, CDS code, student group and
    type) already given, in one file or across several, naming the file(s) and the lines of the
    first few (they would overwrite each other). Files are named by their base names, or by their
    paths when two of them share a name."""
    repeated = frame.filter(pl.struct(key).is_duplicated())
    if repeated.is_empty():
        return
    first = repeated.row(0, named=True)
    same = repeated.filter(
        pl.all_horizontal(pl.col(c).eq_missing(pl.lit(first[c], frame.schema[c])) for c in key)
    )
    found = [
        (str(file), int(line)) for file, line in same.select("source_file", "source_line").rows()
    ]
    order = {file: index for index, file in enumerate(dict.fromkeys(file for file, _ in found))}
    places = sorted(found, key=lambda place: (order[place[0]], place[1]))[:5]
    by_name = len({Path(file).name for file in order}) == len(order)
    group = f"{first['cds']} {first['studentgroup']}" + (
        f" {first['type']}" if "type" in key and first["type"] else ""
    )
    lines = ", ".join(str(line) for _, line in places)
    where = (
        f"lines {lines}"
        if len(order) == 1
        else "; ".join(
            f"{Path(file).name if by_name else file} line {line}" for file, line in places
        )
    )
    raise InputError(
        places[0][0],
        f"the row for {group} ({first['indicator']} {first['reportingyear']}) appears "
        f"{same.height} times: {where}",
        line=places[0][1],
    )
