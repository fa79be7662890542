"""Background tasks run by the database worker (``continuum web worker``)."""

from __future__ import annotations

from django_tasks import task

from continuum.web.accountability.services.queue import dashboard_import_run


@task()
def dashboard_import_task(*, import_id: int) -> str:
    """Process one queued Dashboard import."""
    return dashboard_import_run(import_id=import_id).status
