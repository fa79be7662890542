"""PDF reports within limits of size, pages, time and memory: past one, a page that says
which, with 413 or 503, never a 500 or a dead worker."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from continuum.web.assistance.models import Meeting
from continuum.web.pdf import PdfLimitError, pdf_from_html
from tests.web.personas import World

pytestmark = pytest.mark.django_db


def _engagement_pdf(world: World, client: Client) -> tuple[int, str]:
    response = client.get(reverse("assistance:engagement_pdf", args=[world.engagement.pk]))
    return response.status_code, response.content.decode(errors="replace")


def test_a_report_within_the_limits_is_a_pdf(world: World, as_persona: dict[str, Client]) -> None:
    response = as_persona["cody"].get(
        reverse("assistance:engagement_pdf", args=[world.engagement.pk])
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_a_report_over_the_html_size_limit_is_refused_before_rendering(
    world: World, as_persona: dict[str, Client], settings: Settings
) -> None:
    settings.CONTINUUM_PDF_MAX_HTML_KB = 1
    status, page = _engagement_pdf(world, as_persona["cody"])
    assert status == 413
    assert "more than the 1 KB a PDF may hold" in page
    assert "Traceback" not in page


def test_a_report_longer_than_the_page_limit_is_refused_with_its_page_count(
    world: World, as_persona: dict[str, Client], settings: Settings
) -> None:
    for day in range(1, 29):
        Meeting.objects.create(
            engagement=world.engagement, date=datetime.date(2026, 2, day), title=f"Meeting {day}",
            notes="Reviewed the data and planned the next cycle. " * 40,
        )  # fmt: skip
    settings.CONTINUUM_PDF_MAX_PAGES = 2
    status, page = _engagement_pdf(world, as_persona["cody"])
    assert status == 413
    assert "more than the 2 pages a PDF may have" in page


def test_a_report_that_takes_longer_than_the_time_limit_is_stopped_with_503(
    world: World, as_persona: dict[str, Client], settings: Settings
) -> None:
    settings.CONTINUUM_PDF_MAX_SECONDS = 0.01
    status, page = _engagement_pdf(world, as_persona["cody"])
    assert status == 503
    assert "took longer than 0.01 seconds, so it was stopped" in page


def test_a_render_out_of_memory_is_refused_with_503_and_one_log_line(
    world: World,
    as_persona: dict[str, Client],
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings.CONTINUUM_PDF_MAX_MEMORY_MB = 40
    with caplog.at_level(logging.ERROR, logger="continuum.web.pdf"):
        status, page = _engagement_pdf(world, as_persona["cody"])
    assert status == 503
    assert "within the memory the server allows one report" in page
    (record,) = [r for r in caplog.records if r.name == "continuum.web.pdf"]
    assert (
        record.getMessage().startswith("PDF rendering failed") and "\n" not in record.getMessage()
    )


def test_the_web_process_keeps_working_after_a_stopped_render(
    world: World, as_persona: dict[str, Client], settings: Settings
) -> None:
    settings.CONTINUUM_PDF_MAX_SECONDS = 0.01
    with pytest.raises(PdfLimitError):
        pdf_from_html("<p>slow</p>")
    settings.CONTINUUM_PDF_MAX_SECONDS = 30
    assert pdf_from_html("<p>next</p>").startswith(b"%PDF-")


@pytest.mark.parametrize("name", ["accountability:lea_pdf", "assistance:engagements_pdf"])
def test_every_pdf_view_answers_a_limit_with_a_page_not_an_error(
    name: str, world: World, as_persona: dict[str, Client], settings: Settings
) -> None:
    settings.CONTINUUM_PDF_MAX_HTML_KB = 1
    args = [world.alder.cds] if name == "accountability:lea_pdf" else []
    response = as_persona["cody"].get(reverse(name, args=args))
    assert response.status_code == 413
    assert "The PDF was not made" in response.content.decode()
