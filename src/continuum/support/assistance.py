"""Differentiated Assistance (Level 2) and the Level 3 test for districts, COEs and charters.

The engine is pure: tables in, tables out. ``determine_da`` takes levels tables (one per
Dashboard year), the LEAs' local-indicator results and the list of LEAs that failed to certify
CALPADS, and returns one row per LEA shaped like CDE's ``assistancestatusYY.xlsx`` plus the
evidence behind every priority a student group met.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import polars as pl

from continuum.support.explain import lea_explanations
from continuum.support.history import (
    DaHistory,
    empty_history,
    history_from_results,
    level3_year_met,
)
from continuum.support.rules import (
    Condition,
    Criterion,
    DaRules,
    Entity,
    available_years,
    load_da_rules,
)

# CDE's "Value" sheet: the letter for each combination of state priorities a group met.
PRIORITY_CODES: dict[tuple[int, ...], str] = {
    (4, 5, 6): "A",
    (4, 5): "B",
    (5, 6): "C",
    (4, 6): "D",
    (4, 8): "E",
    (5, 8): "F",
    (6, 8): "G",
    (4, 5, 8): "H",
    (4, 6, 8): "I",
    (5, 6, 8): "J",
    (4, 5, 6, 8): "K",
}
# The LCFF state priorities (EC 52060(d)) that Differentiated Assistance counts, by number.
PRIORITY_NAMES: dict[int, str] = {
    4: "Pupil Achievement",
    5: "Pupil Engagement",
    6: "School Climate",
    8: "Outcomes in a Broad Course of Study",
}
# The Dashboard files call two or more races MR; CDE's assistance files call it TOM.
GROUP_COLUMN_NAMES: dict[str, str] = {"MR": "TOM"}
DA_LABEL = "Differentiated Assistance"
GENERAL_LABEL = "General Assistance"
YEAR_1_LABEL = "Differentiated Assistance, Year 1"
YEAR_2_LABEL = "Differentiated Assistance, Year 2"
NOT_MET_TWO_YEARS = "not met for two or more years"

EVIDENCE_SCHEMA: dict[str, pl.DataType] = {
    "cds": pl.String(),
    "entity": pl.String(),
    "studentgroup": pl.String(),
    "priority": pl.Int8(),
    "criterion": pl.String(),
    "indicator": pl.String(),
    "color": pl.Int8(),
    "statuslevel": pl.Int8(),
    "currstatus": pl.Float64(),
    "change": pl.Float64(),
    "currdenom": pl.Float64(),
}


def group_column(group: str) -> str:
    """CDE's assistance-file column for a student group, e.g. ``TOMpriorities`` for MR."""
    return f"{GROUP_COLUMN_NAMES.get(group, group)}priorities"


def priority_code(priorities: Iterable[int]) -> str | None:
    """CDE's letter (A to K) for the state priorities a group met; None below two."""
    key = tuple(sorted({p for p in priorities if p in (4, 5, 6, 8)}))
    return PRIORITY_CODES.get(key)


