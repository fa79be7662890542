"""Users and their memberships: a role held over a scope (a county, an LEA or a school)."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower

from continuum.web.agencies.models import County, Lea, School


class CaseInsensitiveUserManager(UserManager["User"]):
    """Finds users by username regardless of case, as sign-in and the commands do."""

    def with_username(self, username: str) -> models.QuerySet[User]:
        """The user (at most one) whose username is this one in any case. Both sides are
        lowered by the database, as in the uniqueness constraint, so the two always agree."""
        return self.alias(username_lower=Lower("username")).filter(
            username_lower=Lower(models.Value(username))
        )

    def get_by_natural_key(self, username: str | None) -> User:
        """Used by Django's sign-in backend: "Alice" signs in as "alice"."""
        return self.with_username(username or "").get()


class User(AbstractUser):
    """A person who signs in. What they may see and do comes from their memberships."""

    objects: ClassVar[CaseInsensitiveUserManager] = CaseInsensitiveUserManager()

    class Meta:
        verbose_name = "user"
        verbose_name_plural = "users"
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_unique_in_any_case")
        ]


class Role(models.TextChoices):
    """What a member may do within their scope."""

    COUNTY_ADMIN = "county_admin", "County administrator"
    COUNTY_ANALYST = "county_analyst", "County analyst / coach"
    DISTRICT_LEADER = "district_leader", "District leader"
    SCHOOL_LEADER = "school_leader", "School leader"
    VIEWER = "viewer", "Read-only viewer"


# The kind of scope each role is held over: county staff over a county, a district leader over
# an LEA, a school leader over a school; a read-only viewer over any of them.
ROLE_SCOPES: dict[str, tuple[type[County] | type[Lea] | type[School], ...]] = {
    Role.COUNTY_ADMIN: (County,),
    Role.COUNTY_ANALYST: (County,),
    Role.DISTRICT_LEADER: (Lea,),
    Role.SCHOOL_LEADER: (School,),
    Role.VIEWER: (County, Lea, School),
}
# The membership field that holds each kind of scope.
SCOPE_FIELDS: dict[type[County] | type[Lea] | type[School], str] = {
    County: "county",
    Lea: "lea",
    School: "school",
}


def _role_fits_its_scope() -> models.Q:
    """The database's form of ``ROLE_SCOPES``: each role set over one of its kinds of scope."""
    condition = models.Q()
    for role, kinds in ROLE_SCOPES.items():
        scopes = models.Q()
        for kind in kinds:
            scopes |= models.Q(**{f"{SCOPE_FIELDS[kind]}__isnull": False})
        condition |= models.Q(role=role) & scopes
    return condition


class Membership(models.Model):
    """One role over exactly one scope: a county, an LEA or a school."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    county = models.ForeignKey(County, null=True, blank=True, on_delete=models.CASCADE)
    lea = models.ForeignKey(Lea, null=True, blank=True, on_delete=models.CASCADE)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="membership_has_one_scope",
                condition=(
                    models.Q(county__isnull=False, lea__isnull=True, school__isnull=True)
                    | models.Q(county__isnull=True, lea__isnull=False, school__isnull=True)
                    | models.Q(county__isnull=True, lea__isnull=True, school__isnull=False)
                ),
            ),
            # The services refuse these first with a message (``accounts.services``); this
            # keeps any other writer (the admin, a shell, a migration) from storing them.
            models.CheckConstraint(
                name="membership_role_fits_its_scope", condition=_role_fits_its_scope()
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} of {self.scope}"

    @property
    def scope(self) -> County | Lea | School:
        """The county, LEA or school the role applies to."""
        scope = self.county or self.lea or self.school
        assert scope is not None  # guaranteed by membership_has_one_scope
        return scope
