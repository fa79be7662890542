"""Rows in the shape of CDE's download files, from calculator counts and the prior year.

The prior year comes either from the prior year's student records (exact: change is computed
from both unrounded statuses) or from the prior Dashboard's download files: there a rate's
numerator and denominator are exact too, but an average distance from standard is only known
rounded to 0.1, so its change is computed from the rounded prior status.
"""

from __future__ import annotations

import polars as pl

from continuum.dashboard.files import FILE_PREFIXES
from continuum.dashboard.rules import latest_rules, load_rules
from continuum.dashboard.students.common import KEY, Counts, change_tenths, status_tenths
from continuum.dashboard.students.elpi import CATEGORIES
from continuum.formats.dashboard_downloads import file_layouts

PREFIX = {indicator: prefix for prefix, indicator in FILE_PREFIXES.items()}
ELPI_COLUMNS = {
    "progressed": "progressed", "maintainpl4": "maintainPL4", "maintainoth": "maintainOth",
    "declined": "declined", "progressed_alternate": "progressed_Alternate",
    "maintainpl3_alternate": "maintainPL3_Alternate",
    "notprognotmain_alternate": "notprognotmain_Alternate",
}  # fmt: skip
PRIOR_SCHEMA = {
    "cds": pl.String, "rtype": pl.String, "studentgroup": pl.String, "p_numer": pl.Int64,
    "p_denom": pl.Int64, "p_shown_numer": pl.Int64, "p_shown_denom": pl.Int64,
}  # fmt: skip


def prior_from_counts(prior: Counts) -> pl.DataFrame:
    """The prior year as computed from its own student records (exact)."""
    return prior.frame.select(
        *KEY,
        pl.col("numer").alias("p_numer"),
        pl.col("denom").alias("p_denom"),
        pl.col("numer").alias("p_shown_numer"),
        pl.col("denom").alias("p_shown_denom"),
    )


def prior_from_dashboard(dashboard: pl.DataFrame, indicator: str, scale: int) -> pl.DataFrame:
    """The prior year from a frame read by ``read_dashboard_files`` (its current columns)."""
    rows = dashboard.filter(pl.col("indicator") == indicator)
    numer = pl.col("currnumer").cast(pl.Int64)
    denom = pl.col("currdenom").cast(pl.Int64)
    exact = (
        pl.lit(latest_rules().indicator(indicator).status_source == "rate")
        & numer.is_not_null()
        & denom.is_not_null()
        & (denom > 0)
    )
    tenths = (pl.col("currstatus") * 10).round(0).cast(pl.Int64)
    return rows.select(
        *KEY,
        pl.when(exact).then(numer).otherwise(tenths).alias("p_numer"),
        pl.when(exact)
        .then(denom)
        .when(tenths.is_not_null())
        .then(pl.lit(10 * scale))
        .alias("p_denom"),
        numer.alias("p_shown_numer"),
        denom.alias("p_shown_denom"),
    ).unique(KEY, keep="first")


def _number(value: pl.Expr) -> pl.Expr:
    return value.cast(pl.Int64).cast(pl.String)


def _tenths_text(tenths: pl.Expr) -> pl.Expr:
    """Tenths as CDE prints them: one decimal, '-0.0' never written."""
    return (tenths.cast(pl.Float64) / 10).round(1).cast(pl.String)


def _yes(condition: pl.Expr) -> pl.Expr:
    return pl.when(condition).then(pl.lit("Y"))


