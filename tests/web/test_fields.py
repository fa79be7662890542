"""Every free-text field is bounded: the form, the model's validation and the services refuse
text over its maximum length."""

from __future__ import annotations

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client
from django.urls import reverse

from continuum.web.accounts.models import User
from continuum.web.assistance import services
from continuum.web.assistance.forms import MtssRatingsForm
from continuum.web.assistance.models import Engagement, Meeting, MtssAssessment, MtssRating
from continuum.web.assistance.parts import PARTS
from continuum.web.fields import NARRATIVE_MAX_LENGTH, NOTE_MAX_LENGTH, BoundedTextField
from tests.web.personas import World

pytestmark = pytest.mark.django_db

TOO_LONG_NOTES = "n" * (NARRATIVE_MAX_LENGTH + 1)


def test_every_text_field_of_the_workspace_models_is_bounded() -> None:
    unbounded = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config("assistance").get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and not isinstance(field, BoundedTextField)
    ]
    assert unbounded == []


def _unbounded_inputs(form: forms.BaseForm) -> list[str]:
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField) and field.max_length is None
    ]


@pytest.mark.parametrize("slug", sorted(PARTS))
def test_every_text_input_of_a_workspace_form_has_a_maximum_length(
    slug: str, world: World, users: dict[str, User]
) -> None:
    part = PARTS[slug]
    owner = world.engagement if part.owner is Engagement else world.event
    assert _unbounded_inputs(part.form(owner=owner, user=users["carol"])) == []


def test_the_ratings_form_bounds_its_text_inputs(world: World) -> None:
    assessment = MtssAssessment.objects.create(engagement=world.engagement, date=world.meeting.date)
    assert _unbounded_inputs(MtssRatingsForm(assessment=assessment)) == []


def _meeting_form(world: World, **overrides: str) -> dict[str, str]:
    return {"date": "2026-02-03", "kind": "team", "title": "Data dive", "notes": "", **overrides}


def test_over_long_meeting_notes_are_refused_by_the_form_with_a_message(
    world: World, as_persona: dict[str, Client]
) -> None:
    url = reverse("assistance:part_new", args=[world.engagement.pk, "meeting"])
    response = as_persona["alice"].post(url, _meeting_form(world, notes=TOO_LONG_NOTES))
    assert response.status_code == 200
    message = f"Ensure this value has at most {NARRATIVE_MAX_LENGTH} characters (it has"
    assert message in response.content.decode()
    assert not Meeting.objects.filter(title="Data dive").exists()


def test_the_textarea_tells_the_browser_its_maximum_length(
    world: World, as_persona: dict[str, Client]
) -> None:
    url = reverse("assistance:part_new", args=[world.engagement.pk, "meeting"])
    html = as_persona["alice"].get(url).content.decode()
    assert f'maxlength="{NARRATIVE_MAX_LENGTH}"' in html
    assert f'maxlength="{NOTE_MAX_LENGTH}"' in html


def test_full_clean_refuses_over_long_text(world: World) -> None:
    meeting = Meeting(
        engagement=world.engagement, date=world.meeting.date, title="t", notes=TOO_LONG_NOTES
    )
    with pytest.raises(ValidationError) as refused:
        meeting.full_clean()
    assert set(refused.value.message_dict) == {"notes"}


def test_the_create_service_refuses_over_long_text_and_saves_nothing(
    world: World, users: dict[str, User]
) -> None:
    meeting = Meeting(
        engagement=world.engagement, date=world.meeting.date, title="Long", notes=TOO_LONG_NOTES
    )
    with pytest.raises(ValidationError, match="at most"):
        services.record_create(actor=users["alice"], record=meeting)
    assert not Meeting.objects.filter(title="Long").exists()


def test_the_update_service_refuses_over_long_text_and_keeps_the_stored_text(
    world: World, users: dict[str, User]
) -> None:
    meeting = world.meeting
    stored = meeting.notes
    meeting.notes = TOO_LONG_NOTES
    with pytest.raises(ValidationError, match="at most"):
        services.record_update(
            actor=users["alice"], record=meeting, expected_version=meeting.version,
            fields=["notes"],
        )  # fmt: skip
    assert Meeting.objects.get(pk=meeting.pk).notes == stored


def test_the_ratings_service_refuses_over_long_evidence(
    world: World, users: dict[str, User]
) -> None:
    assessment = MtssAssessment.objects.create(engagement=world.engagement, date=world.meeting.date)
    with pytest.raises(ValidationError, match="at most"):
        services.mtss_ratings_save(
            actor=users["alice"], assessment=assessment, expected_version=assessment.version,
            ratings={"S1": (3, "e" * (NOTE_MAX_LENGTH + 1))},
        )  # fmt: skip
    assert not MtssRating.objects.filter(assessment=assessment).exists()
