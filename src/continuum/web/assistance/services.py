"""Writes to the DA workspace. Each runs in a transaction and records its audit event.

Edits are optimistic: the caller passes the version it read, and the save is refused with
``StaleRecordError`` when the record changed in between, so two people editing the same record
never silently overwrite each other.

Whatever the form offered, the writes also refuse (``ChangeRefusedError``) what only the county's
DA staff may do (an engagement's level or status, its COE coach) and a team place for someone who
may not see the engagement.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from continuum.formats.pasted import PastedPoint
from continuum.improvement import mtss
from continuum.support.assistance import PRIORITY_CODES
from continuum.web.accountability.models import DaResult
from continuum.web.accounts.models import User
from continuum.web.agencies.models import County, Lea
from continuum.web.assistance.access import engagement_can_run, engagement_readers
from continuum.web.assistance.models import (
    DataPoint,
    Engagement,
    EngagementGroup,
    FishboneCategory,
    Measure,
    MtssAssessment,
    MtssRating,
    TeamMember,
    Versioned,
)
from continuum.web.assistance.selectors.improvement import (
    points_fingerprint,
    points_paste_preview,
)
from continuum.web.audit.changes import Changes, audit_changes, audit_snapshot
from continuum.web.audit.services import audit_event_record
from continuum.web.fields import text_fields_check

PRIORITIES_BY_CODE = {code: list(priorities) for priorities, code in PRIORITY_CODES.items()}
DA_STATUS_PREFIX = "Differentiated Assistance"


class StaleRecordError(Exception):
    """Someone else saved the record after the editor opened it."""

    def __init__(self, record: Versioned) -> None:
        fresh = (
            type(record)._default_manager.filter(pk=record.pk).select_related("updated_by").first()
        )
        if fresh is None:
            message = "Someone else deleted this record after you opened it; nothing was saved."
        else:
            who = fresh.updated_by.get_username() if fresh.updated_by else "someone else"
            when = timezone.localtime(fresh.updated_at).strftime("%Y-%m-%d %H:%M")
            message = (
                f"{who} changed this {record._meta.verbose_name} at {when}, after you opened "
                "it. Your changes were not saved: reload to see theirs, then make yours again."
            )
        super().__init__(message)
        self.message = message


class ChangeRefusedError(PermissionDenied):
    """A change the actor may not make, whatever a form let through (answered with 403)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _county_owned_changes(
    record: models.Model, fields: Iterable[str], stored: models.Model | None
) -> list[str]:
    """The county-owned parts a write would change: an engagement's level or status, or a team
    place as COE coach (given or taken away)."""
    if isinstance(record, Engagement):
        names = set(fields)
        return [
            name for name in Engagement.COUNTY_OWNED_FIELDS
            if name in names and (stored is None or getattr(stored, name) != getattr(record, name))
        ]  # fmt: skip
    if isinstance(record, TeamMember):
        coach = TeamMember.Part.COACH
        if record.part == coach or (isinstance(stored, TeamMember) and stored.part == coach):
            return ["part"]
    return []


def _refuse_what_the_actor_may_not_change(
    actor: User, record: models.Model, fields: Iterable[str], *, deleting: bool = False
) -> None:
    """Refuse county-owned changes by anyone but the county's DA staff, and a team place for a
    user who may not see the engagement. ``record`` holds the values to be written (or, when
    ``deleting``, the record to delete); what is stored is read to compare."""
    if not isinstance(record, Engagement | TeamMember):
        return
    if deleting:
        stored: models.Model | None = record
    else:
        stored = type(record)._default_manager.filter(pk=record.pk).first() if record.pk else None
    if isinstance(record, Engagement):
        engagement = record
    else:
        engagement = record.engagement
        joining = not isinstance(stored, TeamMember) or stored.user_id != record.user_id
        if joining and not engagement_readers(engagement).filter(pk=record.user_id).exists():
            raise ChangeRefusedError(
                "That person may not see this engagement, so they cannot join its team."
            )
    changed = _county_owned_changes(record, fields, stored)
    if changed and not engagement_can_run(actor, engagement):
        raise ChangeRefusedError(
            "Only the county's DA staff change an engagement's level, status or COE coach."
        )


