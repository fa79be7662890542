"""Real-browser walks through the site (Playwright driving Debian's Chromium).

The browser and page fixtures are in tests/web/conftest.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from continuum.synth import generate_county
from continuum.web.accounts.models import User
from tests.web.browser import sign_in, sign_in_setting_up_an_authenticator
from tests.web.personas import World

pytestmark = pytest.mark.django_db(transaction=True)


def test_coach_walks_from_county_to_lea_to_a_cells_explanation(
    page: Page, world: World, users: dict[str, User]
) -> None:
    sign_in(page, "cody")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rio Verde County")
    page.get_by_role("link", name="Alder Unified").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alder Unified")
    lea_url = page.url
    page.locator("table.grid td a").first.click()
    expect(page.locator("#explanation")).to_contain_text("status Low, change Declined")
    assert page.url == lea_url  # htmx swapped the explanation in; no navigation


@pytest.mark.parametrize(
    ("persona", "lands_on", "heading"),
    [
        ("vera", "/county/", "Rio Verde County"),
        ("alice", "/lea/34600010000000/", "Alder Unified"),
        ("sam", "/school/34600010100001/", "Oak Elementary"),
    ],
)
def test_each_persona_lands_on_their_scope(
    page: Page, world: World, users: dict[str, User], persona: str, lands_on: str, heading: str
) -> None:
    sign_in(page, persona)
    expect(page).to_have_url(re.compile(re.escape(lands_on) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)


def test_district_and_school_leaders_cannot_see_beyond_their_scope(
    page: Page, world: World, users: dict[str, User]
) -> None:
    sign_in(page, "alice")
    page.goto(f"/lea/{world.birch.cds}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    page.goto("/county/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    expect(page.get_by_role("link", name="Imports")).to_have_count(0)


def test_administrator_signs_in_with_totp_uploads_a_file_and_watches_it_processed(
    page: Page, world: World, users: dict[str, User], tmp_path: Path
) -> None:
    ela = next(p for p in generate_county(tmp_path, year=2025, seed=5).rows if "ela" in p.name)
    sign_in_setting_up_an_authenticator(page, "carol")
    page.get_by_role("link", name="Imports").click()
    page.get_by_label("Dashboard files").set_input_files(str(ela))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.locator("#import-status")).to_have_text("Queued")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    expect(page.locator("#import-status")).to_have_text("Ready for review", timeout=15_000)
    page.get_by_role("button", name="Confirm and write these changes").click()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    page.reload()
    expect(page.locator("#import-status")).to_have_text("Done", timeout=15_000)
    expect(page.get_by_role("rowheader", name="eladownload2025.txt")).to_be_visible()
