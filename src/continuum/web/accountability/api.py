"""JSON API: the pages' read data, for the signed-in user's scope, described by OpenAPI.

Authentication is the site's session (sign in first); a request without it gets 401. Scope is
checked by the same ``access_*`` helpers as the pages: outside it, 404.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from continuum.dashboard.rules import COLOUR_NAMES
from continuum.errors import excerpt
from continuum.web.accountability import selectors
from continuum.web.accountability.models import DaResult, IndicatorResult
from continuum.web.accounts.access import access_lea, access_school, visible_leas
from continuum.web.agencies.models import Lea, School
from continuum.web.audit.services import audit_export_record

View = Callable[..., HttpResponse]
ALLOWED_METHODS = ("GET", "HEAD")
QUERY_PARAMETERS = frozenset({"year"})
# The first California School Dashboard is 2017's; the upper bound only refuses nonsense.
YEAR_MIN, YEAR_MAX = 2017, 2099
CDS_CODE = re.compile(r"[0-9]{14}")
YEAR = re.compile(r"[0-9]{4}")


class BadParameterError(Exception):
    """A request parameter the API cannot read; the message says which and why."""


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


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


def api_view(view: View) -> View:
    """GET only; 401 in JSON (not a redirect to the sign-in page) without a session; 400 for
    a parameter it cannot read; 403 and 404 in JSON."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return _error("sign in first", 401)
        try:
            unknown = sorted(set(request.GET) - QUERY_PARAMETERS)
            if unknown:
                raise BadParameterError(
                    f"Unknown parameter “{excerpt(unknown[0], 20, quoted=False)}”; the API takes "
                    f"only: {', '.join(sorted(QUERY_PARAMETERS))}."
                )
            if "cds" in kwargs and not CDS_CODE.fullmatch(kwargs["cds"]):
                raise BadParameterError(
                    f"A CDS code is 14 digits, not “{excerpt(kwargs['cds'], 20, quoted=False)}”."
                )
            return view(request, *args, **kwargs)
        except BadParameterError as error:
            return _error(str(error), 400)
        except PermissionDenied:
            return _error("You may not see this.", 403)
        except Http404 as error:
            return _error(str(error) or "Not found, or not in your scope.", 404)

    return get_only(wrapped)


def year_requested(request: HttpRequest) -> int:
    """The ``year`` parameter: a Dashboard year with stored results (400 when it is not a
    year, 404 when none are stored for it), or the newest stored year when it is absent."""
    given = request.GET.getlist("year")
    if not given:
        return selectors.year_chosen(None)
    if len(given) > 1:
        raise BadParameterError("Give the year parameter once.")
    raw = given[0]
    if not YEAR.fullmatch(raw) or not YEAR_MIN <= int(raw) <= YEAR_MAX:
        raise BadParameterError(
            f"year is a Dashboard year from {YEAR_MIN} to {YEAR_MAX}, "
            f"not “{excerpt(raw, 20, quoted=False)}”."
        )
    year = int(raw)
    if year not in selectors.years_stored():
        raise Http404(f"No Dashboard results are stored for {year}.")
    return year


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
    year = year_requested(request)
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
    year = year_requested(request)
    found = access_lea(request.user, cds)
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
    year = year_requested(request)
    found = access_school(request.user, cds)
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
YEAR_PARAMETER = {
    "name": "year", "in": "query", "required": False,
    "schema": {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX},
    "description": "Dashboard year (default: the newest stored; 404 when none is stored for it)",
}  # fmt: skip
CDS_PARAMETER = {
    "name": "cds", "in": "path", "required": True,
    "schema": {"type": "string", "pattern": f"^{CDS_CODE.pattern}$"},
    "description": "14-digit CDS code",
}  # fmt: skip
ERROR = {"application/json": {"schema": {
    "type": "object", "required": ["error"], "properties": {"error": _STR}}}}  # fmt: skip
ERRORS = {
    "400": {"description": "A parameter the API cannot read (the message says which)",
            "content": ERROR},
    "401": {"description": "Not signed in", "content": ERROR},
    "405": {"description": "Not GET (the Allow header lists the methods)", "content": ERROR},
}  # fmt: skip
NOT_FOUND = {"404": {"description": "Not in your scope, or no results for the year",
                     "content": ERROR}}  # fmt: skip
SCHEMA: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Continuum API",
        "version": "1",
        "description": "Dashboard results and support determinations, scoped to the signed-in "
        "user (session cookie). Values use CDE's codes; colours also by name.",
    },
    "components": {"securitySchemes": {
        "session": {"type": "apiKey", "in": "cookie", "name": "sessionid"}}},
    "security": [{"session": []}],
    "paths": {
        "/api/v1/leas/": {"get": {
            "summary": "LEAs you may see, with their determination for the year",
            "parameters": [YEAR_PARAMETER],
            "responses": {"200": {"description": "LEAs", "content": {"application/json": {
                "schema": _object({"year": _INT, "leas": {"type": "array", "items": _object({
                    "cds": _STR, "name": _STR, "kind": _STR,
                    "determination": {"oneOf": [DETERMINATION, {"type": "null"}]},
                })}})}}}, **ERRORS, **NOT_FOUND},
        }},
        "/api/v1/leas/{cds}/": {"get": {
            "summary": "One LEA: results, determinations by year, schools",
            "parameters": [CDS_PARAMETER, YEAR_PARAMETER],
            "responses": {"200": {"description": "The LEA", "content": {"application/json": {
                "schema": _object({
                    "cds": _STR, "name": _STR, "kind": _STR, "year": _INT,
                    "results": {"type": "array", "items": RESULT},
                    "determinations": {"type": "array", "items": DETERMINATION},
                    "schools": {"type": "array", "items": _object({"cds": _STR, "name": _STR})},
                })}}}, **ERRORS, **NOT_FOUND},
        }},
        "/api/v1/schools/{cds}/": {"get": {
            "summary": "One school: results and ESSA determinations",
            "parameters": [CDS_PARAMETER, YEAR_PARAMETER],
            "responses": {"200": {"description": "The school", "content": {"application/json": {
                "schema": _object({
                    "cds": _STR, "name": _STR, "lea": _STR, "grade_span": _STR,
                    "charter": {"type": "boolean"}, "year": _INT,
                    "results": {"type": "array", "items": RESULT},
                    "essa": {"type": "array", "items": _object({
                        "year": _INT, "status": _STR, "explanation": _STR,
                        "groups": {"type": "array", "items": _STR}})},
                })}}}, **ERRORS, **NOT_FOUND},
        }},
    },
}  # fmt: skip


@get_only
def openapi(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.1 description of this API (public: it holds no data)."""
    return JsonResponse(SCHEMA)
