"""The signed-in user's saved views of the page, for the filter bar (read only when shown)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from continuum.web.saved_views.selectors import saved_views_of


def saved_views(request: HttpRequest) -> dict[str, object]:
    """``page_saved_views``: the user's saved views of this page, queried on first use."""
    return {
        "page_saved_views": SimpleLazyObject(
            lambda: list(saved_views_of(request.user, path=request.path))
        )
    }
