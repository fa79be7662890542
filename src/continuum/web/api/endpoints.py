"""JSON API endpoints: every read the pages offer, for the caller's scope.

A caller is the signed-in user (session cookie) or the user whose personal API token is sent as
``Authorization: Bearer …``; without either, 401. Scope is checked by the same ``access_*`` and
``visible_*`` helpers as the pages: outside it, 404. Each endpoint is declared once, in
``ENDPOINTS``, with its parameters and the shape of its items; its URL and its part of the
OpenAPI schema are made from that declaration (``continuum.web.api.schema``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from continuum.web.accountability import selectors
from continuum.web.accountability import selectors_lists as lists
from continuum.web.accountability.models import DaResult, IndicatorResult
from continuum.web.accounts.access import (
    access_lea,
    access_school,
    visible_leas,
    visible_schools,
)
from continuum.web.agencies.models import Lea, School
from continuum.web.api import params
from continuum.web.api.models import ApiToken
from continuum.web.api.params import BadParameterError, Choice, Parameters, Query
from continuum.web.api.services import api_token_authenticate
from continuum.web.assistance.access import visible_engagements
from continuum.web.assistance.models import Engagement
from continuum.web.assistance.selectors.engagements import EngagementRow, engagement_rows
from continuum.web.audit.services import audit_export_record

View = Callable[..., HttpResponse]
T = TypeVar("T")
ALLOWED_METHODS = ("GET", "HEAD")
TOKEN_ATTRIBUTE = "_continuum_api_token"
ENGAGEMENT_STATUS = Choice(
    "status", "Engagement status", {s.value: s.label for s in Engagement.Status}
)
ENGAGEMENT_LEVEL = Choice(
    "level", "System of Support level", {str(x.value): x.label for x in Engagement.Level}
)


def _error(message: str, status: int) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="continuum"'
    return response


def get_only(view: View) -> View:
    """GET (and HEAD) only: any other method gets 405 in JSON with an ``Allow`` header.

    The API only reads, so it needs no CSRF token; exempting it lets a POST get its 405
    instead of the CSRF middleware's 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ALLOWED_METHODS:
            response = _error(f"{request.method} is not allowed here; use GET.", 405)
            response["Allow"] = ", ".join(ALLOWED_METHODS)
            return response
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)


def _authenticate(request: HttpRequest) -> JsonResponse | None:
    """Acts as the token's user when a token is sent; None when the caller may go on."""
    header = request.headers.get("Authorization")
    if header is None:
        if request.user.is_authenticated:
            return None
        return _error("Sign in, or send a personal API token (Authorization: Bearer …).", 401)
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return _error("The Authorization header is “Bearer” and a personal API token.", 401)
    token = api_token_authenticate(raw=raw.strip())
    if token is None:
        return _error("This API token is not valid: unknown, revoked or expired.", 401)
    request.user = token.user
    setattr(request, TOKEN_ATTRIBUTE, token)
    return None


def _audit(
    request: HttpRequest, what: str, query: Query, rows: int, subject: Lea | School | None = None
) -> None:
    """Record an API read of data, as a download is recorded (with the token, if one)."""
    token: ApiToken | None = getattr(request, TOKEN_ATTRIBUTE, None)
    via = {"api_token": token.prefix} if token is not None else {}
    audit_export_record(
        actor=request.user, what=what, file_format="api", rows=rows,
        filters={**query.given(), **via}, subject=subject,
        subject_id=subject.cds if subject is not None else "",
    )  # fmt: skip


Reader = Callable[[HttpRequest, Query, str], JsonResponse]


