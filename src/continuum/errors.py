"""Errors shown to users: each names where the problem is and says it in a plain sentence."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# How much of an input value a message may quote, and how long a whole message may be: a page
# or an audit row must never hold a huge value (one once held 419 MB).
EXCERPT_LENGTH = 40
MESSAGE_LENGTH = 300


def excerpt(
    value: object, limit: int = EXCERPT_LENGTH, *, quoted: bool = True, counted: bool = False
) -> str:
    """A value quoted for a message, cut to ``limit`` characters with "…" if longer: as its repr
    (``quoted``, so that blanks and odd characters show) or as plain text (``quoted`` False,
    where the page or the audit trail puts it in its own quotes); ``counted`` adds the whole
    value's length after the "…", so that a reader knows how much was left out."""
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return repr(text) if quoted else text
    cut = repr(text[:limit]) if quoted else text[:limit]
    return f"{cut}… ({len(text):,} characters)" if counted else f"{cut}…"


def capped(message: str, limit: int = MESSAGE_LENGTH) -> str:
    """A message cut to ``limit`` characters (with "…"), whatever it quotes."""
    return message if len(message) <= limit else message[: limit - 1] + "…"


class ContinuumError(Exception):
    """Base class for every error a user is meant to read (the CLI prints it, never a traceback)."""


@dataclass(eq=False)
class InputError(ContinuumError):
    """Bad input: a file, line (1-based, header is line 1) and column, with a plain sentence."""

    path: Path | str
    message: str
    line: int | None = None
    column: str | None = None

    def __post_init__(self) -> None:
        self.message = capped(self.message)
        if self.column is not None:
            self.column = capped(self.column, EXCERPT_LENGTH)

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


@dataclass(eq=False)
class UnknownLayoutError(InputError):
    """A file that is none of the layouts its reader knows; the message says what it looks like
    instead (a Dashboard download, a budget export, …) when that can be told."""
