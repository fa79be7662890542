"""The site's URLs: one include per app."""

from __future__ import annotations

from django.urls import include, path

from continuum.web.glossary import glossary

urlpatterns = [
    path("", include("continuum.web.accounts.urls")),
    path("", include("continuum.web.accountability.urls")),
    path("", include("continuum.web.audit.urls")),
    path("", include("continuum.web.assistance.urls")),
    path("", include("continuum.web.saved_views.urls")),
    path("glossary/", glossary, name="glossary"),
    path("", include("continuum.web.api.urls")),
]
