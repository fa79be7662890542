"""The MTSS lens: a district team's self-assessment of its multi-tiered system of support.

The items follow the core components of California's MTSS as the California Department of
Education lists them ("MTSS Components", https://www.cde.ca.gov/ci/cr/ri/mtsscomponents.asp:
high-quality differentiated classroom instruction, systemic and sustainable change, an
integrated data system, positive behavioral support, …) and the features of the SWIFT Fidelity
Integrity Assessment, the self-assessment of the CA MTSS framework (SWIFT Center, 2016, SWIFT
Fidelity Integrity Assessment v1.3, Lawrence, KS: strong and engaged leadership, a fully
integrated organizational structure, strong educator support, inclusive academic and behavior
instruction, trusting family and community partnerships, an LEA policy framework). They are
grouped by the three lenses of Differentiated Assistance: the system's structure, its data and
its practices. The wording is ours, short enough to rate in a team meeting.

Ratings run from 1 to 4; the four steps mirror SWIFT-FIA's stages of implementation (laying the
foundation, installing, implementing, sustaining) in plainer words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    """One thing the team rates."""

    code: str
    name: str
    description: str


@dataclass(frozen=True)
class Domain:
    """A group of items."""

    code: str
    name: str
    items: tuple[Item, ...]


SCALE: dict[int, str] = {
    1: "Not in place",
    2: "Emerging",
    3: "Partially in place",
    4: "Fully in place",
}

DOMAINS: tuple[Domain, ...] = (
    Domain("structure", "System structure", (
        Item("S1", "Leadership team",
             "A district MTSS leadership team, with site leaders and specialists, meets on a set "
             "schedule, decides with agreed rules and reports to the superintendent and board."),
        Item("S2", "One integrated system",
             "Academic, behavioral, social-emotional and mental-health supports are organised as "
             "one tiered system, not as separate programs with separate teams."),
        Item("S3", "Policy and resources aligned",
             "District policies, LCAP goals and actions, staffing and budget are aligned to the "
             "tiers of support."),
        Item("S4", "Educator support",
             "Staff get professional learning and coaching on the practices of every tier, and "
             "time to plan and problem-solve together."),
        Item("S5", "Family and community partnership",
             "Families and community partners help plan supports and hear how students are "
             "doing, in their language."),
        Item("S6", "Continuous improvement",
             "District and schools review results, refine supports and sustain what works, at "
             "district, site and grade or course level."),
    )),
    Domain("data", "Data", (
        Item("D1", "Integrated data system",
             "State tests, screening, diagnostics, progress monitoring, attendance, behavior and "
             "survey data are gathered in one place staff can use."),
        Item("D2", "Universal screening",
             "Every student is screened in reading, mathematics and behavior or well-being at set "
             "times each year with valid tools."),
        Item("D3", "Progress monitoring",
             "Students receiving Tier 2 or Tier 3 support are monitored often enough to see "
             "within weeks whether the support works."),
        Item("D4", "Decision rules",
             "Written rules say which data move a student into, between and out of tiers, and "
             "teams follow them."),
        Item("D5", "Fidelity data",
             "The team checks whether core instruction and interventions are delivered as "
             "designed and uses that alongside outcome data."),
    )),
    Domain("practices", "Practices", (
        Item("P1", "High-quality core instruction",
             "All students receive standards-based, culturally and linguistically responsive, "
             "differentiated instruction (for example Universal Design for Learning) in general "
             "education classrooms."),
        Item("P2", "Positive behavioral support",
             "School-wide expectations are taught and acknowledged, and responses to behavior "
             "are consistent and instructional (PBIS)."),
        Item("P3", "Tiered interventions",
             "Evidence-based Tier 2 and Tier 3 interventions in academics and behavior are "
             "available, scheduled and matched to students' needs."),
        Item("P4", "Inclusive instruction",
             "Students with disabilities and English learners learn with their peers in general "
             "education, with the supports they need there."),
        Item("P5", "Social-emotional and mental-health support",
             "Social-emotional learning is part of every tier, and students who need more reach "
             "counseling or mental-health services quickly."),
    )),
)  # fmt: skip

ITEMS: dict[str, Item] = {item.code: item for domain in DOMAINS for item in domain.items}
DOMAIN_OF: dict[str, Domain] = {item.code: domain for domain in DOMAINS for item in domain.items}


def rating_label(rating: int | None) -> str:
    """A rating with its meaning, e.g. '3 · Partially in place'; 'not rated' for none."""
    if rating is None:
        return "not rated"
    if rating not in SCALE:
        raise ValueError(f"A rating runs from 1 to 4, not {rating}.")
    return f"{rating} · {SCALE[rating]}"


def item_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The items for a form's choice field, grouped by domain."""
    return [
        (domain.name, [(item.code, f"{item.code} {item.name}") for item in domain.items])
        for domain in DOMAINS
    ]


def domain_average(domain: Domain, ratings: Mapping[str, int]) -> float | None:
    """The mean rating of the domain's rated items (None when none is rated)."""
    rated = [ratings[item.code] for item in domain.items if item.code in ratings]
    if not rated:
        return None
    return round(sum(rated) / len(rated), 2)


def item_changes(before: Mapping[str, int], after: Mapping[str, int]) -> dict[str, int]:
    """How each item rated in both assessments moved from ``before`` to ``after``."""
    return {code: after[code] - before[code] for code in ITEMS if code in before and code in after}


def domain_changes(before: Mapping[str, int], after: Mapping[str, int]) -> dict[str, float]:
    """How each domain's average moved, for domains with a rated item in both assessments."""
    changes = {}
    for domain in DOMAINS:
        old, new = domain_average(domain, before), domain_average(domain, after)
        if old is not None and new is not None:
            changes[domain.code] = round(new - old, 2)
    return changes


def change_words(change: float | None) -> str:
    """A change in signs and words, e.g. '+1 (up)', '−0.5 (down)', '0 (no change)'; '' for none
    (so that a change never rests on colour or an arrow alone)."""
    if change is None:
        return ""
    if change == 0:
        return "0 (no change)"
    amount = f"{abs(change):g}"
    return f"+{amount} (up)" if change > 0 else f"−{amount} (down)"
