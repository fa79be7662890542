"""Property: the 2023 priorities the engine finds equal a direct reading of the criteria."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from continuum.support.assistance import determine_da, priority_code
from tests.support.levels_rows import table

COLOURS = st.integers(min_value=0, max_value=5)  # 0 = no colour, 1 Red … 5 Blue
INDICATORS = ("ELA", "MATH", "CHRO", "SUSP", "GRAD", "ELPI")


def reading_of_the_2023_criteria(colour: dict[str, int], cci_level: int, group: str) -> set[int]:
    met = set()
    if {colour["ELA"], colour["MATH"]} in ({1}, {1, 2}):
        met.add(4)
    if group == "EL" and colour["ELPI"] == 1:
        met.add(4)
    if 1 in (colour["GRAD"], colour["CHRO"]):
        met.add(5)
    if colour["SUSP"] == 1:
        met.add(6)
    if cci_level == 1:
        met.add(8)
    return met


@settings(max_examples=150, deadline=None)
@given(
    colours=st.tuples(*[COLOURS] * len(INDICATORS)),
    cci_level=st.integers(min_value=0, max_value=5),
    group=st.sampled_from(["EL", "SWD", "HI"]),
)
def test_engine_priorities_match_the_criteria(
    colours: tuple[int, ...], cci_level: int, group: str
) -> None:
    colour = dict(zip(INDICATORS, colours, strict=True))
    rows = [
        {
            "cds": "27000000000001", "rtype": "D", "studentgroup": group, "indicator": indicator,
            "reportingyear": 2023, "currdenom": 100.0, "statuslevel": 1 if c else 0, "color": c,
        }
        for indicator, c in colour.items()
    ]  # fmt: skip
    rows.append(
        {
            "cds": "27000000000001", "rtype": "D", "studentgroup": group, "indicator": "CCI",
            "reportingyear": 2023, "currdenom": 100.0, "statuslevel": cci_level, "color": 0,
        }
    )  # fmt: skip
    outcome = determine_da({2023: table(*rows)}, 2023)
    found = set(outcome.evidence["priority"].to_list())
    expected = reading_of_the_2023_criteria(colour, cci_level, group)
    assert found == expected
    column = "TOMpriorities" if group == "MR" else f"{group}priorities"
    assert outcome.table.item(0, column) == (priority_code(expected) or "*")
    assert outcome.table.item(0, "TotalStudentGroups") == int(len(expected) >= 2)
    assert outcome.table.filter(pl.col("MetMethod1") == "Y").height == int(len(expected) >= 2)