def entity_rows(levels: pl.DataFrame, rules: DaRules, entities: Iterable[Entity]) -> pl.DataFrame:
    """Rows of the rule year for the given kinds of LEA and the year's DA student groups.

    COEs are recognised by their district code (10xxx) or the file's coe_flag; charters are
    school rows flagged as charters, which the Dashboard treats as LEAs.
    """
    is_lea = pl.col("rtype") == "D"
    is_coe = is_lea & ((pl.col("cds").str.slice(2, 2) == "10") | (pl.col("coe_flag") == "Y"))
    entity = (
        pl.when(is_coe)
        .then(pl.lit("coe"))
        .when(is_lea)
        .then(pl.lit("district"))
        .when((pl.col("rtype") == "S") & (pl.col("charter_flag") == "Y"))
        .then(pl.lit("charter"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    return (
        levels.filter(pl.col("reportingyear") == rules.year)
        .with_columns(entity.alias("entity"))
        .filter(pl.col("entity").is_in(list(entities)))
    )


def counted_rows(rows: pl.DataFrame, rules: DaRules) -> pl.DataFrame:
    """Rows of DA student groups whose denominator reaches the year's n-size."""
    return rows.filter(
        pl.col("studentgroup").is_in(list(rules.student_groups))
        & (pl.col("currdenom") >= rules.n_size_expr())
    )


def criteria_evidence(rows: pl.DataFrame, rules: DaRules) -> pl.DataFrame:
    """One row per (LEA, student group, criterion met, indicator behind it)."""
    counted = counted_rows(rows, rules)
    parts = [_criterion_evidence(counted, criterion) for criterion in rules.criteria]
    return pl.concat([pl.DataFrame(schema=EVIDENCE_SCHEMA), *parts], how="vertical")


def _criterion_evidence(counted: pl.DataFrame, criterion: Criterion) -> pl.DataFrame:
    keys = ["cds", "studentgroup"]
    candidates = counted
    if criterion.groups is not None:
        candidates = candidates.filter(pl.col("studentgroup").is_in(list(criterion.groups)))
    if criterion.exclude_groups:
        candidates = candidates.filter(
            ~pl.col("studentgroup").is_in(list(criterion.exclude_groups))
        )
    matching = [candidates.filter(_condition_expr(c)) for c in criterion.conditions]
    met = matching[0].select(keys).unique()
    for frame in matching[1:]:
        met = met.join(frame.select(keys).unique(), on=keys, how="inner")
    evidence = pl.concat(matching, how="vertical").join(met, on=keys, how="semi")
    return evidence.with_columns(
        pl.lit(criterion.priority, dtype=pl.Int8).alias("priority"),
        pl.lit(criterion.label).alias("criterion"),
    ).select(list(EVIDENCE_SCHEMA))


def _condition_expr(condition: Condition) -> pl.Expr:
    return (pl.col("indicator") == condition.indicator) & pl.col(condition.measure).is_in(
        list(condition.values)
    )


def local_priorities_not_met(local_indicators: pl.DataFrame | None, rules: DaRules) -> pl.DataFrame:
    """(cds, priority) for every local indicator the LEA reported Not Met for two or more years.

    Only priorities the year's rules count are kept; 9 and 10 only for COEs (decided later,
    when the entity is known).
    """
    schema = {"cds": pl.String(), "priority": pl.Int8()}
    counted = sorted(rules.local_priorities | rules.coe_local_priorities)
    if local_indicators is None or not counted:
        return pl.DataFrame(schema=schema)
    return (
        local_indicators.filter(
            pl.col("performance").str.to_lowercase().str.strip_chars() == NOT_MET_TWO_YEARS
        )
        .filter(pl.col("priority").is_in(counted))
        .select(pl.col("cds"), pl.col("priority").cast(pl.Int8))
        .unique()
    )


@dataclass(frozen=True)
class YearResult:
    """Determinations of one Dashboard year, before labels that depend on other years."""

    rules: DaRules
    leas: pl.DataFrame  # cds, entity, name, met (bool), methods, group codes, counts
    evidence: pl.DataFrame  # EVIDENCE_SCHEMA rows
    local: pl.DataFrame  # cds, priority for local indicators counted


def evaluate_year(
    levels: pl.DataFrame,
    rules: DaRules,
    *,
    entities: Iterable[Entity],
    local_indicators: pl.DataFrame | None = None,
    calpads_uncertified: Iterable[str] = (),
) -> YearResult:
    """Which LEAs meet the DA criteria in one year, by which methods and for which groups."""
    rows = entity_rows(levels, rules, entities)
    evidence = criteria_evidence(rows, rules)
    lea_keys = _lea_keys(rows, rules)
    local = (
        local_priorities_not_met(local_indicators, rules)
        .join(lea_keys.select("cds", "entity"), on="cds", how="inner")
        .filter(
            pl.col("priority").is_in(list(rules.local_priorities))
            | (
                (pl.col("entity") == "coe")
                & pl.col("priority").is_in(list(rules.coe_local_priorities))
            )
        )
        .select("cds", "priority")
    )
    group_sets = evidence.group_by("cds", "studentgroup").agg(
        pl.col("priority").unique().sort().alias("state")
    )
    local_sets = local.group_by("cds").agg(pl.col("priority").unique().sort().alias("local"))
    uncertified = set(calpads_uncertified) if 4 in rules.methods else set()
    records = []
    for lea in lea_keys.iter_rows(named=True):
        cds = lea["cds"]
        groups = group_sets.filter(pl.col("cds") == cds)
        states: list[list[int]] = groups["state"].to_list()
        local_row = local_sets.filter(pl.col("cds") == cds)
        local_set: set[int] = set(local_row.item(0, "local")) if local_row.height else set()
        codes = {
            g: code
            for g, state in zip(groups["studentgroup"], states, strict=True)
            if (code := priority_code(state)) is not None
        }
        methods = {1: bool(codes), 2: len(local_set) >= 2}
        # Method 3 counts only when neither 1 nor 2 applies (CDE's record layout).
        methods[3] = (
            not methods[1]
            and not methods[2]
            and len(local_set) == 1
            and any(len(state) == 1 and set(state) != local_set for state in states)
        )
        methods[4] = lea["entity"] != "charter" and cds in uncertified
        records.append(
            {
                **lea,
                **{group_column(g): codes.get(g, "*") for g in rules.student_groups},
                "TotalStudentGroups": len(codes),
                **{f"MetMethod{m}": "Y" if met else "N" for m, met in methods.items()},
                "met": any(methods.values()),
            }
        )
    schema: dict[str, pl.DataType] = {
        "cds": pl.String(),
        "entity": pl.String(),
        "name": pl.String(),
        "groups_with_results": pl.Int32(),
        **{group_column(g): pl.String() for g in rules.student_groups},
        "TotalStudentGroups": pl.Int32(),
        **{f"MetMethod{m}": pl.String() for m in (1, 2, 3, 4)},
        "met": pl.Boolean(),
    }
    leas = pl.DataFrame(records, schema=schema)
    return YearResult(rules=rules, leas=leas, evidence=evidence, local=local)


def _lea_keys(rows: pl.DataFrame, rules: DaRules) -> pl.DataFrame:
    """Every LEA with rows this year, its name, and how many DA groups have a result at the
    n-size (the groups it "has", for the Level 3 test)."""
    name = pl.coalesce(
        pl.when(pl.col("entity") == "charter").then(pl.col("schoolname")),
        pl.col("districtname"),
    )
    sized = (
        counted_rows(rows, rules)
        .filter(pl.col("statuslevel") > 0)
        .group_by("cds")
        .agg(pl.col("studentgroup").n_unique().cast(pl.Int32).alias("groups_with_results"))
    )
    return (
        rows.with_columns(name.alias("name"))
        .group_by("cds", "entity")
        .agg(pl.col("name").drop_nulls().first())
        .join(sized, on="cds", how="left")
        .with_columns(pl.col("groups_with_results").fill_null(0))
        .select("cds", "entity", "name", "groups_with_results")
        .sort("cds")
    )


def determine_da(
    levels_by_year: Mapping[int, pl.DataFrame],
    year: int,
    *,
    local_indicators: Mapping[int, pl.DataFrame] | None = None,
    calpads_uncertified: Mapping[int, Iterable[str]] | None = None,
    history: DaHistory | None = None,
) -> DaDetermination:
    """DA determinations for ``year``, using earlier years where the rules need them.

    ``levels_by_year`` maps Dashboard years to levels tables. Earlier years feed the "Year 2"
    label, the charter two-year rule and the Level 3 (EC 52072/52072.5) test; what cannot be
    decided for lack of a year is left empty and the explanation says which year is missing.
    ``local_indicators`` and ``calpads_uncertified`` are keyed by Dashboard year too.
    ``history`` (e.g. from CDE's own files) stands in for years without Dashboard files.
    """
    if year not in levels_by_year:
        raise ValueError(f"no Dashboard results for {year}")
    rules = load_da_rules(year)
    local = local_indicators or {}
    calpads = calpads_uncertified or {}
    results: dict[int, YearResult] = {}
    for y in sorted({*rules.level3_years, *rules.charter_years, year}):
        if y in levels_by_year and y in available_years():
            results[y] = evaluate_year(
                levels_by_year[y],
                load_da_rules(y),
                entities=_entities(y, rules),
                local_indicators=local.get(y),
                calpads_uncertified=calpads.get(y, ()),
            )
    prior_status = _prior_status(levels_by_year, rules, local, calpads, history)
    current = results[year]
    known = history_from_results(results, rules.student_groups).overlaid_on(
        history or empty_history()
    )
    status_col = f"AssistanceStatus{year}"
    table = (
        current.leas.join(_charter_history(results, rules), on="cds", how="left")
        .join(prior_status, on="cds", how="left")
        .with_columns(_status_expr(rules, prior_known=prior_status.height > 0).alias(status_col))
        .join(level3_flags(known, rules, current.leas), on="cds", how="left")
    )
    table = table.join(
        lea_explanations(table, current.evidence, current.local, rules, sorted(results)),
        on="cds",
        how="left",
    )
    columns = [
        pl.col("cds").alias("CDS"),
        pl.col("name").alias("LEAname"),
        pl.col("entity").alias("Entity"),
        *[pl.col(group_column(g)) for g in rules.student_groups],
        pl.col("TotalStudentGroups"),
        pl.col(status_col),
        *[pl.col(f"MetMethod{m}") for m in rules.methods],
        pl.col(f"EC52072_{year}"),
        pl.col("Explanation"),
    ]
    return DaDetermination(
        year=year,
        table=table.select(columns).sort("CDS"),
        details=table.sort("cds"),
        evidence=current.evidence.sort("cds", "studentgroup", "priority", "indicator"),
        local=current.local,
        years=results,
    )


@dataclass(frozen=True)
class DaDetermination:
    """The outcome for one year: CDE-shaped table, evidence, and per-year results used."""

    year: int
    table: pl.DataFrame  # CDE's column names, one row per LEA
    details: pl.DataFrame  # every intermediate column, for explanations and checks
    evidence: pl.DataFrame
    local: pl.DataFrame
    years: Mapping[int, YearResult]


def _entities(y: int, rules: DaRules) -> list[Entity]:
    """Which kinds of LEA to evaluate in year ``y`` for a determination under ``rules``."""
    y_rules = load_da_rules(y)
    kinds: list[Entity] = []
    if y == rules.year or y in rules.level3_years:
        kinds += [e for e in ("district", "coe") if e in y_rules.entities]
    # Charters are judged on earlier years even when that year's own rules left them out
    # (2023 uses the 2022 Dashboard, when charters were not considered).
    if "charter" in rules.entities and y in rules.charter_years:
        kinds.append("charter")
    return kinds


def _prior_status(
    levels_by_year: Mapping[int, pl.DataFrame],
    rules: DaRules,
    local: Mapping[int, pl.DataFrame],
    calpads: Mapping[int, Iterable[str]],
    history: DaHistory | None,
) -> pl.DataFrame:
    """Last year's AssistanceStatus, when this year's labels depend on it and it can be known."""
    schema = {"cds": pl.String(), "prior_status": pl.String()}
    prior_year = rules.year - 1
    if (
        rules.status_labels != "year1_year2"
        or prior_year not in available_years()
        or load_da_rules(prior_year).status_labels != "year1_year2"
    ):
        return pl.DataFrame(schema=schema)
    if prior_year not in levels_by_year:
        # Without last year's Dashboard files, CDE's own file of last year can say who was in
        # Year 1.
        if history is None:
            return pl.DataFrame(schema=schema)
        return history.statuses.filter(
            (pl.col("year") == prior_year) & pl.col("label").is_not_null()
        ).select("cds", pl.col("label").alias("prior_status"))
    prior = determine_da(
        levels_by_year,
        prior_year,
        local_indicators=local,
        calpads_uncertified=calpads,
        history=history,
    )
    return prior.table.select(
        pl.col("CDS").alias("cds"), pl.col(f"AssistanceStatus{prior_year}").alias("prior_status")
    )


def _charter_history(results: Mapping[int, YearResult], rules: DaRules) -> pl.DataFrame:
    """For charters: whether the criteria were met in every year the rule names (null: unknown)."""
    schema = {"cds": pl.String(), "charter_years_met": pl.Boolean()}
    if "charter" not in rules.entities:
        return pl.DataFrame(schema=schema)
    current = results[rules.year].leas.filter(pl.col("entity") == "charter").select("cds")
    frame = current.with_columns(pl.lit(True).alias("charter_years_met"))
    for y in rules.charter_years:
        if y not in results:
            return current.with_columns(pl.lit(None, dtype=pl.Boolean).alias("charter_years_met"))
        met = results[y].leas.select("cds", pl.col("met").alias("y_met"))
        frame = (
            frame.join(met, on="cds", how="left")
            .with_columns(
                (pl.col("charter_years_met") & pl.col("y_met").fill_null(False)).alias(
                    "charter_years_met"
                )
            )
            .drop("y_met")
        )
    return frame


def _status_expr(rules: DaRules, *, prior_known: bool) -> pl.Expr:
    """AssistanceStatusYYYY as CDE labels it, from this year's results and last year's status."""
    met = (
        pl.when(pl.col("entity") == "charter")
        .then(pl.col("charter_years_met"))
        .otherwise(pl.col("met"))
    )
    if rules.status_labels == "single":
        return (
            pl.when(met.is_null())
            .then(pl.lit(None, dtype=pl.String))
            .when(met)
            .then(pl.lit(DA_LABEL))
            .otherwise(pl.lit(GENERAL_LABEL))
        )
    # Year 2: in Year 1 last year and not identified again this year; an LEA that meets the
    # criteria again starts a new Year 1. Only years labelled Year 1/Year 2 count, so no LEA
    # was in Year 2 in 2023 (docs/support/findings.md).
    prior_labels = (
        load_da_rules(rules.year - 1).status_labels
        if rules.year - 1 in (available_years())
        else "single"
    )
    if prior_labels == "single":
        year_two: pl.Expr = pl.lit(False)
    elif prior_known:
        year_two = pl.col("prior_status").fill_null("") == YEAR_1_LABEL
    else:
        year_two = pl.lit(None, dtype=pl.Boolean)
    return (
        pl.when(met.is_null())
        .then(pl.lit(None, dtype=pl.String))
        .when(met)
        .then(pl.lit(YEAR_1_LABEL))
        .when(year_two.is_null())
        .then(pl.lit(None, dtype=pl.String))
        .when(year_two)
        .then(pl.lit(YEAR_2_LABEL))
        .otherwise(pl.lit(GENERAL_LABEL))
    )


def level3_flags(history: DaHistory, rules: DaRules, leas: pl.DataFrame) -> pl.DataFrame:
    """EC52072_YYYY for districts and COEs: Y, N, or null when a missing year could decide it.

    The four years are the rule file's ``level3_years``: the most recent Dashboard years, 2020
    and 2021 having no Dashboard. A year counts as in :func:`history.level3_year_met`, the LEA's
    groups with results this year standing in for a listed year's.
    """
    column = f"EC52072_{rules.year}"
    window = pl.DataFrame({"year": list(rules.level3_years)}, schema={"year": pl.Int32})
    grid = (
        leas.filter(pl.col("entity") != "charter").select("cds", "entity").join(window, how="cross")
    )
    # A year whose rules did not consider COEs (2017) cannot count for a COE.
    no_coes = [y for y in rules.level3_years if "coe" not in load_da_rules(y).entities]
    year_met = level3_year_met(history, leas.select("cds", "groups_with_results"))
    outcomes = grid.join(year_met, on=["cds", "year"], how="left").with_columns(
        pl.when((pl.col("entity") == "coe") & pl.col("year").is_in(no_coes))
        .then(pl.lit(False))
        .otherwise(pl.col("met"))
        .alias("met")
    )
    # Which years counted, each with the groups that had a code (when the year's codes are known).
    groups = (
        history.codes.filter(pl.col("code").is_not_null())
        .group_by("cds", "year")
        .agg(pl.col("studentgroup").sort().str.join(", ").alias("groups"))
    )
    year_words = pl.format(
        "{}: {}", pl.col("year"), pl.col("groups").fill_null("groups not listed")
    )
    counted = (
        outcomes.join(groups, on=["cds", "year"], how="left")
        .sort("year")
        .group_by("cds")
        .agg(
            pl.col("met").fill_null(False).sum().cast(pl.Int32).alias("level3_years_met"),
            pl.col("year").filter(pl.col("met").is_null()).alias("unknown_years"),
            year_words.filter(pl.col("met").fill_null(False)).str.join("; ").alias("detail"),
        )
    )
    unknown = pl.col("unknown_years").list.len()
    return counted.select(
        "cds",
        pl.when(pl.col("level3_years_met") >= 3)
        .then(pl.lit("Y"))
        .when(pl.col("level3_years_met") + unknown < 3)
        .then(pl.lit("N"))
        .otherwise(pl.lit(None, dtype=pl.String))
        .alias(column),
        "level3_years_met",
        unknown.cast(pl.Int32).alias("level3_years_unknown"),
        pl.col("unknown_years")
        .cast(pl.List(pl.String))
        .list.join(", ")
        .alias("level3_unknown_years"),
        pl.col("detail").alias("level3_years_detail"),
    )
