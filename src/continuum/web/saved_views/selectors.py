"""Reads of saved views: only the user's own."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from continuum.web.saved_views.models import SavedView


def saved_views_of(
    user: AbstractBaseUser | AnonymousUser, *, path: str = ""
) -> QuerySet[SavedView]:
    """The user's saved views (of one page when a path is given); none for a visitor."""
    if not user.is_authenticated:
        return SavedView.objects.none()
    views = SavedView.objects.filter(user_id=user.pk)
    return views.filter(path=path) if path else views