@dataclass(frozen=True)
class Endpoint:
    """One read of the API: its URL name and path, what it returns, its parameters, the
    schema of one item, and the function that answers it."""

    name: str
    route: str  # Django route: "api/v1/…/" (with <str:cds> for an entity)
    summary: str
    parameters: Parameters
    item: dict[str, Any]
    reader: Reader
    extra: dict[str, Any] = field(default_factory=dict)  # envelope fields besides the page's
    entity: str = ""  # "LEA" or "school" when the path names one

    @property
    def path(self) -> str:
        """The OpenAPI path."""
        return "/" + self.route.replace("<str:cds>", "{cds}")

    def view(self) -> View:
        """The Django view: GET only, authenticated, parameters read strictly."""

        def answer(request: HttpRequest, cds: str = "") -> HttpResponse:
            refused = _authenticate(request)
            if refused is not None:
                return refused
            try:
                if self.entity:
                    params.cds_code(cds)
                query = self.parameters.read(request.GET)
                return self.reader(request, query, cds)
            except BadParameterError as error:
                return _error(str(error), 400)
            except PermissionDenied:
                return _error("You may not see this.", 403)
            except Http404 as error:
                return _error(str(error) or "Not found, or not in your scope.", 404)

        answer.__name__ = answer.__qualname__ = self.name
        answer.__doc__ = self.summary
        return get_only(answer)


def _page(
    request: HttpRequest,
    query: Query,
    *,
    what: str,
    items: Sequence[T],
    render: Callable[[T], dict[str, Any]],
    extra: dict[str, Any] | None = None,
    subject: Lea | School | None = None,
) -> JsonResponse:
    """One page of the items, with the count and page numbers; the read is audited."""
    pages = max(1, math.ceil(len(items) / query.page_size))
    if query.page > pages:
        raise Http404(f"There is no page {query.page}: there are {pages}.")
    start = (query.page - 1) * query.page_size
    results = [render(item) for item in items[start : start + query.page_size]]
    _audit(request, what, query, len(results), subject)
    return JsonResponse(
        {
            **({"year": query.year} if query.year is not None else {}),
            **(extra or {}),
            "count": len(items),
            "page": query.page,
            "page_size": query.page_size,
            "pages": pages,
            "results": results,
        }
    )


def _year(query: Query) -> int:
    assert query.year is not None  # every endpoint that calls this declares ``year``
    return query.year


def _colour(color: int) -> dict[str, Any]:
    return {"color": color, "colour": lists.colour_name(color)}


def _determination(d: DaResult) -> dict[str, Any]:
    return {
        "year": d.year,
        "status": d.status,
        "groups": d.groups,
        "ec52072": d.level3,
        "explanation": d.explanation,
    }


def _result(r: IndicatorResult) -> dict[str, Any]:
    return {
        "studentgroup": r.studentgroup, "indicator": r.indicator, "currdenom": r.currdenom,
        "currstatus": r.currstatus, "change": r.change, "statuslevel": r.statuslevel,
        "changelevel": r.changelevel, "color": r.color, "colour": lists.colour_name(r.color),
        "explanation": r.explanation,
    }  # fmt: skip


def _results(cds: str, year: int) -> list[dict[str, Any]]:
    found = IndicatorResult.objects.filter(cds=cds, year=year)
    return [_result(r) for r in found.order_by("indicator", "studentgroup")]


def leas(request: HttpRequest, query: Query, cds: str) -> JsonResponse:
    """The county determinations: LEAs in scope with their DA / Level 3 determination."""
    rows = lists.determinations(
        leas=visible_leas(request.user), year=_year(query),
        level=int(query.filters.get("support_level", 0)),
        group=query.filters.get("group", ""), lea_type=query.filters.get("lea_type", ""),
    )  # fmt: skip

    def render(row: lists.DeterminationRow) -> dict[str, Any]:
        lea, da = row.row.lea, row.row.da
        return {
            "cds": lea.cds, "name": lea.name, "kind": lea.kind, "support_level": row.level,
            "support_level_name": row.level_name,
            "determination": _determination(da) if da is not None else None,
        }  # fmt: skip

    return _page(request, query, what="LEAs and determinations", items=rows, render=render)


def lea(request: HttpRequest, query: Query, cds: str) -> JsonResponse:
    """One LEA: its results for the year, its determinations for every year, its schools."""
    found = access_lea(request.user, cds)
    year = _year(query)
    results = _results(found.cds, year)
    _audit(request, "LEA results", query, len(results), found)
    return JsonResponse(
        {
            "cds": found.cds, "name": found.name, "kind": found.kind, "year": year,
            "results": results,
            "determinations": [_determination(d) for d in selectors.da_history(cds=found.cds)],
            "schools": [{"cds": s.cds, "name": s.name} for s in found.schools.order_by("cds")],
        }
    )  # fmt: skip


