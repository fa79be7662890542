"""Each role over its kind of scope (``models.ROLE_SCOPES``), as a database constraint.

The services have refused a role over the wrong kind of scope since role × scope validation was
added; memberships stored before it that do not fit (e.g. a school leader of a county) are
removed first, each recorded in the audit trail with what it was, so that an administrator can
add the right membership again.
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# ROLE_SCOPES as it stands at this migration (a migration keeps its own copy of the rule).
ROLE_FITS_ITS_SCOPE = models.Q(
    models.Q(("role", "county_admin"), ("county__isnull", False)),
    models.Q(("role", "county_analyst"), ("county__isnull", False)),
    models.Q(("role", "district_leader"), ("lea__isnull", False)),
    models.Q(("role", "school_leader"), ("school__isnull", False)),
    models.Q(
        ("role", "viewer"),
        models.Q(
            ("county__isnull", False),
            ("lea__isnull", False),
            ("school__isnull", False),
            _connector="OR",
        ),
    ),
    _connector="OR",
)


def misfits_removed(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    membership = apps.get_model("accounts", "Membership")
    audit_event = apps.get_model("audit", "AuditEvent")
    misfits = membership.objects.exclude(ROLE_FITS_ITS_SCOPE).select_related("lea", "school__lea")
    for member in misfits:
        county_id = (
            member.county_id
            or (member.lea.county_id if member.lea_id else None)
            or (member.school.lea.county_id if member.school_id else None)
        )
        audit_event.objects.create(
            verb="membership_remove",
            subject_type="user",
            subject_id=str(member.user_id),
            county_id=county_id,
            details={
                "membership": member.pk,
                "role": member.role[:40],
                "scope": (member.county or member.lea or member.school).name[:200],
                "reason": "removed by migration accounts 0003: the role cannot be held over "
                "this kind of scope",
            },
        )
        member.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_username_unique_in_any_case"),
        ("agencies", "0002_school_title_i"),
        ("audit", "0002_audit_event_county"),
    ]

    operations = [
        migrations.RunPython(misfits_removed, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=ROLE_FITS_ITS_SCOPE,
                name="membership_role_fits_its_scope",
            ),
        ),
    ]
