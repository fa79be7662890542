"""The charts where people see them: the equity view, the LEA and school pages, the county
overview, and the same SVG in the PDFs."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from continuum.web.accountability.models import IndicatorResult
from continuum.web.accountability.reports import lea_summary_html
from continuum.web.assistance.models import DataPoint, Measure
from continuum.web.assistance.reports import engagement_summary_html
from tests.web.charts.svg import SVG, classes, svgs_in, texts
from tests.web.personas import World

pytestmark = pytest.mark.django_db


def _earlier_years(world: World) -> None:
    """Alder's all-students ELA in 2019 and 2022 too: with 2025, a line broken at 2020–21."""
    for year, status, color in ((2019, -35.0, 3), (2022, -48.0, 2)):
        IndicatorResult.objects.create(
            year=year, cds=world.alder.cds, rtype="D", name=world.alder.name, studentgroup="ALL",
            indicator="ELA", currdenom=120, currstatus=status, statuslevel=2, color=color,
        )  # fmt: skip


def test_equity_view_draws_every_group_of_an_indicator_on_one_chart(
    world: World, as_persona: dict[str, Client]
) -> None:
    html = as_persona["alice"].get(reverse("accountability:lea_equity", args=[world.alder.cds]))
    (svg,) = svgs_in(html.content.decode())
    assert svg.get("role") == "img"
    rows = [g.get("data-group") for g in svg.iter(f"{SVG}g") if "chart-row" in classes(g)]
    assert rows == ["SWD"]
    assert "the same as all students" in html.content.decode()  # SWD's status equals theirs


def test_lea_page_shows_a_trend_per_indicator_with_the_covid_years_as_a_gap(
    world: World, as_persona: dict[str, Client]
) -> None:
    _earlier_years(world)
    html = as_persona["alice"].get(reverse("accountability:lea", args=[world.alder.cds]))
    page = html.content.decode()
    (svg,) = svgs_in(page)
    assert svg.find(f"{SVG}title").text == (  # type: ignore[union-attr]
        "English Language Arts: All Students, year by year"
    )
    assert texts(svg, "chart-gap") == ["no Dashboard 2020–2021", "no result 2023–2024"]
    assert texts(svg, "chart-point-label") == ["Yellow", "Orange", "Yellow"]


def test_trend_of_another_group_is_chosen_by_the_query_string(
    world: World, as_persona: dict[str, Client]
) -> None:
    _earlier_years(world)
    url = reverse("accountability:lea", args=[world.alder.cds])
    page = as_persona["alice"].get(url, {"trend_group": "SWD"}).content.decode()
    (svg,) = svgs_in(page)
    assert texts(svg, "chart-point-label") == ["Red"]  # SWD has 2025 only
    unknown = as_persona["alice"].get(url, {"group": "<script>"}).content.decode()
    assert "English Language Arts: All Students, year by year" in unknown


def test_school_page_shows_its_trend(world: World, as_persona: dict[str, Client]) -> None:
    page = as_persona["alice"].get(reverse("accountability:school", args=[world.oak.cds]))
    (svg,) = svgs_in(page.content.decode())
    assert texts(svg, "chart-point-label") == ["Yellow"]


def test_county_overview_counts_its_leas_by_colour_per_indicator(
    world: World, as_persona: dict[str, Client]
) -> None:
    page = as_persona["cody"].get(reverse("accountability:county")).content.decode()
    (svg,) = svgs_in(page)
    # Alder and Birch (all students, ELA) are both Yellow; Cedar is another county's.
    assert texts(svg, "chart-value") == ["Yellow 2"]


def test_lea_summary_pdf_html_holds_the_same_chart_svg_and_its_styles(world: World) -> None:
    _earlier_years(world)
    html = lea_summary_html(lea=world.alder, year=2025)
    trend, equity = svgs_in(html)
    assert texts(trend, "chart-gap")[0] == "no Dashboard 2020–2021"
    assert any("chart-row" in classes(g) for g in equity.iter(f"{SVG}g"))
    assert ".chart-better" in html  # the charts' section of site.css, in the PDF's own styles
    assert "<details" not in html  # a printed chart shows its table


def test_engagement_summary_pdf_html_holds_the_run_chart_svg(world: World) -> None:
    measure = Measure.objects.create(engagement=world.engagement, name="Calls made", unit="calls")
    for week, value in enumerate([1, 9, 2, 1, 3, 8, 7, 9, 8, 7, 9, 2, 1, 3]):
        DataPoint.objects.create(
            measure=measure, date=datetime.date(2026, 2, 3) + datetime.timedelta(weeks=week),
            value=value,
        )  # fmt: skip
    html = engagement_summary_html(engagement=world.engagement)
    (svg,) = svgs_in(html)
    assert texts(svg, "chart-bracket-label") == ["Shift: 6 points"]
    assert ".chart-run-signal" in html
