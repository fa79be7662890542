"""A projected Dashboard from student records: every state indicator's CDE-shaped rows, their
levels and colours (``compute_levels``), and the support determinations that follow
(``determine_da``; ESSA where the year has ESSA rules)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from continuum.dashboard.files import OUTPUT_COLUMNS, OUTPUT_SCHEMA, TEXT_COLUMNS
from continuum.dashboard.levels import compute_levels, levels_table
from continuum.dashboard.rules import COLOUR_NAMES
from continuum.dashboard.students.academic import distance_from_standard
from continuum.dashboard.students.cci import college_career
from continuum.dashboard.students.chronic import chronic_absenteeism
from continuum.dashboard.students.common import Counts, with_numeric_cds, with_text_cds
from continuum.dashboard.students.elpi import english_learner_progress
from continuum.dashboard.students.graduation import graduation_rate
from continuum.dashboard.students.inputs import StudentRecords
from continuum.dashboard.students.output import (
    PREFIX,
    cde_rows,
    prior_from_counts,
    prior_from_dashboard,
)
from continuum.dashboard.students.suspension import suspension_rate
from continuum.support.assistance import DaDetermination, determine_da
from continuum.support.essa import (
    EssaDetermination,
    determine_essa,
    essa_years,
    load_essa_rules,
)
from continuum.support.levels_input import normalise_levels
from continuum.support.rules import available_years

Calculator = Callable[[StudentRecords, int], Counts]


def _ela(records: StudentRecords, year: int) -> Counts:
    return distance_from_standard(records, year, "ELA")


def _math(records: StudentRecords, year: int) -> Counts:
    return distance_from_standard(records, year, "MATH")


# Indicator → (calculator, the table and the earliest year offset its prior year needs).
CALCULATORS: dict[str, tuple[Calculator, str, int]] = {
    "ELA": (_ela, "caaspp", 1),
    "MATH": (_math, "caaspp", 1),
    "CHRO": (chronic_absenteeism, "attendance", 1),
    "SUSP": (suspension_rate, "enrollments", 1),
    "GRAD": (graduation_rate, "graduation", 1),
    "CCI": (college_career, "graduation", 1),
    "ELPI": (english_learner_progress, "elpac", 2),
}
GROUP_NAMES = {
    "ALL": "All students", "AA": "Black/African American students",
    "AI": "American Indian or Alaska Native students", "AS": "Asian students",
    "FI": "Filipino students", "HI": "Hispanic students", "PI": "Pacific Islander students",
    "WH": "White students", "MR": "Students of two or more races", "EL": "English learners",
    "LTEL": "Long-term English learners", "SED": "Socioeconomically disadvantaged students",
    "SWD": "Students with disabilities", "FOS": "Foster youth", "HOM": "Homeless students",
}  # fmt: skip
INDICATOR_NAMES = {
    "ELA": "ELA", "MATH": "Math", "CHRO": "Chronic absenteeism", "SUSP": "Suspension",
    "GRAD": "Graduation", "CCI": "College/Career", "ELPI": "English learner progress",
}  # fmt: skip


@dataclass(frozen=True)
class Projection:
    """Everything ``continuum project`` writes, before it is written."""

    year: int
    files: dict[str, pl.DataFrame]  # file prefix (ela, chronic, …) → CDE-shaped rows, as text
    levels: pl.DataFrame  # levels_table of the projected rows
    da: DaDetermination | None
    essa: EssaDetermination | None
    notes: list[str]


def _has_year(records: StudentRecords, table: str, year: int) -> bool:
    frame = getattr(records, table)
    return frame is not None and not frame.filter(pl.col("year") == year).is_empty()


def projected_files(
    records: StudentRecords,
    year: int,
    prior_dashboard: pl.DataFrame | None,
    advance: Callable[[str], None] = lambda _: None,
) -> tuple[dict[str, pl.DataFrame], list[str]]:
    """CDE-shaped rows per file prefix for every indicator with records in ``year``."""
    files: dict[str, pl.DataFrame] = {}
    notes: list[str] = []
    numeric = with_numeric_cds(records)
    for indicator, (calculate, table, back) in CALCULATORS.items():
        advance(INDICATOR_NAMES[indicator])
        if not _has_year(records, table, year):
            notes.append(f"{INDICATOR_NAMES[indicator]}: no {table} records for {year}")
            continue
        counts = with_text_cds(calculate(numeric, year))
        prior_counts = None
        if (
            _has_year(records, table, year - back)
            and records.students.filter(pl.col("year") == year - 1).height
        ):
            prior_counts = with_text_cds(calculate(numeric, year - 1))
            prior = prior_from_counts(prior_counts)
        elif prior_dashboard is not None:
            prior = prior_from_dashboard(
                prior_dashboard.filter(pl.col("reportingyear") == year - 1),
                indicator,
                counts.scale,
            )
        else:
            prior = None
            notes.append(f"{INDICATOR_NAMES[indicator]}: no prior year, so no change or colour")
        files[PREFIX[indicator]] = cde_rows(counts, prior, records.entities, prior_counts)
    return files, notes


def as_dashboard_frame(files: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """The projected rows in the schema ``read_dashboard_files`` returns, for the engines."""
    frames = []
    for prefix, frame in files.items():
        lowered = frame.rename({c: c.lower() for c in frame.columns})
        frames.append(
            lowered.with_row_index("source_line", offset=2).select(
                *(
                    pl.col(c).cast(OUTPUT_SCHEMA[c])
                    if c in lowered.columns and c in (*TEXT_COLUMNS, *_NUMBERS)
                    else pl.lit(None, OUTPUT_SCHEMA[c]).alias(c)
                    for c in OUTPUT_COLUMNS[:-4]
                ),
                pl.col("indicator"),
                pl.col("reportingyear").cast(pl.Int32),
                pl.lit(f"{prefix} (projected)").cast(pl.Categorical).alias("source_file"),
                pl.col("source_line").cast(pl.Int64),
            )
        )
    return pl.concat(frames, how="vertical")


_NUMBERS = ("currnumer", "currdenom", "currstatus", "priornumer", "priordenom", "priorstatus",
            "change")  # fmt: skip


def project(
    records: StudentRecords,
    year: int,
    prior_dashboard: pl.DataFrame | None = None,
    advance: Callable[[str], None] = lambda _: None,
) -> Projection:
    """Project ``year``'s Dashboard and support determinations from student records; the prior
    Dashboard (a frame from ``read_dashboard_files``) gives change where records do not."""
    files, notes = projected_files(records, year, prior_dashboard, advance)
    advance("levels and colours")
    levels = levels_table(compute_levels(as_dashboard_frame(files)))
    by_year = {year: normalise_levels(levels)}
    if prior_dashboard is not None and not prior_dashboard.is_empty():
        prior_levels = normalise_levels(levels_table(compute_levels(prior_dashboard)))
        for prior_year in prior_levels.get_column("reportingyear").unique().to_list():
            if int(prior_year) != year:
                by_year[int(prior_year)] = prior_levels.filter(
                    pl.col("reportingyear") == prior_year
                )
    advance("support determinations")
    da = None
    if year in available_years():
        da = determine_da(by_year, year)
    else:
        notes.append(f"Differentiated Assistance: no DA rules for {year}")
    essa = None
    if year in essa_years() and not load_essa_rules(year).entry_year:
        notes.append(
            f"ESSA: {year} is not an entry year of the CSI/ATSI cycle; its statuses are last "
            "year's kept or ended, which a projection from student records does not have "
            "(use 'continuum support essa --prior')"
        )
    elif year in essa_years():
        schools = records.entities.filter(pl.col("rtype") == "S").select(
            "cds",
            pl.when(pl.col("title_i")).then(pl.lit("Yes")).otherwise(pl.lit("No")).alias("title_i"),
            pl.when(pl.col("dass")).then(pl.lit("Yes")).otherwise(pl.lit("No")).alias("dass"),
        )
        essa = determine_essa(by_year, year, schools=schools)
    else:
        notes.append(f"ESSA: no ESSA rules for {year} (known years: {essa_years()})")
    return Projection(year, files, levels, da, essa, notes)


def _change_words(change: float | None) -> str:
    if change is None:
        return "no prior year"
    if change > 0:
        return f"increased {change:.1f}"
    if change < 0:
        return f"declined {-change:.1f}"
    return "maintained"


def summary_lines(projection: Projection) -> list[str]:
    """Readable aggregate lines per LEA and charter school, e.g. "Hispanic students: ELA
    projected Red (−72.4, declined 4.1)"; no student-level information."""
    rows = projection.levels.filter(
        (pl.col("rtype") == "D") | (pl.col("charter_flag") == "Y")
    ).filter(pl.col("studentgroup").is_in(list(GROUP_NAMES)) & pl.col("currstatus").is_not_null())
    lines: list[str] = []
    da_rows: dict[str, dict[str, object]] = {}
    if projection.da is not None:
        status = f"AssistanceStatus{projection.year}"
        for row in projection.da.table.iter_rows(named=True):
            da_rows[str(row["CDS"])] = {"status": row[status], "why": row.get("Explanation")}
    order = list(INDICATOR_NAMES)
    for (cds,), entity in rows.sort("cds").group_by(["cds"], maintain_order=True):
        first = entity.row(0, named=True)
        name = first["schoolname"] or first["districtname"] or cds
        lines.append(f"{name} ({cds}), projected {projection.year} Dashboard")
        ordered = entity.with_columns(
            pl.col("studentgroup")
            .replace_strict({g: i for i, g in enumerate(GROUP_NAMES)}, return_dtype=pl.Int32)
            .alias("_g"),
            pl.col("indicator")
            .replace_strict(
                {ind: i for i, ind in enumerate(order)}, default=99, return_dtype=pl.Int32
            )
            .alias("_i"),
        ).sort("_g", "_i")
        for row in ordered.iter_rows(named=True):
            colour = COLOUR_NAMES[int(row["color"] or 0)]
            shown = colour if row["color"] else f"status only (n={int(row['currdenom'])})"
            lines.append(
                f"  {GROUP_NAMES[row['studentgroup']]}: {INDICATOR_NAMES[row['indicator']]} "
                f"projected {shown} ({row['currstatus']:.1f}, {_change_words(row['change'])})"
            )
        if cds in da_rows:
            lines.append(f"  Differentiated Assistance: {da_rows[cds]['status'] or 'not eligible'}")
    if projection.essa is not None:
        status = f"AssistanceStatus{projection.year}"
        identified = projection.essa.table.filter(pl.col(status).is_not_null())
        lines.append(f"ESSA: {identified.height} schools identified")
    lines.extend(f"Note: {note}" for note in projection.notes)
    return lines
