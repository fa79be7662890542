"""The JSON API refuses what it cannot read, in JSON, and holds to its OpenAPI schema."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis.strategies import SearchStrategy
from schemathesis import GenerationMode

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
    assert "'yaer'" in response.json()["error"]


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


def _session(as_persona: dict[str, Client]) -> dict[str, str]:
    """Cody's session cookie (a county analyst: every LEA and school of the county)."""
    return {"sessionid": as_persona["cody"].cookies["sessionid"].value}


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


def _run_every_check(strategy: SearchStrategy[schemathesis.Case]) -> None:
    @given(case=strategy)
    @settings(
        max_examples=40, deadline=None, database=None, derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )  # fmt: skip
    def answers_conform(case: schemathesis.Case) -> None:
        case.call_and_validate()

    answers_conform()


def _served_schema() -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_wsgi(reverse("accountability:api_openapi"), application)


@pytest.mark.parametrize("mode", list(GenerationMode))
def test_the_api_passes_every_schemathesis_check(
    mode: GenerationMode, world: World, as_persona: dict[str, Client]
) -> None:
    """Schemathesis generates requests from the served schema (valid ones, and invalid ones
    that must be refused) and runs all its checks on each answer of the WSGI application."""
    _run_every_check(
        _served_schema().as_strategy(generation_mode=mode, cookies=_session(as_persona))
    )


@pytest.mark.parametrize(
    ("path", "entity"), [("/leas/{cds}/", "alder"), ("/schools/{cds}/", "oak")]
)
def test_the_api_passes_every_schemathesis_check_for_entities_in_scope(
    path: str, entity: str, world: World, as_persona: dict[str, Client]
) -> None:
    cds = getattr(world, entity).cds
    operations = _served_schema().include(path_regex=f"{re.escape(path)}$")
    _run_every_check(
        operations.as_strategy(cookies=_session(as_persona), path_parameters={"cds": cds})
    )
