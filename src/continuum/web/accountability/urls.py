"""Pages of Dashboard results and support determinations."""

from __future__ import annotations

from django.urls import path

from continuum.web.accountability import api, views

app_name = "accountability"
urlpatterns = [
    path("county/", views.county, name="county"),
    path("lea/<str:cds>/", views.lea, name="lea"),
    path("lea/<str:cds>/results.csv", views.lea_csv, name="lea_csv"),
    path("lea/<str:cds>/equity/", views.lea_equity, name="lea_equity"),
    path("lea/<str:cds>/summary.pdf", views.lea_pdf, name="lea_pdf"),
    path("school/<str:cds>/", views.school, name="school"),
    path("school/<str:cds>/results.csv", views.school_csv, name="school_csv"),
    path("school/<str:cds>/equity/", views.school_equity, name="school_equity"),
    path("result/<int:result_id>/", views.result, name="result"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:import_id>/", views.import_detail, name="import"),
    path(
        "imports/<int:import_id>/<str:action>/",
        views.import_action,
        name="import_action",
    ),
    path("api/v1/openapi.json", api.openapi, name="api_openapi"),
    path("api/v1/leas/", api.leas, name="api_leas"),
    path("api/v1/leas/<str:cds>/", api.lea, name="api_lea"),
    path("api/v1/schools/<str:cds>/", api.school, name="api_school"),
]
