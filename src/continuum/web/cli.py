"""``continuum serve`` and ``continuum web …``: run the web platform and its tasks."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from continuum.web.accounts.models import User

SETTINGS_MODULE = "continuum.web.settings"


def django_setup() -> None:
    """Configure Django from continuum.web.settings (unless another module is chosen)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    django.setup()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-demo", is_flag=True, help="Do not load the demo county or its users.")
def serve(host: str, port: int, no_demo: bool) -> None:
    """Run the web app: migrate, load the demo county and users, start the worker, serve.

    The first run generates a synthetic county for the 2022, 2023, 2024 and 2025 Dashboards and
    imports the four years, then fills the DA workspace of its districts in Differentiated
    Assistance with improvement work (a few seconds); later runs keep what is stored. The demo
    users and their password are printed before the server starts. The background worker is started
    again if it stops. Stop with Ctrl-C.
    """
    django_setup()
    from django.core.management import call_command

    from continuum.web.demo import (
        DEMO_PASSWORD,
        demo_load,
        demo_users_create,
        demo_workspace_fill,
    )
    from continuum.web.supervisor import ProcessSupervisor

    call_command("migrate", interactive=False, verbosity=0)
    if not no_demo:
        demo_load(say=click.echo)
        click.echo(f"Demo users (password: {DEMO_PASSWORD}):")
        for user in demo_users_create():
            click.echo(f"  {user.username:16} {user.role} of {user.scope}")
        click.echo("  (county.admin sets up an authenticator app at first sign-in)")
        demo_workspace_fill(say=click.echo)
    worker = ProcessSupervisor(
        [sys.executable, "-m", "continuum", "web", "worker"], name="background worker",
        say=click.echo,
    )  # fmt: skip
    worker.start()
    # A plain `kill` should stop the worker too, as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    click.echo(f"Background worker started (pid {worker.pid}); serving on http://{host}:{port}/")
    try:
        call_command("runserver", f"{host}:{port}", use_reloader=False)
    finally:
        worker.stop()


@click.group()
def web() -> None:
    """The web platform's administration: Django management, imports, the task worker."""


@web.command(context_settings={"ignore_unknown_options": True, "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: Sequence[str]) -> None:
    """Django's manage.py (migrate, createsuperuser, check --deploy, db_worker, …)."""
    django_setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["continuum web manage", *args])


@web.command("worker", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def worker_command(args: Sequence[str]) -> None:
    """Run the task worker that processes imports (django-tasks' db_worker; extra options,
    e.g. --interval 5, are passed to it).

    Beside it, at start and every CONTINUUM_IMPORT_HEARTBEAT_SECONDS: imports whose worker
    died are marked failed (audited), and the uploaded files of imports that ended more than
    CONTINUUM_IMPORT_FILE_RETENTION_DAYS ago are removed.
    """
    django_setup()
    from django.conf import settings
    from django.core.management import execute_from_command_line

    from continuum.web.accountability.worker import imports_maintain_forever

    upkeep = threading.Thread(
        target=imports_maintain_forever,
        kwargs={
            "interval_seconds": float(settings.CONTINUUM_IMPORT_HEARTBEAT_SECONDS),
            "stop": threading.Event(),
        },
        name="imports-upkeep",
        daemon=True,
    )
    upkeep.start()
    execute_from_command_line(["continuum web worker", "db_worker", "--no-reload", *args])


@web.command("imports-purge")
def imports_purge_command() -> None:
    """Remove the uploaded files of imports that finished or failed more than
    CONTINUUM_IMPORT_FILE_RETENTION_DAYS days ago (audited). The worker does this by itself;
    this is for when no worker runs."""
    django_setup()
    from continuum.web.accountability.worker import dashboard_import_files_purge

    purged = dashboard_import_files_purge()
    click.echo(f"Files removed for {len(purged)} imports")


@web.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path)
)
@click.option(
    "--user",
    "username",
    help="A county administrator: the import covers their county (and the state row) and is "
    "recorded as theirs. Without it, every stored agency.",
)
@click.option("--dry-run", is_flag=True, help="Print what the import would change; write nothing.")
@click.option(
    "--now", is_flag=True, help="Process here and now instead of queueing for the worker."
)
def import_files(files: Sequence[Path], username: str | None, dry_run: bool, now: bool) -> None:
    """Import CDE Dashboard files: for each year and indicator they hold, replace the results of
    the entities they cover (within --user's county), keep everything else. Prints, per year and
    indicator, rows added, changed, unchanged and removed, and rows left out.

    Queued for the worker like a browser upload (which commits without waiting for a review),
    or run here with --now; --dry-run only prints the preview. All-or-nothing: a problem in any
    file changes nothing. Undo with `continuum web import-restore ID`.
    """
    django_setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from continuum.progress import progress_bar
    from continuum.web.accountability.services.commit import dashboard_files_preview
    from continuum.web.accountability.services.queue import (
        dashboard_import_create,
        dashboard_import_run,
    )

    actor = _cli_user(username)
    if dry_run:
        with progress_bar() as bar:
            bar.add_task("Reading", total=None)
            preview = dashboard_files_preview(actor=actor, paths=list(files))
        click.echo("Dry run: nothing was written. Importing would change:")
        _echo_preview(preview)
        return
    uploads = [SimpleUploadedFile(path.name, path.read_bytes()) for path in files]
    run = dashboard_import_create(actor=actor, uploads=uploads, confirmed=True, queue=not now)
    if not now:
        click.echo(f"Import {run.pk} queued; the worker (continuum web worker) runs it.")
        return
    with progress_bar() as bar:
        bar.add_task("Importing", total=None)
        run = dashboard_import_run(import_id=run.pk)
    click.echo(f"Import {run.pk}: {run.status}")
    for problem in run.report.get("problems", []):
        click.echo(f"  problem: {problem}", err=True)
    if run.status != "done":
        sys.exit(2)
    _echo_preview(run.report)


