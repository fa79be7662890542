"""The API's pages: personal tokens and the documentation (the endpoints' URLs are made from
their declarations in ``continuum.web.api.schema`` and included by the accountability app)."""

from __future__ import annotations

from django.urls import path

from continuum.web.api import views

app_name = "api"
urlpatterns = [
    path("accounts/api-tokens/", views.tokens, name="tokens"),
    path("accounts/api-tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("api/docs/", views.docs, name="docs"),
]
