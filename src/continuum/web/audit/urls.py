"""Audit trail URLs."""

from __future__ import annotations

from django.urls import path

from continuum.web.audit import views

app_name = "audit"
urlpatterns = [path("audit/", views.events, name="events")]
