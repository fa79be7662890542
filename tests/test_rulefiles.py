"""Rule files: found by year, parsed, and every bad key named."""

from __future__ import annotations

from pathlib import Path

import pytest

from continuum.errors import RuleError
from continuum.rulefiles import RuleReader, read_rule_file, rule_years


def test_years_are_the_files_named_for_a_year(tmp_path: Path) -> None:
    for name in ("2023.toml", "2025.toml", "notes.toml"):
        (tmp_path / name).write_text("year = 0\n")
    assert rule_years(tmp_path) == (2023, 2025)


def test_a_missing_year_lists_the_years_there_are(tmp_path: Path) -> None:
    (tmp_path / "2023.toml").write_text("year = 2023\n")
    with pytest.raises(RuleError, match=r"no rule set for 2024 \(years with one: 2023\)"):
        read_rule_file(tmp_path, 2024, "rule set")


def test_a_file_whose_year_differs_from_its_name_is_refused(tmp_path: Path) -> None:
    (tmp_path / "2024.toml").write_text("year = 2023\n")
    with pytest.raises(RuleError, match="named for 2024"):
        read_rule_file(tmp_path, 2024, "rule set")


def test_invalid_toml_is_refused(tmp_path: Path) -> None:
    (tmp_path / "2024.toml").write_text("year = = 2024\n")
    with pytest.raises(RuleError, match="not valid TOML"):
        read_rule_file(tmp_path, 2024, "rule set")


def test_errors_name_the_full_key_of_a_sub_table() -> None:
    reader = RuleReader({"grids": {"academic": "x"}, "n": -1}, Path("2025.toml"))
    with pytest.raises(RuleError, match=r"grids\.missing: is missing"):
        reader.table("grids").string("missing")
    with pytest.raises(RuleError, match="n: must be at least 0"):
        reader.integer("n", minimum=0)
    with pytest.raises(RuleError, match="must be one of"):
        reader.table("grids").choice("academic", ("generic",))


def test_a_choice_falls_back_to_its_default_only_when_absent() -> None:
    reader = RuleReader({"mode": "none"}, Path("2025.toml"))
    assert reader.choice("other", ("none", "published"), "none") == "none"
    assert reader.choice("mode", ("none", "published"), "published") == "none"
