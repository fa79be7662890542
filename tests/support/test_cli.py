"""``continuum support da`` and ``explain`` on the Monterey files."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from continuum.errors import InputError
from continuum.support.cli import support
from tests.formats.assistance_lists import december_2019_rows, workbook
from tests.support.essa_rows import SCHOOL, green, red
from tests.support.levels_rows import result, table


@pytest.mark.shared_data
def test_support_da_writes_cdes_columns_and_an_explanation(cde_data: Path, tmp_path: Path) -> None:
    monterey = cde_data / "dashboard" / "monterey"
    out = tmp_path / "da23.csv"
    evidence = tmp_path / "evidence.parquet"
    args = ["da", "--year", "2023", "--dashboard", str(monterey / "2022")]
    args += ["--dashboard", str(monterey / "2023"), "--out", str(out), "--evidence", str(evidence)]
    outcome = CliRunner().invoke(support, args)
    assert outcome.exit_code == 0, outcome.output
    table = pl.read_csv(out, infer_schema_length=0)
    for column in ("CDS", "TOMpriorities", "TotalStudentGroups", "AssistanceStatus2023"):
        assert column in table.columns
    assert {"MetMethod1", "MetMethod2", "MetMethod3", "EC52072_2023", "Explanation"} <= set(
        table.columns
    )
    king_city = table.filter(pl.col("CDS") == "27660500000000").row(0, named=True)
    assert (king_city["HIpriorities"], king_city["HOMpriorities"]) == ("D", "D")
    assert pl.read_parquet(evidence).height > 0


@pytest.mark.shared_data
def test_support_explain_prints_the_evidence_for_one_lea(cde_data: Path) -> None:
    monterey = cde_data / "dashboard" / "monterey"
    args = ["explain", "27661590000000", "--year", "2022", "--dashboard", str(monterey / "2022")]
    outcome = CliRunner().invoke(support, args)
    assert outcome.exit_code == 0, outcome.output
    assert (
        "Salinas Union High (district), 2022 Dashboard: Differentiated Assistance."
        in outcome.output
    )
    assert "HOM (code A)" in outcome.output


def test_support_da_needs_some_dashboard_input(tmp_path: Path) -> None:
    outcome = CliRunner().invoke(
        support, ["da", "--year", "2023", "--out", str(tmp_path / "x.csv")]
    )
    assert isinstance(outcome.exception, InputError)


def test_support_da_refuses_a_year_without_rules(tmp_path: Path) -> None:
    args = [
        "da",
        "--year",
        "2021",
        "--levels",
        str(tmp_path / "l.csv"),
        "--out",
        str(tmp_path / "o.csv"),
    ]
    outcome = CliRunner().invoke(support, args)
    assert isinstance(outcome.exception, InputError)
    assert "no DA rules for 2021" in str(outcome.exception)


def test_support_equity_multiplier_marks_eligible_schools(tmp_path: Path) -> None:
    rates = tmp_path / "rates.csv"
    rates.write_text("cds,nonstability_rate,sed_rate\n27659616025985,30,80\n27659616026009,20,90\n")
    out = tmp_path / "em.csv"
    args = ["equity-multiplier", "--rates", str(rates), "--out", str(out)]
    outcome = CliRunner().invoke(support, args)
    assert outcome.exit_code == 0, outcome.output
    assert pl.read_csv(out)["eligible"].to_list() == [True, False]


@pytest.mark.shared_data
def test_support_goals_lists_groups_from_dashboard_files_and_cde_history(
    cde_data: Path, tmp_path: Path
) -> None:
    monterey = cde_data / "dashboard" / "monterey"
    out = tmp_path / "goals.csv"
    args = ["goals", "--year", "2022", "--dashboard", str(monterey / "2022")]
    args += ["--history", str(cde_data / "assistance" / "assistancestatus22.xlsx")]
    outcome = CliRunner().invoke(support, [*args, "--out", str(out)])
    assert outcome.exit_code == 0, outcome.output
    table = pl.read_csv(out, infer_schema_length=0)
    salinas = table.filter(pl.col("CDS") == "27661590000000").row(0, named=True)
    assert salinas["Undetermined Student Group(s)"] == (
        "English Learner, Homeless Youth, Students with Disabilities"
    )


@pytest.mark.shared_data
def test_support_explain_gives_a_schools_essa_reasoning(cde_data: Path) -> None:
    monterey = cde_data / "dashboard" / "monterey"
    args = ["explain", "27102720116491", "--year", "2023"]
    args += ["--dashboard", str(monterey / "2022"), "--dashboard", str(monterey / "2023")]
    args += ["--schools", str(cde_data / "assistance" / "essaassistance23.xlsx")]
    outcome = CliRunner().invoke(support, args)
    assert outcome.exit_code == 0, outcome.output
    assert "ESSA: Open Door Charter, 2023 Dashboard: ATSI." in outcome.output
    assert "HI: met the criteria in 2022 and 2023" in outcome.output


@pytest.mark.shared_data
def test_support_essa_writes_cdes_columns(cde_data: Path, tmp_path: Path) -> None:
    monterey = cde_data / "dashboard" / "monterey"
    assistance = cde_data / "assistance"
    out = tmp_path / "essa.csv"
    args = ["essa", "--year", "2023", "--dashboard", str(monterey / "2022")]
    args += [
        "--dashboard",
        str(monterey / "2023"),
        "--schools",
        str(assistance / "essaassistance23.xlsx"),
    ]
    args += ["--prior", str(assistance / "essaassistance22.xlsx"), "--out", str(out)]
    outcome = CliRunner().invoke(support, args)
    assert outcome.exit_code == 0, outcome.output
    table = pl.read_csv(out, infer_schema_length=0)
    assert table.columns[:7] == [
        "cds", "schoolname", "districtname", "TitleI2223", "DASS", "AssistanceStatus2023", "Exit",
    ]  # fmt: skip
    assert table.filter(pl.col("Exit") == "ATSIEXIT").height == 3


def essa_inputs(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A levels table (2023-2025) of one school whose SWD group is Red throughout, its Title I
    and DASS flags, and its 2023 status (ATSI for SWD) as a CDE-like CSV."""
    rows = [r for y in (2023, 2024, 2025) for r in [*green(y), *red(y, "SWD")]]
    levels = tmp_path / "levels.parquet"
    table(*rows).write_parquet(levels)
    schools = tmp_path / "schools.csv"
    schools.write_text(f"cds,title_i,dass\n{SCHOOL},Yes,No\n", encoding="utf-8")
    prior = tmp_path / "essa2023.csv"
    prior.write_text(f"cds,AssistanceStatus2023,SWD,EL\n{SCHOOL},ATSI,1,0\n", encoding="utf-8")
    return levels, schools, prior


