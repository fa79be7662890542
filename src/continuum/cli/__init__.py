"""The ``continuum`` command: one entry point for every engine."""

from __future__ import annotations

import importlib
import os
import sys

import click

from continuum import __version__
from continuum.errors import ContinuumError, excerpt

# Command name → (module, attribute, one-line help). A command's module is imported only when the
# command runs (or its own --help is asked for), so that ``continuum --help`` starts without
# Polars or Django; a test checks each line against the command's own help.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "dashboard": (
        "continuum.dashboard.cli",
        "dashboard",
        "California School Dashboard: performance levels from CDE's download files.",
    ),
    "synth": (
        "continuum.synth.cli",
        "synth",
        "Synthetic Dashboard data: realistic, entirely invented, in CDE's exact file format.",
    ),
    "support": (
        "continuum.support.cli",
        "support",
        "System of Support: Differentiated Assistance, Level 3 and their explanations.",
    ),
    "serve": (
        "continuum.web.cli",
        "serve",
        "Run the web app: migrate, load the demo county and users, start the worker, serve.",
    ),
    "web": (
        "continuum.web.cli",
        "web",
        "The web platform's administration: Django management, imports, the task worker.",
    ),
    "students": (
        "continuum.cli.students",
        "students",
        "Student files: TOMS score files and CALPADS extracts, read as districts download them.",
    ),
    "mtss": (
        "continuum.cli.mtss",
        "mtss",
        "MTSS: early-warning flags by versioned rules, and progress-monitoring decisions.",
    ),
    "project": (
        "continuum.cli.project",
        "project_command",
        "Project the Dashboard from student-level records.",
    ),
}


class LazyGroup(click.Group):
    """A group whose commands are imported when used, from ``COMMANDS``."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        module, attribute, _ = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{module}.{attribute} is not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx) if name in COMMANDS]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="continuum")
def cli() -> None:
    """Continuum: California School Dashboard levels and System of Support determinations.

    Every command reads CDE's public files (or files shaped like them) and writes plain tables.
    Errors in input name the file, line and column, and nothing is written.
    """


def main() -> None:
    """Run the CLI, turning user-facing errors into a message and exit status 2, and any other
    failure into one line and exit status 1 (the traceback only with CONTINUUM_DEBUG=1)."""
    try:
        status = cli.main(standalone_mode=False)
    except ContinuumError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as exit_:
        sys.exit(exit_.exit_code)
    except Exception as error:
        if os.environ.get("CONTINUUM_DEBUG", "").lower() in {"1", "true", "yes", "on"}:
            raise
        kind = type(error).__name__
        click.echo(
            f"error: unexpected {kind}: {excerpt(error, 120)}; CONTINUUM_DEBUG=1 shows where",
            err=True,
        )
        sys.exit(1)
    sys.exit(status if isinstance(status, int) else 0)