def cde_rows(
    counts: Counts,
    prior: pl.DataFrame | None,
    entities: pl.DataFrame,
    prior_counts: Counts | None = None,
) -> pl.DataFrame:
    """One row per entity and student group with a denominator, in the columns (and order) of
    CDE's download file for the indicator and year; every value as text, blanks as null."""
    rules = load_rules(counts.year)
    threshold = rules.reporting_threshold
    layout = file_layouts(counts.year)[PREFIX[counts.indicator]]
    scale = counts.scale
    prior = prior if prior is not None else pl.DataFrame(schema=PRIOR_SCHEMA)
    names = entities.select(
        "cds",
        pl.when(pl.col("rtype") == "S").then(pl.col("name")).alias("schoolname"),
        pl.col("district_name").alias("districtname"),
        pl.col("county_name").alias("countyname"),
        _yes(pl.col("charter")).alias("charter_flag"),
        _yes(pl.col("coe")).alias("coe_flag"),
        _yes(pl.col("dass")).alias("dass_flag"),
        pl.col("type").alias("_type"),
    )
    frame = (
        counts.frame.filter(pl.col("denom") > 0)
        .join(names, on="cds", how="inner")
        .join(prior, on=KEY, how="left")
    )
    if prior_counts is not None and counts.indicator in ("ELA", "MATH", "ELPI"):
        extra = [c for c in prior_counts.frame.columns if c not in (*KEY, "numer", "denom")]
        frame = frame.join(
            prior_counts.frame.select(*KEY, *(pl.col(c).alias(f"prior_{c}") for c in extra)),
            on=KEY,
            how="left",
        )
    numer, denom = pl.col("numer"), pl.col("denom")
    p_numer, p_denom = pl.col("p_numer"), pl.col("p_denom")
    shown = denom >= threshold
    prior_shown = pl.col("p_shown_denom").fill_null(threshold) >= threshold
    curr_status = pl.when(shown).then(status_tenths(numer, denom, scale))
    prior_status = pl.when(prior_shown).then(status_tenths(p_numer, p_denom, scale))
    change = pl.when(curr_status.is_not_null() & prior_status.is_not_null()).then(
        change_tenths(numer, denom, p_numer, p_denom, scale)
    )
    reduced = pl.col("studentgroup").is_in(rules.reduced_n_size_groups) & pl.col("rtype").is_in(
        rules.reduced_n_size_rtypes
    )
    n_size = pl.when(reduced).then(rules.reduced_n_size).otherwise(rules.colour_n_size)
    columns: dict[str, pl.Expr] = {
        "cds": pl.col("cds"),
        "rtype": pl.col("rtype"),
        "schoolname": pl.col("schoolname"),
        "districtname": pl.col("districtname"),
        "countyname": pl.col("countyname"),
        "charter_flag": pl.col("charter_flag"),
        "coe_flag": pl.col("coe_flag"),
        "dass_flag": pl.col("dass_flag"),
        "studentgroup": pl.col("studentgroup"),
        "type": pl.col("_type"),
        "currdenom": _number(denom),
        "currstatus": _tenths_text(curr_status),
        "priordenom": _number(pl.col("p_shown_denom")),
        "priorstatus": _tenths_text(prior_status),
        "change": _tenths_text(change),
        "currnsizemet": _yes(denom >= n_size),
        "priornsizemet": _yes(pl.col("p_shown_denom") >= n_size),
        "accountabilitymet": _yes((denom >= n_size) & (pl.col("p_shown_denom") >= n_size)),
        "indicator": pl.lit(counts.indicator),
        "reportingyear": pl.lit(str(counts.year)),
    }
    if rules.indicator(counts.indicator).status_source == "rate":
        columns["currnumer"] = _number(numer)
        columns["priornumer"] = _number(pl.col("p_shown_numer"))
    if rules.indicator(counts.indicator).small_denominator != "none":
        small = denom < rules.small_denominator_limit
        columns["smalldenom"] = (
            pl.when(small).then(pl.lit("Y")).otherwise(pl.lit("N"))
            if counts.indicator == "GRAD"
            else _yes(small)
        )
    columns.update(_indicator_columns(counts, frame.columns, threshold, scale))
    return frame.select(
        columns.get(name.lower(), pl.lit(None, pl.String)).cast(pl.String).alias(name)
        for name in layout
    )


def _indicator_columns(
    counts: Counts, present: list[str], threshold: int, scale: int
) -> dict[str, pl.Expr]:
    """The columns only one indicator's file has (participation, ELPI counts, CCI measures)."""
    columns: dict[str, pl.Expr] = {}
    if counts.indicator in ("ELA", "MATH"):
        type_ = pl.col("_type")
        columns["hscutpoints"] = _yes(type_.is_in(("HS", "HD")))
        for when, prefix in (("curr", ""), ("prior", "prior_")):
            if f"{prefix}enrolled" not in present:
                continue
            valid = pl.col(f"{prefix}valid")
            columns[f"{when}prate_enrolled"] = _number(pl.col(f"{prefix}enrolled"))
            columns[f"{when}prate_tested"] = _number(pl.col(f"{prefix}tested"))
            columns[f"{when}prate"] = _number(pl.col(f"{prefix}prate"))
            columns[f"{when}numprloss"] = _number(pl.col(f"{prefix}added"))
            columns[f"{when}denom_withoutprloss"] = _number(valid)
            columns[f"{when}status_withoutprloss"] = _tenths_text(
                pl.when(valid >= threshold).then(
                    status_tenths(pl.col(f"{prefix}dfs_sum"), valid, scale)
                )
            )
    if counts.indicator == "ELPI":
        for when, prefix in (("curr", ""), ("prior", "prior_")):
            if f"{prefix}added" not in present:
                continue
            for category in CATEGORIES:
                columns[f"{when}{category}"] = _number(pl.col(f"{prefix}{category}"))
            columns[f"{when}95"] = _number(pl.col(f"{prefix}added"))
    if counts.indicator == "CCI":
        denom = pl.col("denom")

        def percent(count: pl.Expr) -> pl.Expr:
            return _tenths_text(pl.when(denom >= threshold).then(status_tenths(count, denom, 100)))

        prepared = pl.col("numer")
        columns["curr_prep"] = _number(prepared)
        columns["curr_prep_pct"] = percent(prepared)
        columns["curr_nprep"] = _number(denom - prepared)
        columns["curr_nprep_pct"] = percent(denom - prepared)
        for name in present:
            if name.startswith("prep_"):
                measure = name.removeprefix("prep_")
                columns[f"curr_prep_{measure}"] = _number(pl.col(name))
                columns[f"curr_prep_{measure}_pct"] = percent(pl.col(name))
    return columns
