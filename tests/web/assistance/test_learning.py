"""Trainings and networks: sessions, attendance and materials through the generic forms (each
audited), attendance refused twice for the same LEA and role, the county's attendance summary
and what each LEA attended."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse

from continuum.web.accounts.models import User
from continuum.web.assistance import models as m
from continuum.web.assistance.forms import AttendanceForm, LearningSessionForm
from continuum.web.audit.models import AuditEvent
from tests.web.personas import World

pytestmark = pytest.mark.django_db


def _new(world: World, kind: str) -> str:
    return reverse("assistance:event_part_new", args=[world.event.pk, kind])


def _edit(world: World, kind: str, pk: int) -> str:
    return reverse("assistance:event_part_edit", args=[world.event.pk, kind, pk])


def _delete(world: World, kind: str, pk: int) -> str:
    return reverse("assistance:event_part_delete", args=[world.event.pk, kind, pk])


def _verbs(user: User, record: str) -> list[str]:
    """The user's audit verbs about one kind of record, in order."""
    events = AuditEvent.objects.filter(actor=user, subject_type=record).order_by("id")
    return list(events.values_list("verb", flat=True))


@pytest.mark.parametrize(
    ("kind", "data", "edited"),
    [
        ("session", {"title": "Day 2", "date": "2026-02-10", "notes": ""}, {"title": "Day 2 (PM)"}),
        ("material", {"title": "Slides", "url": "https://example.org/s"}, {"title": "Deck"}),
    ],
)
def test_coach_creates_edits_and_deletes_event_records_each_audited(
    kind: str, data: dict[str, str], edited: dict[str, str], world: World,
    users: dict[str, User], as_persona: dict[str, Client],
) -> None:  # fmt: skip
    coach = as_persona["cody"]
    assert coach.post(_new(world, kind), data).status_code == 302
    model = m.LearningSession if kind == "session" else m.Material
    record = model.objects.get(title=data["title"])
    response = coach.post(_edit(world, kind, record.pk), {**data, **edited, "version": 1})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.title, record.version) == (edited["title"], 2)
    assert coach.post(_delete(world, kind, record.pk), {"version": 2}).status_code == 302
    assert not model.objects.filter(pk=record.pk).exists()
    name = model._meta.model_name
    assert _verbs(users["cody"], str(name)) == [
        f"{name}_create",
        f"{name}_update",
        f"{name}_delete",
    ]


