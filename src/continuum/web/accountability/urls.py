"""Pages of Dashboard results and support determinations."""

from __future__ import annotations

from django.urls import path

from continuum.web.accountability import views, views_lists
from continuum.web.api.schema import url_patterns as api_url_patterns

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
    path("county/essa-schools/", views_lists.essa_schools, name="county_essa_schools"),
    path("county/priority-areas/", views_lists.priority_areas, name="county_priority_areas"),
    path("county/group-matrix/", views_lists.group_matrix, name="county_group_matrix"),
    path("county/changes/", views_lists.colour_changes, name="county_colour_changes"),
    *api_url_patterns(),
]
