"""Access helpers: each fetches what a view asks for and checks the user may see it, in one call.

The rule: a county-scoped member sees the whole county; an LEA member sees that LEA, its schools
and the charters it authorised; a school member sees that school. Something outside a user's
scope is answered with 404 (its existence is not confirmed); a page a role may never use is 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from continuum.web.accounts.models import Membership, Role
from continuum.web.agencies.models import County, Lea, School

COUNTY_ROLES = frozenset({Role.COUNTY_ADMIN, Role.COUNTY_ANALYST, Role.VIEWER})
IMPORT_ROLES = frozenset({Role.COUNTY_ADMIN})
AUDIT_ROLES = frozenset({Role.COUNTY_ADMIN})

UserLike = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Scope:
    """The ids of everything a user's memberships reach, resolved once per request."""

    county_ids: frozenset[int]
    lea_ids: frozenset[int]
    school_ids: frozenset[int]
    roles_by_county: dict[int, frozenset[str]]

    @property
    def is_empty(self) -> bool:
        """True for a user with no membership at all."""
        return not (self.county_ids or self.lea_ids or self.school_ids)


SCOPE_ATTRIBUTE = "_continuum_scope"


def user_scope(user: UserLike) -> Scope:
    """What the user's memberships reach (empty for anonymous users).

    Read once per user object, which Django makes afresh for each request: a page asks several
    access questions (the navigation, the page, what may be edited) and they share one read."""
    if not user.is_authenticated:
        return Scope(frozenset(), frozenset(), frozenset(), {})
    cached: Scope | None = getattr(user, SCOPE_ATTRIBUTE, None)
    if cached is None:
        cached = _membership_scope(user)
        setattr(user, SCOPE_ATTRIBUTE, cached)
    return cached


def _membership_scope(user: AbstractBaseUser) -> Scope:
    memberships = list(Membership.objects.filter(user_id=user.pk))
    roles: dict[int, set[str]] = {}
    for membership in memberships:
        if membership.county_id is not None:
            roles.setdefault(membership.county_id, set()).add(membership.role)
    return Scope(
        county_ids=frozenset(m.county_id for m in memberships if m.county_id is not None),
        lea_ids=frozenset(m.lea_id for m in memberships if m.lea_id is not None),
        school_ids=frozenset(m.school_id for m in memberships if m.school_id is not None),
        roles_by_county={county: frozenset(r) for county, r in roles.items()},
    )


def visible_leas(user: UserLike) -> QuerySet[Lea]:
    """LEAs the user may see: their county's, their own, and charters their district authorised."""
    scope = user_scope(user)
    own_prefixes = [
        cds[:7] for cds in Lea.objects.filter(id__in=scope.lea_ids).values_list("cds", flat=True)
    ]
    condition = Q(county_id__in=scope.county_ids) | Q(id__in=scope.lea_ids)
    for prefix in own_prefixes:
        condition |= Q(kind=Lea.Kind.CHARTER, cds__startswith=prefix)
    return Lea.objects.filter(condition)


def visible_schools(user: UserLike) -> QuerySet[School]:
    """Schools the user may see."""
    scope = user_scope(user)
    return School.objects.filter(
        Q(lea__county_id__in=scope.county_ids)
        | Q(lea_id__in=scope.lea_ids)
        | Q(id__in=scope.school_ids)
    )


def access_county(user: UserLike, *, roles: frozenset[str] = COUNTY_ROLES) -> County:
    """The county the user holds one of ``roles`` in; 403 when they hold none."""
    scope = user_scope(user)
    for county_id, held in sorted(scope.roles_by_county.items()):
        if held & roles:
            return County.objects.get(id=county_id)
    raise PermissionDenied


def access_lea(user: UserLike, cds: str) -> Lea:
    """The LEA with this CDS code, if the user may see it; 404 otherwise."""
    try:
        return visible_leas(user).select_related("county").get(cds=cds)
    except Lea.DoesNotExist as error:
        raise Http404 from error


def access_school(user: UserLike, cds: str) -> School:
    """The school with this CDS code, if the user may see it; 404 otherwise."""
    try:
        return visible_schools(user).select_related("lea", "lea__county").get(cds=cds)
    except School.DoesNotExist as error:
        raise Http404 from error


def home_path_name(user: UserLike) -> tuple[str, str | None]:
    """Where a user lands: the county overview, their LEA or their school (URL name, CDS)."""
    scope = user_scope(user)
    if any(scope.roles_by_county.values()):
        return "accountability:county", None
    lea = Lea.objects.filter(id__in=scope.lea_ids).order_by("cds").first()
    if lea is not None:
        return "accountability:lea", lea.cds
    school = School.objects.filter(id__in=scope.school_ids).order_by("cds").first()
    if school is not None:
        return "accountability:school", school.cds
    raise PermissionDenied
