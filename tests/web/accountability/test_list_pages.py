"""The county lists: their rows, scoped to the reader's county, filtered through the query
string, downloaded as shown."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.web.accountability.models import EssaResult, IndicatorResult, ResultYear
from continuum.web.accounts.models import User
from tests.web.personas import World, client_for, other_county_admin_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def essa(world: World) -> None:
    EssaResult.objects.create(
        year=2025, cds=world.oak.cds, status="ATSI", groups=["SWD"],
        explanation="Students with Disabilities: every indicator Red.",
    )  # fmt: skip
    EssaResult.objects.create(year=2025, cds=world.pine.cds, status="CSI Low Perform")
    EssaResult.objects.create(year=2025, cds=world.elm.cds, status="TSI")


def _page(client: Client, name: str, **query: str) -> str:
    response = client.get(reverse(f"accountability:county_{name}"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_essa_list_shows_each_schools_status_and_reason(
    world: World, as_persona: dict[str, Client], essa: None
) -> None:
    page = _page(as_persona["cody"], "essa_schools")
    assert "Oak Elementary" in page and "Pine High" in page
    assert "CSI: lowest-performing" in page
    assert "Students with Disabilities: every indicator Red." in page
    assert page.index("Pine High") < page.index("Oak Elementary")  # CSI before ATSI


def test_the_essa_list_filtered_by_status_keeps_only_that_status(
    world: World, as_persona: dict[str, Client], essa: None
) -> None:
    page = _page(as_persona["cody"], "essa_schools", status="ATSI")
    assert "Oak Elementary" in page and "Pine High" not in page


def test_another_countys_administrator_sees_only_their_county(
    world: World, users: dict[str, User], essa: None
) -> None:
    dora = client_for(other_county_admin_create(world))
    page = _page(dora, "essa_schools")
    assert "Elm Middle" in page
    assert "Oak Elementary" not in page and "Pine High" not in page


def test_the_matrix_shows_each_groups_colour_with_its_word(
    world: World, as_persona: dict[str, Client]
) -> None:
    page = _page(as_persona["cody"], "group_matrix", indicator="ELA", colour="1")
    assert "Alder Unified" in page and "Birch Unified" in page
    assert "2 rows matching the filters (4 in all)" in page
    assert "chip--1" in page and "Red" in page  # the colour's shape and word


def test_the_changes_list_compares_with_the_year_before(
    world: World, as_persona: dict[str, Client]
) -> None:
    ResultYear.objects.create(year=2024, rows=1, imported_at=timezone.now())
    IndicatorResult.objects.create(
        year=2024, cds=world.alder.cds, rtype="D", name=world.alder.name, studentgroup="ALL",
        indicator="ELA", color=1,
    )  # fmt: skip
    page = _page(as_persona["cody"], "colour_changes", year="2025")
    assert "Colour went up (better)" in page and "Alder Unified" in page
    assert "Birch Unified" not in page


def test_the_priority_list_names_the_priority_area(
    world: World, as_persona: dict[str, Client]
) -> None:
    page = _page(as_persona["cody"], "priority_areas")
    assert "4: Pupil Achievement" in page and "Red on ELA" in page


def test_a_csv_download_holds_exactly_the_rows_shown(
    world: World, as_persona: dict[str, Client]
) -> None:
    response = as_persona["cody"].get(
        reverse("accountability:county_group_matrix"),
        {"indicator": "ELA", "colour": "1", "format": "csv"},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [(r[0], r[1]) for r in rows[1:]] == [
        ("Alder Unified", "Students with Disabilities"),
        ("Birch Unified", "Students with Disabilities"),
    ]


def test_the_county_overview_links_to_the_lists(as_persona: dict[str, Client]) -> None:
    page = as_persona["cody"].get(reverse("accountability:county")).content.decode()
    for name in ("essa_schools", "priority_areas", "group_matrix", "colour_changes"):
        assert reverse(f"accountability:county_{name}") in page
