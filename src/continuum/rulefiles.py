"""Rule files: one TOML file per Dashboard year, read and validated the same way by every engine.

Each engine turns its files into frozen dataclasses; this module finds the files and gives typed
access to their keys, so that every problem is a RuleError naming the file and the full key.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from continuum.errors import RuleError


@cache
def rule_years(directory: Path) -> tuple[int, ...]:
    """The years that have a rule file (``YYYY.toml``) in a directory (read once: rule files
    ship with the package and do not change while it runs)."""
    return tuple(sorted(int(p.stem) for p in directory.glob("*.toml") if p.stem.isdigit()))


def read_rule_file(directory: Path, year: int, what: str) -> tuple[Path, dict[str, Any]]:
    """The path and parsed contents of ``directory/YYYY.toml``; its ``year`` must match."""
    path = directory / f"{year}.toml"
    if not path.exists():
        known = ", ".join(str(y) for y in rule_years(directory))
        raise RuleError(path, "year", f"no {what} for {year} (years with one: {known})")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise RuleError(path, "(file)", f"is not valid TOML: {error}") from error
    stated = data.get("year")
    if stated != year:
        raise RuleError(path, "year", f"says {stated!r} but the file is named for {year}")
    return path, data


class RuleReader:
    """Typed access to one TOML table, raising RuleError with the key's full name."""

    def __init__(self, data: dict[str, Any], path: Path, prefix: str = "") -> None:
        self.data = data
        self.path = path
        self.prefix = prefix

    def error(self, key: str, message: str) -> RuleError:
        """A RuleError for a key of this table."""
        return RuleError(self.path, self.prefix + key, message)

    def _get(self, key: str) -> object:
        if key not in self.data:
            raise self.error(key, "is missing")
        return self.data[key]

    def integer(self, key: str, *, minimum: int | None = None) -> int:
        """A whole number, at least ``minimum`` when given."""
        value = self._get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.error(key, "must be a whole number")
        if minimum is not None and value < minimum:
            raise self.error(key, f"must be at least {minimum}")
        return value

    def string(self, key: str) -> str:
        """A non-empty string."""
        value = self._get(key)
        if not isinstance(value, str) or not value:
            raise self.error(key, "must be a non-empty string")
        return value

    def choice(self, key: str, options: tuple[str, ...], default: str | None = None) -> str:
        """One of ``options``; ``default`` when the key is absent and a default is given."""
        if default is not None and key not in self.data:
            return default
        value = self.string(key)
        if value not in options:
            raise self.error(key, f"must be one of {list(options)}")
        return value

    def strings(self, key: str, allowed: frozenset[str] | None = None) -> list[str]:
        """A list of strings, each in ``allowed`` when given."""
        value = self._get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(key, "must be a list of strings")
        if allowed is not None:
            bad = [v for v in value if v not in allowed]
            if bad:
                raise self.error(key, f"{bad[0]!r} is not allowed here")
        return list(value)

    def integers(self, key: str, allowed: frozenset[int] | None = None) -> list[int]:
        """A list of whole numbers, each in ``allowed`` when given."""
        value = self._get(key)
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            raise self.error(key, "must be a list of whole numbers")
        if allowed is not None:
            bad = [v for v in value if v not in allowed]
            if bad:
                raise self.error(key, f"{bad[0]} is not allowed here")
        return list(value)

    def table(self, key: str) -> RuleReader:
        """A reader for a sub-table, its keys named ``key.sub``."""
        value = self._get(key)
        if not isinstance(value, dict):
            raise self.error(key, "must be a table")
        return RuleReader(value, self.path, f"{self.prefix}{key}.")
