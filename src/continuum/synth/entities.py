"""The shape of a synthetic county or state: county offices, districts, schools and CDS codes.

A county is a list of ``LeaPlan``s (the county office first). Each plan says how many schools of
each kind the LEA operates and how many charter schools it authorises. ``build_entities`` turns
plans into two tables, one row per school and one per LEA, with the attributes the indicator
models and CDE's files need (suspension ``type``, ``hscutpoints``, DASS and charter flags).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

SCHOOL_KINDS = ("elementary", "middle", "high", "k12", "alternative")
LEA_KINDS = ("coe", "elementary", "high", "unified")

# Suspension cut table by school kind; K-12 schools use the unified table, DASS schools serve
# high-school grades.
SCHOOL_SUSPENSION_TYPE = {
    "elementary": "ES",
    "middle": "MS",
    "high": "HS",
    "k12": "UD",
    "alternative": "HS",
}
LEA_SUSPENSION_TYPE = {"coe": "UD", "elementary": "ED", "high": "HD", "unified": "UD"}
# A single-school district takes the type of its school.
SINGLE_SCHOOL_LEA_KIND = {
    "elementary": "elementary",
    "middle": "elementary",
    "high": "high",
    "alternative": "high",
    "k12": "unified",
}
# Grade-11 academic cuts: schools serving only high-school grades and high school districts.
GRADE_11_SCHOOL_KINDS = frozenset({"high", "alternative"})

# Median enrolment and spread (log scale) by school kind.
ENROLMENT = {
    "elementary": (470.0, 0.40),
    "middle": (780.0, 0.40),
    "high": (1450.0, 0.55),
    "k12": (330.0, 0.90),
    "alternative": (110.0, 0.65),
}
CHARTER_SIZE = 0.6
NEW_SCHOOL_SHARE = 0.02
# Title I funds follow poverty: the least advantaged share of schools are Title I-funded
# (California: about 60% of schools).
TITLE_I_SHARE = 0.6

_PLACE_STEMS = (
    "Oak", "Pine", "Cedar", "Willow", "River", "Sun", "Mesa", "Valley", "Lake", "Canyon",
    "Hill", "Bay", "Sierra", "Golden", "Mission", "Vista", "Rancho", "Arroyo", "Cypress",
    "Laurel", "Madrone", "Sage", "Granite", "Meadow", "Harbor", "Redwood", "Alder", "Buckeye",
    "Poppy", "Quail", "Manzanita", "Juniper", "Sycamore", "Tule", "Orchard", "Sequoia",
)  # fmt: skip
_PLACE_ENDINGS = (
    "wood", "view", "dale", " Grove", " Springs", " Park", "field", " Ridge", " Creek",
    " Heights", " Crest", " Landing", "brook", " Point", " Glen", " Flats", " Knoll",
)  # fmt: skip
_SCHOOL_SUFFIX = {
    "elementary": "Elementary",
    "middle": "Middle",
    "high": "High",
    "k12": "Academy (K-12)",
    "alternative": "Continuation High",
}
_COE_SCHOOL_NAMES = {
    "alternative": ("Juvenile Court School", "County Community School"),
    "k12": ("County Special Education",),
}
_LEA_SUFFIX = {
    "elementary": "Union Elementary",
    "high": "Joint Union High",
    "unified": "Unified",
}


@dataclass(frozen=True)
class LeaPlan:
    """One LEA of a county: its kind, the schools it runs and the charters it authorises."""

    kind: str
    schools: dict[str, int]
    charters: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in LEA_KINDS:
            raise ValueError(f"unknown LEA kind {self.kind!r}")
        unknown = (set(self.schools) | set(self.charters)) - set(SCHOOL_KINDS)
        if unknown:
            raise ValueError(f"unknown school kinds {sorted(unknown)}")

    @property
    def school_count(self) -> int:
        """Schools the LEA operates (charters excluded)."""
        return sum(self.schools.values())


@dataclass(frozen=True)
class CountyPlan:
    """A county: its name, two-digit code and LEAs (the county office first)."""

    name: str
    code: int
    leas: tuple[LeaPlan, ...]


@dataclass(frozen=True)
class Entities:
    """Schools and LEAs of a synthetic state or county."""

    schools: pl.DataFrame
    leas: pl.DataFrame


def demo_county() -> CountyPlan:
    """A county shaped like Sacramento: a county office, 13 districts of every kind (two with a
    single school), ~250 schools and their charters."""
    leas = (
        LeaPlan("coe", {"alternative": 2, "k12": 1}, {"elementary": 3, "k12": 2, "high": 2}),
        LeaPlan(
            "unified",
            {"elementary": 40, "middle": 8, "high": 8, "alternative": 3, "k12": 1},
            {"elementary": 4, "middle": 1, "high": 2},
        ),
        LeaPlan(
            "unified",
            {"elementary": 30, "middle": 6, "high": 6, "alternative": 2},
            {"elementary": 3, "high": 1},
        ),
        LeaPlan(
            "unified",
            {"elementary": 22, "middle": 5, "high": 5, "alternative": 2},
            {"elementary": 2, "k12": 1},
        ),
        LeaPlan("unified", {"elementary": 12, "middle": 3, "high": 3, "alternative": 1}),
        LeaPlan("unified", {"elementary": 5, "middle": 1, "high": 1, "alternative": 1}),
        LeaPlan("high", {"high": 9, "alternative": 2}, {"high": 1}),
        LeaPlan("elementary", {"elementary": 18, "middle": 4}, {"elementary": 2}),
        LeaPlan("elementary", {"elementary": 10, "middle": 2}),
        LeaPlan("elementary", {"elementary": 7, "middle": 2}),
        LeaPlan("elementary", {"elementary": 3, "middle": 1}),
        LeaPlan("elementary", {"elementary": 1}),
        LeaPlan("high", {"high": 1}),
        LeaPlan("unified", {"k12": 1}),
    )
    return CountyPlan(name="Rio Verde", code=34, leas=leas)


def statewide_counties(
    rng: np.random.Generator, counties: int = 58, districts: int = 940
) -> tuple[CountyPlan, ...]:
    """Counties of very different sizes whose totals are like California's: ~1,000 LEAs and
    ~10,000 schools, charters included."""
    weights = rng.lognormal(0.0, 1.0, counties)
    district_counts = np.maximum(1, np.round(weights / weights.sum() * districts)).astype(int)
    plans = []
    for index, district_count in enumerate(district_counts):
        leas = [LeaPlan("coe", {"alternative": 2, "k12": 1}, _charters(rng, 3.0, "coe"))]
        kinds = rng.choice(("elementary", "unified", "high"), district_count, p=(0.5, 0.4, 0.1))
        leas.extend(_random_lea(rng, str(kind)) for kind in kinds)
        plans.append(CountyPlan(name=_county_name(index), code=index + 1, leas=tuple(leas)))
    return tuple(plans)


def _random_lea(rng: np.random.Generator, kind: str) -> LeaPlan:
    median = {"elementary": 4.0, "unified": 9.0, "high": 5.0}[kind]
    size = max(1, round(rng.lognormal(np.log(median), 1.0)))
    if kind == "elementary" and rng.random() < 0.3:
        size = 1
    if size == 1:
        single = {"elementary": "elementary", "unified": "k12", "high": "high"}[kind]
        return LeaPlan(kind, {single: 1})
    if kind == "elementary":
        middle = round(size * 0.18)
        schools = {"elementary": size - middle, "middle": middle}
    elif kind == "high":
        alternative = max(0, round(size * 0.25))
        schools = {"high": max(1, size - alternative), "alternative": alternative}
    else:
        middle = round(size * 0.13)
        high = max(1, round(size * 0.11))
        alternative = round(size * 0.06)
        k12 = int(rng.random() < 0.2)
        elementary = max(1, size - middle - high - alternative - k12)
        schools = {
            "elementary": elementary,
            "middle": middle,
            "high": high,
            "alternative": alternative,
            "k12": k12,
        }
    return LeaPlan(kind, schools, _charters(rng, size / 9.0, kind))


def _charters(rng: np.random.Generator, expected: float, kind: str) -> dict[str, int]:
    count = int(rng.poisson(expected))
    if count == 0:
        return {}
    kinds = ("elementary", "middle", "high", "k12")
    weights = (0.5, 0.1, 0.2, 0.2) if kind != "elementary" else (0.85, 0.15, 0.0, 0.0)
    drawn = rng.choice(kinds, count, p=weights)
    return {k: int((drawn == k).sum()) for k in kinds if (drawn == k).any()}


def _county_name(index: int) -> str:
    stem = _PLACE_STEMS[index % len(_PLACE_STEMS)]
    ending = _PLACE_ENDINGS[(index * 7) % len(_PLACE_ENDINGS)]
    return f"{stem}{ending}"


def build_entities(counties: Sequence[CountyPlan], rng: np.random.Generator) -> Entities:
    """Tables of schools and LEAs with CDS codes, names, sizes and the latent 'advantage' that
    correlates a school's results across indicators and years."""
    school_rows: list[tuple[object, ...]] = []
    lea_rows: list[tuple[object, ...]] = []
    names = _NameMaker(rng)
    school_number = 100000
    for county in counties:
        for lea_index, lea in enumerate(county.leas):
            district_code = 10000 + county.code * 10 if lea.kind == "coe" else 60000 + lea_index
            lea_cds = f"{county.code:02d}{district_code:05d}0000000"
            single = lea.kind != "coe" and lea.school_count == 1
            if lea.kind == "coe":
                lea_name = f"{county.name} County Office of Education"
                lea_kind = "coe"
            else:
                lea_name = f"{names.place()} {_LEA_SUFFIX[lea.kind]}"
                lea_kind = lea.kind
            if single:
                only_kind = next(k for k, n in lea.schools.items() if n)
                lea_kind = SINGLE_SCHOOL_LEA_KIND[only_kind]
            lea_effect = float(rng.normal(0.0, 0.7))
            lea_rows.append(
                (
                    lea_cds,
                    lea_name,
                    county.name,
                    "Y" if lea.kind == "coe" else None,
                    LEA_SUSPENSION_TYPE[lea_kind],
                    "Y" if lea_kind == "high" else None,
                )
            )
            for charter, kinds in ((False, lea.schools), (True, lea.charters)):
                for kind in SCHOOL_KINDS:
                    for ordinal in range(kinds.get(kind, 0)):
                        school_number += 1
                        school_rows.append(
                            (
                                f"{county.code:02d}{district_code:05d}{school_number:07d}",
                                names.school(kind, charter, lea.kind == "coe", ordinal),
                                lea_name,
                                county.name,
                                "Y" if charter else None,
                                "Y" if kind == "alternative" else None,
                                None if charter else lea_cds,
                                kind,
                                lea.kind == "coe" and not charter,
                                lea_effect,
                            )
                        )
    schools = pl.DataFrame(
        school_rows,
        schema={
            "cds": pl.String,
            "schoolname": pl.String,
            "districtname": pl.String,
            "countyname": pl.String,
            "charter_flag": pl.String,
            "dass_flag": pl.String,
            "lea_cds": pl.String,
            "kind": pl.String,
            "county_run": pl.Boolean,
            "lea_effect": pl.Float64,
        },
        orient="row",
    )
    return Entities(schools=_with_sizes(schools, rng), leas=_lea_frame(lea_rows))


