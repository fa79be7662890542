"""JSON API endpoints: every read the pages offer, for the caller's scope.

A caller is the signed-in user (session cookie) or the user whose personal API token is sent as
``Authorization: Bearer …``; without either, 401. Scope is checked by the same ``access_*`` and
``visible_*`` helpers as the pages: outside it, 404. A list endpoint answers with its page
table's rows (``continuum.web.tables``: the same filters, sort and search), one page at a time.
Each endpoint is declared once (``continuum.web.api.schema.ENDPOINTS``): its URL and its part of
the OpenAPI schema are made from that declaration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from continuum.dashboard.rules import COLOUR_NAMES
from continuum.web.accountability import list_tables, page_tables, selectors
from continuum.web.accountability.models import DaResult, IndicatorResult
from continuum.web.accountability.page_tables import year_choices
from continuum.web.accounts.access import access_lea, access_school, visible_leas, visible_schools
from continuum.web.agencies.models import Lea, School
from continuum.web.api import lists, params
from continuum.web.api.models import ApiToken
from continuum.web.api.params import BadParameterError
from continuum.web.api.services import api_token_authenticate
from continuum.web.assistance.access import visible_engagements
from continuum.web.audit.services import audit_export_record
from continuum.web.tables import Column, Row, TableSpec, TableState, table_build

View = Callable[..., HttpResponse]
ALLOWED_METHODS = ("GET", "HEAD")
TOKEN_ATTRIBUTE = "_continuum_api_token"


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
    request: HttpRequest,
    what: str,
    filters: dict[str, object],
    rows: int,
    subject: Lea | School | None = None,
) -> None:
    """Record an API read of data, as a download is recorded (with the token, if one)."""
    token: ApiToken | None = getattr(request, TOKEN_ATTRIBUTE, None)
    via = {"api_token": token.prefix} if token is not None else {}
    audit_export_record(
        actor=request.user, what=what, file_format="api", rows=rows,
        filters={**filters, **via}, subject=subject,
        subject_id=subject.cds if subject is not None else "",
    )  # fmt: skip


@dataclass(frozen=True)
class Listing:
    """A list endpoint's rows (for its table), the entity they are of, and envelope fields."""

    rows: list[Row]
    subject: Lea | School | None = None
    extra: dict[str, Any] = field(default_factory=dict)


ListReader = Callable[[HttpRequest, int, str], Listing]  # request, year (0: none), CDS code
ItemReader = Callable[[HttpRequest, int, str], JsonResponse]


@dataclass(frozen=True)
class Endpoint:
    """One read of the API: its URL name and route, what it returns, and either a table and
    the rows it lists (a list endpoint) or a reader and the schema of its answer."""

    name: str
    route: str  # Django route: "api/v1/…/" (with <str:cds> for an entity)
    summary: str
    table: TableSpec | None = None
    rows: ListReader | None = None
    reader: ItemReader | None = None
    item: dict[str, Any] = field(default_factory=dict)  # the answer of a reader
    extra: dict[str, Any] = field(default_factory=dict)  # schemas of a list's envelope fields
    entity: str = ""  # "LEA" or "school" when the path names one

    @property
    def path(self) -> str:
        """The OpenAPI path."""
        return "/" + self.route.replace("<str:cds>", "{cds}")

    @property
    def takes_year(self) -> bool:
        """Whether ``year`` is read strictly here (a stored Dashboard year, else 404): for
        readers, and for tables whose year the rows are read for."""
        if self.table is None:
            return True
        return any(f.key == "year" and not f.applies for f in self.table.filters)

    @property
    def parameters(self) -> list[str]:
        """Every query parameter it takes."""
        return params.table_parameters(self.table) if self.table is not None else ["year"]

    def view(self) -> View:
        """The Django view: GET only, authenticated, parameters read strictly."""

        def answer(request: HttpRequest, cds: str = "") -> HttpResponse:
            refused = _authenticate(request)
            if refused is not None:
                return refused
            try:
                if self.entity:
                    params.cds_code(cds)
                params.parameters_check(request.GET, self.parameters)
                year = params.year_requested(request.GET.get("year")) if self.takes_year else 0
                if self.table is not None and self.rows is not None:
                    return self._list(request, year, cds)
                assert self.reader is not None
                return self.reader(request, year, cds)
            except BadParameterError as error:
                return _error(str(error), 400)
            except PermissionDenied:
                return _error("You may not see this.", 403)
            except Http404 as error:
                return _error(str(error) or "Not found, or not in your scope.", 404)

        answer.__name__ = answer.__qualname__ = self.name
        answer.__doc__ = self.summary
        return get_only(answer)

    def _list(self, request: HttpRequest, year: int, cds: str) -> JsonResponse:
        assert self.table is not None and self.rows is not None
        spec = self.table
        if self.takes_year:
            spec = spec.with_choices("year", year_choices(selectors.years_stored()))
        spec, state = params.table_state(spec, request.GET)
        listing = self.rows(request, year, cds)
        table = table_build(spec, state, listing.rows)
        if state.page > table.pages:
            raise Http404(f"There is no page {state.page}: there are {table.pages}.")
        params.messages_refused(state)  # a choice not among the rows' values
        results = [row_json(spec, row) for row in table.page_rows]
        _audit(request, spec.title, _asked(state, year), len(results), listing.subject)
        return JsonResponse(
            {
                **({"year": year} if self.takes_year else {}),
                **listing.extra,
                "count": len(table.rows),
                "page": table.page,
                "page_size": spec.page_size,
                "pages": table.pages,
                "results": results,
            }
        )


