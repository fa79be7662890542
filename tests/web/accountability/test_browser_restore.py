"""In Chromium, a county administrator imports a file, restores the results before it from the
import's page and finds the restore in the audit trail, with no page or script failing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from continuum.web.accountability.models import DashboardImport
from continuum.web.accounts.models import User
from tests.web.accountability.dashboard_files import Row, dashboard_file, stored_rows
from tests.web.browser import sign_in_setting_up_an_authenticator
from tests.web.personas import World

pytestmark = pytest.mark.django_db(transaction=True)


def _worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_administrator_restores_an_import_from_its_page_and_the_audit_trail_shows_it(
    page: Page, world: World, users: dict[str, User], tmp_path: Path
) -> None:
    failures: list[str] = []
    page.on("pageerror", lambda error: failures.append(f"script: {error}"))
    page.on("console", lambda m: failures.append(m.text) if m.type == "error" else None)
    page.on(
        "response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    before = stored_rows()
    alders = len(stored_rows(cds=world.alder.cds, indicator="ELA"))
    file = dashboard_file(tmp_path, "ela", 2025, [Row(world.alder.cds, "D", world.alder.name)])
    sign_in_setting_up_an_authenticator(page, "carol")
    page.get_by_role("link", name="Imports").click()
    page.get_by_label("Dashboard files").set_input_files(str(file))
    page.get_by_role("button", name="Upload and preview").click()
    _worker()
    expect(page.locator("#import-status")).to_have_text("Ready for review", timeout=15_000)
    page.get_by_role("button", name="Confirm and write these changes").click()
    _worker()
    expect(page.locator("#import-status")).to_have_text("Done", timeout=15_000)
    assert stored_rows() != before

    page.get_by_role("button", name="Restore the results before import").click()
    expect(page.get_by_text("Restored the results before import")).to_be_visible()
    expect(page.locator("#import-status")).to_have_text("Undone by a restore")
    assert stored_rows() == before
    assert DashboardImport.objects.get().status == DashboardImport.Status.UNDONE

    page.get_by_role("link", name="Audit trail").click()
    restored = page.get_by_role("row").filter(has_text="Dashboard import restored")
    expect(restored).to_contain_text("carol")
    expect(restored).to_contain_text(f"rows put back: {alders}")
    assert failures == []
