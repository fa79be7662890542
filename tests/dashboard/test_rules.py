"""The Dashboard rule files load, and a broken one is refused with the key at fault."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest

from continuum.dashboard.rules import RULES_DIR, available_years, load_rules, parse_rules
from continuum.errors import RuleError


def _rules_2025() -> dict[str, Any]:
    return tomllib.loads((RULES_DIR / "2025.toml").read_text(encoding="utf-8"))


def test_every_year_with_a_dashboard_has_a_rule_set() -> None:
    assert available_years() == (2017, 2018, 2019, 2022, 2023, 2024, 2025)
    for year in available_years():
        assert load_rules(year).year == year


def test_cut_points_out_of_order_are_refused() -> None:
    data = copy.deepcopy(_rules_2025())
    data["indicators"]["ELA"]["status_cuts"]["grades_3_8"] = [10.0, 45.0, -5.0, -70.0]
    with pytest.raises(RuleError, match=r"indicators\.ELA\.status_cuts\.grades_3_8"):
        parse_rules(Path("2025.toml"), data)


def test_a_grid_row_with_an_unknown_colour_is_refused() -> None:
    data = copy.deepcopy(_rules_2025())
    data["grids"]["generic"][0] = "Y G B B P"
    with pytest.raises(RuleError, match=r"grids\.generic\[1\]"):
        parse_rules(Path("2025.toml"), data)


def test_an_unknown_indicator_is_refused() -> None:
    data = copy.deepcopy(_rules_2025())
    data["indicators"]["READING"] = data["indicators"]["ELA"]
    with pytest.raises(RuleError, match=r"indicators\.READING"):
        parse_rules(Path("2025.toml"), data)


def test_an_exception_on_an_unknown_column_is_refused() -> None:
    data = copy.deepcopy(_rules_2025())
    data["exceptions"][0]["column"] = "colour"
    with pytest.raises(RuleError, match=r"exceptions\[0\]\.column"):
        parse_rules(Path("2025.toml"), data)
