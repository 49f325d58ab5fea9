"""Pure tallies: results, percentages, value profile; zero votes are safe."""

import pytest

from workshop.domain import Deck, Dilemma, Option, Value
from workshop.tally import group_reasons, percentages, results, text_bar, value_profile

OPTS = (
    Option("a", {"da": "A"}, ("honesty", "respect")),
    Option("b", {"da": "B"}, ("respect",)),
    Option("c", {"da": "C"}, ("engagement",)),
)
DILEMMA = Dilemma("d1", {"da": "T"}, {"da": "X"}, {"da": "Q"}, OPTS)
DECK = Deck(
    "deck",
    {"da": "D"},
    (DILEMMA,),
    values=(Value("respect", {"da": "respekt"}), Value("honesty", {"da": "ærlighed"}), Value("engagement", {"da": "engagement"})),
)


def test_results_list_every_option_and_drop_unknown_ones():
    r = results(DILEMMA, {"a": 2, "zz": 5}, participants=4)
    assert r == {
        "dilemma": "d1",
        "total": 2,
        "counts": {"a": 2, "b": 0, "c": 0},
        "percentages": {"a": 100, "b": 0, "c": 0},
        "participants": 4,
    }


def test_results_with_no_votes_are_all_zero():
    assert results(DILEMMA, {}, participants=0)["total"] == 0


@pytest.mark.parametrize(
    "counts, expected",
    [
        ({"a": 1, "b": 1, "c": 1}, {"a": 34, "b": 33, "c": 33}),
        ({"a": 2, "b": 1}, {"a": 67, "b": 33}),
        ({"a": 0, "b": 0}, {"a": 0, "b": 0}),
        ({"a": 5, "b": 0}, {"a": 100, "b": 0}),
        ({"a": 1, "b": 1, "c": 1, "d": 1, "e": 1, "f": 1, "g": 1}, {"a": 15, "b": 15, "c": 14, "d": 14, "e": 14, "f": 14, "g": 14}),
    ],
)
def test_percentages_are_whole_and_add_up_to_a_hundred(counts, expected):
    shares = percentages(counts)
    assert shares == expected
    assert sum(shares.values()) in (0, 100)


def test_the_value_profile_counts_every_value_an_answer_served():
    profile = value_profile(DECK, {"d1": {"a": 3, "b": 1, "c": 0}})
    assert profile == [("respect", 4), ("honesty", 3)]


def test_the_value_profile_of_a_silent_session_is_empty():
    assert value_profile(DECK, {}) == []


def test_text_bars_scale_with_the_share():
    assert text_bar(50, 10) == "█████░░░░░"
    assert text_bar(0, 4) == "░░░░"


def test_reasons_are_grouped_by_option_without_empty_ones():
    assert group_reasons([("a", "fordi"), ("b", None), ("a", "også")]) == {"a": ["fordi", "også"]}