@web.command("import-restore")
@click.argument("import_id", type=int)
@click.option(
    "--user",
    "username",
    help="A county administrator restoring one of their county's imports (recorded as theirs).",
)
def import_restore_command(import_id: int, username: str | None) -> None:
    """Give back the stored results as they were just before import IMPORT_ID.

    Later imports that replaced some of the same results (year, indicator, entity) are undone
    too, newest first; determinations are recomputed. Audited.
    """
    django_setup()
    from continuum.web.accountability.services.restore import dashboard_import_restore

    report = dashboard_import_restore(actor=_cli_user(username), import_id=import_id)
    click.echo(
        f"Restored the results before import {import_id}: {report['rows_put_back']:,} rows put "
        f"back, {report['rows_removed']:,} rows removed; imports undone: "
        f"{', '.join(map(str, report['undone']))}; determinations recomputed"
    )


def _cli_user(username: str | None) -> User | None:
    """The user named by --user (None without it)."""
    from continuum.web.accounts.models import User

    if not username:
        return None
    actor = User.objects.filter(username=username).first()
    if actor is None:
        raise click.BadParameter(f"no user {username[:40]!r}", param_hint="--user")
    return actor


def _echo_preview(preview: dict[str, Any]) -> None:
    """An import's preview or report as lines of text."""
    for unit in preview["units"]:
        click.echo(
            f"  {unit['year']} {unit['indicator']}: {unit['entities']} entities, "
            f"{unit['added']} rows added, {unit['changed']} changed, "
            f"{unit['unchanged']} unchanged, {unit['removed']} removed"
        )
        for row in unit["sample"]:
            changes = "; ".join(
                f"{c['column']} {c['before']} → {c['after']}" for c in row["columns"]
            )
            click.echo(f"    {row['cds']} {row['studentgroup']}: {changes}")
    reasons = {"other_county": "of other counties", "not_in_directory": "not in the directory"}
    for reason, left in preview["left_out"].items():
        click.echo(
            f"  left out: {left['rows']} rows of {left['entities']} entities {reasons[reason]}"
        )
    years = ", ".join(map(str, preview["determination_years"])) or "no year"
    click.echo(f"  determinations recomputed for {years}")


@web.command("user-create")
@click.argument("username")
@click.option(
    "--role",
    required=True,
    type=click.Choice(
        ["county_admin", "county_analyst", "district_leader", "school_leader", "viewer"]
    ),
    help="What the user may do within the scope.",
)
@click.option(
    "--scope",
    "scope_code",
    required=True,
    help="Where: a county's two-digit code (county_admin, county_analyst), an LEA's 14-digit "
    "CDS code (district_leader) or a school's (school_leader); a viewer takes any of them.",
)
@click.password_option(
    help="The password (asked for when not given; never echoed): at least 12 characters, not "
    "common, not all digits, not like the username."
)
def user_create_command(username: str, role: str, scope_code: str, password: str) -> None:
    """Create a user with one membership: a role over a county, an LEA or a school.

    The agencies must be stored first (an import of Dashboard files or of CDE's directory).
    County administrators set up an authenticator app at their first sign-in.
    """
    django_setup()
    from django.core.exceptions import ValidationError

    from continuum.web.accounts.services import RoleScopeError, user_create
    from continuum.web.agencies.models import County, Lea, School

    scope: County | Lea | School | None
    if len(scope_code) == 2:
        scope = County.objects.filter(code=scope_code).first()
    else:
        scope = (
            Lea.objects.filter(cds=scope_code).first()
            or School.objects.filter(cds=scope_code).first()
        )
    if scope is None:
        raise click.BadParameter(f"no county, LEA or school {scope_code!r}", param_hint="--scope")
    try:
        user = user_create(actor=None, username=username, password=password, role=role, scope=scope)
    except RoleScopeError as error:
        raise click.BadParameter(str(error), param_hint="--scope") from error
    except ValidationError as refused:
        for message in refused.messages:
            click.echo(f"Error: {message}", err=True)
        sys.exit(2)
    click.echo(f"{user.username}: {role} of {scope}")


