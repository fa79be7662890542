"""Saving and deleting saved views, each audited."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.db import transaction
from django.urls import Resolver404, resolve

from continuum.web.accounts.models import User
from continuum.web.audit.services import audit_event_record
from continuum.web.saved_views.models import SavedView

# The pages whose tables a view can be saved of (their URL names).
SAVEABLE = frozenset({
    "accountability:county", "accountability:lea", "accountability:school",
    "accountability:lea_equity", "accountability:school_equity", "audit:events",
    "accountability:imports",
})  # fmt: skip


def saveable_path(path: str) -> bool:
    """Whether a path is one of the site's pages with tables (never another site's address)."""
    if not path.startswith("/") or path.startswith("//"):
        return False
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.view_name in SAVEABLE


def saved_view_save(*, actor: User, name: str, path: str, query: str) -> SavedView:
    """Save (or, under a name already used on that page, replace) the page's filters and sort;
    a download or page number in the query is left out. ``path`` is one that
    :func:`saveable_path` accepts (the form checks it)."""
    kept = [(k, v) for k, v in parse_qsl(query) if v and not k.endswith(("format", "page"))]
    with transaction.atomic():
        view, created = SavedView.objects.update_or_create(
            user=actor, path=path, name=name, defaults={"query": urlencode(kept)}
        )
        audit_event_record(
            actor=actor, verb="saved_view_create" if created else "saved_view_update",
            subject=view, details={"name": name, "path": path},
        )  # fmt: skip
    return view


def saved_view_delete(*, actor: User, view_id: int) -> None:
    """Delete one of the actor's saved views (another user's is not found)."""
    with transaction.atomic():
        view = SavedView.objects.get(pk=view_id, user=actor)
        audit_event_record(
            actor=actor, verb="saved_view_delete", subject=view,
            details={"name": view.name, "path": view.path},
        )  # fmt: skip
        view.delete()
