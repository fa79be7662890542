"""The driver diagram page: the aim (measurable and dated), the theory of action, and the tree of
drivers and change ideas, drawn as an SVG and listed with edit links."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from continuum.web.accounts.models import User
from continuum.web.assistance.driver_diagram import driver_diagram
from continuum.web.assistance.forms import DriverForm
from continuum.web.assistance.models import ChangeIdea, Driver, Engagement
from continuum.web.assistance.selectors.improvement import driver_tree
from continuum.web.audit.models import AuditEvent
from tests.web.personas import World

pytestmark = pytest.mark.django_db


def _tree(engagement: Engagement) -> tuple[Driver, Driver, ChangeIdea, ChangeIdea]:
    primary = Driver.objects.create(engagement=engagement, text="Attendance routines")
    secondary = Driver.objects.create(engagement=engagement, parent=primary, text="Family contact")
    on_secondary = ChangeIdea.objects.create(driver=secondary, text="Call home on day one")
    on_primary = ChangeIdea.objects.create(driver=primary, text="Weekly huddle")
    return primary, secondary, on_secondary, on_primary


def _svg(page: str) -> str:
    found = re.search(r"<svg.*?</svg>", page, re.S)
    assert found is not None
    return found.group(0)


def _page(client: Client, world: World) -> str:
    response = client.get(reverse("assistance:driver_diagram", args=[world.engagement.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_svg_draws_every_driver_and_change_idea_with_a_line_to_each(
    world: World, as_persona: dict[str, Client]
) -> None:
    _tree(world.engagement)
    svg = _svg(_page(as_persona["alice"], world))
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    for text in ("Attendance routines", "Family contact", "Call home on day one",
                 "Weekly huddle"):  # fmt: skip
        assert f">{text}</text>" in svg
    # aim → primary, primary → secondary, secondary → idea, primary → idea
    assert svg.count("<path ") == 4
    assert "1 primary driver(s), 1 secondary driver(s) and 2 change idea(s)" in svg


def test_layout_wraps_long_text_and_centres_a_parent_on_its_children(world: World) -> None:
    _, secondary, _, _ = _tree(world.engagement)
    secondary.text = "Families hear from the school early and in their own language " * 2
    secondary.save()
    diagram = driver_diagram("Raise attendance", driver_tree(engagement=world.engagement))
    boxes = {box.column: box for box in diagram.boxes}
    assert len(boxes["secondary"].lines) > 3
    assert all(len(line.text) <= 22 for line in boxes["secondary"].lines)
    ideas = [box for box in diagram.boxes if box.column == "idea"]
    assert ideas[1].y > ideas[0].y  # the primary's own idea comes after its secondary's rows
    children_top = min(boxes["secondary"].y, ideas[0].y)
    children_bottom = ideas[1].y + ideas[1].height
    middle = boxes["primary"].y + boxes["primary"].height / 2
    assert abs(middle - (children_top + children_bottom) / 2) < 1


def test_list_gives_the_same_tree_with_add_links_for_editors_only(
    world: World, as_persona: dict[str, Client]
) -> None:
    primary, secondary, _, _ = _tree(world.engagement)
    editor = _page(as_persona["cody"], world)
    new_driver = reverse("assistance:part_new", args=[world.engagement.pk, "driver"])
    new_idea = reverse("assistance:part_new", args=[world.engagement.pk, "idea"])
    assert f"{new_driver}?parent={primary.pk}" in editor
    assert f"{new_idea}?driver={secondary.pk}" in editor
    assert "<strong>Secondary driver:</strong> Family contact" in editor
    reader = _page(as_persona["vera"], world)
    assert "<strong>Change idea:</strong> Call home on day one" in reader
    assert new_idea not in reader and "Edit the aim" not in reader


def test_notice_names_what_the_aim_lacks_until_it_is_measurable_and_dated(
    world: World, as_persona: dict[str, Client]
) -> None:
    page = _page(as_persona["alice"], world)
    assert "not yet measurable and dated: it still needs the aim statement, the measure, " \
        "the target, the date" in page  # fmt: skip
    Engagement.objects.filter(pk=world.engagement.pk).update(
        aim="Chronic absence of SWD falls from 30% to 20%", aim_measure="SWD chronic absence",
        aim_target=20, aim_date=datetime.date(2027, 6, 30),
    )  # fmt: skip
    page = _page(as_persona["alice"], world)
    assert "not yet measurable and dated" not in page
    assert "Chronic absence of SWD falls from 30% to 20%" in _svg(page)


def test_driver_form_refuses_a_secondary_driver_as_parent(
    world: World, users: dict[str, User]
) -> None:
    _, secondary, _, _ = _tree(world.engagement)
    form = DriverForm(
        {"parent": secondary.pk, "text": "Third level", "position": 0},
        owner=world.engagement,
        user=users["cody"],
    )
    assert not form.is_valid()
    assert "secondary driver cannot have drivers under it" in str(form.errors["parent"])


def test_a_primary_driver_with_secondaries_cannot_move_under_another(
    world: World, users: dict[str, User]
) -> None:
    primary, _, _, _ = _tree(world.engagement)
    other = Driver.objects.create(engagement=world.engagement, text="Belonging")
    form = DriverForm(
        {"parent": other.pk, "text": primary.text, "position": 0, "version": primary.version},
        instance=primary,
        owner=world.engagement,
        user=users["cody"],
    )
    assert not form.is_valid()
    assert "must stay a primary driver" in str(form.errors["parent"])


def test_adding_a_secondary_driver_from_the_page_link_is_saved_and_audited(
    world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    primary, secondary, _, _ = _tree(world.engagement)
    url = reverse("assistance:part_new", args=[world.engagement.pk, "driver"])
    form = as_persona["alice"].get(f"{url}?parent={primary.pk}").content.decode()
    assert f'<option value="{primary.pk}" selected>' in form
    refused = as_persona["alice"].post(
        url, {"parent": secondary.pk, "text": "Deeper", "position": 0}
    )
    assert refused.status_code == 200 and not Driver.objects.filter(text="Deeper").exists()
    saved = as_persona["alice"].post(url, {"parent": primary.pk, "text": "Mentors", "position": 1})
    assert saved.status_code == 302
    assert saved["Location"] == reverse("assistance:driver_diagram", args=[world.engagement.pk])
    driver = Driver.objects.get(text="Mentors")
    event = AuditEvent.objects.get(verb="driver_create")
    assert event.actor == users["alice"] and event.subject_id == str(driver.pk)


def test_other_district_gets_404_and_viewer_cannot_add(
    world: World, as_persona: dict[str, Client]
) -> None:
    url = reverse("assistance:driver_diagram", args=[world.engagement.pk])
    assert as_persona["bob"].get(url).status_code == 404
    new = reverse("assistance:part_new", args=[world.engagement.pk, "driver"])
    assert as_persona["vera"].post(new, {"text": "x", "position": 0}).status_code == 403
    assert not Driver.objects.exists()
