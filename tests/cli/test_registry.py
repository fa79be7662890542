"""The top-level command: its lazy registry says what each command says of itself, and
``continuum --help`` starts without importing the engines' heavy libraries."""

from __future__ import annotations

import subprocess
import sys

import click

from continuum.cli import COMMANDS, cli


def test_each_registered_line_is_the_commands_own_short_help() -> None:
    context = click.Context(cli)
    for name, (_, _, line) in COMMANDS.items():
        command = cli.get_command(context, name)
        assert command is not None
        assert command.get_short_help_str(limit=200) == line, name


def test_top_level_help_lists_every_command_without_importing_polars_or_django() -> None:
    probe = (
        "import sys\n"
        "from continuum.cli import cli\n"
        "try:\n"
        "    cli.main(['--help'], standalone_mode=False)\n"
        "finally:\n"
        "    heavy = sorted(m for m in ('polars', 'django', 'numpy', 'rich') if m in sys.modules)\n"
        "    print('HEAVY', heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert "HEAVY []" in result.stdout
    for name in COMMANDS:
        assert f"  {name} " in result.stdout
