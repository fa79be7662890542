"""Saved views' URLs."""

from __future__ import annotations

from django.urls import path

from continuum.web.saved_views import views

app_name = "saved_views"
urlpatterns = [
    path("views/", views.saved_views, name="list"),
    path("views/save/", views.save, name="save"),
    path("views/<int:view_id>/delete/", views.delete, name="delete"),
]
