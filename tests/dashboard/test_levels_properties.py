"""Property tests: the colour never gets worse when status gets better (same change column)."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from continuum.dashboard.levels import compute_levels
from continuum.dashboard.rules import available_years, load_rules
from tests.dashboard.rows import frame, row

VARIANT_FIELD = {"SUSP": "type"}


def _cases() -> list[tuple[int, str, str]]:
    return [
        (year, code, variant)
        for year in available_years()
        for code, indicator in load_rules(year).indicators.items()
        if not indicator.status_only
        for variant in indicator.status_cuts
    ]


@settings(max_examples=300, deadline=None)
@given(
    case=st.sampled_from(_cases()),
    statuses=st.lists(st.integers(-2000, 2000), min_size=2, max_size=12),
    change=st.integers(-300, 300),
    denominator=st.integers(30, 400),
)
def test_better_status_never_gives_a_worse_colour_in_one_change_column(
    case: tuple[int, str, str], statuses: list[int], change: int, denominator: int
) -> None:
    year, code, variant = case
    variant_fields = (
        {"type": variant}
        if code == "SUSP"
        else {"hscutpoints": "Y" if variant == "grade_11" else None}
    )
    rows = [
        row(
            indicator=code,
            reportingyear=year,
            currstatus=status / 10,
            change=change / 10,
            currdenom=denominator,
            priordenom=denominator,
            **variant_fields,
        )
        for status in statuses
    ]
    result = compute_levels(frame(*rows)).filter(pl.col("color") > 0)
    # status level 5 is always the good end, so order rows from worst to best status
    ordered = result.sort("statuslevel").get_column("color").to_list()
    assert ordered == sorted(ordered)
