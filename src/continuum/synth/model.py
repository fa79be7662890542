"""Statistical models of a school's students and results, one school × student group per cell.

Every school gets a population (students by race, English-learner status, need); each indicator
then draws its current- and prior-year denominators from that population and its results from a
latent level: a national-style base, the school's kind, its 'advantage' (shared by all indicators
and both years, so results correlate), a student-group offset and noise. The current year is the
prior year plus a change, so the two years correlate as real ones do. Counts are binomial, so
small groups are noisy and statuses follow from numerators exactly.

All work is on (schools × groups) numpy arrays; nothing loops over rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
import polars as pl

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Measure = Literal["rate", "mean", "elpi", "cci"]

RACE_GROUPS = ("AA", "AI", "AS", "FI", "HI", "PI", "WH", "MR")
RACE_MIX = np.array([0.09, 0.006, 0.13, 0.04, 0.40, 0.012, 0.22, 0.08])
NEED_GROUPS = ("SED", "SWD", "FOS", "HOM")
# LTEL is a student group from the 2024 Dashboard on.
LTEL_FIRST_YEAR = 2024

BASE_GROUPS = ("ALL", *RACE_GROUPS, "EL", "LTEL", *NEED_GROUPS)
ACADEMIC_GROUPS = (*BASE_GROUPS, "ELO", "RFP", "EO", "SBA", "CAA")
SCIENCE_GROUPS = (*BASE_GROUPS, "ELO", "RFP", "EO", "CAST", "CAA")
ELPI_GROUPS = ("EL", "LTEL")
# Groups whose cells are sums of other cells of the same school rather than draws of their own.
_RACE_SUM = "ALL"
_ASSESSMENT_REST = {"SBA": "CAA", "CAST": "CAA"}

ACADEMIC_SHARE = {"elementary": 0.5, "middle": 0.98, "high": 0.24, "k12": 0.5, "alternative": 0.3}


@dataclass(frozen=True)
class IndicatorModel:
    """How one indicator's denominators and results are drawn."""

    indicator: str
    measure: Measure
    groups: tuple[str, ...]
    share: Mapping[str, float]  # denominator as a share of enrolment, by school kind served
    base: float  # prior-year level: logit of the rate, or mean points
    advantage: float
    entity_sd: float
    group_sd: float
    drift: float
    change_entity_sd: float
    change_group_sd: float
    kind_offset: Mapping[str, float] = field(default_factory=dict)
    group_offset: Mapping[str, float] = field(default_factory=dict)
    student_sd: float = 0.0  # mean measures: spread of one student's score


def _offsets(text: str) -> dict[str, float]:
    """Group offsets written as 'AA -45 AI -35 …' (a group not listed has 0)."""
    words = text.split()
    return {group: float(value) for group, value in zip(words[::2], words[1::2], strict=True)}