def _audit(
    actor: User | None,
    verb: str,
    record: models.Model,
    changes: Changes | None = None,
    **details: Any,
) -> None:
    audit_event_record(
        actor=actor,
        verb=f"{record._meta.model_name}_{verb}",
        subject=record,
        subject_id=record.pk or "",
        details=details,
        changes=changes,
    )


Related = Mapping[str, Iterable[models.Model]]


def record_create(*, actor: User, record: Versioned, related: Related | None = None) -> Versioned:
    """Save a new workspace record (validated by its form), with its many-to-many links
    (``related``: field name → records), and audit it. Text over its length is refused
    (``ValidationError``) here too."""
    _refuse_what_the_actor_may_not_change(actor, record, _field_names(record))
    text_fields_check(record)
    with transaction.atomic():
        record.updated_by = actor
        record.save()
        for name, items in (related or {}).items():
            getattr(record, name).set(items)
        _audit(actor, "create", record, fields=_field_names(record))
    return record


def record_update(
    *,
    actor: User,
    record: Versioned,
    expected_version: int,
    fields: Iterable[str],
    related: Related | None = None,
) -> Versioned:
    """Save the edited ``fields`` and many-to-many links of a record if nobody saved it since
    ``expected_version``.

    The version check and the write are one UPDATE, so two concurrent saves cannot both pass.
    """
    names = sorted(set(fields) | set(related or {}))
    _refuse_what_the_actor_may_not_change(actor, record, names)
    text_fields_check(record, fields)
    with transaction.atomic():
        values = {name: getattr(record, name) for name in fields}
        current = type(record)._default_manager.filter(pk=record.pk, version=expected_version)
        stored = current.first()
        if stored is None:
            raise StaleRecordError(record)
        before = audit_snapshot(stored, names)
        updated = current.update(
            **values, version=F("version") + 1, updated_by=actor, updated_at=timezone.now()
        )
        if not updated:
            raise StaleRecordError(record)
        for name, items in (related or {}).items():
            getattr(record, name).set(items)
        record.refresh_from_db()
        changes = audit_changes(before=before, after=record, fields=names)
        _audit(actor, "update", record, changes, fields=names, version=record.version)
    return record


def record_delete(*, actor: User, record: Versioned, expected_version: int) -> None:
    """Delete a record if nobody saved it since ``expected_version``."""
    _refuse_what_the_actor_may_not_change(actor, record, _field_names(record), deleting=True)
    with transaction.atomic():
        label = str(record)[:80]
        pk = record.pk
        deleted, _ = type(record)._default_manager.filter(pk=pk, version=expected_version).delete()
        if not deleted:
            raise StaleRecordError(record)
        record.pk = pk
        _audit(actor, "delete", record, label=label)


def _field_names(record: models.Model) -> list[str]:
    skip = {"id", "version", "updated_at", "updated_by"}
    return sorted(f.name for f in record._meta.concrete_fields if f.name not in skip)


def support_level(determination: DaResult | None) -> int:
    """The System of Support level a year's determination gives: 3 for Level 3 (EC 52072),
    2 for Differentiated Assistance, otherwise 1."""
    if determination is None:
        return Engagement.Level.GENERAL
    if determination.level3.upper().startswith("Y"):
        return Engagement.Level.INTENSIVE
    if determination.status.startswith(DA_STATUS_PREFIX):
        return Engagement.Level.DIFFERENTIATED
    return Engagement.Level.GENERAL


def engagements_propose_everywhere(*, actor: User | None, year: int) -> int:
    """Propose engagements in every county from a year's determinations (after an import)."""
    return sum(
        engagements_propose(actor=actor, county=county, year=year)
        for county in County.objects.order_by("code")
    )


