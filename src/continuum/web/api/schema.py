"""Every endpoint declared once (``ENDPOINTS``): its URL patterns and the OpenAPI 3.1 schema
(served at ``/api/v1/openapi.json`` and rendered by the documentation page) come from here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, path

from continuum.web.accountability import list_tables, page_tables
from continuum.web.api import endpoints, lists, params
from continuum.web.api.endpoints import Endpoint
from continuum.web.tables import Column, TableSpec


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(properties)}


def _array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [schema, {"type": "null"}]}


_STR = {"type": "string"}
_INT = {"type": "integer"}
_NUM = {"type": ["number", "null"]}
_BOOL = {"type": "boolean"}
COLOUR = _object({"color": _INT, "colour": _STR})
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


def _column_schema(column: Column) -> dict[str, Any]:
    if column.kind in ("number", "percent", "change"):
        return {"type": ["number", "null"]}
    if column.kind == "colour":
        return _nullable(COLOUR)
    return {"type": ["string", "null"]}


def row_schema(spec: TableSpec) -> dict[str, Any]:
    """The schema of one row of a table, as ``endpoints.row_json`` gives it."""
    properties: dict[str, Any] = {}
    for column in spec.columns:
        properties[column.key] = _column_schema(column)
        if column.note:
            properties[column.note] = {"type": ["string", "null"]}
    return _object(properties)


def _entities(
    route: str, summary: str, table: TableSpec, reader: Callable[[str], endpoints.ListReader]
) -> list[Endpoint]:
    return [
        Endpoint(
            name=f"api_{kind.lower()}_{route.replace('-', '_')}",
            route=f"api/v1/{kind.lower()}s/<str:cds>/{route}/", entity=kind,
            summary=f"One {kind}'s {summary}", table=table, rows=reader(kind),
            extra={"cds": _STR},
        )
        for kind in ("LEA", "school")
    ]  # fmt: skip


ENDPOINTS: list[Endpoint] = [
    Endpoint(
        name="api_leas", route="api/v1/leas/",
        summary="County determinations: the LEAs you may see with their support level (Level 3 "
        "is EC 52072), the student groups behind it and their all-students colours, as on the "
        "county overview", table=page_tables.COUNTY_LEAS, rows=endpoints.leas,
    ),
    Endpoint(
        name="api_lea", route="api/v1/leas/<str:cds>/", entity="LEA",
        summary="One LEA: results, determinations by year, schools",
        item=_object({
            "cds": _STR, "name": _STR, "kind": _STR, "year": _INT, "results": _array(RESULT),
            "determinations": _array(DETERMINATION),
            "schools": _array(_object({"cds": _STR, "name": _STR})),
        }),
        reader=endpoints.lea,
    ),
    Endpoint(
        name="api_school", route="api/v1/schools/<str:cds>/", entity="school",
        summary="One school: results and ESSA determinations",
        item=_object({
            "cds": _STR, "name": _STR, "lea": _STR, "grade_span": _STR, "charter": _BOOL,
            "year": _INT, "results": _array(RESULT),
            "essa": _array(_object({
                "year": _INT, "status": _STR, "explanation": _STR, "groups": _array(_STR)})),
        }),
        reader=endpoints.school,
    ),
    Endpoint(
        name="api_essa_schools", route="api/v1/essa-schools/",
        summary="Schools by ESSA status (CSI lowest-performing, CSI low graduation rate, ATSI, "
        "TSI) with the reasons in words", table=list_tables.ESSA_SCHOOLS,
        rows=endpoints.essa_schools,
    ),
    Endpoint(
        name="api_priority_areas", route="api/v1/priority-areas/",
        summary="LEAs and student groups by LCFF priority area: the DA criteria each group met "
        "in each area, and whether it counts (two or more areas, with CDE's letter)",
        table=list_tables.PRIORITY_AREAS, rows=endpoints.priority_areas,
    ),
    Endpoint(
        name="api_group_matrix", route="api/v1/group-matrix/",
        summary="The student group × indicator matrix: each LEA's groups with their colour on "
        "every indicator", table=list_tables.GROUP_MATRIX, rows=endpoints.group_matrix,
    ),
    Endpoint(
        name="api_colour_changes", route="api/v1/colour-changes/",
        summary="What changed since last year: per LEA, the indicators and student groups "
        "whose colour went up or down", table=list_tables.COLOUR_CHANGES,
        rows=endpoints.colour_changes, extra={"compared_with": _INT},
    ),
    *_entities("equity-gaps", "equity gaps: each student group's status minus all "
               "students', by indicator", page_tables.EQUITY, endpoints.equity_gaps_reader),
    *_entities("trends", "trends: every stored year of each indicator and student group",
               lists.TRENDS, endpoints.trends_reader),
    Endpoint(
        name="api_engagements", route="api/v1/engagements/",
        summary="DA engagements' summaries: level, status, qualifying groups, problem of "
        "practice, aim, meetings and PDSA cycles", table=lists.ENGAGEMENTS,
        rows=endpoints.engagements,
    ),
]  # fmt: skip

ERROR = {"application/json": {"schema": {
    "type": "object", "required": ["error"], "properties": {"error": _STR}}}}  # fmt: skip
ERRORS = {
    "400": {"description": "A parameter the API cannot read (the message says which)",
            "content": ERROR},
    "401": {"description": "Not signed in, and no valid API token", "content": ERROR},
    "404": {"description": "Not in your scope, no results for the year, or past the last page",
            "content": ERROR},
    "405": {"description": "Not GET (the Allow header lists the methods)", "content": ERROR},
}  # fmt: skip
CDS_PARAMETER = {
    "name": "cds", "in": "path", "required": True,
    "schema": {"type": "string", "pattern": f"^{params.CDS_CODE.pattern}$"},
    "description": "14-digit CDS code",
}  # fmt: skip
DESCRIPTION = (
    "Dashboard results, support determinations, the county lists and DA engagements, scoped "
    "to the caller exactly as the pages are: a script sends a personal API token "
    "(Authorization: Bearer …, made on the API tokens page), a browser its session. Values use "
    "CDE's codes, with names beside them. Lists are paginated (page, page_size) and filtered "
    "with the same parameters as the pages' tables; every read is recorded in the audit trail."
)


def _response_schema(endpoint: Endpoint) -> dict[str, Any]:
    if endpoint.table is None:
        return endpoint.item
    envelope: dict[str, Any] = {
        **({"year": _INT} if endpoint.takes_year else {}),
        **endpoint.extra,
        "count": _INT, "page": _INT, "page_size": _INT, "pages": _INT,
        "results": _array(row_schema(endpoint.table)),
    }  # fmt: skip
    return _object(envelope)


def _operation(endpoint: Endpoint) -> dict[str, Any]:
    described = (
        params.table_parameter_schemas(endpoint.table, year=endpoint.takes_year)
        if endpoint.table is not None
        else [params.YEAR_SCHEMA]
    )
    return {
        "get": {
            "operationId": endpoint.name,
            "summary": endpoint.summary,
            "parameters": [CDS_PARAMETER, *described] if endpoint.entity else described,
            "responses": {
                "200": {
                    "description": "The data",
                    "content": {"application/json": {"schema": _response_schema(endpoint)}},
                },
                **ERRORS,
            },
        }
    }


SCHEMA: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Continuum API", "version": "1", "description": DESCRIPTION},
    "components": {
        "securitySchemes": {
            "token": {"type": "http", "scheme": "bearer",
                      "description": "A personal API token (API tokens page)"},
            "session": {"type": "apiKey", "in": "cookie", "name": "sessionid",
                        "description": "The browser's session after signing in"},
        }
    },
    "security": [{"token": []}, {"session": []}],
    "paths": {endpoint.path: _operation(endpoint) for endpoint in ENDPOINTS},
}  # fmt: skip


def url_patterns() -> list[URLPattern]:
    """One URL pattern per endpoint, and the schema's."""
    return [
        path("api/v1/openapi.json", openapi, name="api_openapi"),
        *[path(e.route, e.view(), name=e.name) for e in ENDPOINTS],
    ]


@endpoints.get_only
def openapi(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.1 description of this API (public: it holds no data)."""
    return JsonResponse(SCHEMA)
