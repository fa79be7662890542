"""Reads of accounts, scoped to the county an administrator manages."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from continuum.web.accounts.models import Membership
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
