"""DA reports: an engagement's summary (PDF) with everything recorded in it, and the county's
engagements for the board (PDF and CSV)."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse

from continuum.improvement.mtss import ITEMS
from continuum.web.accounts.models import User
from continuum.web.assistance import models as m
from continuum.web.assistance.reports import PDF_LIST_MOST, engagement_summary_html
from continuum.web.fields import NARRATIVE_MAX_LENGTH, NOTE_MAX_LENGTH
from tests.web.personas import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(world: World, users: dict[str, User]) -> m.Engagement:
    """Alder's engagement with one of each record of the improvement work."""
    e = world.engagement
    e.problem_of_practice = "Students with disabilities miss core ELA instruction."
    e.aim, e.aim_measure, e.aim_baseline, e.aim_target = "Raise SWD ELA", "SBAC DFS", -90.1, -70.0
    e.aim_date = datetime.date(2027, 6, 1)
    e.theory_of_action = "If co-teaching is planned weekly, then SWD access core ELA."
    e.save()
    m.DataFinding.objects.create(engagement=e, statement="SWD are pulled out during ELA blocks.")
    people = m.FishboneCategory.objects.create(engagement=e, name="Schedules")
    m.Cause.objects.create(category=people, text="Pull-out services collide with ELA block")
    m.FishboneCategory.objects.create(engagement=e, name="Materials")
    m.WhyChain.objects.create(
        engagement=e, problem="Low SWD ELA", whys=["Missed instruction", "Pull-out timing"],
        root_cause="Master schedule built before IEP services",
    )  # fmt: skip
    m.EmpathyInterview.objects.create(
        engagement=e, date=datetime.date(2026, 2, 1), interviewee="student",
        summary="Jordan Smith said reading class is when she leaves.", themes="Belonging",
    )  # fmt: skip
    old = m.MtssAssessment.objects.create(engagement=e, date=datetime.date(2025, 9, 1))
    m.MtssRating.objects.create(assessment=old, item="D2", rating=1)
    latest = m.MtssAssessment.objects.create(engagement=e, date=datetime.date(2026, 3, 1))
    m.MtssRating.objects.create(assessment=latest, item="D2", rating=3)
    primary = m.Driver.objects.create(engagement=e, text="Access to core instruction")
    secondary = m.Driver.objects.create(engagement=e, parent=primary, text="Master schedule")
    idea = m.ChangeIdea.objects.create(driver=secondary, text="Push-in during ELA block")
    measure = m.Measure.objects.create(engagement=e, name="Minutes in core ELA")
    for day, value in enumerate([10, 12, 14, 16, 18, 20, 22, 24], start=1):
        m.DataPoint.objects.create(measure=measure, date=datetime.date(2026, 3, day), value=value)
    cycle = m.PdsaCycle.objects.create(
        engagement=e, change_idea=idea, title="Push-in pilot at Oak", question="Will minutes rise?",
        prediction="Minutes rise above 20.", start=datetime.date(2026, 3, 1),
        do_notes="Ran 2 weeks.", study="Minutes rose steadily.", decision="adopt",
    )  # fmt: skip
    cycle.measures.add(measure)
    m.Attendance.objects.create(session=world.session, lea=world.alder, role="teacher", count=4)
    return e


def test_summary_html_holds_every_recorded_section(recorded: m.Engagement) -> None:
    html = engagement_summary_html(engagement=recorded)
    for text in (
        "Students with disabilities miss core ELA instruction.",  # problem of practice
        "Pull-out services collide with ELA block",  # a cause under its category
        "Master schedule built before IEP services",  # a root cause
        "Belonging",  # an empathy-interview theme
        f"D2 {ITEMS['D2'].name}",  # a self-assessment item, with its ratings over time
        "3 · Partially in place",
        "change: +2 (up)",
        "Push-in during ELA block",  # a change idea under its secondary driver
        "Adopt",  # the cycle's decision
        "Trend: 8 points in a row all going up",  # the run-chart signal in words
        "Kick-off",  # the meeting log
        "Improvement science institute",  # training attended
        "Teacher: 4",
    ):
        assert text in html, text
    assert "No cause recorded" not in html
    assert "no cause recorded" in html  # the Materials bone has none


def test_summary_never_shows_interview_summaries_or_older_self_assessments(
    recorded: m.Engagement,
) -> None:
    html = engagement_summary_html(engagement=recorded)
    assert "Jordan Smith" not in html
    assert "OLD_ITEM" not in html


def test_summary_says_so_for_each_section_with_nothing_recorded(world: World) -> None:
    html = engagement_summary_html(engagement=world.engagement)
    for text in (
        "No data finding recorded.",
        "No fishbone category recorded.",
        "No 5-whys chain recorded.",
        "No empathy interview recorded.",
        "No MTSS self-assessment recorded.",
        "No driver recorded.",
        "No PDSA cycle recorded.",
        "No measure recorded.",
        "No one from Alder Unified is recorded at a training or network session.",
    ):
        assert text in html, text


