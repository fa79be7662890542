"""Run the ``continuum`` command in-process, as a user would, and capture what it prints."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import pytest

from continuum.cli import main


@dataclass(frozen=True)
class Outcome:
    """Exit status and output of one command."""

    status: int
    stdout: str
    stderr: str


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> Outcome:
    """Run ``continuum ARGS`` and return its exit status and output."""
    monkeypatch.setattr(sys, "argv", ["continuum", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    captured = capsys.readouterr()
    code = exit_.value.code
    return Outcome(
        status=code if isinstance(code, int) else 1, stdout=captured.out, stderr=captured.err
    )
