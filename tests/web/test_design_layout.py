"""The design system in a real browser: the main pages fit a phone and a desktop without
sideways scrolling and pass axe-core's WCAG 2.2 AA rules; the county page works by keyboard; a
shared link shows the same rows; the downloads hold exactly the rows shown."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect

from continuum.web.accounts.models import User
from tests.web.browser import assert_accessible, assert_fits_viewport, sign_in
from tests.web.personas import World

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _pages(world: World) -> dict[str, str]:
    return {
        "county overview": "/county/",
        "LEA": f"/lea/{world.alder.cds}/",
        "school": f"/school/{world.oak.cds}/",
        "equity view": f"/lea/{world.alder.cds}/equity/",
    }


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_main_pages_fit_the_viewport_and_pass_axe(
    page: Page, world: World, users: dict[str, User], viewport: dict[str, int]
) -> None:
    page.set_viewport_size(viewport)
    sign_in(page, "cody")
    for url in _pages(world).values():
        page.goto(url)
        assert_fits_viewport(page)
        assert_accessible(page)


def test_the_phone_menu_opens_by_keyboard(page: Page, world: World, users: dict[str, User]) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, "cody")
    trainings = page.get_by_role("link", name="Trainings")
    expect(trainings).to_be_hidden()
    page.get_by_text("Menu").focus()
    page.keyboard.press("Enter")
    expect(trainings).to_be_visible()


def _names(page: Page) -> list[str]:
    return page.locator("#leas tbody th").all_inner_texts()


def _tab_to(page: Page, target: Locator) -> None:
    for _ in range(60):
        if target.evaluate("e => e === document.activeElement"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {target}")


def test_every_county_page_action_works_by_keyboard(
    page: Page, world: World, users: dict[str, User]
) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, "cody")
    page.goto("/county/")
    # Tab from the top of the page to the support level filter, choose Level 1 with the arrow
    # keys, Tab on to Apply filters and press Enter.
    page.keyboard.press("Tab")  # the skip link
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    level = page.get_by_label("Support level", exact=True)
    _tab_to(page, level)
    page.keyboard.press("ArrowDown")  # Any → Level 1
    expect(level).to_have_value("1")
    apply = page.get_by_role("button", name="Apply filters")
    _tab_to(page, apply)
    page.keyboard.press("Enter")
    page.wait_for_url("**level=1**")
    assert [n.splitlines()[0] for n in _names(page)] == ["Birch Unified"]
    # Sort by a heading with the keyboard: focus its link and press Enter.
    page.get_by_label("Support level", exact=True).select_option("")
    page.get_by_role("button", name="Apply filters").press("Enter")
    page.wait_for_url(lambda url: "level=1" not in url)
    sort = page.locator("#leas thead a.sort-link", has_text="Support level")
    sort.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**sort=level**")
    assert [n.splitlines()[0] for n in _names(page)] == ["Birch Unified", "Alder Unified"]
    page.locator("#leas thead a.sort-link", has_text="Support level").press("Enter")
    page.wait_for_url("**sort=-level**")
    assert [n.splitlines()[0] for n in _names(page)] == ["Alder Unified", "Birch Unified"]
    expect(page.locator('#leas th[aria-sort="descending"]')).to_contain_text("Support level")


def test_a_shared_link_shows_the_same_rows(
    page: Page, world: World, users: dict[str, User]
) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, "cody")
    page.goto("/county/")
    page.get_by_label("Student group").select_option("SWD")
    page.get_by_role("button", name="Apply filters").click()
    page.locator("#leas thead a.sort-link", has_text="LEA type").click()
    page.wait_for_url("**sort=kind**")
    shared, shown = page.url, _names(page)
    other = page.context.browser
    assert other is not None
    context = other.new_context(base_url=shared.split("/county/")[0])
    try:
        colleague = context.new_page()
        sign_in(colleague, "vera")
        colleague.goto(shared)
        assert colleague.locator("#leas tbody th").all_inner_texts() == shown
        expect(colleague.get_by_label("Student group")).to_have_value("SWD")
    finally:
        context.close()
    assert [n.splitlines()[0] for n in shown] == ["Alder Unified"]


def _shown_cells(page: Page) -> list[list[str]]:
    rows = page.locator("#leas tbody tr")
    return [
        [cell.splitlines()[0].strip() for cell in rows.nth(i).locator("th, td").all_inner_texts()]
        for i in range(rows.count())
    ]


def test_csv_and_excel_downloads_hold_exactly_the_rows_shown(
    page: Page, world: World, users: dict[str, User]
) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, "cody")
    page.goto("/county/?sort=-name")
    shown = _shown_cells(page)
    assert [row[0] for row in shown] == ["Birch Unified", "Alder Unified"]
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download CSV").first.click()
    path = csv_download.value.path()
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Download Excel").first.click()
    sheet = load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes())).active
    assert sheet is not None
    excel = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    header_at = next(i for i, row in enumerate(excel) if row[0] == "LEA")
    assert rows[0] == [str(c) for c in excel[header_at]]
    for downloaded in (rows[1:], excel[header_at + 1 :]):
        assert len(downloaded) == len(shown)
        for cells, seen in zip(downloaded, shown, strict=True):
            assert [str(c) or "–" for c in cells] == seen
