"""Pages of the DA workspace: engagements, their improvement work, trainings and networks."""

from __future__ import annotations

from django.urls import URLPattern, path

from continuum.web.assistance.views import engagements, learning, mtss, parts, reports, root_causes
from continuum.web.assistance.views import improvement as improvement_views

app_name = "assistance"


def _part_paths(prefix: str, owner: str, name: str) -> list[URLPattern]:
    """Create, edit and delete any record of an owner (views.parts): ``name``_new, …_edit,
    …_delete."""
    base = f"{prefix}/<int:owner_id>/<slug:kind>"
    kwargs = {"owner": owner}
    return [
        path(f"{base}/new/", parts.part_new, kwargs, name=f"{name}_new"),
        path(f"{base}/<int:part_id>/", parts.part_edit, kwargs, name=f"{name}_edit"),
        path(f"{base}/<int:part_id>/delete/", parts.part_delete, kwargs, name=f"{name}_delete"),
    ]


urlpatterns = [
    path("da/", engagements.engagements, name="engagements"),
    path("da/propose/", engagements.propose, name="propose"),
    path("da/lea/<str:cds>/", engagements.lea_engagements, name="lea"),
    path("da/summary.pdf", reports.engagements_pdf, name="engagements_pdf"),
    path("da/engagements.csv", reports.engagements_csv, name="engagements_csv"),
    path("da/<int:engagement_id>/summary.pdf", reports.engagement_pdf, name="engagement_pdf"),
    path("da/<int:engagement_id>/", engagements.engagement, name="engagement"),
    path("da/<int:engagement_id>/open/", engagements.open_engagement, name="open"),
    path("da/<int:engagement_id>/root-causes/", root_causes.root_causes, name="root_causes"),
    path(
        "da/<int:engagement_id>/root-causes/start-fishbone/",
        root_causes.fishbone_start,
        name="fishbone_start",
    ),
    path("da/<int:engagement_id>/mtss/", mtss.mtss, name="mtss"),
    path("da/<int:engagement_id>/mtss/<int:assessment_id>/rate/", mtss.rate, name="mtss_rate"),
    # Before the generic part paths, which would otherwise take "pdsa/<id>/" as a part edit.
    path(
        "da/<int:engagement_id>/driver-diagram/",
        improvement_views.driver_diagram,
        name="driver_diagram",
    ),
    path("da/<int:engagement_id>/pdsa/", improvement_views.pdsa, name="pdsa"),
    path("da/<int:engagement_id>/pdsa/<int:cycle_id>/", improvement_views.cycle, name="cycle"),
    path(
        "da/<int:engagement_id>/pdsa/measure/<int:measure_id>/paste/",
        improvement_views.points_paste_page,
        name="points_paste",
    ),
    *_part_paths("da", "engagement", "part"),
    path("learning/", learning.events, name="events"),
    path("learning/new/", parts.event_new, name="event_new"),
    path("learning/attendance/", learning.attendance, name="attendance"),
    path("learning/attendance.csv", learning.attendance_csv, name="attendance_csv"),
    path("learning/<int:event_id>/", learning.event, name="event"),
    *_part_paths("learning", "event", "event_part"),
]