def engagements_propose(*, actor: User | None, county: County, year: int) -> int:
    """Propose an engagement for every LEA of the county that the year's determinations place in
    Level 2 or 3 and that has none for that year yet; returns how many were proposed.

    Each proposal records the student groups and priorities behind the determination."""
    leas = {lea.cds: lea for lea in Lea.objects.filter(county=county)}
    taken = set(
        Engagement.objects.filter(lea__county=county, year=year).values_list("lea__cds", flat=True)
    )
    proposed = 0
    with transaction.atomic():
        for determination in DaResult.objects.filter(year=year, cds__in=list(leas)).order_by("cds"):
            level = support_level(determination)
            if level == Engagement.Level.GENERAL or determination.cds in taken:
                continue
            engagement = Engagement.objects.create(
                lea=leas[determination.cds], year=year, level=level, updated_by=actor
            )
            EngagementGroup.objects.bulk_create(
                EngagementGroup(
                    engagement=engagement,
                    studentgroup=group,
                    code=code,
                    priorities=PRIORITIES_BY_CODE.get(code, []),
                )
                for group, code in sorted(determination.groups.items())
            )
            _audit(actor, "propose", engagement, lea=determination.cds, year=year, level=level)
            proposed += 1
    return proposed


def engagement_open(*, actor: User, engagement: Engagement) -> Engagement:
    """Make a proposed engagement active; the person opening it joins the team as COE coach.
    An engagement that is no longer proposed is left as it is."""
    with transaction.atomic():
        proposed = Engagement.objects.filter(pk=engagement.pk, status=Engagement.Status.PROPOSED)
        if not proposed.exists():
            return engagement
        proposed.update(
            status=Engagement.Status.ACTIVE, version=F("version") + 1, updated_by=actor,
            updated_at=timezone.now(),
        )  # fmt: skip
        TeamMember.objects.get_or_create(
            engagement=engagement, user_id=actor.pk,
            defaults={"part": TeamMember.Part.COACH, "updated_by": actor},
        )  # fmt: skip
        engagement.refresh_from_db()
        opened = audit_changes(
            before={"status": Engagement.Status.PROPOSED.label},
            after=engagement,
            fields=["status"],
        )
        _audit(actor, "open", engagement, opened, lea=engagement.lea.cds, year=engagement.year)
    return engagement


# The usual bones of a school system's fishbone. Ishikawa's categories (people, methods,
# materials, environment) as improvement science in education reads them: "the people, the
# policies, the attitudes, and the physical environment" in which a problem resides (Bryk et al.,
# Learning to Improve, 2015, as summarised by the School Performance Institute,
# https://www.schoolperformanceinstitute.org/blog/2020/3/5/improvement-science-tool-fishbone-diagram),
# and students, staff, rules, policies and procedures, facilities and supplies (California
# Community Colleges, Equitable Placement toolkit,
# https://equitableplacementtoolkit.cccco.edu/data-fishbone/), with curriculum and families
# named for a K-12 system. Teams rename, add or delete bones afterwards.
FISHBONE_CATEGORIES = (
    "Students",
    "Teachers and staff",
    "Curriculum and instruction",
    "Policies and procedures",
    "Beliefs and culture",
    "Families and community",
    "Time, materials and facilities",
)


def fishbone_categories_start(*, actor: User, engagement: Engagement) -> int:
    """Give an engagement without fishbone categories the usual set; returns how many were
    created (none when it already has categories)."""
    with transaction.atomic():
        # Lock the engagement so that two clicks cannot both find it without categories.
        Engagement.objects.select_for_update().filter(pk=engagement.pk).first()
        if FishboneCategory.objects.filter(engagement=engagement).exists():
            return 0
        FishboneCategory.objects.bulk_create(
            FishboneCategory(engagement=engagement, name=name, position=index, updated_by=actor)
            for index, name in enumerate(FISHBONE_CATEGORIES, start=1)
        )
        _audit(actor, "fishbone_start", engagement, categories=list(FISHBONE_CATEGORIES))
    return len(FISHBONE_CATEGORIES)


Rated = Mapping[str, tuple[int | None, str]]


