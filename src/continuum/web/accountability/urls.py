"""Pages of Dashboard results and support determinations."""

from __future__ import annotations

from django.urls import path

from continuum.web.accountability import views

app_name = "accountability"
urlpatterns = [
    path("county/", views.county, name="county"),
    path("lea/<str:cds>/", views.lea, name="lea"),
    path("school/<str:cds>/", views.school, name="school"),
    path("result/<int:result_id>/", views.result, name="result"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:import_id>/", views.import_detail, name="import"),
]
