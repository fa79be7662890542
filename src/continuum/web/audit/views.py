"""The administrators' audit trail page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from continuum.web.audit.forms import AuditFilterForm
from continuum.web.audit.presentation import event_row
from continuum.web.audit.selectors import (
    access_audit_events,
    audit_events_search,
    audit_filter_choices,
)

PAGE_SIZE = 50


@login_required
@require_GET
def events(request: HttpRequest) -> HttpResponse:
    """The reader's county's events, newest first, filtered by the query string, 50 a page."""
    visible = access_audit_events(request.user)
    form = AuditFilterForm(request.GET, choices=audit_filter_choices(visible))
    page = Paginator(audit_events_search(visible, form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page": page, "rows": [event_row(event) for event in page]}
    return render(request, "audit/events.html", context)
