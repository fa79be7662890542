"""The MTSS lens: assessments side by side, and rating every item at once."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from continuum.improvement import mtss
from continuum.web.accounts.models import User
from continuum.web.assistance.models import MtssAssessment, MtssRating
from continuum.web.assistance.services import mtss_ratings_save
from continuum.web.audit.models import AuditEvent
from tests.web.personas import World

pytestmark = pytest.mark.django_db


def _assessments(world: World) -> tuple[MtssAssessment, MtssAssessment]:
    first = MtssAssessment.objects.create(
        engagement=world.engagement, date=datetime.date(2025, 10, 1), notes="Baseline"
    )
    second = MtssAssessment.objects.create(
        engagement=world.engagement, date=datetime.date(2026, 3, 1)
    )
    MtssRating.objects.create(assessment=first, item="S1", rating=1, evidence="No team yet")
    MtssRating.objects.create(assessment=first, item="S2", rating=2)
    MtssRating.objects.create(assessment=second, item="S1", rating=3, evidence="Team meets monthly")
    MtssRating.objects.create(assessment=second, item="S2", rating=2)
    return first, second


def _rate_url(world: World, assessment: MtssAssessment) -> str:
    return reverse("assistance:mtss_rate", args=[world.engagement.pk, assessment.pk])


def _post(assessment: MtssAssessment, **ratings: tuple[str, str]) -> dict[str, str]:
    data = {"version": str(assessment.version)}
    for code in mtss.ITEMS:
        rating, evidence = ratings.get(code, ("", ""))
        data[f"rating_{code}"], data[f"evidence_{code}"] = rating, evidence
    return data


@pytest.mark.parametrize("persona", ["carol", "cody", "alice", "vera"])
def test_page_shows_each_assessment_with_labels_changes_averages_and_evidence(
    persona: str, world: World, as_persona: dict[str, Client]
) -> None:
    _assessments(world)
    page = as_persona[persona].get(reverse("assistance:mtss", args=[world.engagement.pk]))
    html = page.content.decode()
    assert "1 Oct 2025" in html and "1 Mar 2026" in html
    assert "1 · Not in place" in html and "3 · Partially in place" in html
    assert "change: +2 (up)" in html and "change: 0 (no change)" in html
    assert "Team meets monthly" in html and "No team yet" in html
    assert "System structure average" in html
    assert "1.50" in html and "2.50" in html and "change: +1 (up)" in html
    assert ("Rate the items" in html) is (persona != "vera")


def test_rate_form_is_prefilled_with_the_saved_ratings(
    world: World, as_persona: dict[str, Client]
) -> None:
    _, second = _assessments(world)
    html = as_persona["cody"].get(_rate_url(world, second)).content.decode()
    assert 'name="rating_S1" value="3"' in html
    checked = html[html.index('name="rating_S1" value="3"') :][:120]
    assert "checked" in checked
    assert "Team meets monthly</textarea>" in html
    assert f'name="version" value="{second.version}"' in html


def test_saving_ratings_creates_updates_and_deletes_rows_with_one_audit_event(
    world: World, as_persona: dict[str, Client]
) -> None:
    _, second = _assessments(world)
    data = _post(second, S1=("4", "Team owns the plan"), D2=("2", "Screening in K-2 only"))
    response = as_persona["alice"].post(_rate_url(world, second), data)
    assert response.status_code == 302
    rows = {r.item: (r.rating, r.evidence) for r in second.ratings.all()}
    assert rows == {"S1": (4, "Team owns the plan"), "D2": (2, "Screening in K-2 only")}
    second.refresh_from_db()
    assert second.version == 2
    event = AuditEvent.objects.get(verb="mtssassessment_rate")
    assert event.details["created"] == ["D2"]
    assert event.details["updated"] == ["S1"]
    assert event.details["deleted"] == ["S2"]
    assert AuditEvent.objects.filter(verb__startswith="mtssrating").count() == 0


def test_a_stale_version_is_refused_with_a_message_and_nothing_changes(
    world: World, as_persona: dict[str, Client]
) -> None:
    _, second = _assessments(world)
    stale = _post(second, S1=("4", "Mine"))
    as_persona["cody"].post(_rate_url(world, second), _post(second, S1=("2", "Theirs")))
    response = as_persona["alice"].post(_rate_url(world, second), stale)
    assert response.status_code == 200
    assert "cody changed this MTSS self-assessment" in response.content.decode()
    assert second.ratings.get(item="S1").evidence == "Theirs"
    assert AuditEvent.objects.filter(verb="mtssassessment_rate").count() == 1


@pytest.mark.parametrize("rating", ["0", "5"])
def test_a_rating_outside_one_to_four_is_refused(
    rating: str, world: World, as_persona: dict[str, Client]
) -> None:
    _, second = _assessments(world)
    response = as_persona["cody"].post(_rate_url(world, second), _post(second, S1=(rating, "")))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert second.ratings.get(item="S1").rating == 3
    assert not AuditEvent.objects.filter(verb="mtssassessment_rate").exists()


def test_evidence_without_a_rating_is_refused(world: World, as_persona: dict[str, Client]) -> None:
    _, second = _assessments(world)
    response = as_persona["cody"].post(_rate_url(world, second), _post(second, P1=("", "Notes")))
    assert "Choose a rating for this evidence" in response.content.decode()
    assert not second.ratings.filter(item="P1").exists()


def test_generic_rating_form_offers_only_the_framework_items(
    world: World, as_persona: dict[str, Client]
) -> None:
    first, _ = _assessments(world)
    url = reverse("assistance:part_new", args=[world.engagement.pk, "rating"])
    bad = as_persona["cody"].post(url, {"assessment": first.pk, "item": "X9", "rating": 2})
    assert bad.status_code == 200
    assert not first.ratings.filter(item="X9").exists()
    good = as_persona["cody"].post(url, {"assessment": first.pk, "item": "P1", "rating": 2})
    assert good.status_code == 302
    assert first.ratings.get(item="P1").rating == 2


def test_a_new_assessment_offers_to_rate_its_items(
    world: World, as_persona: dict[str, Client]
) -> None:
    url = reverse("assistance:part_new", args=[world.engagement.pk, "assessment"])
    response = as_persona["alice"].post(url, {"date": "2026-05-01"}, follow=True)
    assessment = MtssAssessment.objects.get()
    html = response.content.decode()
    assert _rate_url(world, assessment) in html
    assert "no item rated yet" in html


def test_service_refuses_items_outside_the_framework_and_changes_nothing(
    world: World, users: dict[str, User]
) -> None:
    _, second = _assessments(world)
    with pytest.raises(ValueError, match="X9"):
        mtss_ratings_save(
            actor=users["cody"], assessment=second, ratings={"X9": (2, ""), "S1": (4, "")},
            expected_version=second.version,
        )  # fmt: skip
    second.refresh_from_db()
    assert second.version == 1
    assert second.ratings.get(item="S1").rating == 3
