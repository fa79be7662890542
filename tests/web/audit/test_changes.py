"""Each write records the fields it changed, before → after, excerpted and bounded in size."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from continuum.web.accounts.models import User
from continuum.web.agencies.services import DIRECTORY_COLUMNS, agencies_import_directory
from continuum.web.assistance.models import (
    ChangeIdea,
    Driver,
    Engagement,
    Measure,
    MtssAssessment,
    PdsaCycle,
)
from continuum.web.assistance.services import engagement_open, mtss_ratings_save, record_update
from continuum.web.audit.changes import DETAILS_MAX_BYTES, audit_changes
from continuum.web.audit.models import AuditEvent
from continuum.web.audit.services import audit_event_record
from tests.web.personas import World

pytestmark = pytest.mark.django_db


def test_engagement_edit_records_each_changed_field_before_and_after(
    world: World, as_persona: dict[str, Client]
) -> None:
    edit = reverse(
        "assistance:part_edit", args=[world.engagement.pk, "engagement", world.engagement.pk]
    )
    response = as_persona["carol"].post(edit, {
        "status": "closed", "level": 2, "problem_of_practice": "SWD are absent from class.",
        "theory_of_action": "", "aim": "", "aim_measure": "", "aim_baseline": "",
        "aim_target": "", "aim_date": "", "version": world.engagement.version,
    })  # fmt: skip
    assert response.status_code == 302
    event = AuditEvent.objects.get(verb="engagement_update")
    assert event.details["changes"] == {
        "status": {"before": "Active", "after": "Closed"},
        "problem_of_practice": {"before": "", "after": "SWD are absent from class."},
    }
    assert event.county == world.county


def test_an_edit_that_changes_nothing_records_no_changes(
    world: World, users: dict[str, User]
) -> None:
    engagement = Engagement.objects.get(pk=world.engagement.pk)
    record_update(
        actor=users["carol"], record=engagement, expected_version=engagement.version,
        fields=["status", "level", "aim"],
    )  # fmt: skip
    assert "changes" not in AuditEvent.objects.get(verb="engagement_update").details


def test_change_of_a_many_to_many_link_records_the_linked_names(
    world: World, users: dict[str, User]
) -> None:
    # A PDSA cycle's measures are a many-to-many link: the trail names them.
    driver = Driver.objects.create(engagement=world.engagement, text="Attendance routines")
    idea = ChangeIdea.objects.create(driver=driver, text="Monday check-ins")
    measure = Measure.objects.create(engagement=world.engagement, name="Daily attendance")
    cycle = PdsaCycle.objects.create(engagement=world.engagement, change_idea=idea, title="One")
    record_update(
        actor=users["carol"], record=cycle, expected_version=cycle.version, fields=[],
        related={"measures": [measure]},
    )  # fmt: skip
    event = AuditEvent.objects.get(verb="pdsacycle_update")
    assert event.details["changes"] == {"measures": {"before": [], "after": ["Daily attendance"]}}


def test_opening_an_engagement_records_its_status_change(
    world: World, users: dict[str, User]
) -> None:
    Engagement.objects.filter(pk=world.engagement.pk).update(status=Engagement.Status.PROPOSED)
    engagement_open(actor=users["cody"], engagement=Engagement.objects.get(pk=world.engagement.pk))
    event = AuditEvent.objects.get(verb="engagement_open")
    assert event.details["changes"] == {"status": {"before": "Proposed", "after": "Active"}}


def test_mtss_ratings_record_each_items_rating_before_and_after(
    world: World, users: dict[str, User]
) -> None:
    assessment = MtssAssessment.objects.create(
        engagement=world.engagement, date=datetime.date(2026, 1, 10)
    )
    mtss_ratings_save(
        actor=users["cody"], assessment=assessment, ratings={"S1": (2, "")}, expected_version=1
    )
    mtss_ratings_save(
        actor=users["cody"], assessment=assessment, ratings={"S1": (3, "Walkthroughs")},
        expected_version=2,
    )  # fmt: skip
    latest = AuditEvent.objects.filter(verb="mtssassessment_rate").order_by("id").last()
    assert latest is not None
    changes = latest.details["changes"]
    assert changes["S1 rating"]["before"].startswith("2 ·")
    assert changes["S1 rating"]["after"].startswith("3 ·")
    assert changes["S1 evidence"] == {"before": None, "after": "Walkthroughs"}


def test_directory_import_records_the_names_it_changed(world: World, tmp_path: Path) -> None:
    path = tmp_path / "pubschls.txt"
    row = {
        "CDSCode": world.alder.cds, "StatusType": "Active", "County": "Rio Verde",
        "District": "Alder Valley Unified", "School": "", "Charter": "N", "DOC": "54",
        "SOCType": "", "EdOpsCode": "", "GSserved": "", "GSoffered": "",
    }  # fmt: skip
    lines = ["\t".join(DIRECTORY_COLUMNS), "\t".join(row[c] for c in DIRECTORY_COLUMNS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    agencies_import_directory(actor=None, path=path, county_code="34")
    event = AuditEvent.objects.get(verb="agencies_import")
    assert event.details["changes"] == {
        f"{world.alder.cds} name": {"before": "Alder Unified", "after": "Alder Valley Unified"}
    }
    assert event.county == world.county


def test_long_text_in_a_change_is_excerpted_with_its_length() -> None:
    essay = "Attendance " * 1000
    changes = audit_changes(before={"aim": ""}, after={"aim": essay}, fields=["aim"])
    after = changes["aim"]["after"]
    assert after == f"{essay[:80]}… (11,000 characters)"


def test_a_change_past_the_excerpt_is_still_recorded() -> None:
    start = "x" * 100
    changes = audit_changes(
        before={"notes": start + "a"}, after={"notes": start + "b"}, fields=["notes"]
    )
    assert set(changes) == {"notes"}


def test_huge_details_are_excerpted_and_the_row_stays_small() -> None:
    huge = "9" * 5_000_000  # a whole bad input value, as one message once echoed
    event = audit_event_record(
        actor=None, verb="dashboard_import_fail",
        details={"problem": {"message": f"not a number: {huge}"}, "files": ["a.txt"] * 10_000},
    )  # fmt: skip
    stored = AuditEvent.objects.get(pk=event.pk).details
    assert len(json.dumps(stored).encode()) <= DETAILS_MAX_BYTES
    assert stored["problem"]["message"].startswith("not a number: 999")
    assert stored["problem"]["message"].endswith("(5,000,014 characters)")
    assert stored["files"][-1] == "… 9,950 more"


def test_details_over_the_cap_are_cut_harder_and_say_how_much_was_left_out() -> None:
    many = {f"field {index}": "y" * 300 for index in range(5000)}
    event = audit_event_record(actor=None, verb="test_event", details={"n": many})
    stored = AuditEvent.objects.get(pk=event.pk).details
    assert len(json.dumps(stored).encode()) <= DETAILS_MAX_BYTES
    assert stored["n"]["…"] == "4,980 more"


def test_details_too_big_even_when_cut_hard_are_replaced_by_a_note() -> None:
    nested = {i: {j: dict.fromkeys(range(30), "z" * 80) for j in range(30)} for i in range(30)}
    event = audit_event_record(actor=None, verb="test_event", details={"grid": nested})
    stored = AuditEvent.objects.get(pk=event.pk).details
    assert "over the 16,384-byte limit" in stored["omitted"]
    assert stored["keys"] == ["grid"]
