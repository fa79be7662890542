"""Create, edit and delete any workspace record (the kinds are listed in ``parts.PARTS``).

Edits carry the version the editor opened; a save over someone else's newer save is refused
with a message on the form (optimistic locking), never silently applied.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Owning:
    """A kind of owner of workspace records: how to reach one a user may change, the prefix of
    its parts' URL names, and the page listing the owners (after an owner itself is deleted)."""

    model: type[m.Engagement] | type[m.LearningEvent]
    access: Callable[..., Owner]
    url_prefix: str
    list_page: str


# The URLconf passes one of these keys as ``owner``.
OWNERS = {
    "engagement": Owning(m.Engagement, access_engagement, "assistance:part",
                         "assistance:engagements"),
    "event": Owning(m.LearningEvent, access_event, "assistance:event_part", "assistance:events"),
}  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def part_new(request: HttpRequest, owner: str, owner_id: int, kind: str) -> HttpResponse:
    """A new record of an engagement or of a training (owners themselves are made elsewhere)."""
    owning = OWNERS[owner]
    found = owning.access(request.user, owner_id, edit=True)
    part = part_for(kind, owning.model)
    if part.path == "pk":
        raise Http404
    return _form(request, part, found, None)


@login_required
@require_http_methods(["GET", "POST"])
def part_edit(
    request: HttpRequest, owner: str, owner_id: int, kind: str, part_id: int
) -> HttpResponse:
    """Edit a record of an engagement or of a training (or the engagement or training itself)."""
    owning = OWNERS[owner]
    found = owning.access(request.user, owner_id, edit=True)
    part = part_for(kind, owning.model)
    return _form(request, part, found, _record(part, found, part_id))


@login_required
@require_http_methods(["GET", "POST"])
def part_delete(
    request: HttpRequest, owner: str, owner_id: int, kind: str, part_id: int
) -> HttpResponse:
    """Confirm, then delete, a record of an engagement or of a training."""
    owning = OWNERS[owner]
    found = owning.access(request.user, owner_id, edit=True)
    part = part_for(kind, owning.model)
    if not part.deletable:
        raise Http404
    return _delete(request, part, found, _record(part, found, part_id))


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest) -> HttpResponse:
    """A new training or network of the user's county."""
    county = access_county(request.user, roles=RUN_ROLES)
    return _form(request, part_for("event", m.LearningEvent), m.LearningEvent(county=county), None)


def _owning(part: Part) -> Owning:
    return next(owning for owning in OWNERS.values() if owning.model is part.owner)


def _record(part: Part, owner: Owner, part_id: int) -> m.Versioned:
    record: m.Versioned = get_object_or_404(part.owned(owner), pk=part_id)  # type: ignore[arg-type]
    return record


def _page(part: Part, owner: Owner) -> str:
    """Where the part's records are listed: its page (at its anchor) or, for an owner not
    saved yet, the list of owners."""
    if owner.pk is None:
        return reverse(_owning(part).list_page)
    url = reverse(part.page, args=[owner.pk])
    return f"{url}#{part.anchor}" if part.anchor else url


def _form(
    request: HttpRequest, part: Part, owner: Owner, record: m.Versioned | None
) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    instance = record if record is not None else part.new_record(owner)
    initial = {name: request.GET[name] for name in part.form.base_fields if name in request.GET}
    form = part.form(
        request.POST or None, instance=instance, owner=owner, user=user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        related = form.related()
        merged = form.merged_into() if record is None else None
        try:
            if merged is not None:
                target, changed = merged
                record_update(
                    actor=user, record=target, expected_version=target.version, fields=changed
                )
            elif record is None:
                record_create(actor=user, record=saved, related=related)
            else:
                record_update(
                    actor=user, record=saved, expected_version=form.cleaned_data["version"],
                    fields=form.offered(), related=related,
                )  # fmt: skip
        except StaleRecordError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Saved the {part.label}.")
            return redirect(_page(part, owner))
    context = {
        "form": form,
        "heading": f"{'Edit' if record else 'New'} {part.label}",
        "part": part,
        "owner": owner,
        "record": record,
        "back": _page(part, owner),
        "delete_url": _delete_url(part, owner, record),
    }
    return render(request, "assistance/part_form.html", context)


def _delete_url(part: Part, owner: Owner, record: m.Versioned | None) -> str:
    if record is None or not part.deletable:
        return ""
    return reverse(f"{_owning(part).url_prefix}_delete", args=[owner.pk, part.slug, record.pk])


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
            if part.path == "pk":  # the owner itself is gone
                return redirect(_owning(part).list_page)
            return redirect(_page(part, owner))
    context = {"part": part, "owner": owner, "record": record, "error": error,
               "back": _page(part, owner)}  # fmt: skip
    return render(request, "assistance/part_delete.html", context)
