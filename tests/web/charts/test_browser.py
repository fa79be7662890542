"""The charts in a real browser at a phone's width: each chart shrinks to fit the screen (the
rest of each page's layout is the design system's), and the Content Security Policy refuses
nothing (no inline style or script)."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, Page

from continuum.web.accounts.models import User
from tests.web.browser import sign_in
from tests.web.charts.test_pages import _earlier_years
from tests.web.personas import World

pytestmark = pytest.mark.django_db(transaction=True)


def test_lea_and_equity_charts_shrink_to_a_390_pixel_screen_under_the_csp(
    page: Page, world: World, users: dict[str, User]
) -> None:
    _earlier_years(world)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if _is_csp(m) else None)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "alice")
    for path in (f"/lea/{world.alder.cds}/", f"/lea/{world.alder.cds}/equity/"):
        page.goto(path)
        charts = page.locator("svg.chart-svg")
        assert charts.count() >= 1
        for index in range(charts.count()):
            box = charts.nth(index).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, path
    assert refused == []


def _is_csp(message: ConsoleMessage) -> bool:
    return "Content Security Policy" in message.text
