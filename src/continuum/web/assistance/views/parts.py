"""Create, edit and delete any workspace record (the kinds are listed in ``parts.PARTS``).

Edits carry the version the editor opened; a save over someone else's newer save is refused
with a message on the form (optimistic locking), never silently applied.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from continuum.web.accounts.access import access_county
from continuum.web.accounts.models import User
from continuum.web.assistance import models as m
from continuum.web.assistance.access import RUN_ROLES, access_engagement, access_event
from continuum.web.assistance.parts import Part, part_for
from continuum.web.assistance.services import (
    StaleRecordError,
    record_create,
    record_delete,
    record_update,
)

Owner = m.Engagement | m.LearningEvent


@login_required
@require_http_methods(["GET", "POST"])
def part_new(request: HttpRequest, engagement_id: int, kind: str) -> HttpResponse:
    """A new record of an engagement."""
    engagement = access_engagement(request.user, engagement_id, edit=True)
    return _form(request, part_for(kind, m.Engagement), engagement, None)


@login_required
@require_http_methods(["GET", "POST"])
def part_edit(request: HttpRequest, engagement_id: int, kind: str, part_id: int) -> HttpResponse:
    """Edit a record of an engagement."""
    engagement = access_engagement(request.user, engagement_id, edit=True)
    part = part_for(kind, m.Engagement)
    return _form(request, part, engagement, _record(part, engagement, part_id))


@login_required
@require_http_methods(["GET", "POST"])
def part_delete(request: HttpRequest, engagement_id: int, kind: str, part_id: int) -> HttpResponse:
    """Confirm, then delete, a record of an engagement."""
    engagement = access_engagement(request.user, engagement_id, edit=True)
    part = part_for(kind, m.Engagement)
    if not part.deletable:
        raise Http404
    return _delete(request, part, engagement, _record(part, engagement, part_id))


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest) -> HttpResponse:
    """A new training or network of the user's county."""
    county = access_county(request.user, roles=RUN_ROLES)
    return _form(request, part_for("event", m.LearningEvent), m.LearningEvent(county=county), None)


@login_required
@require_http_methods(["GET", "POST"])
def event_part_new(request: HttpRequest, event_id: int, kind: str) -> HttpResponse:
    """A new record (session, attendance, material) of a training or network."""
    event = access_event(request.user, event_id, edit=True)
    return _form(request, part_for(kind, m.LearningEvent), event, None)


@login_required
@require_http_methods(["GET", "POST"])
def event_part_edit(request: HttpRequest, event_id: int, kind: str, part_id: int) -> HttpResponse:
    """Edit a training or network, or one of its records."""
    event = access_event(request.user, event_id, edit=True)
    part = part_for(kind, m.LearningEvent)
    return _form(request, part, event, _record(part, event, part_id))


@login_required
@require_http_methods(["GET", "POST"])
def event_part_delete(request: HttpRequest, event_id: int, kind: str, part_id: int) -> HttpResponse:
    """Confirm, then delete, a training or network or one of its records."""
    event = access_event(request.user, event_id, edit=True)
    part = part_for(kind, m.LearningEvent)
    return _delete(request, part, event, _record(part, event, part_id))


def _record(part: Part, owner: Owner, part_id: int) -> m.Versioned:
    record: m.Versioned = get_object_or_404(part.owned(owner), pk=part_id)  # type: ignore[arg-type]
    return record


def _page(part: Part, owner: Owner, record: m.Versioned | None) -> str:
    if part.slug == "event" and record is None:
        return reverse("assistance:events")
    target = owner.pk if owner.pk is not None else getattr(record, "pk", None)
    url = reverse(part.page, args=[target])
    return f"{url}#{part.anchor}" if part.anchor else url


def _form(
    request: HttpRequest, part: Part, owner: Owner, record: m.Versioned | None
) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    instance = record if record is not None else part.model()
    if record is None and part.path in ("engagement", "event"):
        setattr(instance, part.path, owner)
    if record is None and isinstance(instance, m.LearningEvent):
        instance.county = owner.county  # type: ignore[union-attr]
    initial = {name: request.GET[name] for name in part.form.base_fields if name in request.GET}
    form = part.form(request.POST or None, instance=instance, owner=owner, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        related = {
            name: form.cleaned_data[name]
            for name, field in form.fields.items()
            if isinstance(field, forms.ModelMultipleChoiceField)
        }
        try:
            if record is None:
                record_create(actor=user, record=saved, related=related)
            else:
                record_update(
                    actor=user, record=saved, expected_version=form.cleaned_data["version"],
                    fields=[n for n in part.form._meta.fields or [] if n not in related],
                    related=related,
                )  # fmt: skip
        except StaleRecordError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Saved the {part.label}.")
            return redirect(_page(part, owner, saved))
    context = {
        "form": form,
        "part": part,
        "owner": owner,
        "record": record,
        "back": _page(part, owner, record),
        "delete_url": _delete_url(part, owner, record),
    }
    return render(request, "assistance/part_form.html", context)


def _delete_url(part: Part, owner: Owner, record: m.Versioned | None) -> str:
    if record is None or not part.deletable:
        return ""
    for_event = part.owner is m.LearningEvent
    name = "assistance:event_part_delete" if for_event else "assistance:part_delete"
    return reverse(name, args=[owner.pk, part.slug, record.pk])


def _delete(request: HttpRequest, part: Part, owner: Owner, record: m.Versioned) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    error = ""
    if request.method == "POST":
        version = request.POST.get("version", "")
        try:
            record_delete(
                actor=user, record=record, expected_version=int(version) if version.isdigit() else 0
            )
        except StaleRecordError as stale:
            error = stale.message
        else:
            messages.success(request, f"Deleted the {part.label}.")
            if part.slug == "event":
                return redirect("assistance:events")
            return redirect(_page(part, owner, None))
    context = {"part": part, "owner": owner, "record": record, "error": error,
               "back": _page(part, owner, record)}  # fmt: skip
    return render(request, "assistance/part_delete.html", context)
