"""Reads of personal API tokens."""

from __future__ import annotations

from django.db.models import QuerySet

from continuum.web.accounts.models import User
from continuum.web.api.models import ApiToken


def user_tokens(*, user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (revoked and expired ones included)."""
    return ApiToken.objects.filter(user=user)