def test_support_essa_for_2024_needs_last_years_statuses(tmp_path: Path) -> None:
    levels, schools, _ = essa_inputs(tmp_path)
    args = ["essa", "--year", "2024", "--levels", str(levels), "--schools", str(schools)]
    outcome = CliRunner().invoke(support, [*args, "--out", str(tmp_path / "essa.csv")])
    assert isinstance(outcome.exception, InputError)
    assert "--prior" in str(outcome.exception)
    assert "2023 statuses" in str(outcome.exception)


def test_support_essa_carries_statuses_from_2023_to_2024_and_2025(tmp_path: Path) -> None:
    levels, schools, prior = essa_inputs(tmp_path)
    common = ["--levels", str(levels), "--schools", str(schools)]
    out_2024 = tmp_path / "essa2024.csv"
    args = ["essa", "--year", "2024", *common, "--prior", str(prior), "--out", str(out_2024)]
    outcome = CliRunner().invoke(support, args)
    assert outcome.exit_code == 0, outcome.output
    row = pl.read_csv(out_2024, infer_schema_length=0).row(0, named=True)
    assert (row["AssistanceStatus2023"], row["AssistanceStatus2024"]) == ("ATSI", "ATSI")
    assert (row["SWD"], row["TotStudGrpsATSI"], row["TotStudGrpsTSI"]) == ("1", "1", "0")
    out_2025 = tmp_path / "essa2025.csv"
    args = ["essa", "--year", "2025", *common, "--prior", str(out_2024), "--out", str(out_2025)]
    outcome = CliRunner().invoke(support, args)
    assert outcome.exit_code == 0, outcome.output
    row = pl.read_csv(out_2025, infer_schema_length=0).row(0, named=True)
    assert (row["AssistanceStatus2024"], row["AssistanceStatus2025"], row["Exit"]) == (
        "ATSI",
        "ATSI",
        "NOEXIT",
    )


