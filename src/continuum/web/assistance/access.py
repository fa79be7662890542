"""Who may see and change the DA workspace.

An engagement is seen by whoever may see its LEA (accounts.access.visible_leas): the county's
members and the LEA's own. It is changed by the county's administrators, by the county coaches on
its support team, and by the LEA's district leaders. Being on the team never raises anyone above
their own role: a viewer on the team stays read-only. The county-owned parts of an engagement
(its level, its status, who its COE coach is) are changed only by the county's DA staff
(administrators and coaches). Trainings and networks are seen by everyone with a membership in
the county and run by its administrators and coaches; a training's attendance is shown only for
the LEAs the reader may see. Out of scope is 404; in scope but not allowed to change is 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from continuum.web.accounts.access import UserLike, user_scope, visible_leas
from continuum.web.accounts.models import Membership, Role, User
from continuum.web.agencies.models import County, Lea
from continuum.web.assistance.models import Engagement, LearningEvent

# County staff who run DA: they propose and open engagements and run trainings and networks.
RUN_ROLES = frozenset({Role.COUNTY_ADMIN, Role.COUNTY_ANALYST})


def visible_engagements(user: UserLike) -> QuerySet[Engagement]:
    """Engagements of the LEAs the user may see."""
    engagements = Engagement.objects.filter(lea__in=visible_leas(user))
    return engagements.select_related("lea", "lea__county")


def engagement_can_edit(user: UserLike, engagement: Engagement) -> bool:
    """Whether the user may change this engagement and everything recorded in it: a county
    administrator, a county coach on its team, or a district leader of its LEA. (A place on the
    team adds nothing to a viewer's or an outsider's role.)"""
    if not user.is_authenticated:
        return False
    roles = user_scope(user).roles_by_county.get(engagement.lea.county_id, frozenset())
    if Role.COUNTY_ADMIN in roles:
        return True
    if Role.COUNTY_ANALYST in roles and engagement.team.filter(user_id=user.pk).exists():
        return True
    return Membership.objects.filter(
        user_id=user.pk, role=Role.DISTRICT_LEADER, lea_id=engagement.lea_id
    ).exists()


def access_engagement(user: UserLike, engagement_id: int, *, edit: bool = False) -> Engagement:
    """The engagement, if the user may see it (404 otherwise) and, with ``edit``, change it
    (403 otherwise)."""
    try:
        engagement = visible_engagements(user).get(pk=engagement_id)
    except Engagement.DoesNotExist as error:
        raise Http404 from error
    if edit and not engagement_can_edit(user, engagement):
        raise PermissionDenied
    return engagement


def engagement_can_run(user: UserLike, engagement: Engagement) -> bool:
    """Whether the user may change the county-owned parts of the engagement (level, status, its
    COE coach): county staff who run DA in its county."""
    return county_can_run(user, engagement.lea.county_id)


def engagement_readers(engagement: Engagement) -> QuerySet[User]:
    """Active users who may see the engagement, by username: members of its county, of its
    LEA, and (for a charter) of the district that authorised it, as ``visible_leas`` reads it."""
    lea = engagement.lea
    condition = Q(memberships__county_id=lea.county_id) | Q(memberships__lea_id=lea.pk)
    if lea.kind == Lea.Kind.CHARTER:
        condition |= Q(memberships__lea__cds__startswith=lea.cds[:7])
    return User.objects.filter(condition, is_active=True).distinct().order_by("username")


def member_counties(user: UserLike) -> QuerySet[County]:
    """Counties in which the user holds any membership (county, LEA or school)."""
    scope = user_scope(user)
    return County.objects.filter(
        Q(id__in=scope.county_ids)
        | Q(leas__id__in=scope.lea_ids)
        | Q(leas__schools__id__in=scope.school_ids)
    ).distinct()


def access_event(user: UserLike, event_id: int, *, edit: bool = False) -> LearningEvent:
    """A training or network, if the user belongs to its county (404 otherwise) and, with
    ``edit``, is an administrator or coach there (403 otherwise)."""
    try:
        event = LearningEvent.objects.select_related("county").get(
            pk=event_id, county__in=member_counties(user)
        )
    except LearningEvent.DoesNotExist as error:
        raise Http404 from error
    if edit and not county_can_run(user, event.county_id):
        raise PermissionDenied
    return event


def county_can_run(user: UserLike, county_id: int) -> bool:
    """Whether the user is county staff who run DA (engagements, trainings) in this county."""
    return bool(user_scope(user).roles_by_county.get(county_id, frozenset()) & RUN_ROLES)
