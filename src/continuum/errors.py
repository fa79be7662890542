"""Errors shown to users: each names where the problem is and says it in a plain sentence."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class ContinuumError(Exception):
    """Base class for every error a user is meant to read (the CLI prints it, never a traceback)."""


@dataclass(eq=False)
class InputError(ContinuumError):
    """Bad input: a file, line (1-based, header is line 1) and column, with a plain sentence."""

    path: Path | str
    message: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


@dataclass(eq=False)
class RuleError(ContinuumError):
    """A rule file that does not validate: names the file and the key at fault."""

    path: Path | str
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.key}: {self.message}"
