"""Reads of accounts, scoped to the county an administrator manages."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from continuum.web.accounts.models import Membership, User
from continuum.web.agencies.models import County, Lea, School


def county_memberships(*, county: County) -> QuerySet[Membership]:
    """Every membership whose scope lies in the county, by username."""
    return (
        Membership.objects.filter(
            Q(county=county) | Q(lea__county=county) | Q(school__lea__county=county)
        )
        .select_related("user", "county", "lea", "school")
        .order_by("user__username", "role")
    )


def county_scope_by_code(*, county: County, code: str) -> County | Lea | School | None:
    """The county itself (its two-digit code), or an LEA or school of it by CDS code."""
    if code == county.code:
        return county
    return (
        Lea.objects.filter(county=county, cds=code).first()
        or School.objects.filter(lea__county=county, cds=code).first()
    )


def county_membership(*, county: County, pk: int) -> Membership | None:
    """One membership whose scope lies in the county (None for any other)."""
    return county_memberships(county=county).filter(pk=pk).first()


def county_user(*, county: County, pk: int) -> User | None:
    """A user holding at least one membership in the county (None for any other)."""
    members = county_memberships(county=county).filter(user_id=pk)
    return User.objects.filter(pk=pk, pk__in=members.values("user_id")).first()


def scope_code(scope: County | Lea | School) -> str:
    """The code an administrator types for a scope: the county's two digits or a CDS code."""
    return scope.code if isinstance(scope, County) else scope.cds
