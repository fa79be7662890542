"""Synthetic TOMS CAASPP and Summative ELPAC Student Score Data Files, in every year's layout.

The records come from the synthetic students' ``caaspp`` and ``elpac`` tables; the layout (every
column, in order, or every fixed-width position) from ``continuum.formats.toms``. Only the fields
Continuum reads are filled; names, birth dates and the rest stay blank, so nothing here looks
like a real student. ``damaged=True`` writes what a spreadsheet's re-save does: leading zeros
dropped, dates rewritten, trailing empty columns (delimited files), a byte-order mark and CRLF
line ends.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from continuum.formats.toms import (
    CARET,
    FIXED,
    TomsLayout,
    field_specs,
    header_key,
    record_types,
)

ELPAC_RECORD_TYPE = {2018: "SA", 2019: "SA", 2020: "SE"}  # 2021 on: 21 (Alternate: 23)
DAMAGE_COLUMNS = 3  # empty columns a spreadsheet adds at the end of each line


def _code_of(test: str) -> dict[str, str]:
    """``SUBJECT/TEST`` (``ELA/SBA``; ``/ALT`` for ELPAC) → record type code."""
    return {f"{t.subject or ''}/{t.test}": code for code, t in record_types(test).items() if t.test}


def caaspp_fields(caaspp: pl.DataFrame) -> pl.DataFrame:
    """A ``caaspp`` table's rows as the TOMS fields Continuum reads (text)."""
    codes = _code_of("CAASPP")
    return caaspp.select(
        pl.concat_str("subject", pl.lit("/"), "test").replace_strict(codes).alias("record_type"),
        pl.col("student_id").alias("ssid"),
        pl.col("grade").cast(pl.String).str.zfill(2).alias("grade"),
        (pl.col("cds").str.slice(0, 7) + pl.lit("0000000")).alias("district_code"),
        pl.col("cds").alias("school_code"),
        pl.when(pl.col("attempted"))
        .then(pl.lit("Y"))
        .otherwise(pl.lit("N"))
        .alias("attemptedness"),
        pl.when(pl.col("condition") == "IRR")
        .then(pl.lit("R"))
        .when(pl.col("condition").is_in(["NTE", "PGE"]) | pl.col("attempted").not_())
        .then(pl.lit("N"))
        .otherwise(pl.lit("Y"))
        .alias("include_indicator"),
        pl.when(pl.col("condition").is_in(["NTE", "PGE"]))
        .then(pl.col("condition"))
        .otherwise(pl.lit(""))
        .alias("condition_code"),
        pl.col("scale_score").cast(pl.String).fill_null("").alias("scale_score"),
        pl.col("test_date").dt.strftime("%Y-%m-%d").fill_null("").alias("test_date"),
    )


def elpac_fields(elpac: pl.DataFrame, year: int) -> pl.DataFrame:
    """An ``elpac`` table's rows of ``year`` as the TOMS fields Continuum reads (text)."""
    summative = ELPAC_RECORD_TYPE.get(year, "21")
    alternate = _code_of("ELPAC")["/ALT"]
    return elpac.select(
        pl.when(pl.col("test") == "ALT")
        .then(pl.lit(alternate))
        .otherwise(pl.lit(summative))
        .alias("record_type"),
        pl.col("student_id").alias("ssid"),
        pl.col("grade")
        .cast(pl.String)
        .str.replace("^-1$", "TK")
        .str.replace("^0$", "KN")
        .str.zfill(2)
        .alias("grade"),
        (pl.col("cds").str.slice(0, 7) + pl.lit("0000000")).alias("district_code"),
        pl.col("cds").alias("school_code"),
        pl.col("scale_score").cast(pl.String).fill_null("").alias("scale_score"),
        pl.col("alt_level").fill_null("").alias("performance_level"),
    )


