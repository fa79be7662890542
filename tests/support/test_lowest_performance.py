"""CDE's lowest-performance lists (LCAP): the rule on small tables, then CDE's own 2023 files.

The real-data tests compare the engine, on the Monterey 2023 Dashboard files, with CDE's
``lowperfsch23data``, ``lowperfschnonall23data`` and ``lowperfleasnonall23data`` (June 2024).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from click.testing import CliRunner

from continuum.errors import InputError, RuleError
from continuum.support.cli import support
from continuum.support.inputs import read_cde_lowest_performance
from continuum.support.levels_input import dashboard_directory_files, levels_from_dashboard_files
from continuum.support.lowest_performance import LowestPerformanceLists, lowest_performance
from continuum.support.rules import RULES_DIR, lowest_performance_years, parse_da_rules
from tests.support.levels_rows import CHARTER, DISTRICT, result, table

SCHOOL = "27000000000099"
# The one district in the Monterey 2023 files that is not a real LEA (docs/support/findings.md §1).
PLACEHOLDER = "99999990000000"


def school(indicator: str, **kwargs: Any) -> dict[str, Any]:
    """A result of a non-charter school."""
    row = result(indicator, cds=SCHOOL, **kwargs)
    return {**row, "rtype": "S", "schoolname": "Test School", "charter_flag": None}


def lists(*rows: dict[str, Any], year: int = 2023) -> LowestPerformanceLists:
    return lowest_performance(table(*rows), year)


# --- the rule --------------------------------------------------------------------------------


def test_red_puts_a_group_on_the_lea_list() -> None:
    leas = lists(result("ELA", group="SWD", color="Red")).leas
    assert leas.select("cds", "studentgroup", "ELA", "Math").rows() == [(DISTRICT, "SWD", "Y", "*")]


def test_orange_does_not_count() -> None:
    found = lists(
        result("ELA", group="SWD", color="Orange"),
        school("MATH", group="ALL", color="Orange"),
        school("SUSP", group="HI", color="Orange"),
    )
    assert (found.leas.height, found.schools.height, found.school_groups.height) == (0, 0, 0)


def test_a_status_only_indicator_counts_its_lowest_status_level() -> None:
    found = lists(
        result("CCI", group="ALL", statuslevel=1, n=72),
        result("CCI", group="SED", statuslevel=2, n=72),
    )
    assert found.leas.select("studentgroup", "CCI").rows() == [("ALL", "Y")]
    assert "lowest status level" in found.evidence.item(0, "reason")


def test_in_2022_every_indicator_uses_the_lowest_status_level() -> None:
    found = lists(
        result("ELA", group="EL", statuslevel=1, year=2022),
        result("CHRO", group="EL", statuslevel=1, year=2022),  # Very High chronic absenteeism
        result("SUSP", group="EL", statuslevel=5, year=2022),  # Very Low suspension: the best
        result("GRAD", group="EL", statuslevel=2, year=2022),
        year=2022,
    )
    row = found.leas.row(0, named=True)
    assert (row["ELA"], row["Chronic"], row["Susp"], row["Grad"]) == ("Y", "Y", "*", "*")
    assert "CCI" not in found.leas.columns  # no College/Career Indicator in 2022


def test_a_lowest_status_below_the_n_size_is_not_listed() -> None:
    found = lists(
        school("CCI", group="ALL", statuslevel=1, n=29),
        school("CCI", group="SED", statuslevel=1, n=30),
        result("CCI", group="HOM", statuslevel=1, n=15),  # an LEA's homeless group: 15
        result("CCI", group="SWD", statuslevel=1, n=14),
        result("CCI", group="HOM", statuslevel=1, n=20, cds=CHARTER),  # a charter's: 30
    )
    assert found.schools.height == 0
    assert found.school_groups.select("studentgroup").to_series().to_list() == ["SED"]
    assert found.leas.select("cds", "studentgroup").rows() == [(DISTRICT, "HOM")]


def test_a_group_with_no_rows_or_outside_the_dashboard_groups_is_not_listed() -> None:
    found = lists(
        result("ELA", group="SWD", color="Red"),
        result("ELA", group="EO", color="Red"),  # English only: not a student group of EC 52052
        school("ELA", group="RFP", color="Red"),
    )
    assert found.leas.get_column("studentgroup").to_list() == ["SWD"]
    assert found.school_groups.height == 0


def test_elpi_is_the_school_column_and_the_lea_el_group_column() -> None:
    found = lists(school("ELPI", group="EL", color="Red"), result("ELPI", group="EL", color="Red"))
    assert found.schools.select("cds", "ELPI").rows() == [(SCHOOL, "Y")]
    assert found.school_groups.height == 0 and "ELPI" not in found.school_groups.columns
    assert found.leas.select("studentgroup", "ELPI").rows() == [("EL", "Y")]


def test_charters_are_on_the_school_and_lea_lists_other_schools_on_the_school_lists() -> None:
    found = lists(
        result("MATH", group="ALL", color="Red", cds=CHARTER),
        school("MATH", group="ALL", color="Red"),
    )
    assert found.schools.select("cds", "charter_flag").rows() == [
        (SCHOOL, "*"),  # same district: sorted by CDS code
        (CHARTER, "Y"),
    ]
    assert found.leas.select("cds", "rtype", "studentgroup").rows() == [(CHARTER, "S", "ALL")]


def test_the_lists_have_cdes_columns_even_when_empty() -> None:
    found = lists(result("ELA", group="SWD", color="Green"))
    assert found.schools.columns == [
        "reportingyear", "cds", "rtype", "schoolname", "districtname", "countyname",
        "charter_flag", "ELA", "Math", "Chronic", "CCI", "ELPI", "Grad", "Susp",
    ]  # fmt: skip
    assert found.school_groups.columns[7:] == ["studentgroup", "ELA", "Math", "Chronic", "CCI",
                                               "Grad", "Susp"]  # fmt: skip
    assert "ELPI" in found.leas.columns
    assert list(found.file_names()) == [
        "lowperfsch23data",
        "lowperfschnonall23data",
        "lowperfleasnonall23data",
    ]


def test_every_year_from_2022_says_what_the_lowest_level_is() -> None:
    assert lowest_performance_years() == [2022, 2023, 2024, 2025]
    with pytest.raises(RuleError, match="lowest_performance"):
        lists(result("ELA", color="Red", year=2019), year=2019)


def test_a_rule_file_naming_an_unknown_indicator_is_refused() -> None:
    data = tomllib.loads((RULES_DIR / "2023.toml").read_text(encoding="utf-8"))
    data["lowest_performance"]["status_only"] = ["SCIENCE"]
    with pytest.raises(RuleError, match=r"lowest_performance\.status_only"):
        parse_da_rules(data, RULES_DIR / "2023.toml")
    data["lowest_performance"] = {"indicators": ["ELA"], "status_only": [], "colour": "Red"}
    with pytest.raises(RuleError, match=r"lowest_performance\.colour"):
        parse_da_rules(data, RULES_DIR / "2023.toml")


def test_a_levels_table_without_colours_is_refused() -> None:
    with pytest.raises(InputError, match="color"):
        lowest_performance(table(result("ELA", color="Red")).drop("color"), 2023)


# --- CDE's 2023 lists --------------------------------------------------------------------------


@pytest.fixture(scope="module", params=[False, True], ids=["computed-levels", "published-levels"])
def monterey_2023(request: pytest.FixtureRequest, cde_data: Path) -> LowestPerformanceLists:
    files = dashboard_directory_files(cde_data / "dashboard" / "monterey" / "2023")
    levels = levels_from_dashboard_files(files, use_published_levels=request.param)
    return lowest_performance(levels, 2023)


def cde_list(cde_data: Path, name: str) -> pl.DataFrame:
    """CDE's list for Monterey County (county code 27), in CDE's order."""
    cde = read_cde_lowest_performance(cde_data / "assistance" / f"{name}.xlsx")
    return cde.filter(pl.col("cds").str.starts_with("27"))


def as_text(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col("reportingyear").cast(pl.String))


@pytest.mark.shared_data
def test_the_lea_list_equals_cdes_for_every_monterey_lea(
    cde_data: Path, monterey_2023: LowestPerformanceLists
) -> None:
    cde = cde_list(cde_data, "lowperfleasnonall23data")
    ours = as_text(monterey_2023.leas)
    assert cde.height == 105
    assert ours.filter(pl.col("cds") != PLACEHOLDER).rows() == cde.rows()
    assert ours.columns == cde.columns
    # The placeholder district of the shared files is the only addition.
    placeholder = ours.filter(pl.col("cds") == PLACEHOLDER)
    assert placeholder.select("studentgroup", "ELA").rows() == [
        ("EL", "Y"),
        ("HOM", "Y"),
        ("SWD", "Y"),
    ]


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("name", "attribute", "cde_rows", "decided"),
    [("lowperfsch23data", "schools", 67, 6), ("lowperfschnonall23data", "school_groups", 328, 13)],
)
def test_the_school_lists_equal_cdes_for_every_monterey_school_in_the_dashboard_files(
    cde_data: Path,
    monterey_2023: LowestPerformanceLists,
    name: str,
    attribute: str,
    cde_rows: int,
    decided: int,
) -> None:
    files = dashboard_directory_files(cde_data / "dashboard" / "monterey" / "2023")
    levels = levels_from_dashboard_files(files)
    with_rows = levels.filter(pl.col("rtype") == "S").get_column("cds").unique().implode()
    cde = cde_list(cde_data, name)
    ours = as_text(getattr(monterey_2023, attribute))
    assert cde.height == cde_rows
    assert ours.rows() == cde.filter(pl.col("cds").is_in(with_rows)).rows()
    assert ours.columns == cde.columns
    assert ours.height == decided
    # Only the eight charter schools have school rows in the shared files; the other schools
    # of CDE's list cannot be decided from them.
    assert levels.filter(pl.col("rtype") == "S").get_column("charter_flag").unique().to_list() == [
        "Y"
    ]


@pytest.mark.shared_data
def test_support_lowest_performance_writes_cdes_three_files(cde_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "lists"
    args = ["lowest-performance", "--year", "2023"]
    args += [
        "--dashboard",
        str(cde_data / "dashboard" / "monterey" / "2023"),
        "--out-dir",
        str(out),
    ]
    outcome = CliRunner().invoke(support, args)
    assert outcome.exit_code == 0, outcome.output
    written = sorted(p.name for p in out.iterdir())
    assert written == [
        "lowperfleasnonall23data.csv",
        "lowperfsch23data.csv",
        "lowperfschnonall23data.csv",
    ]
    leas = pl.read_csv(out / "lowperfleasnonall23data.csv", infer_schema_length=0)
    cde = cde_list(cde_data, "lowperfleasnonall23data")
    assert leas.filter(pl.col("cds") != PLACEHOLDER).rows() == cde.rows()


def test_support_lowest_performance_refuses_a_year_without_the_rule(tmp_path: Path) -> None:
    levels = tmp_path / "levels.csv"
    table(result("ELA", color="Red", year=2019)).write_csv(levels)
    args = ["lowest-performance", "--year", "2019", "--levels", str(levels)]
    outcome = CliRunner().invoke(support, [*args, "--out-dir", str(tmp_path)])
    assert isinstance(outcome.exception, InputError)
    assert "2022" in str(outcome.exception)
