"""The API's pages: personal API tokens (make, list, revoke) and the documentation, rendered
from the OpenAPI schema.

Each view parses its input, authorises, calls a service or selector and renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from continuum.web.accounts.models import User
from continuum.web.api.forms import ApiTokenForm
from continuum.web.api.schema import SCHEMA
from continuum.web.api.selectors import user_tokens
from continuum.web.api.services import api_token_create, api_token_revoke


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens; a new one is shown once, on the page that made it."""
    user = request.user
    assert isinstance(user, User)
    form = ApiTokenForm()
    if request.method == "POST":
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            made = api_token_create(
                actor=user, user=user, name=form.cleaned_data["name"], days=form.days()
            )
            return render(request, "api/token_created.html", {"made": made})
    context = {"form": form, "tokens": user_tokens(user=user), "now": timezone.now()}
    return render(request, "api/tokens.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the user's own tokens (another's is 404)."""
    user = request.user
    assert isinstance(user, User)
    token = api_token_revoke(actor=user, token_id=token_id)
    messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
    return redirect("api:tokens")


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    """The API's documentation, from its OpenAPI schema (public: it holds no data)."""
    operations: list[dict[str, Any]] = []
    for path, methods in SCHEMA["paths"].items():
        for method, operation in methods.items():
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "id": operation["operationId"],
                    "summary": operation["summary"],
                    "parameters": [_parameter(p) for p in operation["parameters"]],
                    "responses": sorted(operation["responses"].items()),
                    "example": _example(path, operation["parameters"]),
                }
            )
    context = {
        "info": SCHEMA["info"],
        "security": SCHEMA["components"]["securitySchemes"],
        "operations": operations,
        "base": request.build_absolute_uri("/").rstrip("/"),
    }
    return render(request, "api/docs.html", context)


def _parameter(parameter: dict[str, Any]) -> dict[str, Any]:
    schema = parameter["schema"]
    if "enum" in schema:
        kind = "one of " + ", ".join(schema["enum"])
    elif "pattern" in schema:
        kind = "14 digits"
    elif "minimum" in schema:
        kind = f"whole number, {schema['minimum']} to {schema['maximum']}"
    else:
        kind = str(schema["type"])
    return {**parameter, "kind": kind}


# Example values of path parameters, for the documentation's requests.
_EXAMPLE_CDS = "34673140000000"


def _example(path: str, parameters: list[dict[str, Any]]) -> str:
    """An example request: the path with a CDS code, and the first filter and page size."""
    example = path.replace("{cds}", _EXAMPLE_CDS)
    query = [f"{p['name']}={p['schema']['enum'][0]}" for p in parameters if "enum" in p["schema"]][
        :1
    ]
    if any(p["name"] == "page_size" for p in parameters):
        query.append("page_size=20")
    return example + ("?" + "&".join(query) if query else "")