MODELS: dict[str, IndicatorModel] = {
    "ELA": IndicatorModel(
        indicator="ELA",
        measure="mean",
        groups=ACADEMIC_GROUPS,
        share=ACADEMIC_SHARE,
        base=-12.0,
        advantage=28.0,
        entity_sd=18.0,
        group_sd=10.0,
        drift=3.0,
        change_entity_sd=6.0,
        change_group_sd=4.0,
        kind_offset={"high": 20.0, "alternative": -55.0},
        group_offset=_offsets(
            "AA -45 AI -35 PI -30 HI -25 WH 18 AS 55 FI 35 MR 10 EL -55 LTEL -100 ELO -75 "
            "RFP 5 EO 8 SED -30 SWD -95 FOS -75 HOM -55 CAA -10"
        ),
        student_sd=85.0,
    ),
    "MATH": IndicatorModel(
        indicator="MATH",
        measure="mean",
        groups=ACADEMIC_GROUPS,
        share=ACADEMIC_SHARE,
        base=-45.0,
        advantage=32.0,
        entity_sd=20.0,
        group_sd=10.0,
        drift=3.0,
        change_entity_sd=6.0,
        change_group_sd=4.0,
        kind_offset={"high": -45.0, "alternative": -100.0},
        group_offset=_offsets(
            "AA -50 AI -40 PI -35 HI -30 WH 20 AS 70 FI 30 MR 8 EL -50 LTEL -105 ELO -70 "
            "RFP 0 EO 6 SED -30 SWD -100 FOS -80 HOM -55 CAA -5"
        ),
        student_sd=90.0,
    ),
    "SCIENCE": IndicatorModel(
        indicator="SCIENCE",
        measure="mean",
        groups=SCIENCE_GROUPS,
        share={"elementary": 0.16, "middle": 0.32, "high": 0.24, "k12": 0.22, "alternative": 0.3},
        base=47.0,
        advantage=5.0,
        entity_sd=4.0,
        group_sd=2.0,
        drift=0.5,
        change_entity_sd=1.5,
        change_group_sd=1.0,
        kind_offset={"alternative": -8.0},
        group_offset=_offsets(
            "AA -6 AI -4 PI -4 HI -4 WH 4 AS 10 FI 6 MR 2 EL -9 LTEL -13 ELO -11 RFP 1 EO 2 "
            "SED -4 SWD -12 FOS -9 HOM -6 CAA -5"
        ),
        student_sd=15.0,
    ),
    "CHRO": IndicatorModel(
        indicator="CHRO",
        measure="rate",
        groups=BASE_GROUPS,
        share={"elementary": 0.98, "middle": 0.98, "k12": 0.68},
        base=-1.6,
        advantage=-0.45,
        entity_sd=0.45,
        group_sd=0.25,
        drift=-0.08,
        change_entity_sd=0.22,
        change_group_sd=0.15,
        kind_offset={"middle": 0.1},
        group_offset=_offsets(
            "AA 0.6 AI 0.6 PI 0.5 HI 0.15 WH -0.1 AS -0.9 FI -0.6 MR 0.1 LTEL 0.3 SED 0.25 SWD 0.4 "
            "FOS 0.8 HOM 0.8"
        ),
    ),
    "SUSP": IndicatorModel(
        indicator="SUSP",
        measure="rate",
        groups=BASE_GROUPS,
        share={"elementary": 1.05, "middle": 1.07, "high": 1.08, "k12": 1.07, "alternative": 1.4},
        base=-3.5,
        advantage=-0.4,
        entity_sd=0.6,
        group_sd=0.25,
        drift=-0.05,
        change_entity_sd=0.3,
        change_group_sd=0.2,
        kind_offset={"elementary": -1.0, "middle": 0.5, "high": 0.2, "alternative": 0.9},
        group_offset=_offsets(
            "AA 0.9 AI 0.7 PI 0.4 HI 0.1 AS -1.2 FI -0.9 MR 0.2 EL -0.1 LTEL 0.4 SED 0.3 "
            "SWD 0.6 FOS 1.2 HOM 0.6"
        ),
    ),
    "GRAD": IndicatorModel(
        indicator="GRAD",
        measure="rate",
        groups=BASE_GROUPS,
        share={"high": 0.25, "k12": 0.07, "alternative": 0.45},
        base=2.1,
        advantage=0.45,
        entity_sd=0.5,
        group_sd=0.25,
        drift=0.05,
        change_entity_sd=0.3,
        change_group_sd=0.2,
        kind_offset={"alternative": -2.3},
        group_offset=_offsets(
            "AA -0.5 AI -0.5 PI -0.3 HI -0.15 WH 0.1 AS 0.9 FI 0.7 EL -0.6 LTEL -0.8 SED -0.3 "
            "SWD -0.9 FOS -1.4 HOM -0.8"
        ),
    ),
    "CCI": IndicatorModel(
        indicator="CCI",
        measure="cci",
        groups=BASE_GROUPS,
        share={"high": 0.25, "k12": 0.07, "alternative": 0.45},
        base=-0.2,
        advantage=0.55,
        entity_sd=0.55,
        group_sd=0.25,
        drift=0.08,
        change_entity_sd=0.35,
        change_group_sd=0.2,
        kind_offset={"alternative": -2.4},
        group_offset=_offsets(
            "AA -0.6 AI -0.6 PI -0.4 HI -0.3 WH 0.1 AS 1 FI 0.5 EL -1.1 LTEL -1.3 SED -0.4 "
            "SWD -1.6 FOS -1.5 HOM -0.8"
        ),
    ),
    "ELPI": IndicatorModel(
        indicator="ELPI",
        measure="elpi",
        groups=ELPI_GROUPS,
        share={"elementary": 0.8, "middle": 0.92, "high": 0.88, "k12": 0.85, "alternative": 0.8},
        base=-0.15,
        advantage=0.2,
        entity_sd=0.4,
        group_sd=0.2,
        drift=0.02,
        change_entity_sd=0.3,
        change_group_sd=0.15,
        group_offset={"LTEL": 0.05},
    ),
}