def _with_sizes(schools: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    kinds = schools.get_column("kind").to_numpy()
    median = np.array([ENROLMENT[k][0] for k in kinds])
    spread = np.array([ENROLMENT[k][1] for k in kinds])
    charter = schools.get_column("charter_flag").is_not_null().to_numpy()
    coe_run = schools.get_column("county_run").to_numpy()
    median = np.where(charter, median * CHARTER_SIZE, median)
    median = np.where(coe_run, median * 0.5, median)
    enrolment = np.maximum(np.round(median * rng.lognormal(0.0, spread)), 8).astype(np.int64)
    own = rng.normal(0.0, 0.75, len(kinds))
    # Charters share nothing with their authoriser; district schools share a district effect.
    lea_effect = np.where(charter, 0.0, schools.get_column("lea_effect").to_numpy())
    advantage = np.where(charter, rng.normal(0.1, 1.0, len(kinds)), own) + lea_effect
    new = rng.random(len(kinds)) < NEW_SCHOOL_SHARE
    return schools.drop("lea_effect", "county_run").with_columns(
        pl.Series("suspension_type", [SCHOOL_SUSPENSION_TYPE[k] for k in kinds]),
        pl.Series("hscutpoints", ["Y" if k in GRADE_11_SCHOOL_KINDS else None for k in kinds]),
        pl.Series("enrolment", enrolment),
        pl.Series("advantage", advantage),
        pl.Series("new_school", new),
        pl.Series("title_i", advantage <= np.quantile(advantage, TITLE_I_SHARE)),
    )


def _lea_frame(rows: list[tuple[object, ...]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "cds": pl.String,
            "districtname": pl.String,
            "countyname": pl.String,
            "coe_flag": pl.String,
            "suspension_type": pl.String,
            "hscutpoints": pl.String,
        },
        orient="row",
    )


class _NameMaker:
    """Place names for LEAs and schools; deterministic for the generator's random stream."""

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng

    def place(self) -> str:
        stem = _PLACE_STEMS[int(self._rng.integers(len(_PLACE_STEMS)))]
        ending = _PLACE_ENDINGS[int(self._rng.integers(len(_PLACE_ENDINGS)))]
        return f"{stem}{ending}"

    def school(self, kind: str, charter: bool, county_run: bool, ordinal: int) -> str:
        if county_run and not charter:
            options = _COE_SCHOOL_NAMES[kind]
            return options[ordinal % len(options)]
        suffix = _SCHOOL_SUFFIX[kind]
        if charter:
            return f"{self.place()} Charter {suffix}"
        return f"{self.place()} {suffix}"
