"""What the page layout needs to know about the signed-in user."""

from __future__ import annotations

from django.http import HttpRequest

from continuum.web.accounts.access import AUDIT_ROLES, user_scope


def navigation(request: HttpRequest) -> dict[str, bool]:
    """Whether to show the administrators' links (imports, audit trail)."""
    scope = user_scope(request.user)
    return {"nav_admin": any(roles & AUDIT_ROLES for roles in scope.roles_by_county.values())}