@dataclass(frozen=True)
class Population:
    """Students of each school by population group, in the current and the prior year."""

    current: dict[str, Ints]
    prior: dict[str, Ints]


def population(schools: pl.DataFrame, rng: np.random.Generator) -> Population:
    """Draw each school's students by race, English-learner status and need, for both years."""
    enrolment = schools.get_column("enrolment").to_numpy().astype(np.int64)
    advantage = schools.get_column("advantage").to_numpy()
    kinds = schools.get_column("kind").to_numpy()
    n = len(enrolment)
    # Dirichlet per school: neighbourhoods differ a lot in their mix.
    gamma = rng.gamma(RACE_MIX * 10.0, size=(n, len(RACE_MIX)))
    mix = gamma / gamma.sum(axis=1, keepdims=True)
    races = rng.multinomial(enrolment, mix)
    current: dict[str, Ints] = {g: races[:, i] for i, g in enumerate(RACE_GROUPS)}
    hispanic = mix[:, RACE_GROUPS.index("HI")]
    asian = mix[:, RACE_GROUPS.index("AS")]
    el_p = _expit(-2.3 + 2.6 * hispanic - 0.25 * advantage + rng.normal(0.0, 0.4, n))
    current["ELO"] = rng.binomial(enrolment, el_p)
    ltel_share = np.array(
        [{"elementary": 0.05, "middle": 0.4, "high": 0.35, "k12": 0.2}.get(k, 0.45) for k in kinds]
    )
    current["LTEL"] = rng.binomial(current["ELO"], ltel_share)
    current["RFP"] = rng.binomial(enrolment - current["ELO"], 0.04 + 0.08 * hispanic)
    eo_p = np.clip(0.85 - 0.6 * hispanic - 0.5 * asian, 0.1, 0.95)
    current["EO"] = rng.binomial(enrolment - current["ELO"] - current["RFP"], eo_p)
    disadvantage = hispanic + mix[:, RACE_GROUPS.index("AA")] - 0.5
    sed_p = _expit(0.4 - 0.9 * advantage + 1.5 * disadvantage + rng.normal(0.0, 0.3, n))
    alternative = kinds == "alternative"
    current["SED"] = rng.binomial(enrolment, sed_p)
    current["SWD"] = rng.binomial(enrolment, np.where(alternative, 0.22, 0.12))
    current["FOS"] = rng.binomial(enrolment, np.where(alternative, 0.03, 0.004))
    current["HOM"] = rng.binomial(enrolment, (0.01 + 0.04 * sed_p) * np.where(alternative, 2, 1))
    # The prior year's cohort: the same school, a little bigger or smaller.
    drift = np.exp(rng.normal(0.0, 0.06, n))
    prior = {g: rng.poisson(c * drift) for g, c in current.items()}
    return Population(current=current, prior=prior)


def draw_indicator(
    model: IndicatorModel,
    schools: pl.DataFrame,
    people: Population,
    rng: np.random.Generator,
    *,
    year: int,
) -> pl.DataFrame:
    """School rows of one indicator: school index, student group and the measure's counts for
    both years (prior columns null for new schools)."""
    kinds = schools.get_column("kind").to_numpy()
    served = np.array([k in model.share for k in kinds])
    index = np.flatnonzero(served)
    kinds = kinds[index]
    groups = tuple(g for g in model.groups if g != "LTEL" or year >= LTEL_FIRST_YEAR)
    share = np.array([model.share[k] for k in kinds])
    academic = model.measure == "mean"
    current_base, current_people = _denominators(
        people.current, index, groups, share, academic, rng
    )
    prior_base, prior_people = _denominators(people.prior, index, groups, share, academic, rng)
    latent_prior, latent_current = _latent(model, schools, index, kinds, groups, rng)
    columns: dict[str, Floats | Ints] = {}
    for when, base, latent in (
        ("curr", current_base, latent_current),
        ("prior", prior_base, latent_prior),
    ):
        drawn = _DRAW[model.measure](model, base, latent, groups, rng, year)
        columns.update({f"{when}_{name}": values for name, values in drawn.items()})
    if model.indicator == "GRAD":
        # Fifth-year graduates are a small part of the current numerator.
        columns["curr_fiveyr"] = rng.binomial(columns["curr_numer"].astype(np.int64), 0.025)
    # A group with no students at the school in either year has no row, as in CDE's files; one
    # with students but none in this indicator's denominator has a row of zeros.
    present = (current_people > 0) | (prior_people > 0)
    school_index, group_index = np.nonzero(present)
    new_school = schools.get_column("new_school").to_numpy()[index][school_index]
    data: dict[str, object] = {
        "school": index[school_index],
        "studentgroup": np.array(groups)[group_index],
    }
    for name, values in columns.items():
        flat = values[school_index, group_index]
        if name.startswith("prior_"):
            data[name] = pl.Series(name, flat).set(pl.Series(new_school), None)
        else:
            data[name] = flat
    return pl.DataFrame(data)