def test_summary_header_names_lea_year_level_and_paper_size(recorded: m.Engagement) -> None:
    assert "size: a4 portrait" in engagement_summary_html(engagement=recorded, paper="a4")
    html = engagement_summary_html(engagement=recorded, paper="tabloid")
    assert "size: letter portrait" in html
    assert 'class="running">Alder Unified · Dashboard 2025 · Level 2' in html


def test_engagement_pdf_is_a_pdf_for_the_district_leader(
    recorded: m.Engagement, as_persona: dict[str, Client]
) -> None:
    response = as_persona["alice"].get(reverse("assistance:engagement_pdf", args=[recorded.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "34600010000000-2025-da-summary.pdf" in response["Content-Disposition"]


def test_engagement_page_links_to_its_summary(world: World, as_persona: dict[str, Client]) -> None:
    page = as_persona["vera"].get(reverse("assistance:engagement", args=[world.engagement.pk]))
    assert reverse("assistance:engagement_pdf", args=[world.engagement.pk]) in page.text


def _county_rows(client: Client, query: str = "") -> list[dict[str, str]]:
    response = client.get(reverse("assistance:engagements_csv") + query)
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_county_csv_lists_engagements_with_status_cycles_and_decisions(
    recorded: m.Engagement, world: World, as_persona: dict[str, Client]
) -> None:
    m.Engagement.objects.create(lea=world.birch, year=2024, status="closed")
    rows = _county_rows(as_persona["cody"])
    assert [(r["lea"], r["year"], r["status"]) for r in rows] == [
        ("Alder Unified", "2025", "Active"), ("Birch Unified", "2024", "Closed")
    ]  # fmt: skip
    alder = rows[0]
    assert (alder["student_groups"], alder["coaches"], alder["meetings"]) == (
        "SWD (B)",
        "cody",
        "1",
    )
    assert (alder["last_meeting"], alder["cycles_by_phase"]) == ("2025-12-09", "Done: 1")
    assert (alder["decisions"], alder["aim"]) == ("Adopt: 1", "Raise SWD ELA")
    assert [r["lea"] for r in _county_rows(as_persona["cody"], "?year=2024")] == ["Birch Unified"]


def test_county_pdf_is_a_pdf_and_its_page_lists_engagements_with_status(
    recorded: m.Engagement, as_persona: dict[str, Client]
) -> None:
    from continuum.web.assistance.reports import county_summary_html

    html = county_summary_html(county=recorded.lea.county, year=None)
    assert "<td>Alder Unified</td><td>2025</td>" in html
    assert "<td>Active</td>" in html
    assert "Done: 1" in html and "Adopt: 1" in html
    response = as_persona["carol"].get(reverse("assistance:engagements_pdf") + "?year=2025")
    assert response.content.startswith(b"%PDF")
    assert "county-34-da-2025.pdf" in response["Content-Disposition"]


def test_engagements_page_links_to_the_board_report(
    world: World, as_persona: dict[str, Client]
) -> None:
    page = as_persona["vera"].get(reverse("assistance:engagements") + "?year=2025")
    assert reverse("assistance:engagements_pdf") + "?year=2025" in page.text
    assert reverse("assistance:engagements_csv") + "?year=2025" in page.text


def test_a_long_meeting_log_prints_the_newest_and_says_how_many_more(world: World) -> None:
    for day in range(1, PDF_LIST_MOST + 6):
        m.Meeting.objects.create(
            engagement=world.engagement, date=datetime.date(2026, 1, 1) + datetime.timedelta(day),
            title=f"Session {day}",
        )  # fmt: skip
    html = engagement_summary_html(engagement=world.engagement)
    # The world's kick-off meeting and the first five sessions are the oldest six.
    assert "6 more meetings (the oldest) not shown" in html
    assert f"Session {PDF_LIST_MOST + 5}<" in html and "Session 5<" not in html


def test_a_report_with_every_engagement_narrative_at_its_maximum_is_still_made(
    world: World, as_persona: dict[str, Client]
) -> None:
    engagement = world.engagement
    engagement.problem_of_practice = "Problem words " * (NOTE_MAX_LENGTH // 14)
    engagement.theory_of_action = "Theory of action words " * (NARRATIVE_MAX_LENGTH // 23)
    engagement.aim = "Aim words " * (NOTE_MAX_LENGTH // 10)
    engagement.full_clean()
    engagement.save()
    url = reverse("assistance:engagement_pdf", args=[engagement.pk])
    response = as_persona["alice"].get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
