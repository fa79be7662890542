"""Reads for the driver diagram and PDSA pages. Callers pass an engagement they obtained through
``access.access_engagement``, so scope is checked before anything is read."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404

from continuum.web.assistance.models import ChangeIdea, Driver, Engagement, Measure, PdsaCycle
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