def _denominators(
    counts: dict[str, Ints],
    index: Ints,
    groups: tuple[str, ...],
    share: Floats,
    academic: bool,
    rng: np.random.Generator,
) -> tuple[Ints, Ints]:
    """Students of each group in the indicator's denominator (a share of the group's students,
    above 1 for cumulative enrolment; ALL the sum of the race groups), and in the school."""
    out = np.zeros((len(index), len(groups)), dtype=np.int64)
    enrolled = np.zeros_like(out)
    inside = np.minimum(share, 1.0)[:, None]
    extra = np.maximum(share - 1.0, 0.0)[:, None]
    for column, group in enumerate(groups):
        source = _population_group(group, academic)
        if source is None:
            continue
        people = _population_count(counts, source)[index]
        enrolled[:, column] = people
        out[:, column] = rng.binomial(people, inside[:, 0]) + rng.binomial(people, extra[:, 0])
    _sum_races(out, groups)
    for rest, part in _ASSESSMENT_REST.items():
        if rest in groups and part in groups:
            swd = out[:, groups.index("SWD")]
            out[:, groups.index(part)] = rng.binomial(swd, 0.09)
            out[:, groups.index(rest)] = (
                out[:, groups.index(_RACE_SUM)] - out[:, groups.index(part)]
            )
    derived = [i for i, g in enumerate(groups) if _population_group(g, academic) is None]
    enrolled[:, derived] = out[:, derived]
    return out, enrolled


def _population_group(group: str, academic: bool) -> tuple[str, ...] | None:
    """Population groups a student group counts; academic EL adds recently reclassified
    students to current English learners."""
    if group in (_RACE_SUM, *_ASSESSMENT_REST, "CAA"):
        return None
    if group == "EL":
        return ("ELO", "RFP") if academic else ("ELO",)
    return (group,)


def _population_count(counts: dict[str, Ints], source: tuple[str, ...]) -> Ints:
    total = counts[source[0]]
    for extra in source[1:]:
        total = total + counts[extra]
    return total


def _latent(
    model: IndicatorModel,
    schools: pl.DataFrame,
    index: Ints,
    kinds: npt.NDArray[np.object_],
    groups: tuple[str, ...],
    rng: np.random.Generator,
) -> tuple[Floats, Floats]:
    """Prior and current latent level of each cell (logit of a rate, or mean points)."""
    n, g = len(index), len(groups)
    advantage = schools.get_column("advantage").to_numpy()[index]
    kind = np.array([model.kind_offset.get(k, 0.0) for k in kinds])
    group = np.array([model.group_offset.get(name, 0.0) for name in groups])
    school = model.base + kind + model.advantage * advantage + rng.normal(0, model.entity_sd, n)
    prior = school[:, None] + group[None, :] + rng.normal(0.0, model.group_sd, (n, g))
    change = (
        model.drift
        + rng.normal(0.0, model.change_entity_sd, n)[:, None]
        + rng.normal(0.0, model.change_group_sd, (n, g))
    )
    return prior, prior + change


def _draw_rate(
    model: IndicatorModel,
    denom: Ints,
    latent: Floats,
    groups: tuple[str, ...],
    rng: np.random.Generator,
    year: int,
) -> dict[str, Ints]:
    numer = rng.binomial(denom, _expit(latent))
    _sum_races(numer, groups)
    return {"numer": numer, "denom": denom}