def _asked(state: TableState, year: int) -> dict[str, object]:
    return {**({"year": year} if year else {}), **state.own(), "page": state.page}


def row_json(spec: TableSpec, row: Row) -> dict[str, Any]:
    """A table row as the API gives it: each column's value (and its note's) by key."""
    found: dict[str, Any] = {}
    for column in spec.columns:
        found[column.key] = _value(column, row.get(column.key))
        if column.note:
            note = row.get(column.note)
            found[column.note] = None if note in (None, "") else str(note)
    return found


def _value(column: Column, value: object) -> Any:
    if value is None or value == "":
        return None
    if column.kind in ("number", "percent", "change"):
        return value if isinstance(value, int | float) else float(str(value))
    if column.kind == "colour":
        code = int(str(value))
        return {"color": code, "colour": COLOUR_NAMES.get(code, COLOUR_NAMES[0])}
    if column.kind == "date":
        assert isinstance(value, dt.date)
        return value.isoformat()
    return str(value)


# ---- The lists ------------------------------------------------------------------------------


def leas(request: HttpRequest, year: int, cds: str) -> Listing:
    """The county determinations: the LEAs in scope, as on the county overview."""
    found = list(visible_leas(request.user).order_by("name", "cds"))
    return Listing(page_tables.lea_rows(leas=found, year=year))


def essa_schools(request: HttpRequest, year: int, cds: str) -> Listing:
    """Schools in scope by ESSA status."""
    schools = visible_schools(request.user)
    return Listing(list_tables.essa_school_rows(schools=schools, year=year))


def priority_areas(request: HttpRequest, year: int, cds: str) -> Listing:
    """LEAs in scope and their student groups by priority area."""
    leas_seen = visible_leas(request.user)
    return Listing(list_tables.priority_area_rows(leas=leas_seen, year=year))


def group_matrix(request: HttpRequest, year: int, cds: str) -> Listing:
    """The student group × indicator matrix of the LEAs in scope."""
    leas_seen = visible_leas(request.user)
    return Listing(list_tables.group_matrix_rows(leas=leas_seen, year=year))


def colour_changes(request: HttpRequest, year: int, cds: str) -> Listing:
    """What changed since the year before, in the LEAs in scope."""
    rows = list_tables.colour_change_rows(leas=visible_leas(request.user), year=year)
    return Listing(rows, extra={"compared_with": year - 1})


def _entity(request: HttpRequest, cds: str, kind: str) -> Lea | School:
    return access_lea(request.user, cds) if kind == "LEA" else access_school(request.user, cds)


def equity_gaps_reader(kind: str) -> ListReader:
    """The equity gaps of one LEA or school (``kind``), as on its equity page."""

    def read(request: HttpRequest, year: int, cds: str) -> Listing:
        entity = _entity(request, cds, kind)
        rows = page_tables.equity_rows(selectors.equity_statuses(cds=entity.cds, year=year))
        return Listing(rows, subject=entity, extra={"cds": entity.cds})

    return read


def trends_reader(kind: str) -> ListReader:
    """The trends of one LEA or school (``kind``): every year of every result."""

    def read(request: HttpRequest, year: int, cds: str) -> Listing:
        entity = _entity(request, cds, kind)
        return Listing(lists.trend_rows(cds=entity.cds), subject=entity, extra={"cds": entity.cds})

    return read


def engagements(request: HttpRequest, year: int, cds: str) -> Listing:
    """Summaries of the DA engagements of the LEAs in scope."""
    found = visible_engagements(request.user)
    return Listing(lists.engagement_summary_rows(engagements=found))


# ---- One LEA or school ----------------------------------------------------------------------


def _determination(d: DaResult) -> dict[str, Any]:
    return {
        "year": d.year,
        "status": d.status,
        "groups": d.groups,
        "ec52072": d.level3,
        "explanation": d.explanation,
    }


def _results(cds: str, year: int) -> list[dict[str, Any]]:
    found = IndicatorResult.objects.filter(cds=cds, year=year).order_by("indicator", "studentgroup")
    return [
        {
            "studentgroup": r.studentgroup, "indicator": r.indicator, "currdenom": r.currdenom,
            "currstatus": r.currstatus, "change": r.change, "statuslevel": r.statuslevel,
            "changelevel": r.changelevel, "color": r.color,
            "colour": COLOUR_NAMES.get(r.color, COLOUR_NAMES[0]), "explanation": r.explanation,
        }
        for r in found
    ]  # fmt: skip


def lea(request: HttpRequest, year: int, cds: str) -> JsonResponse:
    """One LEA: its results for the year, its determinations for every year, its schools."""
    found = access_lea(request.user, cds)
    results = _results(found.cds, year)
    _audit(request, "LEA results", {"year": year}, len(results), found)
    return JsonResponse(
        {
            "cds": found.cds, "name": found.name, "kind": found.kind, "year": year,
            "results": results,
            "determinations": [_determination(d) for d in selectors.da_history(cds=found.cds)],
            "schools": [{"cds": s.cds, "name": s.name} for s in found.schools.order_by("cds")],
        }
    )  # fmt: skip


def school(request: HttpRequest, year: int, cds: str) -> JsonResponse:
    """One school: its results for the year and its ESSA determinations."""
    found = access_school(request.user, cds)
    results = _results(found.cds, year)
    _audit(request, "school results", {"year": year}, len(results), found)
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
