"""Two columns pasted from a spreadsheet: dates and values, with errors that name line and
column."""

from __future__ import annotations

import datetime

import pytest

from continuum.errors import InputError
from continuum.formats.pasted import MOST_POINTS, pasted_points

DEC_7 = datetime.date(2026, 12, 7)


def _pairs(text: str) -> list[tuple[datetime.date, float]]:
    return [(point.date, point.value) for point in pasted_points(text)]


def _error(text: str) -> InputError:
    with pytest.raises(InputError) as raised:
        pasted_points(text)
    return raised.value


@pytest.mark.parametrize(
    "text",
    ["2026-12-07\t4.5", "12/7/2026\t4.5", "7 Dec 2026\t4.5", "7 December 2026\t4.5",
     "2026-12-07,4.5", "2026-12-07;4.5", '"2026-12-07","4.5"', "2026-12-07\t4.5\t\t"],
)  # fmt: skip
def test_each_accepted_date_form_and_separator_reads_the_same_point(text: str) -> None:
    assert _pairs(text) == [(DEC_7, 4.5)]


def test_a_header_row_is_skipped_and_blank_lines_ignored() -> None:
    text = "Week\tCalls made\n\n2026-12-07\t4\n2026-12-14\t6\n"
    assert _pairs(text) == [(DEC_7, 4.0), (datetime.date(2026, 12, 14), 6.0)]


def test_lines_are_numbered_as_pasted_counting_blank_lines() -> None:
    assert [p.line for p in pasted_points("Date\tValue\n\n2026-12-07\t4")] == [3]


def test_a_percent_sign_is_read_as_the_number_before_it() -> None:
    assert _pairs("2026-12-07\t45%") == [(DEC_7, 45.0)]


def test_decimal_comma_between_tabs_is_refused_naming_line_and_value_column() -> None:
    error = _error("2026-12-07\t4.5\n2026-12-14\t4,5")
    assert (error.line, error.column) == (2, "B (value)")
    assert "Decimal commas are not accepted: write 4.5, not 4,5" in str(error)


def test_decimal_comma_in_comma_separated_text_is_refused_not_read_as_a_third_column() -> None:
    error = _error("2026-12-07,4,5")
    assert error.line == 1 and error.column == "B (value)"
    assert "decimal comma" in error.message


def test_decimal_comma_with_semicolons_is_refused() -> None:
    assert "Decimal commas" in _error("2026-12-07;4,5").message


def test_a_date_in_another_form_is_refused_with_the_accepted_forms() -> None:
    error = _error("2026-12-07\t4\n07.12.2026\t5")
    assert (error.line, error.column) == (2, "A (date)")
    assert "2026-12-07, 12/7/2026 or 7 Dec 2026" in error.message


def test_an_impossible_date_is_refused() -> None:
    assert _error("2/30/2026\t4").column == "A (date)"


def test_a_value_that_is_not_a_number_is_refused_on_its_line() -> None:
    error = _error("2026-12-07\t4\n2026-12-14\tn/a")
    assert (error.line, error.column) == (2, "B (value)") and "'n/a' is not a number" in str(error)


def test_a_date_given_twice_names_both_lines() -> None:
    error = _error("2026-12-07\t4\n12/7/2026\t5")
    assert error.line == 2 and "7 Dec 2026 is also on line 1" in error.message


def test_a_line_with_one_or_three_columns_is_refused() -> None:
    assert "one column" in _error("2026-12-07").message
    assert "3 columns" in _error("2026-12-07\t4\tx").message


@pytest.mark.parametrize("text", ["", " \n\n", "Date\tValue"])
def test_nothing_to_read_is_refused(text: str) -> None:
    assert _error(text).line is None


def test_too_many_points_are_refused() -> None:
    start = datetime.date(2000, 1, 1)
    text = "\n".join(f"{start + datetime.timedelta(days=n)}\t1" for n in range(MOST_POINTS + 1))
    assert "More than" in _error(text).message
