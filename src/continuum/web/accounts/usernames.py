"""Usernames as people type them: one spelling per person, whatever the case or Unicode form.

A username is stored as typed after Unicode NFKC normalisation (so a full-width "ａｌｉｃｅ" is
"alice"), is unique regardless of case, and may hold no invisible or control character (a
zero-width space or a right-to-left override would let two different-looking accounts share a
look, or one account take another's)."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest

# Control, format (zero-width, bidi controls), private-use, surrogate and unassigned code
# points, and every kind of space or line separator.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zs", "Zl", "Zp"})


def username_normalise(raw: str) -> str:
    """The username to store for what was typed: NFKC, without surrounding spaces; refused
    (``ValidationError``) when it holds an invisible or control character."""
    username = unicodedata.normalize("NFKC", raw).strip()
    if any(unicodedata.category(character) in _INVISIBLE_CATEGORIES for character in username):
        raise ValidationError(
            "A username cannot contain spaces, invisible characters or control characters.",
            code="invisible_character",
        )
    return username


def username_key(username: str) -> str:
    """The form under which two spellings of one username are the same (for sign-in throttling,
    which must not count "Alice" and "alice" apart)."""
    return unicodedata.normalize("NFKC", username).strip().casefold()


def username_key_from_credentials(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The username key of a sign-in attempt, for django-axes (``AXES_USERNAME_CALLABLE``)."""
    typed = (credentials or {}).get("username") or request.POST.get("username", "")
    return username_key(str(typed))
