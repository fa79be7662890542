"""The engine finds every colour in the demo county."""

from __future__ import annotations

import polars as pl

from continuum.dashboard.rules import load_rules


def test_every_colour_occurs_for_every_coloured_indicator(levels_2025: pl.DataFrame) -> None:
    rules = load_rules(2025)
    coloured = [code for code, spec in rules.indicators.items() if not spec.status_only]
    for indicator in coloured:
        colours = set(
            levels_2025.filter(pl.col("indicator") == indicator)
            .get_column("color")
            .unique()
            .to_list()
        )
        assert colours >= {1, 2, 3, 4, 5}, indicator


def test_some_rows_have_status_but_no_colour_for_n_size(levels_2025: pl.DataFrame) -> None:
    uncoloured = levels_2025.filter(
        (pl.col("statuslevel") > 0) & (pl.col("color") == 0) & (pl.col("currdenom") < 30)
    )
    assert uncoloured.height > 0
