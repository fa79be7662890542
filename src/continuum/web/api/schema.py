"""Every endpoint declared once (``ENDPOINTS``): its URL patterns and the OpenAPI 3.1 schema
(served at ``/api/v1/openapi.json`` and rendered by the documentation page) come from here."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, path

from continuum.web.api import endpoints, params
from continuum.web.api.endpoints import ENGAGEMENT_LEVEL, ENGAGEMENT_STATUS, Endpoint
from continuum.web.api.params import Parameters


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
NAMED = _object({"code": _STR, "name": _STR})
ENTITY_SCOPE = (params.INDICATOR,)

ENDPOINTS: list[Endpoint] = [
    Endpoint(
        name="api_leas", route="api/v1/leas/",
        summary="County determinations: the LEAs you may see, with their DA / Level 3 "
        "determination and System of Support level for the year",
        parameters=Parameters(filters=(params.SUPPORT_LEVEL, params.DA_GROUP, params.LEA_TYPE)),
        item=_object({
            "cds": _STR, "name": _STR, "kind": _STR, "support_level": _INT,
            "support_level_name": _STR, "determination": _nullable(DETERMINATION),
        }),
        reader=endpoints.leas,
    ),
    Endpoint(
        name="api_lea", route="api/v1/leas/<str:cds>/", entity="LEA",
        summary="One LEA: results, determinations by year, schools",
        parameters=Parameters(paginated=False),
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
        parameters=Parameters(paginated=False),
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
        "TSI) with the reasons in words",
        parameters=Parameters(filters=(params.ESSA_STATUS,), lea=True),
        item=_object({
            "cds": _STR, "name": _STR, "lea": _STR, "lea_name": _STR, "status": _STR,
            "status_name": _STR, "explanation": _STR, "groups": _array(NAMED),
        }),
        reader=endpoints.essa_schools,
    ),
    Endpoint(
        name="api_priority_areas", route="api/v1/priority-areas/",
        summary="LEAs and student groups by LCFF priority area: the DA criteria each group met "
        "in each priority (qualifies: met in two or more, with CDE's letter)",
        parameters=Parameters(filters=(params.PRIORITY, params.DA_GROUP, params.LEA_TYPE)),
        item=_object({
            "lea": _STR, "lea_name": _STR, "group": _STR, "group_name": _STR,
            "priority": _INT, "priority_name": _STR, "criteria": _array(_STR), "code": _STR,
            "qualifies": _BOOL,
        }),
        reader=endpoints.priority_areas,
    ),
    Endpoint(
        name="api_group_matrix", route="api/v1/group-matrix/",
        summary="The student group × indicator matrix: each LEA's groups with the colour of "
        "every indicator",
        parameters=Parameters(
            filters=(params.GROUP, params.INDICATOR, params.COLOUR, params.LEA_TYPE)),
        item=_object({
            "lea": _STR, "lea_name": _STR, "group": _STR, "group_name": _STR,
            "cells": {"type": "object", "additionalProperties": COLOUR},
        }),
        extra={"indicators": _array(NAMED)},
        reader=endpoints.group_matrix,
    ),
    Endpoint(
        name="api_colour_changes", route="api/v1/colour-changes/",
        summary="What changed since last year: per LEA, the indicators and student groups "
        "whose colour went up or down",
        parameters=Parameters(
            filters=(params.DIRECTION, params.INDICATOR, params.GROUP, params.LEA_TYPE)),
        item=_object({
            "lea": _STR, "lea_name": _STR, "group": _STR, "group_name": _STR,
            "indicator": _STR, "indicator_name": _STR, "before": COLOUR, "after": COLOUR,
            "direction": _STR,
        }),
        extra={"compared_with": _INT},
        reader=endpoints.colour_changes,
    ),
    *[
        Endpoint(
            name=f"api_{route}_equity_gaps", route=f"api/v1/{route}s/<str:cds>/equity-gaps/",
            entity=kind, summary=f"One {kind}'s equity gaps: each student group's status minus "
            "all students', by indicator, largest gap below first",
            parameters=Parameters(filters=ENTITY_SCOPE),
            item=_object({
                "indicator": _STR, "indicator_name": _STR, "all_students": {"type": "number"},
                "group": _STR, "group_name": _STR, "status": {"type": "number"},
                "gap": {"type": "number"},
            }),
            extra={"cds": _STR},
            reader=endpoints.equity_gaps_reader(kind),
        )
        for route, kind in (("lea", "LEA"), ("school", "school"))
    ],
    *[
        Endpoint(
            name=f"api_{route}_trends", route=f"api/v1/{route}s/<str:cds>/trends/",
            entity=kind, summary=f"One {kind}'s trends: every stored year of each indicator "
            "and student group, oldest first",
            parameters=Parameters(year=False, filters=(params.INDICATOR, params.GROUP)),
            item=_object({"year": _INT, **RESULT["properties"]}),
            extra={"cds": _STR},
            reader=endpoints.trends_reader(kind),
        )
        for route, kind in (("lea", "LEA"), ("school", "school"))
    ],
    Endpoint(
        name="api_engagements", route="api/v1/engagements/",
        summary="DA engagements' summaries: level, status, qualifying groups, problem of "
        "practice, aim, meetings and PDSA cycles",
        parameters=Parameters(
            every_year_by_default=True, filters=(ENGAGEMENT_STATUS, ENGAGEMENT_LEVEL)),
        item=_object({
            "id": _INT, "lea": _STR, "lea_name": _STR, "year": _INT, "level": _INT,
            "level_name": _STR, "status": _STR, "problem_of_practice": _STR, "aim": _STR,
            "groups": _array(_object({
                "code": _STR, "name": _STR, "priority_code": _STR,
                "priorities": _array(_INT)})),
            "meetings": _INT, "last_meeting": _nullable({"type": "string", "format": "date"}),
            "pdsa_cycles": _INT,
            "cycles_by_phase": {"type": "object", "additionalProperties": _INT},
            "decisions": {"type": "object", "additionalProperties": _INT},
        }),
        reader=endpoints.engagements,
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
    if not endpoint.parameters.paginated:
        return endpoint.item
    envelope: dict[str, Any] = {
        **({"year": _INT} if endpoint.parameters.year else {}),
        **endpoint.extra,
        "count": _INT, "page": _INT, "page_size": _INT, "pages": _INT,
        "results": _array(endpoint.item),
    }  # fmt: skip
    schema = _object(envelope)
    if endpoint.parameters.every_year_by_default:  # no ``year`` when every year was asked for
        schema["required"] = [name for name in envelope if name != "year"]
    return schema


def _operation(endpoint: Endpoint) -> dict[str, Any]:
    described = params.parameter_schemas(endpoint.parameters)
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
