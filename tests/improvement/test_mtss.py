"""The MTSS self-assessment items, scale, domain averages and changes."""

from __future__ import annotations

import pytest

from continuum.improvement import mtss

STRUCTURE, DATA, PRACTICES = mtss.DOMAINS


def test_items_are_grouped_by_the_three_domains_with_unique_codes() -> None:
    assert [d.name for d in mtss.DOMAINS] == ["System structure", "Data", "Practices"]
    codes = [item.code for domain in mtss.DOMAINS for item in domain.items]
    assert len(codes) == len(set(codes)) == len(mtss.ITEMS)
    assert all(item.name and item.description for item in mtss.ITEMS.values())


def test_item_codes_fit_the_rating_column() -> None:
    assert max(len(code) for code in mtss.ITEMS) <= 40


def test_rating_label_gives_the_number_and_its_meaning() -> None:
    assert mtss.rating_label(1) == "1 · Not in place"
    assert mtss.rating_label(4) == "4 · Fully in place"
    assert mtss.rating_label(None) == "not rated"


@pytest.mark.parametrize("rating", [0, 5])
def test_rating_outside_one_to_four_has_no_label(rating: int) -> None:
    with pytest.raises(ValueError, match="1 to 4"):
        mtss.rating_label(rating)


def test_domain_average_counts_only_rated_items() -> None:
    assert mtss.domain_average(DATA, {"D1": 2, "D2": 3, "S1": 4}) == 2.5
    assert mtss.domain_average(PRACTICES, {"D1": 2}) is None


def test_item_changes_cover_items_rated_in_both_assessments() -> None:
    before = {"S1": 1, "S2": 3, "D1": 2}
    after = {"S1": 3, "S2": 2, "P1": 4}
    assert mtss.item_changes(before, after) == {"S1": 2, "S2": -1}


def test_domain_changes_compare_averages() -> None:
    before = {"S1": 1, "S2": 2, "D1": 4}
    after = {"S1": 2, "S2": 3, "D1": 4, "P1": 1}
    assert mtss.domain_changes(before, after) == {"structure": 1.0, "data": 0.0}


def test_change_words_say_the_direction_in_signs_and_words() -> None:
    assert mtss.change_words(1) == "+1 (up)"
    assert mtss.change_words(-0.5) == "−0.5 (down)"
    assert mtss.change_words(0) == "0 (no change)"
    assert mtss.change_words(None) == ""


def test_item_choices_group_every_item_under_its_domain() -> None:
    groups = dict(mtss.item_choices())
    assert ("D2", "D2 Universal screening") in groups["Data"]
    assert sum(len(choices) for choices in groups.values()) == len(mtss.ITEMS)
