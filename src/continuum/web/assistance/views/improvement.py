"""The engagement's improvement work: its theory of action and driver diagram, its measures with
their run charts, and its PDSA cycles. Every change goes through the generic part views, except
pasting many run-chart points at once (previewed, then confirmed)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from continuum.web.accounts.models import User
from continuum.web.assistance.access import access_engagement, engagement_can_edit
from continuum.web.assistance.driver_diagram import driver_diagram as diagram_layout
from continuum.web.assistance.forms import PointsPasteForm
from continuum.web.assistance.selectors import improvement as selectors
from continuum.web.assistance.services import PointsChangedError, points_paste
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


@login_required
@require_http_methods(["GET", "POST"])
def points_paste_page(request: HttpRequest, engagement_id: int, measure_id: int) -> HttpResponse:
    """Paste a measure's points from a spreadsheet: *Preview* shows what each line will do
    (added, changed, duplicate date); *Save* writes them all, or nothing."""
    engagement = access_engagement(request.user, engagement_id, edit=True)
    measure = get_object_or_404(engagement.measures, pk=measure_id)
    back = reverse("assistance:pdsa", args=[engagement.pk]) + f"#measure-{measure.pk}"
    form = PointsPasteForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        points = form.cleaned_data["points"]
        if "save" in request.POST:
            user = request.user
            assert isinstance(user, User)
            try:
                counts = points_paste(
                    actor=user, measure=measure, points=points,
                    on_recorded=form.cleaned_data["on_recorded"],
                    fingerprint=request.POST.get("fingerprint", ""),
                )  # fmt: skip
            except PointsChangedError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _saved_words(measure.name, counts))
                return redirect(back)
        preview = selectors.points_paste_preview(measure, points)
    context = {
        "engagement": engagement,
        "measure": measure,
        "form": form,
        "preview": preview,
        "counts": _preview_counts(preview or []),
        "fingerprint": selectors.points_fingerprint(measure),
        "back": back,
    }
    return render(request, "assistance/points_paste.html", context)


def _preview_counts(rows: list[selectors.PastedRow]) -> dict[str, int]:
    kinds = [row.kind for row in rows]
    return {kind: kinds.count(kind) for kind in ("added", "changed", "duplicate")}


def _saved_words(name: str, counts: dict[str, int]) -> str:
    """What a paste saved, in words: "Calls made: 10 points added, 2 replaced."."""
    parts = [
        f"{counts[key]} {words}"
        for key, words in (("added", "points added"), ("replaced", "replaced"),
                           ("added_to", "added to the recorded value"),
                           ("kept", "kept as recorded"), ("unchanged", "already recorded"))
        if counts[key]
    ]  # fmt: skip
    return f"{name[:80]}: {', '.join(parts) or 'nothing to save'}."
