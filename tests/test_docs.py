"""Docs that tests keep honest: every command of the CLI is documented."""

from __future__ import annotations

from pathlib import Path

import click

from continuum.cli import cli

REPO_ROOT = Path(__file__).resolve().parent.parent


def _subcommands(group: click.Group) -> list[tuple[str, click.Command]]:
    context = click.Context(group)
    found = []
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None, name
        found.append((name, command))
    return found


def _commands(group: click.Group, prefix: str = "continuum") -> list[str]:
    found = []
    for name, command in _subcommands(group):
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            found += _commands(command, path)
        else:
            found.append(path)
    return found


def test_every_command_is_documented_in_readme_or_docs() -> None:
    docs = (REPO_ROOT / "README.md").read_text(encoding="utf-8") + "".join(
        path.read_text(encoding="utf-8") for path in sorted((REPO_ROOT / "docs").rglob("*.md"))
    )
    undocumented = [command for command in _commands(cli) if command not in docs]
    assert undocumented == []


def test_every_command_has_help_text() -> None:
    def walk(group: click.Group) -> list[str]:
        missing = []
        for name, command in _subcommands(group):
            if not (command.help or "").strip():
                missing.append(name)
            if isinstance(command, click.Group):
                missing += walk(command)
        return missing

    assert walk(cli) == []