def _draw_mean(
    model: IndicatorModel,
    enrolled: Ints,
    latent: Floats,
    groups: tuple[str, ...],
    rng: np.random.Generator,
    year: int,
) -> dict[str, Ints | Floats]:
    n = enrolled.shape[0]
    # Most schools test nearly everyone; about one in eight falls below 95%.
    low = rng.random(n) < 0.12
    rate = np.where(low, rng.uniform(0.82, 0.95, n), 1.0 - np.abs(rng.normal(0.0, 0.015, n)))
    tested = rng.binomial(enrolled, rate[:, None])
    denom_wo = rng.binomial(tested, 0.975)
    noise = rng.standard_normal(enrolled.shape) * np.sqrt(denom_wo) * model.student_sd
    sum_wo = denom_wo * latent + noise
    for values in (tested, denom_wo, sum_wo):
        _sum_races(values, groups)
        _assessment_rest(values, groups)
    return {"enrolled": enrolled, "tested": tested, "denom_wo": denom_wo, "sum_wo": sum_wo}


def _draw_elpi(
    model: IndicatorModel,
    takers: Ints,
    latent: Floats,
    groups: tuple[str, ...],
    rng: np.random.Generator,
    year: int,
) -> dict[str, Ints]:
    progressing = rng.binomial(takers, _expit(latent))
    # The alternate ELPAC joined the indicator in 2023.
    alternate = year >= 2023
    good_p = [0.955, 0.03, 0.01, 0.005] if alternate else [0.97, 0.03, 0.0, 0.0]
    bad_p = [0.64, 0.34, 0.02] if alternate else [0.65, 0.35, 0.0]
    good = rng.multinomial(progressing.ravel(), good_p).reshape((*takers.shape, 4))
    bad = rng.multinomial((takers - progressing).ravel(), bad_p).reshape((*takers.shape, 3))
    # Fewer than 95% tested at a few schools: the shortfall joins the denominator.
    low_participation = rng.random(size=len(takers)) < 0.06
    short = low_participation[:, None] & (takers >= 30)
    adjust = np.where(short, rng.binomial(takers, 0.04), 0)
    names = ("progressed", "maintainpl4", "progressed_alternate", "maintainpl3_alternate")
    out = {name: good[..., i] for i, name in enumerate(names)}
    out |= {
        name: bad[..., i]
        for i, name in enumerate(("maintainoth", "declined", "notprognotmain_alternate"))
    }
    out["adjust95"] = adjust
    return out


def _draw_cci(
    model: IndicatorModel,
    denom: Ints,
    latent: Floats,
    groups: tuple[str, ...],
    rng: np.random.Generator,
    year: int,
) -> dict[str, Ints]:
    prep = rng.binomial(denom, _expit(latent))
    aprep = rng.binomial(denom - prep, 0.28)
    _sum_races(prep, groups)
    _sum_races(aprep, groups)
    return {"denom": denom, "prep": prep, "aprep": aprep, "nprep": denom - prep - aprep}


_Draw = Callable[
    [IndicatorModel, Ints, Floats, tuple[str, ...], np.random.Generator, int],
    Mapping[str, Ints | Floats],
]
_DRAW: dict[Measure, _Draw] = {
    "rate": _draw_rate,
    "mean": _draw_mean,
    "elpi": _draw_elpi,
    "cci": _draw_cci,
}


def _sum_races(values: Ints | Floats, groups: tuple[str, ...]) -> None:
    """ALL = the sum of the race groups, in place, so the whole equals its parts."""
    if _RACE_SUM in groups:
        races = [groups.index(g) for g in RACE_GROUPS]
        values[:, groups.index(_RACE_SUM)] = values[:, races].sum(axis=1)


def _assessment_rest(values: Ints | Floats, groups: tuple[str, ...]) -> None:
    """SBA (or CAST) = ALL minus the alternate-assessment takers, in place."""
    for rest, part in _ASSESSMENT_REST.items():
        if rest in groups and part in groups:
            values[:, groups.index(rest)] = (
                values[:, groups.index(_RACE_SUM)] - values[:, groups.index(part)]
            )


def _expit(x: Floats) -> Floats:
    return 1.0 / (1.0 + np.exp(-x))
