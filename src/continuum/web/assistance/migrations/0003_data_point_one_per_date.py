"""One run-chart point per (measure, date), as a database constraint.

The form has refused a second point on a date (asking to replace or add) since it learnt to;
points on one date stored before that are merged first, by the rule the model documents: the
point recorded last is kept (as "replace" does), the notes of all are joined, and it is
astronomical if any of them was. Each merge is recorded in the audit trail with the values it
removed.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

NOTE_LENGTH = 200  # DataPoint.note's max_length at this migration


def same_date_points_merged(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    data_point = apps.get_model("assistance", "DataPoint")
    audit_event = apps.get_model("audit", "AuditEvent")
    taken_twice = (
        data_point.objects.values("measure_id", "date")
        .annotate(points=models.Count("id"))
        .filter(points__gt=1)
    )
    for twice in taken_twice:
        points = list(
            data_point.objects.filter(measure_id=twice["measure_id"], date=twice["date"])
            .select_related("measure__engagement__lea")
            .order_by("updated_at", "id")
        )
        *merged, kept = points
        notes = [p.note for p in points if p.note]
        kept.note = "; ".join(dict.fromkeys(notes))[:NOTE_LENGTH]
        kept.astronomical = any(p.astronomical for p in points)
        kept.save(update_fields=["note", "astronomical"])
        audit_event.objects.create(
            verb="datapoint_merge",
            subject_type="datapoint",
            subject_id=str(kept.pk),
            county_id=kept.measure.engagement.lea.county_id,
            details={
                "measure": kept.measure.name[:200],
                "date": kept.date.isoformat(),
                "kept": kept.value,
                "removed": [{"id": p.pk, "value": p.value} for p in merged],
                "reason": "merged by migration assistance 0003: a measure has one point per date",
            },
        )
        data_point.objects.filter(pk__in=[p.pk for p in merged]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0002_bounded_free_text"),
        ("audit", "0002_audit_event_county"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(same_date_points_merged, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="datapoint",
            constraint=models.UniqueConstraint(
                fields=("measure", "date"), name="data_point_one_per_date"
            ),
        ),
    ]
