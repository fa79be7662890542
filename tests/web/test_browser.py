"""Real-browser walks through the site (Playwright driving Debian's Chromium).

The tests need /usr/bin/chromium; without it they are skipped, except where
CONTINUUM_REQUIRE_BROWSER=1 (as in CI), where a missing browser fails them.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from continuum.synth import generate_county
from continuum.web.accounts.models import User
from tests.web.personas import PASSWORD, World

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium from Debian's package."""
    if not CHROMIUM.exists():
        message = f"no browser at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CONTINUUM_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API keeps an event loop in this thread; the tests' own database calls
    # (fixtures, the worker, the flush after each test) are synchronous and safe beside it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
            yield launched
            launched.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A fresh browser page on the live server."""
    context = browser.new_context(base_url=live_server.url)
    opened = context.new_page()
    yield opened
    context.close()


def _sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_coach_walks_from_county_to_lea_to_a_cells_explanation(
    page: Page, world: World, users: dict[str, User]
) -> None:
    _sign_in(page, "cody")
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
    _sign_in(page, persona)
    expect(page).to_have_url(re.compile(re.escape(lands_on) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)


def test_district_and_school_leaders_cannot_see_beyond_their_scope(
    page: Page, world: World, users: dict[str, User]
) -> None:
    _sign_in(page, "alice")
    page.goto(f"/lea/{world.birch.cds}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    page.goto("/county/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    expect(page.get_by_role("link", name="Imports")).to_have_count(0)


def test_administrator_signs_in_with_totp_uploads_a_file_and_watches_it_processed(
    page: Page, world: World, users: dict[str, User], tmp_path: Path
) -> None:
    ela = next(p for p in generate_county(tmp_path, year=2025, seed=5).rows if "ela" in p.name)
    _sign_in(page, "carol")
    page.get_by_role("button", name="Set up an authenticator").click()
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Six-digit code").fill(f"{totp(base64.b32decode(secret)):06d}")
    page.get_by_role("button", name="Verify").click()
    page.get_by_role("link", name="Imports").click()
    page.get_by_label("Dashboard files").set_input_files(str(ela))
    page.get_by_role("button", name="Upload and import").click()
    expect(page.locator("#import-status")).to_have_text("Queued")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    expect(page.locator("#import-status")).to_have_text("Done", timeout=15_000)
    expect(page.get_by_role("cell", name="eladownload2025.txt")).to_be_visible()
