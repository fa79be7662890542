"""What the county, LEA, school and explanation pages show."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

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


def test_county_overview_filters_by_level_with_htmx(
    world: World, as_persona: dict[str, Client]
) -> None:
    response = as_persona["cody"].get(
        reverse("accountability:county"), {"level": "General Assistance"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "Birch Unified" in html and "Alder Unified" not in html
    assert "<html" not in html  # only the table is sent back


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
