"""CSV exports, the equity view, the placement report and the JSON API."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from tests.web.personas import World

pytestmark = pytest.mark.django_db


def test_lea_results_download_as_csv_with_colour_names(
    world: World, as_persona: dict[str, Client]
) -> None:
    response = as_persona["alice"].get(reverse("accountability:lea_csv", args=[world.alder.cds]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {(r["studentgroup"], r["colour"]) for r in rows} == {("ALL", "Yellow"), ("SWD", "Red")}
    assert rows[0]["currstatus"] == "-40.5"  # numbers are left as numbers


def test_lea_summary_is_a_pdf_naming_the_lea(world: World, as_persona: dict[str, Client]) -> None:
    response = as_persona["alice"].get(reverse("accountability:lea_pdf", args=[world.alder.cds]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "34600010000000-2025-summary.pdf" in response["Content-Disposition"]


def test_county_csv_follows_the_page_filters(world: World, as_persona: dict[str, Client]) -> None:
    url = reverse("accountability:county")
    text = as_persona["cody"].get(url, {"level": "1", "format": "csv"}).content.decode()
    assert "Birch Unified" in text and "Alder Unified" not in text


def test_csv_text_that_looks_like_a_formula_is_neutralised(
    world: World, as_persona: dict[str, Client]
) -> None:
    world.alder.name = "=HYPERLINK(1)"
    world.alder.save(update_fields=["name"])
    url = reverse("accountability:county")
    text = as_persona["cody"].get(url, {"format": "csv"}).content.decode()
    assert "'=HYPERLINK(1)" in text


def test_equity_view_draws_each_groups_gap_with_its_value_printed(
    world: World, as_persona: dict[str, Client]
) -> None:
    html = (
        as_persona["alice"]
        .get(reverse("accountability:lea_equity", args=[world.alder.cds]))
        .content.decode()
    )
    assert "<svg" in html and "Students with Disabilities" in html
    assert ">+0.0<" in html  # SWD's status equals all students' in the world's rows


def test_county_overview_shows_trend_and_five_by_five_placement(
    world: World, as_persona: dict[str, Client]
) -> None:
    html = as_persona["cody"].get(reverse("accountability:county")).content.decode()
    assert "LEAs at each support level, year by year" in html
    placement = html[html.index('<table id="placement-table"') :]
    placement = placement[: placement.index("</table>")]
    # Both districts' all-students ELA sit at status level 2 (Low), change level 2 (Declined).
    low = placement[placement.index(">Low<") :]
    low = low[: low.index("</tr>")]
    assert "chip--3" in low and "Yellow" in low and "2 LEAs" in low


def test_api_lists_only_the_leas_in_scope(world: World, as_persona: dict[str, Client]) -> None:
    data = as_persona["alice"].get(reverse("accountability:api_leas")).json()
    assert [lea["cds"] for lea in data["results"]] == [world.alder.cds]
    assert data["results"][0]["groups_text"] == "Students with Disabilities (B)"


def test_api_lea_has_results_and_determinations(
    world: World, as_persona: dict[str, Client]
) -> None:
    data = as_persona["cody"].get(reverse("accountability:api_lea", args=[world.alder.cds])).json()
    assert {r["colour"] for r in data["results"]} == {"Yellow", "Red"}
    assert data["determinations"][0]["status"] == "Differentiated Assistance, Year 1"
    assert data["schools"] == [{"cds": world.oak.cds, "name": "Oak Elementary"}]


def test_a_csv_past_the_row_limit_is_refused_with_a_sentence(
    world: World, as_persona: dict[str, Client], settings: Settings
) -> None:
    url = reverse("accountability:lea_csv", args=[world.alder.cds])
    settings.CONTINUUM_EXPORT_MAX_ROWS = 2  # Alder has two stored results
    assert as_persona["alice"].get(url).status_code == 200
    settings.CONTINUUM_EXPORT_MAX_ROWS = 1
    response = as_persona["alice"].get(url)
    assert response.status_code == 413
    assert "more than 1 rows" in response.content.decode()
