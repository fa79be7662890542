"""The API documentation page is the OpenAPI schema rendered on the server."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from continuum.web.api.schema import SCHEMA

pytestmark = pytest.mark.django_db


def test_the_documentation_lists_every_endpoint_with_its_parameters(
    as_persona: dict[str, Client],
) -> None:
    page = as_persona["anonymous"].get(reverse("api:docs")).content.decode()
    for path, methods in SCHEMA["paths"].items():
        operation = methods["get"]
        assert f"GET {path}" in page
        assert f'id="{operation["operationId"]}"' in page
        for parameter in operation["parameters"]:
            assert f"<code>{parameter['name']}</code>" in page
    assert "Authorization: Bearer" in page
    assert "<script" not in page.split("</head>")[1]  # no script in the page body


def test_the_documentation_gives_an_example_request_with_a_filter(
    as_persona: dict[str, Client],
) -> None:
    page = as_persona["anonymous"].get(reverse("api:docs")).content.decode()
    assert "GET /api/v1/essa-schools/?status=CSI Low Perform&amp;page_size=20" in page
