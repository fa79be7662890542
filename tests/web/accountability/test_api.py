"""The JSON API refuses what it cannot read, in JSON, and holds to its OpenAPI schema."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.specs.openapi.checks import positive_data_acceptance

from continuum.web.accounts.models import User
from continuum.web.api.schema import SCHEMA
from continuum.web.api.services import api_token_create
from continuum.web.wsgi import application
from tests.web.personas import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", ["0.92", "true", "2025x", "-2025", "1999", "１２３４"])
def test_a_year_that_is_not_a_dashboard_year_is_refused_with_400(
    year: str, world: World, as_persona: dict[str, Client]
) -> None:
    response = as_persona["cody"].get(reverse("accountability:api_leas"), {"year": year})
    assert response.status_code == 400
    assert "year is a Dashboard year" in response.json()["error"]


def test_a_year_with_no_stored_results_is_404_not_the_newest_year(
    world: World, as_persona: dict[str, Client]
) -> None:
    response = as_persona["cody"].get(reverse("accountability:api_leas"), {"year": "2030"})
    assert response.status_code == 404
    assert response.json() == {"error": "No Dashboard results are stored for 2030."}


def test_an_unknown_parameter_is_refused_with_400(
    world: World, as_persona: dict[str, Client]
) -> None:
    response = as_persona["cody"].get(reverse("accountability:api_leas"), {"yaer": "2025"})
    assert response.status_code == 400
    assert "“yaer”" in response.json()["error"]


def test_a_cds_code_that_is_not_14_digits_is_refused_with_400(
    world: World, as_persona: dict[str, Client]
) -> None:
    response = as_persona["cody"].get(reverse("accountability:api_lea", args=["3460001"]))
    assert response.status_code == 400
    assert "14 digits" in response.json()["error"]


def test_a_long_bad_value_is_quoted_as_a_short_excerpt(
    world: World, as_persona: dict[str, Client]
) -> None:
    response = as_persona["cody"].get(reverse("accountability:api_leas"), {"year": "9" * 5000})
    assert len(response.json()["error"]) < 120


def test_an_lea_out_of_scope_is_404_in_json(world: World, as_persona: dict[str, Client]) -> None:
    response = as_persona["bob"].get(reverse("accountability:api_lea", args=[world.alder.cds]))
    assert response.status_code == 404
    assert "error" in response.json()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_an_undeclared_method_is_405_in_json_with_an_allow_header(
    method: str, world: World, as_persona: dict[str, Client]
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.cookies = as_persona["cody"].cookies
    response = getattr(client, method)(reverse("accountability:api_leas"))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "not allowed" in response.json()["error"]


@pytest.fixture
def bearer(users: dict[str, User]) -> dict[str, str]:
    """The Authorization header of a token of Cody's (a county analyst: every LEA and school
    of the county, nothing of the other county)."""
    raw = api_token_create(
        actor=users["cody"], user=users["cody"], name="schemathesis", days=None
    ).raw
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture(autouse=True)
def _connection_kept_between_requests() -> Iterator[None]:
    """Schemathesis calls the real WSGI application, which closes the database connection at
    the end of each request; Django's test client stops that, or the test's transaction (and
    PostgreSQL's connection) would end with the first request. Do as the test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


load_all_checks()
EVERY_CHECK = list(CHECKS.get_all())
DECLARED = schemathesis.openapi.from_dict(SCHEMA)
DECLARED.app = application  # every request, checks' own included, goes to the WSGI app


def _checks(case: schemathesis.Case) -> list[Any]:
    """Every check; but a colour filter is of the indicator chosen with it (without one, 400,
    as its description says), and OpenAPI cannot say that one parameter needs another, so a
    request with a colour and no indicator is not held to "valid data is accepted"."""
    query = case.query or {}
    if "colour" in query and "indicator" not in query:
        return [check for check in EVERY_CHECK if check is not positive_data_acceptance]
    return EVERY_CHECK


EXAMPLES = settings(
    max_examples=12, deadline=None, database=None, derandomize=True,
    suppress_health_check=list(HealthCheck),
)  # fmt: skip


def test_the_served_schema_is_the_declared_one(as_persona: dict[str, Client]) -> None:
    served = as_persona["anonymous"].get(reverse("accountability:api_openapi")).json()
    assert served == json.loads(json.dumps(SCHEMA))


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        else:
            yield route


def test_every_api_url_is_in_the_schema() -> None:
    routes = {
        "/" + route.replace("<str:cds>", "{cds}")
        for route in _routes(get_resolver().url_patterns)
        if route.startswith("api/v1/") and not route.endswith(".json")
    }
    assert routes == set(SCHEMA["paths"])


@DECLARED.parametrize()
@EXAMPLES
def test_every_endpoint_passes_every_schemathesis_check(
    case: schemathesis.Case, world: World, bearer: dict[str, str]
) -> None:
    """Schemathesis generates requests for every operation of the schema (valid ones, and
    invalid ones that must be refused) and runs every check on each answer of the WSGI
    application, as a token user."""
    case.call_and_validate(headers=bearer, checks=_checks(case))


ENTITY_PATHS = [(path, "alder" if path.startswith("/api/v1/leas/") else "oak")
                for path in SCHEMA["paths"] if "{cds}" in path]  # fmt: skip


@pytest.mark.parametrize(("path", "entity"), ENTITY_PATHS)
def test_every_entity_endpoint_passes_every_check_for_an_entity_in_scope(
    path: str, entity: str, world: World, bearer: dict[str, str]
) -> None:
    cds = getattr(world, entity).cds
    operations = DECLARED.include(path_regex=f"^{re.escape(path)}$")

    @given(case=operations.as_strategy(path_parameters={"cds": cds}))
    @EXAMPLES
    def answers_conform(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=bearer, checks=_checks(case))

    answers_conform()
