"""Access that holds in the DA workspace, one test per finding: data-finding CDS codes, the
county-owned parts of an engagement, team places, and a training's attendance."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from continuum.web.accounts.models import User
from continuum.web.assistance import models as m
from continuum.web.assistance.services import ChangeRefusedError, record_create, record_update
from tests.web.personas import World, other_county_admin_create

pytestmark = pytest.mark.django_db


def _new(world: World, kind: str) -> str:
    return reverse("assistance:part_new", args=[world.engagement.pk, kind])


def _edit(world: World, kind: str, pk: int) -> str:
    return reverse("assistance:part_edit", args=[world.engagement.pk, kind, pk])


def _engagement_form(world: World, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "status": "active", "level": 2, "problem_of_practice": "SWD miss core ELA.",
        "theory_of_action": "", "aim": "", "aim_measure": "", "aim_baseline": "",
        "aim_target": "", "aim_date": "", "version": world.engagement.version,
    }  # fmt: skip
    data.update(changes)
    return data


def test_district_leader_cannot_read_another_leas_results_through_a_data_finding_cds(
    world: World, as_persona: dict[str, Client]
) -> None:
    alice = as_persona["alice"]
    form = alice.get(_new(world, "finding")).context["form"]
    assert [code for code, _ in form.fields["cds"].choices] == ["", world.alder.cds, world.oak.cds]
    response = alice.post(_new(world, "finding"), {
        "statement": "Pine's results", "year": 2025, "cds": world.pine.cds,
        "studentgroup": "ALL", "indicator": "ELA",
    })  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["cds"] == [
        "Choose the engagement's LEA or one of its schools."
    ]
    page = response.content.decode()
    assert world.pine.name not in page and world.pine_result.explanation not in page
    assert not m.DataFinding.objects.exists()
    # A finding stored before the form checked the code shows nothing of the other entity.
    m.DataFinding.objects.create(
        engagement=world.engagement, statement="Stored earlier", year=2025, cds=world.pine.cds,
        studentgroup="ALL", indicator="ELA",
    )  # fmt: skip
    root_causes = alice.get(reverse("assistance:root_causes", args=[world.engagement.pk]))
    assert world.pine.name not in root_causes.content.decode()
    assert reverse("accountability:result", args=[world.pine_result.pk]) not in (
        root_causes.content.decode()
    )


def test_finding_on_one_of_the_leas_schools_is_saved_and_shows_its_result(
    world: World, as_persona: dict[str, Client]
) -> None:
    response = as_persona["alice"].post(_new(world, "finding"), {
        "statement": "Oak is Orange on ELA", "year": 2025, "cds": world.oak.cds,
        "studentgroup": "ALL", "indicator": "ELA",
    })  # fmt: skip
    assert response.status_code == 302
    page = as_persona["alice"].get(reverse("assistance:root_causes", args=[world.engagement.pk]))
    assert reverse("accountability:result", args=[world.oak_result.pk]) in page.content.decode()


def test_district_leader_cannot_change_an_engagements_level_or_status(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    edit = _edit(world, "engagement", world.engagement.pk)
    alice = as_persona["alice"]
    assert {"level", "status"}.isdisjoint(alice.get(edit).context["form"].fields)
    response = alice.post(edit, _engagement_form(world, level=3, status="closed"))
    assert response.status_code == 302
    world.engagement.refresh_from_db()
    assert (world.engagement.level, world.engagement.status) == (2, "active")
    assert world.engagement.problem_of_practice == "SWD miss core ELA."
    # The service refuses it whatever form it came from.
    world.engagement.level = m.Engagement.Level.INTENSIVE
    with pytest.raises(ChangeRefusedError):
        record_update(
            actor=users["alice"], record=world.engagement,
            expected_version=world.engagement.version, fields=["level"],
        )  # fmt: skip
    world.engagement.refresh_from_db()
    assert world.engagement.level == m.Engagement.Level.DIFFERENTIATED


def test_county_administrator_changes_an_engagements_level_and_status(
    world: World, as_persona: dict[str, Client]
) -> None:
    edit = _edit(world, "engagement", world.engagement.pk)
    response = as_persona["carol"].post(edit, _engagement_form(world, level=3, status="closed"))
    assert response.status_code == 302
    world.engagement.refresh_from_db()
    assert (world.engagement.level, world.engagement.status) == (3, "closed")


def test_district_leader_cannot_name_change_or_remove_the_coe_coach(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    alice = as_persona["alice"]
    parts = [
        code for code, _ in alice.get(_new(world, "team")).context["form"].fields["part"].choices
    ]
    assert m.TeamMember.Part.COACH not in parts and m.TeamMember.Part.DISTRICT_LEAD in parts
    refused = alice.post(_new(world, "team"), {"user": users["carol"].pk, "part": "coach"})
    assert refused.status_code == 200 and "part" in refused.context["form"].errors
    coach = m.TeamMember.objects.get(user=users["cody"])
    changed = alice.post(
        _edit(world, "team", coach.pk),
        {"user": users["cody"].pk, "part": "district_member", "version": coach.version},
    )
    assert changed.context["form"].non_field_errors() == [
        "Only the county's DA staff change the COE coach."
    ]
    delete = reverse("assistance:part_delete", args=[world.engagement.pk, "team", coach.pk])
    assert alice.post(delete, {"version": coach.version}).status_code == 403
    coach.refresh_from_db()
    assert coach.part == m.TeamMember.Part.COACH


def test_the_coe_coach_is_one_of_the_countys_da_staff(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    refused = as_persona["carol"].post(
        _new(world, "team"), {"user": users["alice"].pk, "part": "coach"}
    )
    assert "alice is not on the county's DA staff" in refused.context["form"].errors["part"][0]
    assert not m.TeamMember.objects.filter(user=users["alice"]).exists()


def test_viewer_added_to_a_team_stays_read_only(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    added = as_persona["carol"].post(
        _new(world, "team"), {"user": users["vera"].pk, "part": "district_member"}
    )
    assert added.status_code == 302
    assert world.engagement.team.filter(user=users["vera"]).exists()
    vera = as_persona["vera"]
    assert vera.get(_new(world, "meeting")).status_code == 403
    assert vera.post(_new(world, "meeting"), {"date": "2026-02-01", "kind": "team",
                                              "title": "Vera's"}).status_code == 403  # fmt: skip
    page = vera.get(reverse("assistance:engagement", args=[world.engagement.pk]))
    assert page.context["can_edit"] is False


def test_district_leader_of_another_lea_cannot_join_the_team_or_gain_access(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    refused = as_persona["carol"].post(
        _new(world, "team"), {"user": users["bob"].pk, "part": "district_member"}
    )
    assert refused.status_code == 200 and "user" in refused.context["form"].errors
    outsider = m.TeamMember(engagement=world.engagement, user=users["bob"], part="district_member")
    with pytest.raises(ChangeRefusedError):
        record_create(actor=users["carol"], record=outsider)
    assert not world.engagement.team.filter(user=users["bob"]).exists()
    # Even a team place written straight to the database gives him nothing.
    m.TeamMember.objects.create(
        engagement=world.engagement, user=users["bob"], part="district_lead"
    )
    bob = as_persona["bob"]
    assert bob.get(reverse("assistance:engagement", args=[world.engagement.pk])).status_code == 404
    assert bob.get(_new(world, "meeting")).status_code == 404


def test_team_picker_offers_only_people_who_may_see_the_engagement(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    other_county_admin_create(world)
    User.objects.filter(username="vera").update(is_active=False)
    form = as_persona["carol"].get(_new(world, "team")).context["form"]
    offered = {user.username for user in form.fields["user"].queryset}
    assert offered == {"carol", "cody", "alice"}


def test_trainings_page_shows_a_district_leader_only_their_leas_attendance(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    m.Attendance.objects.create(session=world.session, lea=world.alder, role="teacher", count=3)
    m.Attendance.objects.create(session=world.session, lea=world.birch, role="teacher", count=5)
    url = reverse("assistance:event", args=[world.event.pk])

    def leas_shown(persona: str) -> set[str]:
        page = as_persona[persona].get(url).content.decode()
        return {lea.name for lea in (world.alder, world.birch) if lea.name in page}

    assert leas_shown("alice") == {"Alder Unified"}
    assert leas_shown("bob") == {"Birch Unified"}
    assert leas_shown("sam") == set()
    assert leas_shown("carol") == leas_shown("vera") == {"Alder Unified", "Birch Unified"}


def test_engagement_page_offers_the_coe_coachs_edit_link_only_to_county_da_staff(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    coach = m.TeamMember.objects.get(user=users["cody"])
    link = _edit(world, "team", coach.pk)
    page = reverse("assistance:engagement", args=[world.engagement.pk])
    assert link in as_persona["carol"].get(page).content.decode()
    alice_page = as_persona["alice"].get(page).content.decode()
    assert link not in alice_page and "Add a team member" in alice_page
