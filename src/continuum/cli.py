"""The ``continuum`` command: one entry point for every engine."""

from __future__ import annotations

import os
import sys

import click

from continuum import __version__
from continuum.dashboard.cli import dashboard
from continuum.dashboard.students.cli import project_command
from continuum.errors import ContinuumError, excerpt
from continuum.support.cli import support
from continuum.synth.cli import synth
from continuum.web.cli import serve, web


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="continuum")
def cli() -> None:
    """Continuum: California School Dashboard levels and System of Support determinations.

    Every command reads CDE's public files (or files shaped like them) and writes plain tables.
    Errors in input name the file, line and column, and nothing is written.
    """


cli.add_command(dashboard)
cli.add_command(synth)
cli.add_command(support)
cli.add_command(serve)
cli.add_command(web)
cli.add_command(project_command)
# Further command groups register here.


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
