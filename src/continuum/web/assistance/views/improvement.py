"""The engagement's improvement work: its theory of action and driver diagram, its measures with
their run charts, and its PDSA cycles. Every change goes through the generic part views."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from continuum.web.assistance.access import access_engagement, engagement_can_edit
from continuum.web.assistance.driver_diagram import driver_diagram as diagram_layout
from continuum.web.assistance.selectors import improvement as selectors
from continuum.web.charts.runchart import RULE_NAMES, Rules


def _rules(request: HttpRequest) -> Rules:
    """The run-chart rules the coach chose (``?rules=anhoej``); the IHI rules by default."""
    return "anhoej" if request.GET.get("rules") == "anhoej" else "ihi"


@login_required
@require_GET
def driver_diagram(request: HttpRequest, engagement_id: int) -> HttpResponse:
    """The aim, the theory of action and the driver diagram, drawn and listed."""
    engagement = access_engagement(request.user, engagement_id)
    primaries = selectors.driver_tree(engagement=engagement)
    context = {
        "engagement": engagement,
        "can_edit": engagement_can_edit(request.user, engagement),
        "aim_missing": selectors.aim_missing(engagement),
        "primaries": primaries,
        "diagram": diagram_layout(engagement.aim, primaries),
    }
    return render(request, "assistance/driver_diagram.html", context)


@login_required
@require_GET
def pdsa(request: HttpRequest, engagement_id: int) -> HttpResponse:
    """The measures with their run charts and data points, and the PDSA cycles."""
    engagement = access_engagement(request.user, engagement_id)
    rules = _rules(request)
    context = {
        "engagement": engagement,
        "can_edit": engagement_can_edit(request.user, engagement),
        "rules": rules,
        "rules_name": RULE_NAMES[rules],
        "measures": [
            (measure, *selectors.charts(measure, rules))
            for measure in selectors.measures(engagement=engagement)
        ],
        "cycles": selectors.cycles(engagement=engagement),
    }
    return render(request, "assistance/pdsa.html", context)


@login_required
@require_GET
def cycle(request: HttpRequest, engagement_id: int, cycle_id: int) -> HttpResponse:
    """One PDSA cycle: plan, do, study, act, and the run charts of its measures."""
    engagement = access_engagement(request.user, engagement_id)
    found = selectors.cycle(engagement=engagement, cycle_id=cycle_id)
    rules = _rules(request)
    context = {
        "engagement": engagement,
        "can_edit": engagement_can_edit(request.user, engagement),
        "cycle": found,
        "rules": rules,
        "rules_name": RULE_NAMES[rules],
        "measures": [
            (measure, *selectors.charts(measure, rules)) for measure in found.measures.all()
        ],
    }
    return render(request, "assistance/cycle.html", context)
