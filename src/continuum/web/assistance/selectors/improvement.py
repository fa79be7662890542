"""Reads for the driver diagram and PDSA pages. Callers pass an engagement they obtained through
``access.access_engagement``, so scope is checked before anything is read."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from django.db.models import Prefetch
from django.http import Http404

from continuum.formats.pasted import PastedPoint
from continuum.web.assistance.models import (
    ChangeIdea,
    DataPoint,
    Driver,
    Engagement,
    Measure,
    PdsaCycle,
)
from continuum.web.charts.runchart import MeasureChart, Observation, Rules, measure_chart


def aim_missing(engagement: Engagement) -> list[str]:
    """What the aim still lacks to be measurable and dated (empty when complete)."""
    missing = []
    if not engagement.aim.strip():
        missing.append("the aim statement")
    if not engagement.aim_measure.strip():
        missing.append("the measure")
    if engagement.aim_target is None:
        missing.append("the target")
    if engagement.aim_date is None:
        missing.append("the date")
    return missing


def driver_tree(*, engagement: Engagement) -> list[Driver]:
    """The primary drivers, each with its secondary drivers and every driver's change ideas."""
    ideas = Prefetch("change_ideas", queryset=ChangeIdea.objects.order_by("id"))
    secondaries = Driver.objects.prefetch_related(ideas)
    return list(
        Driver.objects.filter(engagement=engagement, parent__isnull=True).prefetch_related(
            Prefetch("children", queryset=secondaries), ideas
        )
    )


def charts(measure: Measure, rules: Rules) -> tuple[MeasureChart, MeasureChart]:
    """The run chart of a measure whose ``points`` are loaded, read with the chosen rules, and
    its reading with the other rule set (shown as text beside it)."""
    observations = [
        Observation(p.date, p.value, p.astronomical, p.note) for p in measure.points.all()
    ]
    other: Rules = "ihi" if rules == "anhoej" else "anhoej"
    return (
        measure_chart(measure.name, measure.unit, observations, rules, key=f"rc-{measure.pk}"),
        measure_chart(measure.name, measure.unit, observations, other, key=f"rc-{measure.pk}-b"),
    )


def measures(*, engagement: Engagement) -> list[Measure]:
    """The engagement's measures with their data points in time order."""
    return list(engagement.measures.prefetch_related("points"))


def cycles(*, engagement: Engagement) -> list[PdsaCycle]:
    """The engagement's PDSA cycles with the change idea each tests."""
    return list(engagement.cycles.select_related("change_idea"))


def cycle(*, engagement: Engagement, cycle_id: int) -> PdsaCycle:
    """One PDSA cycle of the engagement (404 if it belongs to another), with its measures."""
    try:
        return (
            engagement.cycles.select_related("change_idea", "change_idea__driver")
            .prefetch_related(
                Prefetch("measures", queryset=Measure.objects.prefetch_related("points"))
            )
            .get(pk=cycle_id)
        )
    except PdsaCycle.DoesNotExist as error:
        raise Http404 from error


PastedKind = Literal["added", "changed", "duplicate"]


@dataclass(frozen=True)
class PastedRow:
    """A pasted point beside the point already recorded on its date, if any."""

    line: int
    date: datetime.date
    value: float
    recorded: DataPoint | None

    @property
    def kind(self) -> PastedKind:
        """A new date (added), a recorded date with another value (changed) or with the same
        value (duplicate)."""
        if self.recorded is None:
            return "added"
        return "duplicate" if self.recorded.value == self.value else "changed"


def points_paste_preview(measure: Measure, points: Sequence[PastedPoint]) -> list[PastedRow]:
    """Each pasted point with the measure's point already on its date, in the order pasted."""
    recorded = {p.date: p for p in measure.points.filter(date__in=[p.date for p in points])}
    return [PastedRow(p.line, p.date, p.value, recorded.get(p.date)) for p in points]


def points_fingerprint(measure: Measure) -> str:
    """A digest of the measure's points as stored (ids, dates, values, versions): a preview
    carries it, and the save is refused when the points changed in between."""
    rows = measure.points.order_by("pk").values_list("pk", "date", "value", "version")
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()[:32]
