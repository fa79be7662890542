"""The DA workspace's pages on a phone (390 px) and a desktop (1,280 px), filled with the demo's
improvement work: no page scrolls sideways (wide tables and drawings scroll inside their own
region) and axe-core finds no WCAG 2.2 AA violation."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page
from pytest_django.fixtures import Settings

from continuum.web.accounts.models import User
from continuum.web.assistance.models import Engagement
from continuum.web.demo import DEMO_PASSWORD, demo_load, demo_users_create, demo_workspace_fill
from tests.web.browser import assert_accessible, assert_fits_viewport, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = (390, 1280)


def _pages() -> list[str]:
    """DA engagements, then one filled engagement's overview, root causes, driver diagram, PDSA
    page, first cycle and paste page, a proposed engagement's overview (empty states), and the
    engagement's LEA page (the demo's every student group in its trend chooser)."""
    leader = User.objects.get(username="district.leader")
    engagement = Engagement.objects.get(lea=leader.memberships.get().lea, status="active")
    proposed = Engagement.objects.filter(status="proposed").first()
    assert proposed is not None
    pk = engagement.pk
    cycle = engagement.cycles.order_by("start").first()
    measure = engagement.measures.first()
    assert cycle is not None and measure is not None
    return [
        "/da/", f"/da/{pk}/", f"/da/{pk}/root-causes/", f"/da/{pk}/driver-diagram/",
        f"/da/{pk}/pdsa/", f"/da/{pk}/pdsa/{cycle.pk}/", f"/da/{pk}/mtss/",
        f"/da/{pk}/pdsa/measure/{measure.pk}/paste/", f"/da/{proposed.pk}/",
        f"/lea/{engagement.lea.cds}/",
    ]  # fmt: skip


def test_da_pages_and_their_lea_page_fit_phone_and_desktop_widths_and_pass_axe(
    page: Page, settings: Settings, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    demo_load(say=lambda line: None)
    demo_users_create()
    demo_workspace_fill(say=lambda line: None)
    urls = _pages()
    sign_in(page, "county.coach", DEMO_PASSWORD)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            page.goto(url)
            assert_fits_viewport(page)
            assert_accessible(page)
