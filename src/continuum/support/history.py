"""Earlier years' DA outcomes, from Continuum's own results or from CDE's published files.

Level 3 (three of four years) and the EC 52064(e) goals (three years) look back further than the
Dashboard files a user usually has. CDE's ``assistancestatusYY.xlsx`` files fill the gap: each
holds the group codes of its own year and the status (DA or General) of earlier years.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import polars as pl

from continuum.formats.assistance import AssistanceList, read_assistance_list

GROUP_FROM_COLUMN = {"TOM": "MR"}
STATUS_SCHEMA: dict[str, pl.DataType] = {
    "cds": pl.String(),
    "name": pl.String(),
    "year": pl.Int32(),
    "da": pl.Boolean(),
    "groups_met": pl.Int32(),
    "groups_with_results": pl.Int32(),
    "label": pl.String(),
    "source": pl.String(),
}
CODES_SCHEMA: dict[str, pl.DataType] = {
    "cds": pl.String(),
    "year": pl.Int32(),
    "studentgroup": pl.String(),
    "code": pl.String(),
}


class YearLeas(Protocol):
    """What history needs from one computed year (``assistance.YearResult``)."""

    @property
    def leas(self) -> pl.DataFrame: ...


@dataclass(frozen=True)
class DaHistory:
    """Per LEA and year: DA or not, groups meeting the criteria, and each group's code.

    ``statuses``: cds, name, year, da, groups_met (null when only the status is known),
    groups_with_results (null unless computed from Dashboard files), label (CDE's
    AssistanceStatus text, from CDE files), source.
    ``codes``: cds, year, studentgroup, code, for years whose group codes are known.
    """

    statuses: pl.DataFrame
    codes: pl.DataFrame
    # What reading the lists decided that the user should know (a later release replacing one).
    notes: tuple[str, ...] = ()

    def overlaid_on(self, other: DaHistory) -> DaHistory:
        """This history, falling back to ``other`` for (LEA, year) pairs it does not cover."""
        keys = self.statuses.select("cds", "year")
        return DaHistory(
            statuses=pl.concat(
                [self.statuses, other.statuses.join(keys, on=["cds", "year"], how="anti")]
            ),
            codes=pl.concat([self.codes, other.codes.join(keys, on=["cds", "year"], how="anti")]),
            notes=self.notes + other.notes,
        )


def empty_history() -> DaHistory:
    """A history that knows nothing."""
    return DaHistory(pl.DataFrame(schema=STATUS_SCHEMA), pl.DataFrame(schema=CODES_SCHEMA))


def history_from_results(results: Mapping[int, YearLeas], groups: Iterable[str]) -> DaHistory:
    """History from years computed by the engine (districts and COEs)."""
    statuses = []
    codes = []
    group_list = list(groups)
    for year, result in results.items():
        leas = result.leas.filter(pl.col("entity") != "charter")
        statuses.append(
            leas.select(
                "cds",
                "name",
                pl.lit(year, dtype=pl.Int32).alias("year"),
                pl.col("met").alias("da"),
                pl.col("TotalStudentGroups").cast(pl.Int32).alias("groups_met"),
                pl.col("groups_with_results").cast(pl.Int32),
                pl.lit(None, dtype=pl.String).alias("label"),
                pl.lit("Dashboard files").alias("source"),
            )
        )
        columns = [c for c in (f"{_column(g)}priorities" for g in group_list) if c in leas.columns]
        codes.append(_codes_long(leas.select("cds", *columns), year))
    if not statuses:
        return empty_history()
    return DaHistory(pl.concat(statuses), pl.concat(codes))


def read_da_history(paths: Iterable[Path | str]) -> DaHistory:
    """History from CDE's district/COE eligibility lists (``assistancestatusYY.xlsx``, the 2017
    ``.xls``), each read by its own layout (``continuum.formats.assistance``).

    A list's own year (its group codes and status) comes first; the earlier years' status columns
    of the lists fill in what no list of that year gives, the newest list first. When two lists
    are of one year (CDE's December 2019 list and its March 2020 revision), the later release
    wins and a note says so.
    """
    lists: dict[int, AssistanceList] = {}
    notes = []
    for path in paths:
        found = read_assistance_list(path)
        kept = lists.get(found.year)
        if kept is not None:
            newer, older = sorted((kept, found), key=_release_order, reverse=True)
            notes.append(
                f"{older.path.name} ({older.release_label}) and {newer.path.name} "
                f"({newer.release_label}) are both {found.year} lists: using the later, "
                f"{newer.path.name}"
            )
            found = newer
        lists[found.year] = found
    newest_first = [lists[year] for year in sorted(lists, reverse=True)]
    history = empty_history()
    for found in newest_first:
        history = history.overlaid_on(_own_year(found))
    for found in newest_first:
        history = history.overlaid_on(_earlier_years(found))
    return DaHistory(history.statuses, history.codes, tuple(notes))


def _release_order(found: AssistanceList) -> tuple[int, int, str]:
    """Later release last; an undated list counts as older than any dated one."""
    return (*(found.release or (0, 0)), found.path.name)


def _own_year(found: AssistanceList) -> DaHistory:
    frame, year, path = found.frame, found.year, found.path
    group_columns = [c for c in frame.columns if c.endswith("priorities")]
    statuses = frame.select(
        pl.col("CDS").alias("cds"),
        pl.col("LEAname").alias("name"),
        pl.lit(year, dtype=pl.Int32).alias("year"),
        pl.col(f"AssistanceStatus{year}").str.starts_with("Differentiated").alias("da"),
        pl.col("TotalStudentGroups").cast(pl.Int32, strict=False).alias("groups_met"),
        pl.lit(None, dtype=pl.Int32).alias("groups_with_results"),
        pl.col(f"AssistanceStatus{year}").alias("label"),
        pl.lit(path.name).alias("source"),
    )
    codes = _codes_long(frame.select(pl.col("CDS").alias("cds"), *group_columns), year)
    return DaHistory(statuses, codes)


def _earlier_years(found: AssistanceList) -> DaHistory:
    """The status columns a list gives for years before its own (DA or General only)."""
    frame, year, path = found.frame, found.year, found.path
    statuses = [empty_history().statuses]
    for column in frame.columns:
        earlier = column.removeprefix("AssistanceStatus")
        if column.startswith("AssistanceStatus") and earlier.isdigit() and int(earlier) != year:
            statuses.append(
                frame.filter((pl.col(column) == "General Assistance") | _is_da(column)).select(
                    pl.col("CDS").alias("cds"),
                    pl.col("LEAname").alias("name"),
                    pl.lit(int(earlier), dtype=pl.Int32).alias("year"),
                    _is_da(column).alias("da"),
                    pl.when(_is_da(column))
                    .then(pl.lit(None, dtype=pl.Int32))
                    .otherwise(pl.lit(0, dtype=pl.Int32))
                    .alias("groups_met"),
                    pl.lit(None, dtype=pl.Int32).alias("groups_with_results"),
                    pl.col(column).alias("label"),
                    pl.lit(path.name).alias("source"),
                )
            )
    return DaHistory(pl.concat(statuses), empty_history().codes)


def _is_da(column: str) -> pl.Expr:
    return pl.col(column).fill_null("").str.starts_with("Differentiated")


def _column(group: str) -> str:
    return {v: k for k, v in GROUP_FROM_COLUMN.items()}.get(group, group)


def _codes_long(wide: pl.DataFrame, year: int) -> pl.DataFrame:
    columns = [c for c in wide.columns if c.endswith("priorities")]
    if not columns:
        return pl.DataFrame(schema=CODES_SCHEMA)
    long = wide.unpivot(index="cds", on=columns, variable_name="column", value_name="code")
    group = pl.col("column").str.strip_suffix("priorities")
    return long.select(
        "cds",
        pl.lit(year, dtype=pl.Int32).alias("year"),
        group.replace(GROUP_FROM_COLUMN).alias("studentgroup"),
        pl.when(pl.col("code").is_in(["*", ""])).then(None).otherwise(pl.col("code")).alias("code"),
    )


def level3_year_met(history: DaHistory, groups_now: pl.DataFrame | None = None) -> pl.DataFrame:
    """(cds, year, met) for the Level 3 test: met is null when the history cannot tell.

    A year counts when three or more groups met the criteria, or every group the LEA has when it
    has fewer than three. How many groups an LEA had is known for years computed from Dashboard
    files; for a year known only from CDE's list (which gives the groups that met, not the groups
    the LEA had), ``groups_now`` (cds, groups_with_results of the determination year) stands in:
    an LEA with three or more groups now did not meet with one or two then.
    """
    statuses = history.statuses
    if groups_now is not None:
        statuses = statuses.join(
            groups_now.select("cds", pl.col("groups_with_results").alias("groups_now")),
            on="cds",
            how="left",
        ).with_columns(
            pl.when(pl.col("groups_with_results").is_null() & (pl.col("groups_now") >= 3))
            .then(pl.col("groups_now"))
            .otherwise(pl.col("groups_with_results"))
            .alias("groups_with_results")
        )
    groups = pl.col("groups_met")
    have = pl.col("groups_with_results")
    met = (
        pl.when(groups.is_null())
        .then(pl.when(pl.col("da").not_()).then(pl.lit(False)).otherwise(pl.lit(None)))
        .when(groups >= 3)
        .then(pl.lit(True))
        .when(groups == 0)
        .then(pl.lit(False))
        .when(have.is_not_null())
        .then(groups >= pl.min_horizontal(pl.lit(3), have))
        .otherwise(pl.lit(None, dtype=pl.Boolean))
    )
    return statuses.select("cds", "year", met.alias("met"), "source")
