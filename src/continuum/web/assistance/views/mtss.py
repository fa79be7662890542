"""The MTSS lens of an engagement: its self-assessments side by side, and rating every item of
one assessment in a single form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from continuum.improvement.mtss import SCALE
from continuum.web.accounts.models import User
from continuum.web.assistance.access import access_engagement, engagement_can_edit
from continuum.web.assistance.forms import MtssRatingsForm
from continuum.web.assistance.selectors import root_causes as selectors
from continuum.web.assistance.services import StaleRecordError, mtss_ratings_save


@login_required
@require_GET
def mtss(request: HttpRequest, engagement_id: int) -> HttpResponse:
    """Every self-assessment of the engagement by item, with domain averages and changes."""
    engagement = access_engagement(request.user, engagement_id)
    context = {
        "engagement": engagement,
        "can_edit": engagement_can_edit(request.user, engagement),
        "grid": selectors.mtss_grid(engagement=engagement),
        "scale": SCALE,
    }
    return render(request, "assistance/mtss.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, engagement_id: int, assessment_id: int) -> HttpResponse:
    """Rate every item of one self-assessment, with the evidence for each rating."""
    engagement = access_engagement(request.user, engagement_id, edit=True)
    assessment = get_object_or_404(engagement.mtss_assessments, pk=assessment_id)
    form = MtssRatingsForm(request.POST or None, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        user = request.user
        assert isinstance(user, User)
        try:
            mtss_ratings_save(
                actor=user, assessment=assessment, ratings=form.ratings(),
                expected_version=form.cleaned_data["version"],
            )  # fmt: skip
        except StaleRecordError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Saved the ratings of the {assessment.date} assessment.")
            return redirect(reverse("assistance:mtss", args=[engagement.pk]))
    context = {
        "engagement": engagement,
        "assessment": assessment,
        "form": form,
        "back": reverse("assistance:mtss", args=[engagement.pk]),
    }
    return render(request, "assistance/mtss_rate.html", context)