def school(request: HttpRequest, query: Query, cds: str) -> JsonResponse:
    """One school: its results for the year and its ESSA determinations."""
    found = access_school(request.user, cds)
    year = _year(query)
    results = _results(found.cds, year)
    _audit(request, "school results", query, len(results), found)
    essa = [
        {"year": e.year, "status": e.status, "groups": e.groups, "explanation": e.explanation}
        for e in selectors.essa_history(cds=found.cds)
    ]
    return JsonResponse(
        {
            "cds": found.cds, "name": found.name, "lea": found.lea.cds,
            "grade_span": found.grade_span, "charter": found.charter, "year": year,
            "results": results, "essa": essa,
        }
    )  # fmt: skip


def essa_schools(request: HttpRequest, query: Query, cds: str) -> JsonResponse:
    """Schools in scope that are CSI, ATSI or TSI in the year, with the reasons."""
    status = query.filters.get("status", "")
    rows = lists.essa_schools(
        schools=visible_schools(request.user), year=_year(query),
        status=params.ESSA_STATUS_CODES[status] if status else "",
        lea=query.filters.get("lea", ""),
    )  # fmt: skip

    def render(row: lists.EssaSchoolRow) -> dict[str, Any]:
        return {
            "cds": row.school.cds, "name": row.school.name, "lea": row.school.lea.cds,
            "lea_name": row.school.lea.name, "status": row.status,
            "status_name": row.status_name, "explanation": row.explanation,
            "groups": [{"code": code, "name": name} for code, name in row.groups],
        }  # fmt: skip

    return _page(request, query, what="ESSA schools", items=rows, render=render)


def priority_areas(request: HttpRequest, query: Query, cds: str) -> JsonResponse:
    """Per LEA and student group, the LCFF priority areas in which it met the DA criteria."""
    rows = lists.priority_areas(
        leas=visible_leas(request.user), year=_year(query),
        priority=int(query.filters.get("priority", 0)), group=query.filters.get("group", ""),
        lea_type=query.filters.get("lea_type", ""),
    )  # fmt: skip

    def render(row: lists.PriorityRow) -> dict[str, Any]:
        return {
            "lea": row.lea.cds, "lea_name": row.lea.name, "group": row.group,
            "group_name": row.group_name, "priority": row.priority,
            "priority_name": row.priority_name, "criteria": row.criteria, "code": row.code,
            "qualifies": row.qualifies,
        }  # fmt: skip

    return _page(request, query, what="priority areas", items=rows, render=render)


def group_matrix(request: HttpRequest, query: Query, cds: str) -> JsonResponse:
    """Every LEA's student groups × indicators, with the colour of each cell."""
    colour = query.filters.get("colour")
    matrix = lists.group_matrix(
        leas=visible_leas(request.user), year=_year(query), group=query.filters.get("group", ""),
        indicator=query.filters.get("indicator", ""),
        colour=params.COLOUR_CODES[colour] if colour else -1,
        lea_type=query.filters.get("lea_type", ""),
    )  # fmt: skip

    def render(row: lists.MatrixRow) -> dict[str, Any]:
        return {
            "lea": row.lea.cds, "lea_name": row.lea.name, "group": row.group,
            "group_name": row.group_name,
            "cells": {code: _colour(cell.color) for code, cell in row.cells.items()},
        }  # fmt: skip

    indicators = [{"code": code, "name": name} for code, name in matrix.indicators]
    return _page(
        request, query, what="student group matrix", items=matrix.rows, render=render,
        extra={"indicators": indicators},
    )  # fmt: skip


