"""Synthetic TOMS fields for the reader's and the CLI's tests: a small county whose CDS codes
all start with 0 (county 02), so a spreadsheet's re-save drops a digit from each."""

from __future__ import annotations

from functools import cache

import polars as pl

from continuum.formats.toms import CARET, COMMA, FIXED, TomsLayout, toms_layouts
from continuum.synth.entities import CountyPlan, LeaPlan
from continuum.synth.students import generate_student_records
from continuum.synth.toms import caaspp_fields, elpac_fields

COUNTY = CountyPlan(name="Tierra", code=2, leas=(LeaPlan("elementary", {"elementary": 2}),))
# Every layout in every shape it has: caret and comma where the year has a header, fixed width
# where it has positions.
CASES = [
    (layout, shape)
    for layout in toms_layouts()
    for shape in ((CARET, COMMA) if layout.columns else ())
    + ((FIXED,) if layout.record_length else ())
]


def case_id(case: tuple[TomsLayout, str]) -> str:
    return f"{case[0].source}-{case[1]}"


@cache
def synthetic_fields() -> dict[str, pl.DataFrame]:
    """The county's 2025 CAASPP and ELPAC rows as TOMS fields, by test."""
    records = generate_student_records([COUNTY], year=2025, seed=3)
    assert records.caaspp is not None and records.elpac is not None
    return {
        "CAASPP": caaspp_fields(records.caaspp.filter(pl.col("year") == 2025)),
        "ELPAC": elpac_fields(records.elpac.filter(pl.col("year") == 2025), 2025),
    }
