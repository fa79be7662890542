"""Errors quote short excerpts of what they were given, whatever its size."""

from __future__ import annotations

from continuum.errors import InputError, excerpt


def test_an_excerpt_quotes_short_values_whole_and_cuts_long_ones() -> None:
    assert excerpt("Alder") == "'Alder'"
    assert excerpt("x" * 1000) == repr("x" * 40) + "…"
    assert excerpt(12.5) == "'12.5'"


def test_an_unquoted_excerpt_is_plain_text_and_a_counted_one_says_the_whole_length() -> None:
    assert excerpt("Closed", quoted=False) == "Closed"
    assert excerpt("y" * 30, 20, quoted=False) == "y" * 20 + "…"
    counted = excerpt("z" * 11_000, 80, quoted=False, counted=True)
    assert counted == "z" * 80 + "… (11,000 characters)"


def test_an_input_errors_message_and_column_are_capped() -> None:
    error = InputError("f.txt", "bad " * 100_000, line=2, column="c" * 1000)
    assert len(str(error)) < 400
    assert error.message.endswith("…")
