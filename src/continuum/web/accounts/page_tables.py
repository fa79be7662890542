"""The administrators' users table: its spec (``continuum.web.tables``) and rows."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from continuum.web.accounts.models import Membership
from continuum.web.tables import Column, Filter, Row, TableSpec

USERS = TableSpec(
    name="users",
    title="Users and their roles",
    columns=(
        Column("username", "Username"),
        Column("role", "Role"),
        Column("scope", "Scope"),
        Column("last_login", "Last sign-in", kind="datetime"),  # a dash: never
        Column("status", "Status"),
        Column("actions", "Actions", kind="links", sortable=False, download=False),
    ),
    filters=(Filter("role", "Role"), Filter("status", "Status")),
    search=("username", "scope"),
    search_label="Username or scope",
    page_size=50,
    default_sort="username",
)


def user_rows(memberships: Iterable[Membership]) -> list[Row]:
    """Each membership as a row, with the links that change it and its user."""
    rows: list[Row] = []
    for m in memberships:
        user, role, scope = m.user, m.get_role_display(), str(m.scope)
        membership = f"{user.username}’s role {role} of {scope}"
        if user.is_active:
            status = ("Deactivate", reverse("accounts:user_deactivate", args=[user.pk]))
        else:
            status = ("Reactivate", reverse("accounts:user_reactivate", args=[user.pk]))
        rows.append({
            "username": user.username, "role": role, "scope": scope,
            "last_login": user.last_login,
            "status": "Active" if user.is_active else "Deactivated",
            "actions": [
                ("Edit", reverse("accounts:membership_edit", args=[m.pk]), membership),
                ("Remove", reverse("accounts:membership_remove", args=[m.pk]), membership),
                (*status, f"user {user.username}"),
                ("Reset link", reverse("accounts:user_password_reset_link", args=[user.pk]),
                 f"for {user.username}’s password"),
            ],
        })  # fmt: skip
    return rows
