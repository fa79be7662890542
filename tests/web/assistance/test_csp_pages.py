"""The DA pages with drawings (fishbone, MTSS grid, driver diagram, run charts) render under the
Content-Security-Policy: no inline style and no inline script, which the policy would block."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from continuum.web.assistance.models import (
    Cause,
    ChangeIdea,
    DataPoint,
    Driver,
    FishboneCategory,
    Measure,
    MtssAssessment,
    MtssRating,
)
from tests.web.personas import World

pytestmark = pytest.mark.django_db

STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)


def _drawings(world: World) -> None:
    """A fishbone with a cause, two rated MTSS self-assessments, a driver diagram and a
    measure with enough points to draw its run chart."""
    engagement = world.engagement
    bone = FishboneCategory.objects.create(engagement=engagement, name="Schedules")
    Cause.objects.create(category=bone, text="No shared planning time", evidence="Schedule")
    for day, rating in ((1, 2), (20, 3)):
        assessment = MtssAssessment.objects.create(
            engagement=engagement, date=datetime.date(2026, 1, day), notes="Team rated"
        )
        MtssRating.objects.create(assessment=assessment, item="S1", rating=rating, evidence="e")
    primary = Driver.objects.create(engagement=engagement, text="Core instruction")
    secondary = Driver.objects.create(engagement=engagement, parent=primary, text="Co-teaching")
    ChangeIdea.objects.create(driver=secondary, text="Shared planning block")
    measure = Measure.objects.create(engagement=engagement, name="Minutes of co-planning")
    for day in range(1, 13):
        DataPoint.objects.create(measure=measure, date=datetime.date(2026, 2, day), value=day)


@pytest.mark.parametrize("name", ["root_causes", "mtss", "driver_diagram", "pdsa", "engagement"])
def test_drawing_pages_have_no_inline_style_or_script_and_carry_the_policy(
    name: str, world: World, as_persona: dict[str, Client]
) -> None:
    _drawings(world)
    response = as_persona["cody"].get(reverse(f"assistance:{name}", args=[world.engagement.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html or name in {"mtss", "engagement"}
    assert STYLE_ATTRIBUTE.search(html) is None, STYLE_ATTRIBUTE.search(html)
    assert STYLE_ELEMENT.search(html) is None
    assert INLINE_SCRIPT.search(html) is None
    policy = response["Content-Security-Policy"]
    assert "style-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_the_mtss_grid_still_shows_each_items_description(
    world: World, as_persona: dict[str, Client]
) -> None:
    _drawings(world)
    html = as_persona["cody"].get(reverse("assistance:mtss", args=[world.engagement.pk]))
    assert 'class="muted item-description"' in html.content.decode()
