"""Real-browser fixtures (Playwright driving Debian's Chromium) and steps shared by browser tests.

The tests need /usr/bin/chromium; without it they are skipped, except where
CONTINUUM_REQUIRE_BROWSER=1 (as in CI), where a missing browser fails them. Modules using these
fixtures mark their tests ``django_db(transaction=True)``: the live server runs in another
thread and must see the data.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.web.personas import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")


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
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    opened = context.new_page()
    yield opened
    context.close()


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


# axe-core 4.14.1 from the npm registry (MPL-2.0, licence header kept in the file).
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def assert_fits_viewport(page: Page) -> None:
    """The page does not scroll sideways: nothing is wider than the viewport (a wide table
    scrolls inside its own container)."""
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    scroll_width, inner_width = widths
    if scroll_width > inner_width:
        widest = page.evaluate(
            """(limit) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > limit + 1)
                .slice(0, 5)
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                     + (e.className && typeof e.className === 'string'
                        ? '.' + e.className.trim().split(/\\s+/).join('.') : ''))""",
            inner_width,
        )
        pytest.fail(
            f"{page.url}: the page is {scroll_width} px wide in a {inner_width} px viewport; "
            f"elements past the edge: {', '.join(widest)}"
        )


def assert_accessible(page: Page) -> None:
    """axe-core finds no WCAG 2.2 AA violation on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the site's CSP forbids an injected <script>.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    violations = result["violations"]
    if violations:
        lines = [
            f"{v['id']} ({v['impact']}): {v['help']}; at "
            + "; ".join(" ".join(node["target"]) for node in v["nodes"][:3])
            for v in violations
        ]
        pytest.fail(f"{page.url}: {len(violations)} WCAG 2.2 AA violation(s):\n" + "\n".join(lines))
