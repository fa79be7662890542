"""``continuum support …``: System of Support determinations from CDE Dashboard files."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import click
import polars as pl
from rich.console import Console

from continuum.errors import InputError
from continuum.support.assistance import DaDetermination, determine_da
from continuum.support.equity_multiplier import equity_multiplier_eligibility
from continuum.support.essa import (
    SCHOOL_COLUMNS,
    EssaDetermination,
    determine_essa,
    essa_years,
    load_essa_rules,
)
from continuum.support.explain import explain_row
from continuum.support.goals import required_goals
from continuum.support.history import (
    DaHistory,
    empty_history,
    history_from_results,
    read_da_history,
)
from continuum.support.inputs import (
    read_cds_list,
    read_local_indicators,
    read_prior_essa_status,
    read_school_info,
)
from continuum.support.levels_input import (
    dashboard_directory_files,
    levels_from_dashboard_files,
    read_levels_table,
)
from continuum.support.lowest_performance import lowest_performance
from continuum.support.rules import available_years, lowest_performance_years
from continuum.tables import check_output_path, read_table, write_table

DASHBOARD_OPTION = click.option(
    "--dashboard",
    "dashboards",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory of CDE download files for one Dashboard year (repeat for earlier years).",
)
LEVELS_OPTION = click.option(
    "--levels",
    "levels_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A levels table from 'continuum dashboard levels' (.csv or .parquet); repeatable.",
)
PUBLISHED_OPTION = click.option(
    "--published-levels",
    is_flag=True,
    help="Use the levels and colours printed in the CDE files instead of computing them.",
)
YEAR_OPTION = click.option(
    "--year",
    required=True,
    type=click.IntRange(2017, 2099),
    help="Dashboard year of the determination.",
)
LOCAL_OPTION = click.option(
    "--local-indicators",
    "local_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory of CDE local indicator files (Pr1YYYY.txt …) for the --year Dashboard.",
)
HISTORY_OPTION = click.option(
    "--history",
    "history_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="CDE's assistancestatusYY.xlsx for earlier years (Level 3, Year 2); repeatable.",
)
CALPADS_OPTION = click.option(
    "--calpads-uncertified",
    "calpads_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File of CDS codes (one a line) of LEAs that failed to certify end-of-year CALPADS.",
)
F = TypeVar("F", bound=Callable[..., None])


def levels_source(command: F) -> F:
    """--year and where the levels come from (--dashboard, --levels, --published-levels): the
    options every determination command shares."""
    for option in (PUBLISHED_OPTION, LEVELS_OPTION, DASHBOARD_OPTION, YEAR_OPTION):
        command = option(command)
    return command


PRIOR_OPTION = click.option(
    "--prior",
    "prior_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help=(
        "Last year's ESSA statuses and group flags (CDE's essaassistanceYY.xlsx or a 'support "
        "essa' output): the Exit column in an entry year (2018, 2019, 2022, 2023); required "
        "in the other years (2024, 2025), whose statuses are last year's kept or ended."
    ),
)


@click.group()
def support() -> None:
    """System of Support: Differentiated Assistance, Level 3 and their explanations.

    Each --dashboard DIR holds the CDE download files of one Dashboard year; levels and colours
    are computed from them by the Dashboard engine (any level columns in the files are ignored
    unless --published-levels is given). Earlier years are needed for "Year 2", charters
    (two years) and the Level 3 test (three of four years); what they would decide is left
    blank, and the explanation says which year is missing.
    """


@support.command()
@levels_source
@LOCAL_OPTION
@CALPADS_OPTION
@HISTORY_OPTION
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output table (.csv or .parquet) with CDE's assistancestatus column names.",
)
@click.option(
    "--evidence",
    "evidence_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the evidence: one row per group, priority, criterion and indicator.",
)
def da(
    year: int,
    dashboards: Sequence[Path],
    levels_files: Sequence[Path],
    published_levels: bool,
    local_dir: Path | None,
    calpads_file: Path | None,
    history_files: Sequence[Path],
    out: Path,
    evidence_out: Path | None,
) -> None:
    """Differentiated Assistance for districts, COEs and charters in one Dashboard year.

    Writes one row per LEA: CDS, LEAname, Entity, AApriorities … WHpriorities (CDE's codes
    A to K; TOM is two or more races), TotalStudentGroups, AssistanceStatusYYYY, MetMethod1…,
    EC52072_YYYY and an Explanation.
    """
    for path in (out, evidence_out):
        check_output_path(path)
    _check_da_year(year)
    by_year = _levels_by_year(dashboards, levels_files, published_levels)
    result = _determine(year, by_year, local_dir, calpads_file, history_files)
    write_table(result.table, out)
    if evidence_out is not None:
        write_table(result.evidence, evidence_out)
    identified = result.table.filter(
        pl.col(f"AssistanceStatus{year}").str.starts_with("Differentiated")
    ).height
    Console(stderr=True).print(
        f"{result.table.height} LEAs, {identified} in Differentiated Assistance -> {out}"
    )


@support.command()
@click.argument("cds")
@levels_source
@LOCAL_OPTION
@CALPADS_OPTION
@HISTORY_OPTION
@click.option(
    "--schools",
    "schools_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Title I and DASS flags for a school's ESSA reasoning (as for 'support essa').",
)
@PRIOR_OPTION
def explain(
    cds: str,
    year: int,
    dashboards: Sequence[Path],
    levels_files: Sequence[Path],
    published_levels: bool,
    local_dir: Path | None,
    calpads_file: Path | None,
    history_files: Sequence[Path],
    schools_file: Path | None,
    prior_file: Path | None,
) -> None:
    """Print the reasoning behind one LEA's, charter's or school's determinations.

    For a district, COE or charter: Differentiated Assistance and Level 3. For a school
    (charters included): ESSA identification, when the year has ESSA rules.
    """
    _check_da_year(year)
    by_year = _levels_by_year(dashboards, levels_files, published_levels)
    result = _determine(year, by_year, local_dir, calpads_file, history_files)
    sections = []
    rows = result.details.filter(pl.col("cds") == cds)
    if rows.height:
        rules = result.years[year].rules
        sections.append(
            explain_row(
                rows.row(0, named=True),
                result.evidence,
                result.local,
                rules,
                sorted(result.years),
                separator="\n",
            )
        )
    is_school = by_year[year].filter((pl.col("cds") == cds) & (pl.col("rtype") == "S")).height
    if is_school and year in essa_years():
        sections.append("ESSA: " + _essa_explanation(cds, year, by_year, schools_file, prior_file))
    if not sections:
        raise InputError("CDS", f"{cds} has no Dashboard results in {year}")
    click.echo("\n\n".join(sections))


@support.command()
@levels_source
@click.option(
    "--schools",
    "schools_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help=(
        "Title I and DASS flags: CDE's essaassistanceYY.xlsx, or a CSV with columns cds, "
        "title_i and (optional, No when absent) dass, each Yes/No or Y/N in any case; any other "
        "value is refused with its line."
    ),
)
@PRIOR_OPTION
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output table (.csv or .parquet) with CDE's essaassistance column names.",
)
def essa(
    year: int,
    dashboards: Sequence[Path],
    levels_files: Sequence[Path],
    published_levels: bool,
    schools_file: Path,
    prior_file: Path | None,
    out: Path,
) -> None:
    """ESSA school support: CSI Low Performing, CSI Low Graduation, ATSI and TSI.

    In an entry year (2018, 2019, 2022, 2023) CSI and ATSI are decided afresh. In
    the other years (2024, 2025) --prior is required: a school keeps last year's CSI or ATSI
    status unless it meets the exit criteria, and a school that is neither is TSI when a student
    group met the CSI criteria on this and last year's Dashboard.

    Writes one row per school with Dashboard results: cds, names, the Title I column, DASS,
    (from 2024: AssistanceStatus of last year,) AssistanceStatusYYYY, Exit, AA … WH (1 = the
    group makes the school ATSI or TSI), TotStudGrps (from 2024: TotStudGrpsATSI and
    TotStudGrpsTSI), ReportingYear and an Explanation. ATSI and TSI need the Dashboard years
    their rule file lists.
    """
    check_output_path(out)
    if year not in essa_years():
        raise InputError("--year", f"no ESSA rules for {year}; known years: {essa_years()}")
    rules = load_essa_rules(year)
    if not rules.entry_year and prior_file is None:
        raise InputError(
            "--prior",
            f"{year} is not an entry year of the CSI/ATSI cycle: its statuses are the {year - 1} "
            f"ones kept or ended, so give the {year - 1} statuses (CDE's "
            f"essaassistance{(year - 1) % 100}.xlsx or a 'support essa --year {year - 1}' output)",
        )
    by_year = _levels_by_year(dashboards, levels_files, published_levels)
    if year not in by_year:
        raise InputError("--dashboard", f"no Dashboard results for {year} among the inputs")
    result = _essa_determination(year, by_year, schools_file, prior_file)
    write_table(result.table, out)
    counts = result.table.group_by(f"AssistanceStatus{year}").len().rows()
    summary = ", ".join(f"{status or 'undetermined'} {n}" for status, n in sorted(counts, key=str))
    Console(stderr=True).print(f"{result.table.height} schools ({summary}) -> {out}")


@support.command()
@levels_source
@HISTORY_OPTION
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output table (.csv or .parquet): CDS, LEA, Targeted Student Group(s), ….",
)
def goals(
    year: int,
    dashboards: Sequence[Path],
    levels_files: Sequence[Path],
    published_levels: bool,
    history_files: Sequence[Path],
    out: Path,
) -> None:
    """LEAs that must add LCAP goals for student groups under EC 52064(e).

    A group needs a goal when it met the DA criteria in each of the rule file's goals years
    (for 2023: 2019, 2022 and 2023). Years without Dashboard files come from --history (CDE's
    assistancestatusYY.xlsx); a group whose earlier codes are unknown is listed as undetermined.
    """
    check_output_path(out)
    _check_da_year(year)
    known = _history(history_files) or empty_history()
    if dashboards or levels_files:
        by_year = _levels_by_year(dashboards, levels_files, published_levels)
        result = _determine(year, by_year, None, None, ())
        groups = result.years[year].rules.student_groups
        known = history_from_results(result.years, groups).overlaid_on(known)
    table = required_goals(known, year)
    write_table(table, out)
    targeted = table.filter(pl.col("Targeted Student Group(s)").is_not_null()).height
    Console(stderr=True).print(
        f"{targeted} LEAs required to add goals, {table.height - targeted} undetermined -> {out}"
    )


@support.command("lowest-performance")
@levels_source
@click.option(
    "--out-dir",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for CDE's three lists (created if missing): lowperfsch{YY}data.csv, ….",
)
@click.option(
    "--evidence",
    "evidence_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the result behind every Y: colour, status level, students, reason.",
)
def lowest_performance_lists(
    year: int,
    dashboards: Sequence[Path],
    levels_files: Sequence[Path],
    published_levels: bool,
    out_dir: Path,
    evidence_out: Path | None,
) -> None:
    """Schools, LEAs and student groups at the lowest performance level (LCAP, EC 52064).

    Writes CDE's three lists for the --year Dashboard: lowperfsch{YY}data.csv (schools' ALL
    group), lowperfschnonall{YY}data.csv (school × student group) and
    lowperfleasnonall{YY}data.csv (district, COE or charter × student group, ALL included).
    An indicator column holds Y at the lowest performance level (Red; in a year without colours
    for an indicator, its lowest status level) and * otherwise.
    """
    if year not in lowest_performance_years():
        raise InputError(
            "--year",
            f"no lowest-performance rule for {year}; known years: {lowest_performance_years()}",
        )
    check_output_path(evidence_out)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(out_dir, "is not a folder")
    by_year = _levels_by_year(dashboards, levels_files, published_levels)
    if year not in by_year:
        raise InputError("--dashboard", f"no Dashboard results for {year} among the inputs")
    lists = lowest_performance(by_year[year], year)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in lists.file_names().items():
        write_table(frame, out_dir / f"{name}.csv")
    if evidence_out is not None:
        write_table(lists.evidence, evidence_out)
    Console(stderr=True).print(
        f"{lists.schools.height} schools, {lists.school_groups.height} school groups, "
        f"{lists.leas.height} LEA groups at the lowest performance level -> {out_dir}"
    )


@support.command("equity-multiplier")
@click.option(
    "--rates",
    "rates_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help=(
        "CSV or Parquet with cds, nonstability_rate and sed_rate (prior-year percentages) and, "
        "optionally, nonclassroom_based (Y/N): Y marks a non-classroom-based charter school, "
        "which is not eligible whatever its rates."
    ),
)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output table (.csv or .parquet): the input plus eligible and Explanation.",
)
def equity_multiplier(rates_file: Path, out: Path) -> None:
    """Equity Multiplier eligibility: prior-year non-stability above 25% and SED above 70%.

    Non-classroom-based charter schools (nonclassroom_based = Y in --rates) are left out, as in
    CDE's list of eligible sites.
    """
    check_output_path(out)
    rates = read_table(rates_file)
    result = equity_multiplier_eligibility(rates, rates_file)
    write_table(result, out)
    Console(stderr=True).print(
        f"{result.height} schools, {result['eligible'].sum()} eligible -> {out}"
    )


def _essa_explanation(
    cds: str,
    year: int,
    by_year: dict[int, pl.DataFrame],
    schools_file: Path | None,
    prior_file: Path | None,
) -> str:
    rules = load_essa_rules(year)
    if not rules.entry_year and prior_file is None:
        return (
            f"not determined: {year} is not an entry year of the CSI/ATSI cycle, so its statuses "
            f"are the {year - 1} ones kept or ended; give them with --prior."
        )
    table = _essa_determination(year, by_year, schools_file, prior_file).table
    return str(table.filter(pl.col("cds") == cds).item(0, "Explanation"))


def _essa_determination(
    year: int,
    by_year: dict[int, pl.DataFrame],
    schools_file: Path | None,
    prior_file: Path | None,
) -> EssaDetermination:
    """The year's ESSA determination from the command's files (no --schools: Title I and DASS
    unknown, so the decisions that need them are left undetermined)."""
    if schools_file:
        schools = read_school_info(schools_file, load_essa_rules(year).csi_title_i_column)
    else:
        schools = pl.DataFrame(schema=dict.fromkeys(SCHOOL_COLUMNS, pl.String))
    prior = read_prior_essa_status(prior_file, year - 1) if prior_file else None
    return determine_essa(by_year, year, schools=schools, prior_status=prior)


def _determine(
    year: int,
    by_year: dict[int, pl.DataFrame],
    local_dir: Path | None,
    calpads_file: Path | None,
    history_files: Sequence[Path],
) -> DaDetermination:
    _check_da_year(year)
    if year not in by_year:
        raise InputError("--dashboard", f"no Dashboard results for {year} among the inputs")
    local = {year: read_local_indicators(local_dir)} if local_dir else None
    calpads = {year: read_cds_list(calpads_file)} if calpads_file else None
    history = _history(history_files)
    return determine_da(
        by_year, year, local_indicators=local, calpads_uncertified=calpads, history=history
    )


def _history(history_files: Sequence[Path]) -> DaHistory | None:
    """CDE's DA lists given as --history, saying which list won where two share a year."""
    if not history_files:
        return None
    history = read_da_history(history_files)
    for note in history.notes:
        Console(stderr=True).print(f"--history: {note}", highlight=False, soft_wrap=True)
    return history


def _check_da_year(year: int) -> None:
    if year not in available_years():
        raise InputError("--year", f"no DA rules for {year}; known years: {available_years()}")


def _levels_by_year(
    dashboards: Sequence[Path], levels_files: Sequence[Path], published_levels: bool
) -> dict[int, pl.DataFrame]:
    """Levels tables from --dashboard directories and --levels files, split by Dashboard year."""
    if not dashboards and not levels_files:
        raise InputError("--dashboard", "give at least one --dashboard DIR or --levels FILE")
    frames = [read_levels_table(path) for path in levels_files]
    files = [f for directory in dashboards for f in dashboard_directory_files(directory)]
    if files:
        with Console(stderr=True).status("Computing Dashboard levels"):
            frames.append(levels_from_dashboard_files(files, use_published_levels=published_levels))
    levels = pl.concat(frames, how="vertical")
    return {
        int(y): levels.filter(pl.col("reportingyear") == y)
        for y in levels.get_column("reportingyear").unique().to_list()
    }
