"""The workspace by keyboard alone: a coach signs in, builds a driver, a change idea and a
measure, pastes the measure's points, plans a PDSA cycle and records its study and decision,
with Tab to move, typing to fill, arrows to choose and Enter to follow links and submit. No
click anywhere: each control is reached in the page's tab order, so nothing is out of reach."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from continuum.web.accounts.models import User
from continuum.web.assistance.models import DataPoint, PdsaCycle
from tests.web.personas import PASSWORD, World

pytestmark = pytest.mark.django_db(transaction=True)
# More Tab presses than any workspace page has controls before its content ends.
MOST_TABS = 250
POINTS = "Week,Present\n2026-01-05,61\n2026-01-12,63\n2026-01-19,62\n2026-01-26,66\n2026-02-02,69"


def _tab_to(page: Page, target: Locator) -> None:
    """Press Tab until ``target`` has the focus; fail if it is never reached."""
    element = target.first
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if element.evaluate("e => e === document.activeElement"):
            return
    raise AssertionError(f"{target} is not reachable with the Tab key")


def _link(page: Page, name: str) -> None:
    """Reach a link by Tab and follow it with Enter."""
    _tab_to(page, page.get_by_role("link", name=name, exact=True))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _type_into(page: Page, label: str, text: str) -> None:
    _tab_to(page, page.get_by_label(re.compile(f"^{re.escape(label)}:?$")))
    page.keyboard.type(text)


def _press(page: Page, button: str) -> None:
    """Reach a button by Tab and press it with Enter (it submits its form)."""
    _tab_to(page, page.get_by_role("button", name=button, exact=True))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _saved(page: Page) -> None:
    _press(page, "Save")
    expect(page.locator(".messages")).to_contain_text("Saved the")


def test_coach_runs_a_pdsa_cycle_with_the_keyboard_only(
    page: Page, world: World, users: dict[str, User]
) -> None:
    page.goto("/accounts/login/")
    _type_into(page, "Username", "cody")
    _type_into(page, "Password", PASSWORD)
    _press(page, "Sign in")
    page.goto(f"/da/{world.engagement.pk}/")

    _link(page, "Driver diagram")
    _link(page, "Add a primary driver")
    _type_into(page, "Text", "Attendance systems")
    _saved(page)
    _link(page, "add a change idea")
    _type_into(page, "Text", "Call home on the first absence")
    _saved(page)

    _link(page, "PDSA and measures")
    _link(page, "Add a measure")
    _type_into(page, "Name", "Students present (%)")
    _saved(page)
    _link(page, "paste points from a spreadsheet into Students present (%)")
    _tab_to(page, page.get_by_label("Dates and values"))
    for number, line in enumerate(POINTS.splitlines()):
        if number:
            page.keyboard.press("Enter")  # a new line in the text area
        page.keyboard.type(line)
    _press(page, "Preview")
    expect(page.get_by_role("table")).to_contain_text("New point")
    _press(page, "Save these points")
    expect(page.locator(".messages")).to_contain_text("5 points added")

    _link(page, "Plan a PDSA cycle")
    _tab_to(page, page.get_by_label(re.compile("^Change idea:?$")))
    page.keyboard.press("ArrowDown")  # the first change idea of the list
    _type_into(page, "Title", "Cycle 1: calls by the clerk")
    _type_into(page, "Question", "Do same-day calls bring students back sooner?")
    _type_into(page, "Prediction", "Most students called return the next day.")
    _saved(page)
    _link(page, "Cycle 1: calls by the clerk")
    _link(page, "Edit this cycle")
    _type_into(page, "Study", "Attendance rose after the calls began.")
    _tab_to(page, page.get_by_label(re.compile("^Decision:?$")))
    page.keyboard.press("ArrowDown")  # Adopt
    _saved(page)

    cycle = PdsaCycle.objects.get(title="Cycle 1: calls by the clerk")
    assert cycle.change_idea.text == "Call home on the first absence"
    assert cycle.decision == PdsaCycle.Decision.ADOPT
    assert DataPoint.objects.filter(measure__name="Students present (%)").count() == 5
