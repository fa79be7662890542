"""Imports made before imports kept versions (0004) get their importer's county.

0004 added ``DashboardImport.county`` empty, so a county administrator's earlier uploads looked
like an operator's imports covering no county, and no county administrator could see them. This
gives each the county its creator administers (as ``versions.import_scope`` chooses it), so that
its page shows it and says plainly that the results before it cannot be restored (it kept no
version). An operator's import (no creator) stays an operator's.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def imports_attributed(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    dashboard_import = apps.get_model("accountability", "DashboardImport")
    membership = apps.get_model("accounts", "Membership")
    for run in dashboard_import.objects.filter(county__isnull=True, created_by__isnull=False):
        county_id = (
            membership.objects.filter(
                user_id=run.created_by_id, role="county_admin", county__isnull=False
            )
            .order_by("county_id")
            .values_list("county_id", flat=True)
            .first()
        )
        if county_id is not None:
            run.county_id = county_id
            run.save(update_fields=["county"])


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0005_dashboard_import_files_removed_at"),
        ("accounts", "0002_username_unique_in_any_case"),
    ]

    operations = [migrations.RunPython(imports_attributed, migrations.RunPython.noop)]
