"""Engagements: proposed from the determinations, opened, edited by the right people, with
conflicting edits refused and every write audited."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from continuum.web.accountability.models import DaEvidence, DaResult
from continuum.web.accounts.models import User
from continuum.web.assistance.models import Engagement, LearningEvent, Meeting, TeamMember
from continuum.web.assistance.services import engagements_propose, support_level
from continuum.web.audit.models import AuditEvent
from tests.web.personas import World

pytestmark = pytest.mark.django_db


def _meeting_form(world: World, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "date": "2026-01-15", "kind": "coaching", "title": "Data dive", "attendees": "",
        "notes": "Looked at SWD chronic absence by school.", "next_steps": "",
    }  # fmt: skip
    data.update(changes)
    return data


def test_propose_opens_one_engagement_per_lea_in_level_2_or_3_with_its_groups(
    world: World, users: dict[str, User]
) -> None:
    Engagement.objects.all().delete()
    DaResult.objects.filter(cds=world.birch.cds).update(
        status="General Assistance", level3="Y", groups={"HI": "E", "SWD": "K"}
    )
    proposed = engagements_propose(actor=users["cody"], county=world.county, year=2025)
    assert proposed == 2
    alder = Engagement.objects.get(lea=world.alder)
    assert (alder.level, alder.status) == (2, "proposed")
    assert [(g.studentgroup, g.code, g.priorities) for g in alder.groups.all()] == [
        ("SWD", "B", [4, 5])
    ]
    birch = Engagement.objects.get(lea=world.birch)
    assert birch.level == 3
    assert {g.studentgroup: g.priorities for g in birch.groups.all()} == {
        "HI": [4, 8], "SWD": [4, 5, 6, 8]
    }  # fmt: skip
    assert AuditEvent.objects.filter(verb="engagement_propose", actor=users["cody"]).count() == 2
    assert engagements_propose(actor=users["cody"], county=world.county, year=2025) == 0


def test_general_assistance_is_level_1_and_no_determination_is_level_1(world: World) -> None:
    assert support_level(DaResult.objects.get(cds=world.birch.cds)) == 1
    assert support_level(None) == 1
    assert support_level(DaResult.objects.get(cds=world.alder.cds)) == 2


def test_coach_proposes_from_the_page_and_opening_adds_them_to_the_team(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    Engagement.objects.all().delete()
    response = as_persona["carol"].post(reverse("assistance:propose"), {"year": "2025"})
    assert response.status_code == 302
    engagement = Engagement.objects.get(lea=world.alder)
    page = as_persona["carol"].get(reverse("assistance:engagement", args=[engagement.pk]))
    assert "Open the engagement" in page.content.decode()
    as_persona["carol"].post(reverse("assistance:open", args=[engagement.pk]))
    engagement.refresh_from_db()
    assert engagement.status == "active"
    assert TeamMember.objects.filter(
        engagement=engagement, user=users["carol"], part="coach"
    ).exists()
    assert AuditEvent.objects.filter(verb="engagement_open", subject_id=str(engagement.pk)).exists()
    as_persona["cody"].post(reverse("assistance:open", args=[engagement.pk]))
    assert not TeamMember.objects.filter(engagement=engagement, user=users["cody"]).exists()
    assert AuditEvent.objects.filter(verb="engagement_open").count() == 1


def test_engagement_page_shows_groups_evidence_and_level_history(
    world: World, as_persona: dict[str, Client]
) -> None:
    DaEvidence.objects.create(
        year=2025, cds=world.alder.cds, studentgroup="HI", priority=6,
        criterion="Red on Suspension Rate", indicator="SUSP", color=1,
    )  # fmt: skip
    page = as_persona["alice"].get(reverse("assistance:engagement", args=[world.engagement.pk]))
    text = page.content.decode()
    assert "Students with Disabilities (SWD): priority code B, LCFF priorities 4, 5" in text
    assert "Red on ELA" in text
    assert "Level 2" in text and "Differentiated Assistance, Year 1" in text
    assert "Kick-off" in text
    assert "Red on Suspension Rate" not in text  # HI met one priority only: not a qualifying group


def test_district_leader_records_a_meeting_and_it_is_audited(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    url = reverse("assistance:part_new", args=[world.engagement.pk, "meeting"])
    response = as_persona["alice"].post(url, _meeting_form(world))
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="Data dive")
    assert meeting.engagement == world.engagement and meeting.updated_by == users["alice"]
    event = AuditEvent.objects.get(verb="meeting_create")
    assert event.actor == users["alice"] and event.subject_id == str(meeting.pk)
    assert "notes" in event.details["fields"]
    assert "SWD chronic" not in str(event.details)
    log = as_persona["alice"].get(reverse("assistance:lea", args=[world.alder.cds]))
    assert "Data dive" in log.content.decode()


def test_viewer_and_other_district_cannot_write(
    world: World, as_persona: dict[str, Client]
) -> None:
    url = reverse("assistance:part_new", args=[world.engagement.pk, "meeting"])
    assert as_persona["vera"].post(url, _meeting_form(world)).status_code == 403
    assert as_persona["bob"].post(url, _meeting_form(world)).status_code == 404
    assert not Meeting.objects.filter(title="Data dive").exists()


def test_coach_not_on_the_team_reads_but_cannot_edit(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    TeamMember.objects.filter(user=users["cody"]).delete()
    engagement_page = reverse("assistance:engagement", args=[world.engagement.pk])
    assert as_persona["cody"].get(engagement_page).status_code == 200
    url = reverse("assistance:part_new", args=[world.engagement.pk, "meeting"])
    assert as_persona["cody"].post(url, _meeting_form(world)).status_code == 403


def test_second_of_two_edits_from_the_same_version_is_refused_with_who_changed_it(
    world: World, as_persona: dict[str, Client]
) -> None:
    url = reverse("assistance:part_edit", args=[world.engagement.pk, "meeting", world.meeting.pk])
    version = world.meeting.version
    first = as_persona["alice"].post(
        url, _meeting_form(world, title="Alice's title", version=version)
    )
    assert first.status_code == 302
    second = as_persona["cody"].post(
        url, _meeting_form(world, title="Cody's title", version=version)
    )
    assert second.status_code == 200
    assert "alice changed this meeting" in second.content.decode()
    assert "Your changes were not saved" in second.content.decode()
    world.meeting.refresh_from_db()
    assert (world.meeting.title, world.meeting.version) == ("Alice's title", version + 1)
    assert AuditEvent.objects.filter(verb="meeting_update").count() == 1


def test_an_edit_without_the_version_it_started_from_is_refused(
    world: World, as_persona: dict[str, Client]
) -> None:
    url = reverse("assistance:part_edit", args=[world.engagement.pk, "meeting", world.meeting.pk])
    response = as_persona["alice"].post(url, _meeting_form(world, title="No version"))
    assert "does not say which version" in response.content.decode()
    world.meeting.refresh_from_db()
    assert world.meeting.title == "Kick-off"


def test_delete_of_a_record_changed_since_it_was_shown_is_refused(
    world: World, as_persona: dict[str, Client]
) -> None:
    url = reverse("assistance:part_delete", args=[world.engagement.pk, "meeting", world.meeting.pk])
    stale = as_persona["alice"].post(url, {"version": world.meeting.version - 1})
    assert "changed this meeting" in stale.content.decode()
    assert Meeting.objects.filter(pk=world.meeting.pk).exists()
    done = as_persona["alice"].post(url, {"version": world.meeting.version})
    assert done.status_code == 302
    assert not Meeting.objects.filter(pk=world.meeting.pk).exists()
    assert AuditEvent.objects.get(verb="meeting_delete").details["label"].endswith("Kick-off")


def test_engagement_itself_is_edited_but_never_deleted_through_the_forms(
    world: World, as_persona: dict[str, Client]
) -> None:
    url = reverse(
        "assistance:part_delete", args=[world.engagement.pk, "engagement", world.engagement.pk]
    )
    assert as_persona["carol"].get(url).status_code == 404
    edit = reverse(
        "assistance:part_edit", args=[world.engagement.pk, "engagement", world.engagement.pk]
    )
    response = as_persona["alice"].post(edit, {
        "status": "active", "level": 2, "problem_of_practice": "SWD are absent from class.",
        "theory_of_action": "", "aim": "", "aim_measure": "", "aim_baseline": "",
        "aim_target": "", "aim_date": "", "version": world.engagement.version,
    })  # fmt: skip
    assert response.status_code == 302
    world.engagement.refresh_from_db()
    assert world.engagement.problem_of_practice == "SWD are absent from class."
    assert AuditEvent.objects.filter(verb="engagement_update").exists()


def test_records_of_another_engagement_or_of_a_training_are_not_reachable(
    world: World, as_persona: dict[str, Client]
) -> None:
    other = Engagement.objects.create(lea=world.birch, year=2025)
    elsewhere = Meeting.objects.create(engagement=other, date="2026-01-01", title="Birch only")
    url = reverse("assistance:part_edit", args=[world.engagement.pk, "meeting", elsewhere.pk])
    assert as_persona["carol"].get(url).status_code == 404
    training_kind = reverse("assistance:part_new", args=[world.engagement.pk, "session"])
    assert as_persona["carol"].get(training_kind).status_code == 404
    unknown = reverse("assistance:part_new", args=[world.engagement.pk, "nonsense"])
    assert as_persona["carol"].get(unknown).status_code == 404
    another_engagement = reverse("assistance:part_new", args=[world.engagement.pk, "engagement"])
    assert as_persona["carol"].post(another_engagement, {"status": "closed"}).status_code == 404


def test_team_member_choices_are_people_of_the_county_or_the_lea(
    world: World, as_persona: dict[str, Client]
) -> None:
    page = as_persona["carol"].get(
        reverse("assistance:part_new", args=[world.engagement.pk, "team"])
    )
    choices = page.content.decode()
    assert ">alice<" in choices and ">cody<" in choices
    assert ">bob<" not in choices and ">olive<" not in choices


def test_county_list_shows_each_engagement_with_its_coaches(
    world: World, as_persona: dict[str, Client]
) -> None:
    page = as_persona["vera"].get(reverse("assistance:engagements"))
    text = page.content.decode()
    assert "Alder Unified" in text and "cody" in text
    assert "Propose engagements" not in text


def test_coach_adds_a_training_and_a_district_leader_cannot(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    data = {"title": "Network: chronic absence", "kind": "network", "mode": "virtual",
            "location": "", "description": ""}  # fmt: skip
    assert as_persona["alice"].post(reverse("assistance:event_new"), data).status_code == 403
    response = as_persona["cody"].post(reverse("assistance:event_new"), data)
    event = LearningEvent.objects.get(title="Network: chronic absence")
    assert response.status_code == 302 and response["Location"].endswith(f"/learning/{event.pk}/")
    assert AuditEvent.objects.filter(verb="learningevent_create", actor=users["cody"]).exists()
    listing = as_persona["sam"].get(reverse("assistance:events")).content.decode()
    assert "Network: chronic absence" in listing
