"""Reads for the root-cause and MTSS-lens pages of an engagement (obtained by the caller through
``access_engagement``): data findings with the Dashboard results they name, the fishbone, and
the self-assessments laid out item by item across dates."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.urls import reverse

from continuum.dashboard.rules import COLOUR_NAMES
from continuum.improvement import mtss
from continuum.web.accountability.models import DaEvidence, IndicatorResult
from continuum.web.accountability.selectors import INDICATOR_NAMES
from continuum.web.accounts.access import UserLike, visible_schools
from continuum.web.agencies.models import School
from continuum.web.assistance.models import (
    Cause,
    DataFinding,
    Engagement,
    FishboneCategory,
    MtssAssessment,
)
from continuum.web.assistance.selectors.engagements import engagement_evidence


def finding_entities(*, engagement: Engagement, user: UserLike) -> list[tuple[str, str]]:
    """The entities a data finding of the engagement may name, as (CDS code, label): its LEA and
    those of the LEA's schools the user may see."""
    lea = engagement.lea
    schools = visible_schools(user).filter(lea=lea).order_by("name", "cds")
    return [
        (lea.cds, f"{lea.name} (the LEA) · {lea.cds}"),
        *((school.cds, f"{school.name} · {school.cds}") for school in schools),
    ]


def findings_with_results(
    *, engagement: Engagement
) -> list[tuple[DataFinding, IndicatorResult | None]]:
    """Each data finding with the stored Dashboard result it names (None when it names none,
    names an entity outside the engagement's LEA and its schools, or none is stored for that
    year, entity, student group and indicator)."""
    lea = engagement.lea
    entities = {lea.cds, *School.objects.filter(lea=lea).values_list("cds", flat=True)}
    pairs = []
    for finding in engagement.findings.all():
        result = None
        if finding.year and finding.studentgroup and finding.indicator and finding.cds in entities:
            result = IndicatorResult.objects.filter(
                year=finding.year, cds=finding.cds, studentgroup=finding.studentgroup,
                indicator=finding.indicator,
            ).first()  # fmt: skip
        pairs.append((finding, result))
    return pairs


@dataclass(frozen=True)
class EvidencePick:
    """A row of the determination's evidence, offered as a new data finding."""

    group: str
    row: DaEvidence
    statement: str
    new_finding_url: str


def evidence_picks(*, engagement: Engagement) -> list[EvidencePick]:
    """The evidence behind the engagement's qualifying groups, each with a link to a new-finding
    form filled in from it."""
    base = reverse("assistance:part_new", args=[engagement.pk, "finding"])
    picks = []
    for group, rows in engagement_evidence(engagement=engagement):
        for row in rows:
            indicator = INDICATOR_NAMES.get(row.indicator, row.indicator)
            parts = [COLOUR_NAMES.get(row.color or 0, "no colour")]
            if row.currstatus is not None:
                parts.append(f"status {row.currstatus:.1f}")
            if row.change is not None:
                parts.append(f"change {row.change:+.1f}")
            statement = (
                f"{group}, {indicator} (priority {row.priority}: {row.criterion}): "
                f"{', '.join(parts)}."
            )
            query = urlencode({
                "year": row.year, "cds": row.cds, "studentgroup": row.studentgroup,
                "indicator": row.indicator, "statement": statement,
            })  # fmt: skip
            picks.append(EvidencePick(group, row, statement, f"{base}?{query}"))
    return picks


def fishbone_categories(*, engagement: Engagement) -> list[FishboneCategory]:
    """The fishbone's categories in order, each with its causes and their findings."""
    causes = Cause.objects.select_related("finding")
    return list(
        engagement.fishbone_categories.prefetch_related(Prefetch("causes", queryset=causes))
    )


@dataclass(frozen=True)
class MtssCell:
    """One item's rating in one assessment, and its change since the previous one."""

    rating: int | None
    label: str
    change: str
    evidence: str


@dataclass(frozen=True)
class MtssRow:
    """One item across the assessments."""

    item: mtss.Item
    cells: list[MtssCell]


@dataclass(frozen=True)
class MtssAverage:
    """A domain's average in one assessment, and its change since the previous one."""

    value: float | None
    change: str


@dataclass(frozen=True)
class MtssDomainRows:
    """A domain's items and averages across the assessments."""

    domain: mtss.Domain
    rows: list[MtssRow]
    averages: list[MtssAverage]


@dataclass(frozen=True)
class MtssGrid:
    """Every self-assessment of an engagement (oldest first) by item and domain."""

    assessments: list[MtssAssessment]
    domains: list[MtssDomainRows]


def mtss_grid(*, engagement: Engagement) -> MtssGrid:
    """The engagement's self-assessments as columns, items as rows, with domain averages and the
    change of each since the previous assessment."""
    assessments = list(engagement.mtss_assessments.prefetch_related("ratings"))
    rated = [{r.item: r for r in a.ratings.all()} for a in assessments]
    scores = [{code: r.rating for code, r in ratings.items()} for ratings in rated]
    previous: list[dict[str, int]] = [{}, *scores][: len(scores)]
    item_moves = [mtss.item_changes(old, new) for old, new in zip(previous, scores, strict=True)]
    domain_moves = [
        mtss.domain_changes(old, new) for old, new in zip(previous, scores, strict=True)
    ]
    domains = []
    for domain in mtss.DOMAINS:
        rows = []
        for item in domain.items:
            cells = []
            for ratings, moves in zip(rated, item_moves, strict=True):
                row = ratings.get(item.code)
                value = row.rating if row is not None else None
                cells.append(
                    MtssCell(
                        rating=value,
                        label=mtss.rating_label(value),
                        change=mtss.change_words(moves.get(item.code)),
                        evidence=row.evidence if row is not None else "",
                    )
                )
            rows.append(MtssRow(item, cells))
        averages = [
            MtssAverage(
                mtss.domain_average(domain, score), mtss.change_words(move.get(domain.code))
            )
            for score, move in zip(scores, domain_moves, strict=True)
        ]
        domains.append(MtssDomainRows(domain, rows, averages))
    return MtssGrid(assessments, domains)
