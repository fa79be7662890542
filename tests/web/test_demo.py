"""The demo's DA workspace: filled in through the workspace's services, once, so that every page
of an engagement shows work rather than its empty state."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from continuum.web.accounts.models import User
from continuum.web.assistance.models import Engagement, LearningEvent
from continuum.web.audit.models import AuditEvent
from continuum.web.demo import demo_load, demo_users_create, demo_workspace_fill

pytestmark = pytest.mark.django_db
# What the workspace's pages show where nothing is recorded: the design system's empty state,
# and the words of a field left blank or a bone without causes.
EMPTY_STATES = ('class="empty-state"', "not written yet", "no item rated yet",
                "No cause on this bone yet", "none chosen")  # fmt: skip


def _text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_every_da_page_of_a_demo_engagement_has_content(settings: Settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    demo_load(say=lambda line: None)
    demo_users_create()
    assert demo_workspace_fill(say=lambda line: None) > 0
    leader = User.objects.get(username="district.leader")
    engagement = Engagement.objects.get(lea=leader.memberships.get().lea, status="active")
    client = Client()
    client.force_login(leader)
    pk = engagement.pk
    pages = [
        reverse(name, args=[pk])
        for name in ("assistance:engagement", "assistance:root_causes", "assistance:mtss",
                     "assistance:driver_diagram", "assistance:pdsa")
    ]  # fmt: skip
    pages += [reverse("assistance:cycle", args=[pk, c.pk]) for c in engagement.cycles.all()[:2]]
    pages += [reverse("assistance:lea", args=[engagement.lea.cds]), reverse("assistance:events")]
    pages += [reverse("assistance:event", args=[e.pk]) for e in LearningEvent.objects.all()]
    for url in pages:
        text = _text(client, url)
        shown = [phrase for phrase in EMPTY_STATES if phrase in text]
        assert not shown, f"{url} shows {shown}"
    pdsa = _text(client, reverse("assistance:pdsa", args=[pk]))
    assert "Shift: 6 points in a row" in pdsa and "Trend:" in pdsa


def test_demo_workspace_is_recorded_by_the_coach_through_audited_services_once(
    settings: Settings, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    demo_load(say=lambda line: None)
    demo_users_create()
    filled = demo_workspace_fill(say=lambda line: None)
    active = Engagement.objects.filter(status="active")
    assert active.count() == filled
    assert Engagement.objects.filter(status="proposed").exists()  # some left for a coach to open
    verbs = set(
        AuditEvent.objects.filter(actor__username="county.coach").values_list("verb", flat=True)
    )
    assert {
        "engagement_open", "engagement_update", "cause_create", "driver_create",
        "changeidea_create", "datapoint_create", "pdsacycle_create", "meeting_create",
        "mtssassessment_rate", "attendance_create", "learningevent_create",
    } <= verbs  # fmt: skip
    events = AuditEvent.objects.count()
    assert demo_workspace_fill(say=lambda line: None) == 0
    assert AuditEvent.objects.count() == events
