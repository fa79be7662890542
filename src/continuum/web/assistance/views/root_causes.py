"""The root-cause analysis of an engagement: data findings, the fishbone, 5 whys and empathy
interviews (each record is edited through the generic part forms)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from continuum.web.accounts.models import User
from continuum.web.assistance.access import access_engagement, engagement_can_edit
from continuum.web.assistance.fishbone import fishbone
from continuum.web.assistance.selectors import root_causes as selectors
from continuum.web.assistance.services import FISHBONE_CATEGORIES, fishbone_categories_start


@login_required
@require_GET
def root_causes(request: HttpRequest, engagement_id: int) -> HttpResponse:
    """Findings, fishbone, 5 whys and empathy interviews of one engagement."""
    engagement = access_engagement(request.user, engagement_id)
    categories = selectors.fishbone_categories(engagement=engagement)
    drawing = fishbone(
        engagement.problem_of_practice,
        [(c.name, [cause.text for cause in c.causes.all()]) for c in categories],
    )
    context = {
        "engagement": engagement,
        "can_edit": engagement_can_edit(request.user, engagement),
        "findings": selectors.findings_with_results(engagement=engagement),
        "picks": selectors.evidence_picks(engagement=engagement),
        "categories": categories,
        "usual_categories": FISHBONE_CATEGORIES,
        "drawing": drawing,
        "causes_count": sum(len(bone.ribs) for bone in drawing.bones),
        "chains": engagement.why_chains.all(),
        "interviews": engagement.interviews.all(),
    }
    return render(request, "assistance/root_causes.html", context)


@login_required
@require_POST
def fishbone_start(request: HttpRequest, engagement_id: int) -> HttpResponse:
    """Give the fishbone the usual categories (only when it has none)."""
    engagement = access_engagement(request.user, engagement_id, edit=True)
    user = request.user
    assert isinstance(user, User)
    created = fishbone_categories_start(actor=user, engagement=engagement)
    if created:
        messages.success(request, f"Added {created} categories to the fishbone.")
    else:
        messages.info(request, "The fishbone already has categories; nothing was added.")
    return redirect(reverse("assistance:root_causes", args=[engagement.pk]) + "#fishbone")
