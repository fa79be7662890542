"""What the page layout needs to know about the signed-in user."""

from __future__ import annotations

from django.http import HttpRequest

from continuum.web.accounts.access import AUDIT_ROLES, COUNTY_ROLES, user_scope


def navigation(request: HttpRequest) -> dict[str, bool]:
    """Which links to show: the administrators' (imports, audit trail) and the county's (the
    county-wide list of DA engagements)."""
    scope = user_scope(request.user)
    held = scope.roles_by_county.values()
    return {
        "nav_admin": any(roles & AUDIT_ROLES for roles in held),
        "nav_county": any(roles & COUNTY_ROLES for roles in held),
    }
