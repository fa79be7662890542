"""Every kind of workspace record is created, edited and deleted through the same forms, and
every one of those writes is audited. A kind without an entry here fails the first test."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from continuum.improvement.mtss import ITEMS
from continuum.web.accounts.models import User
from continuum.web.assistance import models as m
from continuum.web.assistance.parts import PARTS
from continuum.web.audit.models import AuditEvent
from tests.web.personas import World

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Parents:
    """Records other records point at."""

    category: m.FishboneCategory
    finding: m.DataFinding
    driver: m.Driver
    idea: m.ChangeIdea
    measure: m.Measure
    assessment: m.MtssAssessment


def _parents(world: World) -> Parents:
    engagement = world.engagement
    driver = m.Driver.objects.create(engagement=engagement, text="Attendance routines")
    return Parents(
        category=m.FishboneCategory.objects.create(engagement=engagement, name="Practices"),
        finding=m.DataFinding.objects.create(engagement=engagement, statement="SWD absent"),
        driver=driver,
        idea=m.ChangeIdea.objects.create(driver=driver, text="Daily check-in"),
        measure=m.Measure.objects.create(engagement=engagement, name="Weekly attendance"),
        assessment=m.MtssAssessment.objects.create(engagement=engagement, date="2026-01-10"),
    )


Data = Callable[[World, Parents, dict[str, User]], dict[str, object]]
# Valid form data for each kind (the owner is in the URL).
VALID: dict[str, Data] = {
    "engagement": lambda w, p, u: {
        "status": "active", "level": 2, "problem_of_practice": "SWD miss class.",
        "theory_of_action": "", "aim": "", "aim_measure": "", "aim_baseline": "",
        "aim_target": "", "aim_date": "",
    },
    "team": lambda w, p, u: {"user": u["alice"].pk, "part": "district_lead"},
    "meeting": lambda w, p, u: {"date": "2026-02-01", "kind": "team", "title": "Review"},
    "finding": lambda w, p, u: {"statement": "Chronic absence is highest in grade 6."},
    "category": lambda w, p, u: {"name": "Materials", "position": 2},
    "cause": lambda w, p, u: {"category": p.category.pk, "text": "No attendance team",
                              "finding": p.finding.pk},
    "whys": lambda w, p, u: {"problem": "Students miss school", "whys": "Buses late\nRoutes",
                             "root_cause": "Routes"},
    "interview": lambda w, p, u: {"date": "2026-01-12", "interviewee": "family",
                                  "summary": "Mornings are hard.", "themes": "transport"},
    "assessment": lambda w, p, u: {"date": "2026-03-01", "notes": ""},
    "rating": lambda w, p, u: {"assessment": p.assessment.pk, "item": next(iter(ITEMS)),
                               "rating": 2, "evidence": "Team meets monthly"},
    "driver": lambda w, p, u: {"parent": p.driver.pk, "text": "Family outreach", "position": 1},
    "idea": lambda w, p, u: {"driver": p.driver.pk, "text": "Text families", "goal": ""},
    "measure": lambda w, p, u: {"name": "Check-ins done", "kind": "process", "unit": "%",
                                "higher_is_better": "on"},
    "point": lambda w, p, u: {"measure": p.measure.pk, "date": "2026-01-05", "value": "91.5"},
    "cycle": lambda w, p, u: {"change_idea": p.idea.pk, "title": "Cycle 1", "question": "Will it?",
                              "prediction": "Yes", "measures": [p.measure.pk]},
    "event": lambda w, p, u: {"title": "Institute", "kind": "training", "mode": "hybrid"},
    "session": lambda w, p, u: {"title": "Day 2", "date": "2026-02-10"},
    "attendance": lambda w, p, u: {"session": w.session.pk, "lea": w.alder.pk,
                                   "role": "teacher", "count": 4},
    "material": lambda w, p, u: {"title": "Slides", "url": "https://example.org/slides.pdf"},
}  # fmt: skip


def _data(kind: str, world: World, parents: Parents, users: dict[str, User]) -> dict[str, object]:
    return VALID[kind](world, parents, users)


def _urls(kind: str, world: World, record_id: int | None) -> tuple[str, str, str]:
    part = PARTS[kind]
    owner = world.event.pk if part.owner is m.LearningEvent else world.engagement.pk
    prefix = "assistance:event_part" if part.owner is m.LearningEvent else "assistance:part"
    new = reverse(f"{prefix}_new", args=[owner, kind])
    if kind == "event":
        new = reverse("assistance:event_new")
    if record_id is None:
        return new, "", ""
    if kind == "event":
        owner = record_id  # a training is its own owner
    edit = reverse(f"{prefix}_edit", args=[owner, kind, record_id])
    return new, edit, reverse(f"{prefix}_delete", args=[owner, kind, record_id])


def test_every_kind_of_record_has_valid_test_data() -> None:
    assert set(VALID) == set(PARTS)


@pytest.mark.parametrize("kind", sorted(PARTS))
def test_each_kind_is_created_edited_and_deleted_with_an_audit_event_for_each_write(
    kind: str, world: World, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    parents = _parents(world)
    part = PARTS[kind]
    carol = as_persona["carol"]
    data = _data(kind, world, parents, users)
    verb = part.model._meta.model_name
    if kind == "engagement":
        record: m.Versioned = world.engagement
    else:
        before = set(part.model._default_manager.values_list("pk", flat=True))
        created = carol.post(_urls(kind, world, None)[0], data)
        assert created.status_code == 302, created.content.decode()[:2000]
        (new_id,) = set(part.model._default_manager.values_list("pk", flat=True)) - before
        record = part.model._default_manager.get(pk=new_id)
        assert AuditEvent.objects.filter(verb=f"{verb}_create", subject_id=str(new_id)).exists()
    _, edit, delete = _urls(kind, world, record.pk)
    edited = carol.post(edit, {**data, "version": record.version})
    assert edited.status_code == 302, edited.content.decode()[:2000]
    record.refresh_from_db()
    assert record.version == 2 and record.updated_by == users["carol"]
    assert AuditEvent.objects.filter(verb=f"{verb}_update", subject_id=str(record.pk)).exists()
    if part.deletable:
        assert carol.post(delete, {"version": record.version}).status_code == 302
        assert not part.model._default_manager.filter(pk=record.pk).exists()
        assert AuditEvent.objects.filter(verb=f"{verb}_delete", subject_id=str(record.pk)).exists()