@web.command("password-reset-link")
@click.argument("username")
@click.option(
    "--site-url",
    help="The site's address as its users reach it (default: CONTINUUM_SITE_URL).",
)
def password_reset_link_command(username: str, site_url: str | None) -> None:
    """Print a one-time link with which USERNAME sets a new password.

    The link works once and expires after CONTINUUM_PASSWORD_RESET_HOURS; it is also mailed to
    the user when a mail server is configured and they have an address. Audited.
    """
    django_setup()
    from django.conf import settings

    from continuum.web.accounts.models import User
    from continuum.web.accounts.services import password_reset_link_create

    user = User.objects.with_username(username).first()
    if user is None:
        raise click.BadParameter(f"no user {username[:40]!r}", param_hint="USERNAME")
    link = password_reset_link_create(
        actor=None,
        user=user,
        site_url=site_url or settings.CONTINUUM_SITE_URL,
        client_address=None,
    )
    click.echo(link.url)
    click.echo(f"Works once, until {link.expires:%Y-%m-%d %H:%M %Z}.", err=True)
    if link.mailed_to:
        click.echo(f"Mailed to {link.mailed_to}.", err=True)


@web.command("api-token")
@click.argument("username")
@click.option("--name", "token_name", required=True, help="What the token is for (a script).")
@click.option(
    "--days", type=click.IntRange(1, 3650), default=None,
    help="Valid for this many days (default: until revoked on the user's API tokens page).",
)  # fmt: skip
def api_token_command(username: str, token_name: str, days: int | None) -> None:
    """Print a new personal API token for USERNAME (shown only now; audited).

    A script sends it as "Authorization: Bearer TOKEN" and reads the API with exactly that
    user's scope. The user sees it on their API tokens page, where it can be revoked.
    """
    django_setup()
    from continuum.web.accounts.models import User
    from continuum.web.api.services import api_token_create

    user = User.objects.with_username(username).filter(is_active=True).first()
    if user is None:
        raise click.BadParameter(f"no active user {username[:40]!r}", param_hint="USERNAME")
    made = api_token_create(actor=None, user=user, name=token_name[:100], days=days)
    click.echo(made.raw)
    expiry = f"until {made.token.expires_at:%Y-%m-%d}" if made.token.expires_at else "until revoked"
    click.echo(f"Valid {expiry}; shown only now.", err=True)


@web.command("agencies")
@click.argument("directory_file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--county", "county_code", help="Only this county (two-digit code, e.g. 34).")
def agencies_command(directory_file: Path, county_code: str | None) -> None:
    """Import LEAs and schools from CDE's public school directory (pubschls.txt).

    Active and pending entities only; CDS codes, names, LEA kinds (from DOC), school types
    (SOCType), grade spans (GSserved) and charters. Names and kinds of stored ones are updated.
    """
    django_setup()
    from continuum.web.agencies.services import agencies_import_directory

    counts = agencies_import_directory(actor=None, path=directory_file, county_code=county_code)
    click.echo(f"{counts['leas']} LEAs and {counts['schools']} schools added")


@web.command("title-i")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--column",
    default="TitleI2223",
    show_default=True,
    help="The Title I column of CDE's ESSA file (e.g. TitleI2223); a CSV has cds, title_i.",
)
def title_i_command(file: Path, column: str) -> None:
    """Record which schools are Title I-funded (ESSA CSI needs it; CDE's directory lacks it).

    FILE is CDE's essaassistanceYY.xlsx or a CSV with columns cds and title_i (Yes/No). Rows for
    schools not stored here are left out; the determinations are recomputed. Audited.
    """
    django_setup()
    from continuum.web.accountability.services.title_i import schools_title_i_import

    counts = schools_title_i_import(actor=None, path=file, column=column)
    click.echo(
        f"Title I recorded for {counts['schools']} schools ({counts['not_here']} rows for schools "
        "not stored here left out); determinations recomputed"
    )