def only_tested(fields: pl.DataFrame) -> pl.DataFrame:
    """The records of TOMS's Tested variant: students who took the test (CAASPP attemptedness
    Y or P; ELPAC a score or an Alternate ELPAC level). The Enrolled variant is every record."""
    if "attemptedness" in fields.columns:
        return fields.filter(pl.col("attemptedness").is_in(["Y", "P"]))
    return fields.filter((pl.col("scale_score") != "") | (pl.col("performance_level") != ""))


def write_toms_file(
    fields: pl.DataFrame, layout: TomsLayout, path: Path, *, shape: str, damaged: bool = False
) -> None:
    """Write ``fields`` (from ``caaspp_fields``/``elpac_fields``, all of them for the Enrolled
    variant, ``only_tested`` for the Tested) as ``layout``'s file in ``shape`` (caret, comma or
    fixed width); a field the layout lacks is left out."""
    if damaged:
        fields = _damaged(fields)
    end = "\r\n" if damaged else "\n"
    if shape == FIXED:
        lines = _fixed_lines(fields, layout)
    else:
        lines = _delimited_lines(fields, layout, "^" if shape == CARET else ",", damaged)
    text = end.join(lines) + end
    path.write_text(("\ufeff" if damaged else "") + text, encoding="utf-8", newline="")


def _damaged(fields: pl.DataFrame) -> pl.DataFrame:
    """What a spreadsheet does: numbers lose leading zeros, dates become D-M-YYYY."""
    numeric = [
        name
        for name, spec in field_specs().items()
        if spec.width is not None and name in fields.columns
    ]
    lost = [
        pl.when(pl.col(n).str.contains(r"^\d+$"))
        .then(pl.col(n).str.strip_chars_start("0").replace("", "0"))
        .otherwise(pl.col(n))
        .alias(n)
        for n in numeric
    ]
    if "test_date" in fields.columns:
        parsed = pl.col("test_date").str.to_date("%Y-%m-%d", strict=False)
        lost.append(
            pl.when(parsed.is_not_null())
            .then(
                pl.concat_str(
                    parsed.dt.day().cast(pl.String),
                    pl.lit("-"),
                    parsed.dt.month().cast(pl.String).str.zfill(2),
                    pl.lit("-"),
                    parsed.dt.year().cast(pl.String),
                )
            )
            .otherwise(pl.col("test_date"))
            .alias("test_date")
        )
    return fields.with_columns(lost)


def _by_column(fields: pl.DataFrame, names: list[str]) -> list[pl.Expr]:
    specs = field_specs()
    taken: set[str] = set()
    columns = []
    for index, name in enumerate(names):
        key = header_key(name)
        match = next(
            (s.name for s in specs.values() if key in s.names and s.name not in taken), None
        )
        if match is not None and match in fields.columns:
            taken.add(match)
            columns.append(pl.col(match).alias(f"c{index}"))
        else:
            columns.append(pl.lit("").alias(f"c{index}"))
    return columns


def _delimited_lines(
    fields: pl.DataFrame, layout: TomsLayout, separator: str, damaged: bool
) -> list[str]:
    names = list(layout.columns)
    extra = [""] * DAMAGE_COLUMNS if damaged else []
    header = separator.join([*names, *extra])
    body = fields.select(
        pl.concat_str(_by_column(fields, names), separator=separator).alias("line")
    ).get_column("line")
    if damaged:
        body = body + separator * DAMAGE_COLUMNS
    return [header, *body.to_list()]


def _fixed_lines(fields: pl.DataFrame, layout: TomsLayout) -> list[str]:
    length = layout.record_length
    if length is None:
        raise ValueError(f"the {layout.describe()} has no fixed-width layout")
    positions = layout.position_of()
    parts: list[pl.Expr] = []
    cursor = 0
    for name, (start, size) in sorted(positions.items(), key=lambda item: item[1][0]):
        if name not in fields.columns:
            continue
        parts.append(pl.lit(" " * (start - cursor)))
        parts.append(pl.col(name).str.pad_end(size).str.slice(0, size))
        cursor = start + size
    parts.append(pl.lit(" " * (length - cursor)))
    return fields.select(pl.concat_str(parts).alias("line")).get_column("line").to_list()
