"""The COE staff page documents every ``continuum support`` command and option."""

from __future__ import annotations

from pathlib import Path

import pytest

from continuum.support.cli import support

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "support" / "README.md"


@pytest.mark.parametrize("command", sorted(support.commands))
def test_every_support_command_and_option_is_in_the_guide(command: str) -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert f"continuum support {command}" in text
    for parameter in support.commands[command].params:
        for option in parameter.opts:
            if option.startswith("--"):
                assert option in text, f"{command} {option} is not documented"