def mtss_ratings_save(
    *, actor: User, assessment: MtssAssessment, ratings: Rated, expected_version: int
) -> MtssAssessment:
    """Save the ratings of a self-assessment at once (item code → rating and evidence; a rating
    of None removes the item's rating) if nobody saved the assessment since
    ``expected_version``. Items not named keep their rating. One audit event for the whole."""
    unknown = set(ratings) - set(mtss.ITEMS)
    if unknown:
        raise ValueError(f"Not MTSS items: {', '.join(sorted(unknown))}")
    evidence_field = MtssRating._meta.get_field("evidence")
    for rating, evidence in ratings.values():
        if rating is not None:
            mtss.rating_label(rating)  # refuses a rating outside 1–4
        evidence_field.clean(evidence, None)  # refuses evidence over its length
    now = timezone.now()
    created, updated, deleted = [], [], []
    with transaction.atomic():
        current = MtssAssessment.objects.filter(pk=assessment.pk, version=expected_version)
        if not current.update(version=F("version") + 1, updated_by=actor, updated_at=now):
            raise StaleRecordError(assessment)
        existing = {row.item: row for row in assessment.ratings.all()}
        for code, (rating, evidence) in sorted(ratings.items()):
            row = existing.get(code)
            if rating is None:
                if row is not None:
                    row.delete()
                    deleted.append(code)
            elif row is None:
                MtssRating.objects.create(
                    assessment=assessment, item=code, rating=rating, evidence=evidence,
                    updated_by=actor,
                )  # fmt: skip
                created.append(code)
            elif (row.rating, row.evidence) != (rating, evidence):
                MtssRating.objects.filter(pk=row.pk).update(
                    rating=rating, evidence=evidence, version=F("version") + 1, updated_by=actor,
                    updated_at=now,
                )  # fmt: skip
                updated.append(code)
        assessment.refresh_from_db()
        before: dict[str, object] = {}
        after: dict[str, object] = {}
        for code, (rating, evidence) in ratings.items():
            row = existing.get(code)
            before |= _rating_values(code, row.rating if row else None, row.evidence if row else "")
            after |= _rating_values(code, rating, evidence if rating is not None else "")
        changes = audit_changes(before=before, after=after, fields=sorted(before))
        _audit(actor, "rate", assessment, changes, created=created, updated=updated,
               deleted=deleted, version=assessment.version)  # fmt: skip
    return assessment


def _rating_values(code: str, rating: int | None, evidence: str) -> dict[str, object]:
    """One item's rating and evidence as the audit trail compares them."""
    return {
        f"{code} rating": mtss.rating_label(rating) if rating is not None else None,
        f"{code} evidence": evidence or None,
    }


OnRecorded = Literal["keep", "replace", "add"]


class PointsChangedError(Exception):
    """The measure's points changed between the preview of a paste and its confirmation."""

    message = (
        "Someone recorded or changed points of this measure after your preview, so nothing was "
        "saved. Check the new preview below, then save again."
    )


def points_paste(
    *,
    actor: User,
    measure: Measure,
    points: Sequence[PastedPoint],
    on_recorded: OnRecorded,
    fingerprint: str,
) -> dict[str, int]:
    """Save pasted run-chart points all at once, if the measure's points are still those the
    preview showed (``fingerprint``). A point on a new date is created; on a date already
    recorded the value is kept, replaced or added to (``on_recorded``), as the single-point form
    does. Each point created or updated records its own audit event, and the paste one more
    (``measure_points_paste``) with the counts; nothing is saved if anything fails. Returns the
    counts: added, replaced, added_to, kept, unchanged."""
    counts = dict.fromkeys(("added", "replaced", "added_to", "kept", "unchanged"), 0)
    with transaction.atomic():
        # Lock the measure so that two pastes cannot both pass the fingerprint check.
        Measure.objects.select_for_update().filter(pk=measure.pk).first()
        if points_fingerprint(measure) != fingerprint:
            raise PointsChangedError(PointsChangedError.message)
        for row in points_paste_preview(measure, points):
            existing = row.recorded
            if existing is None:
                record_create(
                    actor=actor,
                    record=DataPoint(measure=measure, date=row.date, value=row.value),
                )
                counts["added"] += 1
            elif on_recorded == "keep":
                counts["kept"] += 1
            elif on_recorded == "replace" and row.kind == "duplicate":
                counts["unchanged"] += 1
            else:
                adding = on_recorded == "add"
                version = existing.version
                existing.value = existing.value + row.value if adding else row.value
                record_update(
                    actor=actor, record=existing, expected_version=version, fields=["value"]
                )
                counts["added_to" if adding else "replaced"] += 1
        _audit(actor, "points_paste", measure, None, on_recorded=on_recorded, **counts)
    return counts
