"""The demo county exercises every indicator, group, entity type and n-size path."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from continuum.dashboard.files import read_dashboard_files
from continuum.dashboard.rules import load_rules
from continuum.synth.model import RACE_GROUPS

NEED_GROUPS = ("EL", "LTEL", "SED", "SWD", "FOS", "HOM")
BASE_GROUPS = {"ALL", *RACE_GROUPS, *NEED_GROUPS}
EXPECTED_GROUPS = {
    "ELA": BASE_GROUPS | {"ELO", "RFP", "EO", "SBA", "CAA"},
    "MATH": BASE_GROUPS | {"ELO", "RFP", "EO", "SBA", "CAA"},
    "SCIENCE": BASE_GROUPS | {"ELO", "RFP", "EO", "CAST", "CAA"},
    "CHRO": BASE_GROUPS,
    "SUSP": BASE_GROUPS,
    "GRAD": BASE_GROUPS,
    "CCI": BASE_GROUPS,
    "ELPI": {"EL", "LTEL"},
}


def _groups(frame: pl.DataFrame, indicator: str) -> set[str]:
    rows = frame.filter(pl.col("indicator") == indicator)
    return set(rows.get_column("studentgroup").unique().to_list())


def test_every_indicator_has_exactly_its_student_groups(county_2025: pl.DataFrame) -> None:
    for indicator, groups in EXPECTED_GROUPS.items():
        assert _groups(county_2025, indicator) == groups, indicator


def test_ltel_appears_only_from_2024(county_dirs: dict[int, Path]) -> None:
    for year, directory in county_dirs.items():
        frame = read_dashboard_files(sorted(directory.glob("*.txt")))
        has_ltel = (frame.get_column("studentgroup") == "LTEL").any()
        assert has_ltel == (year >= 2024), year


def test_state_lea_and_school_rows_of_every_kind(county_2025: pl.DataFrame) -> None:
    susp = county_2025.filter(pl.col("indicator") == "SUSP")
    assert set(susp.get_column("rtype").unique().to_list()) == {"X", "D", "S"}
    assert set(susp.get_column("type").unique().to_list()) == {"ED", "HD", "UD", "ES", "MS", "HS"}
    lea_types = set(susp.filter(pl.col("rtype") == "D").get_column("type").unique().to_list())
    assert lea_types == {"ED", "HD", "UD"}
    assert susp.filter(pl.col("rtype") == "X").get_column("cds").unique().to_list() == [
        "00000000000000"
    ]
    for flag in ("charter_flag", "coe_flag", "dass_flag"):
        assert (susp.get_column(flag) == "Y").any(), flag


def test_single_school_districts_take_their_school_type(county_2025: pl.DataFrame) -> None:
    susp = county_2025.filter((pl.col("indicator") == "SUSP") & (pl.col("studentgroup") == "ALL"))
    schools = susp.filter((pl.col("rtype") == "S") & pl.col("charter_flag").is_null())
    per_district = schools.group_by(pl.col("cds").str.slice(0, 7)).agg(
        pl.len().alias("schools"), pl.col("type").first().alias("school_type")
    )
    single = per_district.filter(pl.col("schools") == 1)
    assert single.height >= 2
    districts = susp.filter(pl.col("rtype") == "D").select(
        pl.col("cds").str.slice(0, 7), pl.col("type").alias("district_type")
    )
    joined = single.join(districts, on="cds")
    lea_type = {"ES": "ED", "MS": "ED", "HS": "HD", "UD": "UD"}
    assert all(lea_type[s] == d for s, d in joined.select("school_type", "district_type").rows())


def test_grade_11_cuts_flag_high_schools_and_high_districts(county_2025: pl.DataFrame) -> None:
    ela = county_2025.filter((pl.col("indicator") == "ELA") & (pl.col("studentgroup") == "ALL"))
    susp = county_2025.filter((pl.col("indicator") == "SUSP") & (pl.col("studentgroup") == "ALL"))
    joined = ela.select("cds", "hscutpoints").join(susp.select("cds", "type"), on="cds")
    flagged = joined.filter(pl.col("hscutpoints") == "Y").get_column("type").unique().to_list()
    assert set(flagged) == {"HS", "HD"}
    high = joined.filter(pl.col("type").is_in(["HS", "HD"]))
    assert (high.get_column("hscutpoints") == "Y").all()


def test_graduation_and_cci_only_where_high_school_grades_are_served(
    county_2025: pl.DataFrame,
) -> None:
    susp_type = county_2025.filter(pl.col("indicator") == "SUSP").select("cds", "type").unique()
    for indicator in ("GRAD", "CCI"):
        rows = (
            county_2025.filter(pl.col("indicator") == indicator)
            .select("cds")
            .join(susp_type, on="cds")
        )
        assert set(rows.get_column("type").unique().to_list()) == {"HS", "HD", "UD"}


def test_chronic_absenteeism_only_where_tk_8_grades_are_served(
    county_2025: pl.DataFrame,
) -> None:
    susp_type = county_2025.filter(pl.col("indicator") == "SUSP").select("cds", "type").unique()
    rows = county_2025.filter(pl.col("indicator") == "CHRO").select("cds").join(susp_type, on="cds")
    assert set(rows.get_column("type").unique().to_list()) == {"ES", "MS", "ED", "UD"}


def test_every_n_size_path_occurs_for_every_indicator(county_2025: pl.DataFrame) -> None:
    small_limit = load_rules(2025).small_denominator_limit
    bands = {
        "under 11": pl.col("currdenom") < 11,
        "11 to 29": pl.col("currdenom").is_between(11, 29),
        "30 or more": pl.col("currdenom") >= 30,
        f"30 to {small_limit - 1}": pl.col("currdenom").is_between(30, small_limit - 1),
        "prior under 30, current 30 or more": (pl.col("priordenom") < 30)
        & (pl.col("currdenom") >= 30),
    }
    for indicator in EXPECTED_GROUPS:
        rows = county_2025.filter(pl.col("indicator") == indicator)
        for name, band in bands.items():
            assert rows.filter(band).height > 0, (indicator, name)


def test_new_schools_have_no_prior_year(county_2025: pl.DataFrame) -> None:
    schools = county_2025.filter(pl.col("rtype") == "S")
    assert schools.filter(pl.col("priordenom").is_null()).height > 0
    assert schools.filter(pl.col("priordenom").is_not_null()).height > 0
