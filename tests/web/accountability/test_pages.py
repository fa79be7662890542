"""What the county, LEA, school and explanation pages show."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from continuum.web.accountability.models import DaResult
from tests.dashboard.rows import one
from tests.web.personas import World

pytestmark = pytest.mark.django_db


def test_county_overview_lists_each_lea_with_level_and_groups(
    world: World, as_persona: dict[str, Client]
) -> None:
    html = as_persona["cody"].get(reverse("accountability:county")).content.decode()
    assert "Alder Unified" in html and "Birch Unified" in html
    assert "Differentiated Assistance, Year 1" in html
    assert "Students with Disabilities (B)" in html


def _lea_names(html: str) -> list[str]:
    """The LEA names of the county table, in the order shown."""
    table = html[
        html.index('<table id="leas"') : html.index("</table>", html.index('<table id="leas"'))
    ]
    return re.findall(r'<th scope="row"[^>]*><a href="[^"]*">([^<]+)<', table)


def test_county_overview_filters_by_support_level_in_the_query_string(
    world: World, as_persona: dict[str, Client]
) -> None:
    url = reverse("accountability:county")
    assert _lea_names(as_persona["cody"].get(url, {"level": "1"}).content.decode()) == [
        "Birch Unified"
    ]
    assert _lea_names(as_persona["cody"].get(url, {"level": "2"}).content.decode()) == [
        "Alder Unified"
    ]


def test_county_overview_level_3_filter_finds_leas_that_met_ec_52072(
    world: World, as_persona: dict[str, Client]
) -> None:
    DaResult.objects.filter(year=2025, cds=world.alder.cds).update(level3="Y")
    html = as_persona["cody"].get(reverse("accountability:county"), {"level": "3"})
    text = html.content.decode()
    assert _lea_names(text) == ["Alder Unified"]
    assert "Intensive intervention (EC 52072)" in text


def test_county_overview_sorts_by_any_column_both_ways(
    world: World, as_persona: dict[str, Client]
) -> None:
    url = reverse("accountability:county")
    ascending = _lea_names(as_persona["cody"].get(url, {"sort": "level"}).content.decode())
    descending = _lea_names(as_persona["cody"].get(url, {"sort": "-level"}).content.decode())
    assert ascending == ["Birch Unified", "Alder Unified"]
    assert descending == ["Alder Unified", "Birch Unified"]


def test_county_overview_says_what_was_wrong_with_a_bad_parameter(
    world: World, as_persona: dict[str, Client]
) -> None:
    response = as_persona["cody"].get(reverse("accountability:county"), {"level": "9", "page": "x"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Support level “9” is not one of the choices" in text
    assert "Page “x” is not a page number: showing page 1." in text
    assert _lea_names(text) == ["Alder Unified", "Birch Unified"]


def test_lea_grid_prints_colour_names_and_links_each_cell(
    world: World, as_persona: dict[str, Client]
) -> None:
    html = as_persona["alice"].get(reverse("accountability:lea", args=[world.alder.cds]))
    text = html.content.decode()
    assert "Red" in text and "Yellow" in text
    assert "Students with Disabilities" in text
    assert "Red on ELA" in text  # the DA evidence


def test_cell_explanation_is_a_fragment_for_htmx(
    world: World, as_persona: dict[str, Client]
) -> None:
    url = reverse("accountability:result", args=[world.oak_result.pk])
    response = as_persona["sam"].get(url, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "Oak Elementary ALL: status Low, change Declined." in text
    assert "<html" not in text


def test_school_page_says_when_no_essa_determination_is_stored(
    world: World, as_persona: dict[str, Client]
) -> None:
    text = as_persona["sam"].get(reverse("accountability:school", args=[world.oak.cds]))
    assert "No ESSA determination is stored" in text.content.decode()


def test_pages_send_security_headers(world: World, as_persona: dict[str, Client]) -> None:
    response = as_persona["cody"].get(reverse("accountability:county"))
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_school_leaders_school_page_does_not_link_to_the_lea_they_may_not_see(
    world: World, as_persona: dict[str, Client]
) -> None:
    lea_page = reverse("accountability:lea", args=[world.alder.cds])
    for persona, linked in (("sam", False), ("alice", True), ("cody", True)):
        html = as_persona[persona].get(reverse("accountability:school", args=[world.oak.cds]))
        assert world.alder.name in html.content.decode()
        assert (f'href="{lea_page}"' in html.content.decode()) is linked, persona
    assert as_persona["alice"].get(lea_page).status_code == 200


def test_result_page_explains_in_sentences_with_its_figures_and_folds_the_codes(
    world: World, as_persona: dict[str, Client]
) -> None:
    result = world.oak_result
    result.explanation = one(indicator="ELA", currstatus=-40.5, change=-3.2)["explanation"]
    result.save(update_fields=["explanation"])
    url = reverse("accountability:result", args=[result.pk])
    text = as_persona["sam"].get(url, HTTP_HX_REQUEST="true").content.decode()
    assert (
        "Status -40.5 points is Low because it is between -70.0 and -5.1 points (grades 3–8 "
        "cuts). Change -3.2 points is Declined because it is between -15.0 and -3.0 points."
    ) in text
    assert "<code>continuum/dashboard/rules/2025.toml</code>" in text
    codes = text[text.index("<details>") : text.index("</details>")]
    assert "<dt>statuslevel, changelevel</dt><dd>2, 2</dd>" in codes
    assert "statuslevel" not in text[: text.index("<details>")]


def test_a_cells_explanation_names_the_file_and_line_of_its_row(
    world: World, as_persona: dict[str, Client]
) -> None:
    url = reverse("accountability:result", args=[world.oak_result.pk])
    before = as_persona["sam"].get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "not recorded (imported before Continuum kept each row's file and line)" in before
    world.oak_result.source_file, world.oak_result.source_line = "eladownload2025.txt", 17
    world.oak_result.save(update_fields=["source_file", "source_line"])
    text = as_persona["sam"].get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<dt>Read from</dt><dd><code>eladownload2025.txt</code>, line 17</dd>" in text
