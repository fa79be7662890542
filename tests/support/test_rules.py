"""Rule files load, say what they mean, and reject what the engine would misread."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from continuum.errors import RuleError
from continuum.support.essa import ESSA_RULES_DIR, load_essa_rules, parse_essa_rules
from continuum.support.rules import RULES_DIR, available_years, load_da_rules, parse_da_rules


def test_every_dashboard_year_with_da_has_a_rule_file() -> None:
    assert available_years() == [2017, 2018, 2019, 2022, 2023, 2024, 2025]


@pytest.mark.parametrize("year", [2017, 2018, 2019, 2022, 2023, 2024, 2025])
def test_each_rule_file_loads_and_covers_priorities_4_5_and_6(year: int) -> None:
    rules = load_da_rules(year)
    assert rules.year == year
    assert {4, 5, 6} <= {c.priority for c in rules.criteria}


def test_2022_uses_status_levels_only_and_no_local_indicators() -> None:
    rules = load_da_rules(2022)
    assert {c.measure for crit in rules.criteria for c in crit.conditions} == {"statuslevel"}
    assert not rules.local_priorities
    assert 8 not in {c.priority for c in rules.criteria}


def test_charters_are_considered_from_2023_over_two_years() -> None:
    assert "charter" not in load_da_rules(2022).entities
    assert load_da_rules(2023).charter_years == (2022, 2023)


def raw(year: int = 2023) -> dict[str, Any]:
    return tomllib.loads((RULES_DIR / f"{year}.toml").read_text(encoding="utf-8"))


def test_an_unknown_colour_is_rejected_with_its_key() -> None:
    data = raw()
    data["criteria"][0]["conditions"][0] = {"indicator": "ELA", "color": ["Crimson"]}
    with pytest.raises(RuleError, match=r"criteria\[0\]\.conditions\[0\]\.color"):
        parse_da_rules(data, Path("2023.toml"))


def test_an_unknown_key_is_rejected() -> None:
    data = raw() | {"n_sise": 30}
    with pytest.raises(RuleError, match="n_sise"):
        parse_da_rules(data, Path("2023.toml"))


def test_a_file_whose_year_differs_from_its_name_is_rejected() -> None:
    with pytest.raises(RuleError, match="named for 2024"):
        parse_da_rules(raw(2023), Path("2024.toml"))


def test_a_condition_with_both_colour_and_status_is_rejected() -> None:
    data = raw()
    data["criteria"][0]["conditions"][0] = {
        "indicator": "ELA",
        "color": ["Red"],
        "statuslevel": [1],
    }
    with pytest.raises(RuleError, match="exactly one of color or statuslevel"):
        parse_da_rules(data, Path("2023.toml"))


def test_a_priority_that_is_not_a_state_indicator_priority_is_rejected() -> None:
    data = raw()
    data["criteria"][0]["priority"] = 7
    with pytest.raises(RuleError, match="priority"):
        parse_da_rules(data, Path("2023.toml"))


def essa_raw(year: int = 2023) -> dict[str, Any]:
    return tomllib.loads((ESSA_RULES_DIR / f"{year}.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("year", [2022, 2023, 2024, 2025])
def test_each_essa_rule_file_loads(year: int) -> None:
    assert load_essa_rules(year).year == year


def test_2024_and_2025_are_not_entry_years_and_determine_tsi() -> None:
    assert [load_essa_rules(y).entry_year for y in (2022, 2023, 2024, 2025)] == [
        True, True, False, False
    ]  # fmt: skip
    assert load_essa_rules(2024).tsi_years == (2023, 2024)
    assert load_essa_rules(2025).csi_grad_exit_years == (2023, 2024, 2025)


@pytest.mark.parametrize(
    ("year", "change", "key"),
    [
        (2023, {"tsi_years": [2022, 2023]}, "tsi_years"),
        (2024, {"tsi_years": [2024]}, "tsi_years"),
        (2024, {"tsi_years": [2023, 2025]}, "tsi_years"),
        (2024, {"record_layout": "essaassistance23"}, "tsi_years"),
        (2024, {"record_layout": "essaassistance99"}, "record_layout"),
        (2024, {"atsi_years": [2023, 2024]}, "atsi_years"),
        (2023, {"atsi_years": []}, "atsi_years"),
        (2024, {"csi_grad_exit_years": [2022, 2023]}, "csi_grad_exit_years"),
        (2024, {"csi_grad_exit_years": []}, "csi_grad_exit_years"),
        (2023, {"csi_grad_exit_years": [2021, 2022, 2023]}, "csi_grad_exit_years"),
        (2024, {"csi_grad_years": [2023, 2024]}, "csi_grad_years"),
        (2024, {"csi_grad_entry": True}, "csi_grad_years"),
        (2024, {"entry_year": "no"}, "entry_year"),
        (2024, {"csi_grad_exit_at_or_above": 68}, "csi_grad_exit_at_or_above"),
        (2024, {"tsi_years": ["2023", 2024]}, "tsi_years"),
    ],
)
def test_essa_cycle_keys_that_contradict_the_year_are_rejected(
    year: int, change: dict[str, Any], key: str
) -> None:
    with pytest.raises(RuleError, match=key):
        parse_essa_rules(essa_raw(year) | change, Path(f"{year}.toml"))


def test_an_essa_rule_file_without_the_cycle_keys_is_rejected() -> None:
    data = essa_raw(2024)
    del data["entry_year"]
    with pytest.raises(RuleError, match="entry_year"):
        parse_essa_rules(data, Path("2024.toml"))


def test_an_unknown_essa_pattern_is_rejected() -> None:
    data = essa_raw() | {"patterns": ["all_lowest", "mostly_red"]}
    with pytest.raises(RuleError, match="patterns"):
        parse_essa_rules(data, Path("2023.toml"))


def test_goals_years_must_end_with_the_rule_year() -> None:
    data = raw() | {"goals_years": [2019, 2022]}
    with pytest.raises(RuleError, match="goals_years"):
        parse_da_rules(data, Path("2023.toml"))
