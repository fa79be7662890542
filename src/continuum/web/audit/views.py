"""The administrators' audit trail page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from continuum.web.accounts.models import User
from continuum.web.audit.forms import AuditFilterForm
from continuum.web.audit.presentation import AUDIT_TABLE, audit_table_row
from continuum.web.audit.selectors import (
    access_audit_events,
    audit_events_search,
    audit_filter_choices,
)
from continuum.web.audit.services import user_county
from continuum.web.tables import SourceRows, table_build, table_download


@login_required
@require_GET
def events(request: HttpRequest) -> HttpResponse:
    """The reader's county's events, newest first (or sorted by a column), filtered by the
    query string, 50 a page; CSV or Excel of every event that matches."""
    visible = access_audit_events(request.user)
    form = AuditFilterForm(request.GET, choices=audit_filter_choices(visible))
    state = AUDIT_TABLE.parse(request.GET)
    events = audit_events_search(visible, form.filters(), sort=state.sort)
    table = table_build(AUDIT_TABLE, state, SourceRows(events, audit_table_row))
    if state.file_format:
        county = user_county(request.user) if isinstance(request.user, User) else None
        return table_download(
            table, actor=request.user, subject=county, subject_id=county.code if county else "",
            filename="audit-trail",
        )  # fmt: skip
    return render(request, "audit/events.html", {"form": form, "table": table})
