"""JSON API: the pages' read data, for the signed-in user's scope, described by OpenAPI.

Authentication is the site's session (sign in first); a request without it gets 401. Scope is
checked by the same ``access_*`` helpers as the pages: outside it, 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from continuum.dashboard.rules import COLOUR_NAMES
from continuum.web.accountability import selectors
from continuum.web.accountability.models import DaResult, IndicatorResult
from continuum.web.accounts.access import access_lea, access_school, visible_leas
from continuum.web.agencies.models import Lea, School
from continuum.web.audit.services import audit_export_record

View = Callable[..., HttpResponse]


def api_view(view: View) -> View:
    """GET only; 401 in JSON (not a redirect to the sign-in page) without a session."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return JsonResponse({"error": "sign in first"}, status=401)
        return view(request, *args, **kwargs)

    return require_GET(wrapped)


def _results(cds: str, year: int) -> list[dict[str, Any]]:
    return [
        {
            "studentgroup": r.studentgroup,
            "indicator": r.indicator,
            "currdenom": r.currdenom,
            "currstatus": r.currstatus,
            "change": r.change,
            "statuslevel": r.statuslevel,
            "changelevel": r.changelevel,
            "color": r.color,
            "colour": COLOUR_NAMES.get(r.color, "no colour"),
            "explanation": r.explanation,
        }
        for r in IndicatorResult.objects.filter(cds=cds, year=year).order_by(
            "indicator", "studentgroup"
        )
    ]


def _audit_read(
    request: HttpRequest, entity: Lea | School, what: str, year: int, rows: int
) -> None:
    """Record an API read of one entity's results, as a download of them is recorded."""
    audit_export_record(
        actor=request.user, what=what, file_format="api", rows=rows, filters={"year": year},
        subject=entity, subject_id=entity.cds,
    )  # fmt: skip


def _determination(d: DaResult) -> dict[str, Any]:
    return {
        "year": d.year,
        "status": d.status,
        "groups": d.groups,
        "ec52072": d.level3,
        "explanation": d.explanation,
    }


@api_view
def leas(request: HttpRequest) -> HttpResponse:
    """The LEAs the user may see, with their determination for the year."""
    year = selectors.year_chosen(request.GET.get("year"))
    visible = list(visible_leas(request.user).order_by("cds"))
    da = {d.cds: d for d in DaResult.objects.filter(year=year, cds__in=[x.cds for x in visible])}
    items = [
        {
            "cds": lea.cds,
            "name": lea.name,
            "kind": lea.kind,
            "determination": _determination(da[lea.cds]) if lea.cds in da else None,
        }
        for lea in visible
    ]
    audit_export_record(
        actor=request.user, what="LEAs and determinations", file_format="api", rows=len(items),
        filters={"year": year},
    )  # fmt: skip
    return JsonResponse({"year": year, "leas": items})


@api_view
def lea(request: HttpRequest, cds: str) -> HttpResponse:
    """One LEA: its results for the year, its determinations for every year, its schools."""
    found = access_lea(request.user, cds)
    year = selectors.year_chosen(request.GET.get("year"))
    results = _results(found.cds, year)
    _audit_read(request, found, "LEA results", year, len(results))
    return JsonResponse(
        {
            "cds": found.cds,
            "name": found.name,
            "kind": found.kind,
            "year": year,
            "results": results,
            "determinations": [_determination(d) for d in selectors.da_history(cds=found.cds)],
            "schools": [{"cds": s.cds, "name": s.name} for s in found.schools.order_by("cds")],
        }
    )


@api_view
def school(request: HttpRequest, cds: str) -> HttpResponse:
    """One school: its results for the year and its ESSA determinations."""
    found = access_school(request.user, cds)
    year = selectors.year_chosen(request.GET.get("year"))
    results = _results(found.cds, year)
    _audit_read(request, found, "school results", year, len(results))
    essa = [
        {"year": e.year, "status": e.status, "groups": e.groups, "explanation": e.explanation}
        for e in selectors.essa_history(cds=found.cds)
    ]
    return JsonResponse(
        {
            "cds": found.cds,
            "name": found.name,
            "lea": found.lea.cds,
            "grade_span": found.grade_span,
            "charter": found.charter,
            "year": year,
            "results": results,
            "essa": essa,
        }
    )


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


_STR = {"type": "string"}
_INT = {"type": "integer"}
_NUM = {"type": ["number", "null"]}
RESULT = _object(
    {
        "studentgroup": _STR, "indicator": _STR, "currdenom": _NUM, "currstatus": _NUM,
        "change": _NUM, "statuslevel": _INT, "changelevel": _INT, "color": _INT,
        "colour": _STR, "explanation": _STR,
    }
)  # fmt: skip
DETERMINATION = _object(
    {
        "year": _INT, "status": _STR, "ec52072": _STR, "explanation": _STR,
        "groups": {"type": "object", "additionalProperties": _STR},
    }
)  # fmt: skip
YEAR = {"name": "year", "in": "query", "required": False, "schema": _INT,
        "description": "Dashboard year (default: the newest stored)"}  # fmt: skip
CDS = {"name": "cds", "in": "path", "required": True, "schema": _STR,
       "description": "14-digit CDS code"}  # fmt: skip
ERRORS = {"401": {"description": "Not signed in"}, "404": {"description": "Not in your scope"}}
SCHEMA: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Continuum API",
        "version": "1",
        "description": "Dashboard results and support determinations, scoped to the signed-in "
        "user (session cookie). Values use CDE's codes; colours also by name.",
    },
    "paths": {
        "/api/v1/leas/": {"get": {
            "summary": "LEAs you may see, with their determination for the year",
            "parameters": [YEAR],
            "responses": {"200": {"description": "LEAs", "content": {"application/json": {
                "schema": _object({"year": _INT, "leas": {"type": "array", "items": _object({
                    "cds": _STR, "name": _STR, "kind": _STR,
                    "determination": {"oneOf": [DETERMINATION, {"type": "null"}]},
                })}})}}}, "401": ERRORS["401"]},
        }},
        "/api/v1/leas/{cds}/": {"get": {
            "summary": "One LEA: results, determinations by year, schools",
            "parameters": [CDS, YEAR],
            "responses": {"200": {"description": "The LEA", "content": {"application/json": {
                "schema": _object({
                    "cds": _STR, "name": _STR, "kind": _STR, "year": _INT,
                    "results": {"type": "array", "items": RESULT},
                    "determinations": {"type": "array", "items": DETERMINATION},
                    "schools": {"type": "array", "items": _object({"cds": _STR, "name": _STR})},
                })}}}, **ERRORS},
        }},
        "/api/v1/schools/{cds}/": {"get": {
            "summary": "One school: results and ESSA determinations",
            "parameters": [CDS, YEAR],
            "responses": {"200": {"description": "The school", "content": {"application/json": {
                "schema": _object({
                    "cds": _STR, "name": _STR, "lea": _STR, "grade_span": _STR,
                    "charter": {"type": "boolean"}, "year": _INT,
                    "results": {"type": "array", "items": RESULT},
                    "essa": {"type": "array", "items": _object({
                        "year": _INT, "status": _STR, "explanation": _STR,
                        "groups": {"type": "array", "items": _STR}})},
                })}}}, **ERRORS},
        }},
    },
}  # fmt: skip


@require_GET
def openapi(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.1 description of this API (public: it holds no data)."""
    return JsonResponse(SCHEMA)