def test_support_explain_says_a_non_entry_year_needs_prior(tmp_path: Path) -> None:
    levels, schools, prior = essa_inputs(tmp_path)
    args = ["explain", SCHOOL, "--year", "2024", "--levels", str(levels)]
    outcome = CliRunner().invoke(support, args)
    assert outcome.exit_code == 0, outcome.output
    assert "give them with --prior" in outcome.output
    outcome = CliRunner().invoke(support, [*args, "--schools", str(schools), "--prior", str(prior)])
    assert "Test School, 2024 Dashboard: ATSI." in outcome.output


@pytest.mark.shared_data
def test_support_da_takes_every_cde_list_as_history_and_says_which_2019_list_won(
    cde_data: Path, tmp_path: Path
) -> None:
    original = workbook(
        tmp_path / "assistancestatus19.xlsx", "District and COE 2019", december_2019_rows()
    )
    lists = [*sorted((cde_data / "assistance").glob("assistancestatus*")), original]
    monterey = cde_data / "dashboard" / "monterey"
    args = ["da", "--year", "2023", "--dashboard", str(monterey / "2022")]
    args += ["--dashboard", str(monterey / "2023"), "--out", str(tmp_path / "da.csv")]
    args += [item for path in lists for item in ("--history", str(path))]
    outcome = CliRunner().invoke(support, args)
    assert outcome.exit_code == 0, outcome.output
    assert "are both 2019 lists: using the later, assistancestatus19-rev-2020-03.xlsx" in (
        outcome.output
    )


def test_support_da_refuses_a_list_of_unknown_layout_naming_sheet_and_columns(
    tmp_path: Path,
) -> None:
    rows = december_2019_rows()
    rows[2] = [name for name in rows[2] if name != "totalstudentgroups"]
    bad = workbook(tmp_path / "assistancestatus19.xlsx", "District and COE 2019", rows)
    levels = tmp_path / "levels.csv"
    table(result("ELA", color="Red")).write_csv(levels)
    args = ["da", "--year", "2023", "--levels", str(levels), "--history", str(bad)]
    outcome = CliRunner().invoke(support, [*args, "--out", str(tmp_path / "da.csv")])
    assert isinstance(outcome.exception, InputError)
    message = str(outcome.exception)
    assert "assistancestatus19.xlsx" in message and "'District and COE 2019'" in message
    assert "lacks TotalStudentGroups" in message


def test_support_essa_runs_for_2018_and_then_2019_with_its_statuses_as_prior(
    tmp_path: Path,
) -> None:
    rows = [r for y in (2018, 2019) for r in [*green(y), *red(y, "SWD")]]
    levels = tmp_path / "levels.parquet"
    table(*rows).write_parquet(levels)
    schools = tmp_path / "schools.csv"
    schools.write_text(f"cds,title_i,dass\n{SCHOOL},Y,N\n", encoding="utf-8")
    common = ["--levels", str(levels), "--schools", str(schools)]
    out_2018, out_2019 = tmp_path / "essa2018.csv", tmp_path / "essa2019.csv"
    first = CliRunner().invoke(support, ["essa", "--year", "2018", *common, "--out", str(out_2018)])
    assert first.exit_code == 0, first.output
    args = ["essa", "--year", "2019", *common, "--prior", str(out_2018), "--out", str(out_2019)]
    second = CliRunner().invoke(support, args)
    assert second.exit_code == 0, second.output
    row_2018 = pl.read_csv(out_2018, infer_schema_length=0).row(0, named=True)
    row_2019 = pl.read_csv(out_2019, infer_schema_length=0).row(0, named=True)
    assert (row_2018["TitleI1718"], row_2018["AssistanceStatus2018"], row_2018["SWD"]) == (
        "Yes",
        "ATSI",
        "1",
    )
    assert (row_2019["TitleI1819"], row_2019["AssistanceStatus2019"], row_2019["Exit"]) == (
        "Yes",
        "ATSI",
        "NOEXIT",
    )