def colour_changes(request: HttpRequest, query: Query, cds: str) -> JsonResponse:
    """Per LEA, the indicators and student groups whose colour went up or down since the year
    before."""
    year = _year(query)
    rows = lists.colour_changes(
        leas=visible_leas(request.user), year=year,
        direction=query.filters.get("direction", ""),
        indicator=query.filters.get("indicator", ""), group=query.filters.get("group", ""),
        lea_type=query.filters.get("lea_type", ""),
    )  # fmt: skip

    def render(row: lists.ColourChange) -> dict[str, Any]:
        return {
            "lea": row.lea.cds, "lea_name": row.lea.name, "group": row.group,
            "group_name": row.group_name, "indicator": row.indicator,
            "indicator_name": row.indicator_name, "before": _colour(row.before),
            "after": _colour(row.after), "direction": row.direction,
        }  # fmt: skip

    return _page(
        request, query, what="colour changes", items=rows, render=render,
        extra={"compared_with": year - 1},
    )  # fmt: skip


def _entity(request: HttpRequest, cds: str, kind: str) -> Lea | School:
    return access_lea(request.user, cds) if kind == "LEA" else access_school(request.user, cds)


def equity_gaps_reader(kind: str) -> Reader:
    """The equity gaps of one LEA or school (``kind``), each group on each indicator."""

    def read(request: HttpRequest, query: Query, cds: str) -> JsonResponse:
        entity = _entity(request, cds, kind)
        indicator = query.filters.get("indicator", "")
        rows = [
            {
                "indicator": code, "indicator_name": name, "all_students": everyone,
                "group": bar.group, "group_name": bar.name, "status": bar.status,
                "gap": bar.gap,
            }
            for code, name, everyone, bars in selectors.equity_gaps(cds=entity.cds,
                                                                     year=_year(query))
            if not indicator or code == indicator
            for bar in bars
        ]  # fmt: skip
        return _page(
            request, query, what=f"{kind} equity gaps", items=rows, render=dict,
            extra={"cds": entity.cds}, subject=entity,
        )  # fmt: skip

    return read


def trends_reader(kind: str) -> Reader:
    """The trends of one LEA or school (``kind``): every year of every result."""

    def read(request: HttpRequest, query: Query, cds: str) -> JsonResponse:
        entity = _entity(request, cds, kind)
        points = lists.trends(
            cds=entity.cds, indicator=query.filters.get("indicator", ""),
            group=query.filters.get("group", ""),
        )  # fmt: skip

        def render(point: lists.TrendPoint) -> dict[str, Any]:
            return {"year": point.result.year, **_result(point.result)}

        return _page(
            request, query, what=f"{kind} trends", items=points, render=render,
            extra={"cds": entity.cds}, subject=entity,
        )  # fmt: skip

    return read


def engagements(request: HttpRequest, query: Query, cds: str) -> JsonResponse:
    """Summaries of the DA engagements of the LEAs in scope."""
    found = visible_engagements(request.user)
    if query.year is not None:
        found = found.filter(year=query.year)
    if "status" in query.filters:
        found = found.filter(status=query.filters["status"])
    if "level" in query.filters:
        found = found.filter(level=int(query.filters["level"]))

    def render(row: EngagementRow) -> dict[str, Any]:
        e: Any = row.engagement  # annotated by the selector with its progress
        return {
            "id": e.pk, "lea": e.lea.cds, "lea_name": e.lea.name, "year": e.year,
            "level": e.level, "level_name": e.get_level_display(), "status": e.status,
            "problem_of_practice": e.problem_of_practice, "aim": e.aim,
            "groups": [
                {"code": g.studentgroup, "name": selectors.GROUP_NAMES.get(g.studentgroup,
                 g.studentgroup), "priority_code": g.code, "priorities": g.priorities}
                for g in e.groups.all()
            ],
            "meetings": e.meetings_count,
            "last_meeting": e.last_meeting.isoformat() if e.last_meeting else None,
            "pdsa_cycles": e.cycles_count, "cycles_by_phase": row.phases,
            "decisions": row.decisions,
        }  # fmt: skip

    return _page(
        request, query, what="engagement summaries", items=engagement_rows(engagements=found),
        render=render,
    )  # fmt: skip
