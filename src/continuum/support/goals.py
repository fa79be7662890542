"""LCAP goals required under EC 52064(e) for consistently low-performing student groups.

A district or COE must add a goal for a student group that met the DA criteria (a code A–K)
in each of the rule file's ``goals_years``. Earlier years come from a :class:`DaHistory`; where a
year is known only as "Differentiated Assistance" without group codes, the group is
undetermined rather than guessed.
"""

from __future__ import annotations

import polars as pl

from continuum.support.history import DaHistory
from continuum.support.rules import load_da_rules

# The names CDE uses in its required-goals lists (its spelling, e.g. "Two or More Race").
CDE_GROUP_NAMES = {
    "AA": "Black/African American",
    "AI": "American Indian or Alaskan Native",
    "AS": "Asian",
    "FI": "Filipino",
    "HI": "Hispanic",
    "PI": "Pacific Islander",
    "WH": "White",
    "MR": "Two or More Race",
    "EL": "English Learner",
    "LTEL": "Long-Term English Learner",
    "FOS": "Foster Youth",
    "HOM": "Homeless Youth",
    "SWD": "Students with Disabilities",
    "SED": "Socioeconomically Disadvantaged",
}


def group_years(history: DaHistory, year: int) -> pl.DataFrame:
    """(cds, studentgroup, year, met) over the goals years, for groups with a code in ``year``.

    met: True with a code that year, False without one (or when the LEA was in General
    Assistance), null when the year is known only as Differentiated Assistance or not at all.
    """
    rules = load_da_rules(year)
    candidates = history.codes.filter(
        (pl.col("year") == year) & pl.col("code").is_not_null()
    ).select("cds", "studentgroup")
    window = pl.DataFrame({"year": list(rules.goals_years)}, schema={"year": pl.Int32})
    grid = candidates.join(window, how="cross")
    with_codes = grid.join(
        history.codes.select("cds", "studentgroup", "year", "code"),
        on=["cds", "studentgroup", "year"],
        how="left",
    )
    codes_known = (
        history.codes.select("cds", "year").unique().with_columns(pl.lit(True).alias("codes_known"))
    )
    statuses = history.statuses.select("cds", "year", "da")
    joined = with_codes.join(codes_known, on=["cds", "year"], how="left").join(
        statuses, on=["cds", "year"], how="left"
    )
    met = (
        pl.when(pl.col("codes_known").fill_null(False))
        .then(pl.col("code").is_not_null())
        .when(pl.col("da") == False)  # noqa: E712  (a null means the status is unknown)
        .then(pl.lit(False))
        .otherwise(pl.lit(None, dtype=pl.Boolean))
    )
    return joined.select("cds", "studentgroup", "year", "code", met.alias("met"))


def required_goals(
    history: DaHistory, year: int, names: pl.DataFrame | None = None
) -> pl.DataFrame:
    """LEAs required to add LCAP goals, shaped like CDE's list, plus undetermined groups.

    Columns: CDS, LEA, Targeted Student Group(s), Undetermined Student Group(s), Explanation.
    Only LEAs with a targeted or undetermined group are listed.
    """
    rules = load_da_rules(year)
    schema = {
        "CDS": pl.String(),
        "LEA": pl.String(),
        "Targeted Student Group(s)": pl.String(),
        "Undetermined Student Group(s)": pl.String(),
        "Explanation": pl.String(),
    }
    if not rules.goals_years:
        return pl.DataFrame(schema=schema)
    years = group_years(history, year)
    verdicts = years.group_by("cds", "studentgroup").agg(
        pl.when(pl.col("met").not_().any())
        .then(pl.lit(False))
        .when(pl.col("met").is_null().any())
        .then(pl.lit(None, dtype=pl.Boolean))
        .otherwise(pl.lit(True))
        .first()
        .alias("targeted"),
        pl.format(
            "{} {}",
            pl.col("year"),
            pl.when(pl.col("met").is_null())
            .then(pl.lit("unknown"))
            .when(pl.col("met"))
            .then(pl.format("code {}", pl.col("code")))
            .otherwise(pl.lit("no code")),
        )
        .sort()
        .str.join(", ")
        .alias("years_text"),
    )
    rows = []
    name_of = dict(
        history.statuses.filter(pl.col("name").is_not_null())
        .sort("year")
        .group_by("cds")
        .agg(pl.col("name").last())
        .iter_rows()
    )
    window = ", ".join(str(y) for y in rules.goals_years)
    for cds, part in verdicts.sort("cds", "studentgroup").group_by("cds", maintain_order=True):
        targeted = part.filter(pl.col("targeted") == True)  # noqa: E712
        unknown = part.filter(pl.col("targeted").is_null())
        if targeted.height == 0 and unknown.height == 0:
            continue
        lines = [
            f"{CDE_GROUP_NAMES[g]}: {text}"
            for g, text in part.select("studentgroup", "years_text").iter_rows()
        ]
        rows.append(
            {
                "CDS": cds[0],
                "LEA": name_of.get(str(cds[0])),
                "Targeted Student Group(s)": _names(targeted),
                "Undetermined Student Group(s)": _names(unknown),
                "Explanation": f"A group needs a DA code in each of {window}. "
                + "; ".join(lines)
                + ".",
            }
        )
    return pl.DataFrame(rows, schema=schema)


def _names(part: pl.DataFrame) -> str | None:
    groups = [CDE_GROUP_NAMES[g] for g in part["studentgroup"].to_list()]
    return ", ".join(sorted(groups)) if groups else None