def test_coach_records_edits_and_deletes_attendance_each_audited(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    coach = as_persona["cody"]
    data = {"session": world.session.pk, "lea": world.alder.pk, "role": "teacher", "count": 3}
    assert coach.post(_new(world, "attendance"), data).status_code == 302
    line = m.Attendance.objects.get(session=world.session, lea=world.alder)
    assert coach.post(_edit(world, "attendance", line.pk), {**data, "count": 5, "version": 1})[
        "Location"
    ].endswith("#sessions")
    line.refresh_from_db()
    assert line.count == 5
    assert coach.post(_delete(world, "attendance", line.pk), {"version": 2}).status_code == 302
    assert _verbs(users["cody"], "attendance") == [
        "attendance_create", "attendance_update", "attendance_delete"
    ]  # fmt: skip


def test_second_line_for_the_same_lea_and_role_shows_a_form_error_not_a_crash(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    m.Attendance.objects.create(session=world.session, lea=world.alder, role="teacher", count=3)
    data = {"session": world.session.pk, "lea": world.alder.pk, "role": "teacher", "count": 2}
    response = as_persona["cody"].post(_new(world, "attendance"), data)
    assert response.status_code == 200
    assert "Alder Unified already has 3 teacher attendee(s) recorded" in response.text
    # The model's generic constraint message is not shown as well.
    assert "already exists" not in response.text
    assert m.Attendance.objects.get(session=world.session, lea=world.alder).count == 3
    assert _verbs(users["cody"], "attendance") == []


def test_attendance_line_keeps_its_own_lea_and_role_when_edited(
    world: World, users: dict[str, User]
) -> None:
    line = m.Attendance.objects.create(
        session=world.session, lea=world.alder, role="teacher", count=3
    )
    data = {"session": world.session.pk, "lea": world.alder.pk, "role": "teacher", "count": 4,
            "version": 1}  # fmt: skip
    assert AttendanceForm(data, instance=line, owner=world.event, user=users["cody"]).is_valid()


def test_attendance_refuses_an_lea_of_another_county_and_a_session_of_another_event(
    world: World, users: dict[str, User]
) -> None:
    outsider = world.cedar
    other_event = m.LearningEvent.objects.create(county=world.county, title="Other")
    other_session = m.LearningSession.objects.create(
        event=other_event, title="X", date=datetime.date(2026, 1, 1)
    )
    data = {"session": other_session.pk, "lea": outsider.pk, "role": "teacher", "count": 1}
    form = AttendanceForm(data, instance=m.Attendance(), owner=world.event, user=users["cody"])
    assert not form.is_valid()
    assert set(form.errors) == {"session", "lea"}


def test_a_session_with_the_same_title_on_the_same_day_is_refused(
    world: World, users: dict[str, User]
) -> None:
    data = {"title": "Day 1", "date": "2026-01-20", "notes": ""}
    form = LearningSessionForm(
        data, instance=m.LearningSession(event=world.event), owner=world.event, user=users["cody"]
    )
    assert not form.is_valid()
    assert "already has a session “Day 1” on 2026-01-20" in form.errors["title"][0]
    same_day_other_title = {**data, "title": "Day 1 (afternoon)"}
    assert LearningSessionForm(
        same_day_other_title,
        instance=m.LearningSession(event=world.event),
        owner=world.event,
        user=users["cody"],
    ).is_valid()
    own = {**data, "notes": "Edited", "version": 1}
    assert LearningSessionForm(
        own, instance=world.session, owner=world.event, user=users["cody"]
    ).is_valid()


@pytest.fixture
def attended(world: World) -> None:
    """Alder's people at three sessions of two events: teachers at two sessions of the
    institute, a district leader at its first, principals at the network's launch."""
    day2 = m.LearningSession.objects.create(
        event=world.event, title="Day 2", date=datetime.date(2026, 2, 20)
    )
    network = m.LearningEvent.objects.create(
        county=world.county, title="SWD network", kind="network"
    )
    meeting = m.LearningSession.objects.create(
        event=network, title="Launch", date=datetime.date(2026, 3, 5)
    )
    lines = [
        (world.session, "teacher", 4),
        (world.session, "district_leader", 1),
        (day2, "teacher", 3),
        (meeting, "principal", 2),
    ]
    for session, role, count in lines:
        m.Attendance.objects.create(session=session, lea=world.alder, role=role, count=count)


def test_attendance_summary_totals_by_lea_and_role_and_marks_da_leas_that_attended_nothing(
    world: World, attended: None, as_persona: dict[str, Client]
) -> None:
    m.Engagement.objects.create(lea=world.birch, year=2025)
    response = as_persona["vera"].get(reverse("assistance:attendance"))
    assert response.status_code == 200
    rows = list(
        csv.DictReader(
            io.StringIO(
                as_persona["vera"].get(reverse("assistance:attendance_csv")).content.decode()
            )
        )
    )
    alder, birch = rows
    assert (alder["lea"], alder["in_da"], alder["teacher"], alder["district_leader"]) == (
        "Alder Unified", "yes", "7", "1"
    )  # fmt: skip
    assert (alder["principal"], alder["total_people"], alder["sessions"], alder["events"]) == (
        "2", "10", "3", "2"
    )  # fmt: skip
    assert (birch["lea"], birch["total_people"], birch["sessions"]) == ("Birch Unified", "0", "0")
    assert "in DA and attended nothing" in response.text
    assert response.text.count("in DA and attended nothing") == 1


def test_closed_engagements_do_not_put_an_lea_in_the_attendance_summary(
    world: World, as_persona: dict[str, Client]
) -> None:
    m.Engagement.objects.filter(pk=world.engagement.pk).update(status="closed")
    response = as_persona["carol"].get(reverse("assistance:attendance"))
    assert "Alder Unified" not in response.text
    assert "No attendance recorded and no LEA in DA." in response.text


def test_lea_page_lists_the_sessions_its_people_attended(
    world: World, attended: None, as_persona: dict[str, Client]
) -> None:
    page = as_persona["alice"].get(reverse("assistance:lea", args=[world.alder.cds])).text
    section = page[page.index('id="trainings"') : page.index('id="coaching"')]
    assert section.index("Launch") < section.index("Day 2") < section.index("Day 1")
    assert "SWD network (Network)" in section
    assert "District leader: 1; Teacher: 4" in section
    birch = as_persona["bob"].get(reverse("assistance:lea", args=[world.birch.cds])).text
    assert "No one from Birch Unified is recorded at a training or network session." in birch


def test_trainings_page_links_the_attendance_summary_for_county_staff_only(
    world: World, as_persona: dict[str, Client]
) -> None:
    link = reverse("assistance:attendance")
    assert link in as_persona["vera"].get(reverse("assistance:events")).text
    assert link not in as_persona["alice"].get(reverse("assistance:events")).text
