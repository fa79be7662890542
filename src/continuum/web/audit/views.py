"""The administrators' audit trail page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from continuum.web.accounts.access import AUDIT_ROLES, access_county
from continuum.web.audit.selectors import audit_events_search, audit_verbs


@login_required
@require_GET
def events(request: HttpRequest) -> HttpResponse:
    """Search the audit trail by actor, subject or verb."""
    access_county(request.user, roles=AUDIT_ROLES)
    text = request.GET.get("q", "").strip()[:100]
    verb = request.GET.get("verb", "").strip()[:60]
    context = {
        "events": audit_events_search(text=text, verb=verb),
        "verbs": audit_verbs(),
        "q": text,
        "verb": verb,
    }
    return render(request, "audit/events.html", context)
