"""A coach runs a whole improvement cycle in a real browser, on the demo county.

Signed in as the demo's county coach: open the engagement proposed for a DA-eligible district,
write the problem of practice and a measurable aim, record a fishbone and a driver diagram, run
two PDSA cycles with eight data points on their measure, see the run chart signal a trend, and
export the engagement's summary as PDF.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from pytest_django.fixtures import Settings

from continuum.web.agencies.models import Lea
from continuum.web.assistance.models import Engagement, PdsaCycle
from continuum.web.audit.models import AuditEvent
from continuum.web.demo import DEMO_PASSWORD, demo_load, demo_users_create
from tests.web.browser import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
DISTRICTS = (Lea.Kind.UNIFIED, Lea.Kind.ELEMENTARY, Lea.Kind.HIGH)
# Eight weekly points rising steadily: five or more in a row going up is a trend.
POINTS = [
    ("2026-01-05", "61"), ("2026-01-12", "63"), ("2026-01-19", "62"), ("2026-01-26", "66"),
    ("2026-02-02", "69"), ("2026-02-09", "71"), ("2026-02-16", "74"), ("2026-02-23", "78"),
]  # fmt: skip


def _save(page: Page) -> None:
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Saved the")


def _field(page: Page, label: str) -> Locator:
    """The form field labelled exactly ``label`` (Django adds a colon to labels)."""
    return page.get_by_label(re.compile(f"^{re.escape(label)}:?$"))


def _fill(page: Page, fields: dict[str, str]) -> None:
    for label, value in fields.items():
        _field(page, label).fill(value)


def test_coach_runs_a_full_improvement_cycle_and_exports_the_summary(
    page: Page, settings: Settings, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    demo_load(say=lambda line: None)
    demo_users_create()
    proposed = (
        Engagement.objects.filter(status="proposed", lea__kind__in=DISTRICTS)
        .order_by("lea__name")
        .first()
    )
    assert proposed is not None, "the demo county has a DA-eligible district"
    district = proposed.lea.name

    sign_in(page, "county.coach", DEMO_PASSWORD)
    page.get_by_role("link", name="DA engagements").click()
    # The LEA's link in the table also holds its CDS code, as the cell's second line.
    page.get_by_role("link", name=re.compile(f"^{re.escape(district)} ")).first.click()
    page.get_by_role("button", name="Open the engagement").click()
    expect(page.locator(".messages")).to_contain_text(f"Opened the engagement with {district}")

    page.get_by_role("link", name="Edit problem of practice, aim and status").click()
    _fill(page, {
        "Problem of practice": "Students with disabilities miss too many school days.",
        "Aim": "Chronic absence of students with disabilities falls from 32% to 20% by June 2027.",
        "Aim measure": "Chronic absence rate, students with disabilities",
        "Aim baseline": "32", "Aim target": "20", "Aim due date": "2027-06-15",
    })  # fmt: skip
    _save(page)

    page.get_by_role("link", name="Root causes").click()
    page.get_by_role("button", name="Start with the usual categories").click()
    page.get_by_role("link", name="add a cause to Policies and procedures").click()
    _fill(page, {"Text": "No attendance team reviews absences weekly"})
    _save(page)
    expect(
        page.get_by_role("img", name="Fishbone diagram of the problem of practice")
    ).to_contain_text("No attendance team")

    page.get_by_role("link", name="Driver diagram").click()
    page.get_by_role("link", name="Add a primary driver").click()
    _fill(page, {"Text": "Attendance systems"})
    _save(page)
    page.get_by_role("link", name="add a secondary driver").click()
    _fill(page, {"Text": "Early outreach to families"})
    _save(page)
    page.get_by_role("link", name="add a change idea").last.click()
    _fill(page, {"Text": "Call home on the first absence"})
    _save(page)
    diagram = page.get_by_role("img", name=re.compile("^Driver diagram of"))
    expect(diagram).to_contain_text("Attendance systems")
    expect(diagram).to_contain_text("Call home on the first")

    page.get_by_role("link", name="PDSA and measures").click()
    page.get_by_role("link", name="Add a measure").click()
    _fill(page, {"Name": "Students with disabilities present (%)"})
    _save(page)
    for number in (1, 2):
        page.get_by_role("link", name="Plan a PDSA cycle").click()
        _field(page, "Change idea").select_option(label="Call home on the first absence")
        _fill(page, {"Title": f"Cycle {number}: calls by the attendance clerk",
                     "Question": "Do same-day calls bring students back sooner?",
                     "Prediction": "Most students called return the next day."})  # fmt: skip
        _field(page, "Measures").select_option(label="Students with disabilities present (%)")
        _save(page)
    for date, value in POINTS:
        page.get_by_role("link", name="add a data point").click()
        _fill(page, {"Date": date, "Value": value})
        _save(page)

    measure = page.locator("#measures").locator("xpath=following-sibling::section[1]")
    expect(measure.locator(".chart-run-signal").first).to_be_visible()
    expect(measure).to_contain_text("Trend")
    page.get_by_role("link", name="Cycle 1: calls by the attendance clerk", exact=True).click()
    page.get_by_role("link", name="Edit this cycle").click()
    _fill(page, {"Study": "Attendance rose every week after the calls began."})
    _field(page, "Decision").select_option(label="Adapt")
    _save(page)
    assert PdsaCycle.objects.get(title__startswith="Cycle 1").decision == "adapt"

    page.get_by_role("link", name="Overview").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Summary (PDF)").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    verbs = set(
        AuditEvent.objects.filter(actor__username="county.coach").values_list("verb", flat=True)
    )
    assert {"engagement_open", "engagement_update", "cause_create", "driver_create",
            "changeidea_create", "pdsacycle_create", "datapoint_create",
            "pdsacycle_update"} <= verbs  # fmt: skip
