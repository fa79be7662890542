"""The demo: a synthetic county with two Dashboard years, and one user per role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Count

from continuum.synth import generate_county
from continuum.web.accountability.models import IndicatorResult
from continuum.web.accountability.services.commit import dashboard_files_import
from continuum.web.accounts.models import Role, User
from continuum.web.accounts.services import user_create
from continuum.web.agencies.models import County, Lea, School
from continuum.web.agencies.services import agencies_import_synthetic

DEMO_YEARS = (2022, 2023, 2024, 2025)
DEMO_SEED = 2025
# A demo password, printed at start and written in the README; never used outside the demo.
DEMO_PASSWORD = "continuum-demo"


@dataclass(frozen=True)
class DemoUser:
    """A demo account: its username, role and what its scope is."""

    username: str
    role: str
    scope: str


def demo_load(*, say: Callable[[str], None] = print) -> bool:
    """Generate the synthetic county's files for each demo year and import them, unless results
    are already stored. Returns True when it loaded something."""
    if IndicatorResult.objects.exists():
        return False
    directory = Path(settings.DATA_DIR) / "demo"
    paths: list[Path] = []
    for year in DEMO_YEARS:
        generated = generate_county(directory / str(year), year=year, seed=DEMO_SEED)
        paths.extend(sorted(generated.rows))
    say(f"Synthetic county: {len(paths)} Dashboard files for {', '.join(map(str, DEMO_YEARS))}")
    agencies_import_synthetic(actor=None, seed=DEMO_SEED)
    report = dashboard_files_import(actor=None, paths=paths)
    say(
        f"Imported {report['rows']:,} results; {report['determinations']['da']} DA and "
        f"{report['determinations']['essa']} ESSA determinations; "
        f"{report['determinations'].get('engagements_proposed', 0)} DA engagements proposed"
    )
    return True


def demo_users_create() -> list[DemoUser]:
    """One user per role (created once), scoped to the demo county, its largest district and
    one of that district's schools."""
    county = County.objects.order_by("code").first()
    if county is None:
        raise LookupError("load the demo county before creating its users")
    district = (
        Lea.objects.filter(county=county, kind=Lea.Kind.UNIFIED)
        .annotate(size=Count("schools"))
        .order_by("-size", "cds")
        .first()
    )
    school = School.objects.filter(lea=district, charter=False).order_by("cds").first()
    assert district is not None and school is not None
    plan: list[tuple[str, str, County | Lea | School]] = [
        ("county.admin", Role.COUNTY_ADMIN, county),
        ("county.coach", Role.COUNTY_ANALYST, county),
        ("district.leader", Role.DISTRICT_LEADER, district),
        ("school.leader", Role.SCHOOL_LEADER, school),
        ("county.viewer", Role.VIEWER, county),
    ]
    users = []
    for username, role, scope in plan:
        if not User.objects.filter(username=username).exists():
            user_create(
                actor=None, username=username, password=DEMO_PASSWORD, role=role, scope=scope
            )
        users.append(DemoUser(username, Role(role).label, str(scope)))
    return users
