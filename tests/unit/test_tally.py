"""Pure tallies: RESULTS for every kind, the shift between rounds, the value profile.

Expected values are worked out by hand in the tables, never by the code under test.
"""

import pytest

from workshop.domain import Deck, Dilemma, Option, Scale, Value
from workshop.tally import (
    Answer,
    by_role,
    moved,
    percentages,
    results,
    shown,
    spread,
    text_bar,
    value_profile,
    visible_texts,
)

OPTS = (
    Option("a", {"da": "A"}, ("honesty", "respect")),
    Option("b", {"da": "B"}, ("respect",)),
    Option("c", {"da": "C"}, ("engagement",)),
)
CHOICE = Dilemma("d1", {"da": "T"}, {"da": "X"}, {"da": "Q"}, OPTS)
SCALE = Dilemma(
    "d2",
    {"da": "S"},
    {"da": "X"},
    {"da": "Q"},
    kind="scale",
    scale=Scale(5, {"da": "uenig"}, {"da": "enig"}),
    values=("trust",),
)
TEXT = Dilemma("d3", {"da": "F"}, {"da": "X"}, {"da": "Q"}, kind="text", values=("engagement",), reason="off")
DECK = Deck(
    "deck",
    {"da": "D"},
    (CHOICE, SCALE, TEXT),
    values=(
        Value("respect", {"da": "respekt"}),
        Value("honesty", {"da": "ærlighed"}),
        Value("engagement", {"da": "engagement"}),
        Value("trust", {"da": "tillid"}),
    ),
)


def A(pid, value, reason=None, hidden=False, id_=""):
    return Answer(participant=pid, value=value, reason=reason, hidden=hidden, id=id_ or pid)


def test_choice_results_list_every_option_and_drop_unknown_ones():
    r = results(CHOICE, [A("p1", "a"), A("p2", "a"), A("p3", "zz")], participants=4)
    assert r == {
        "dilemma": "d1",
        "kind": "choice",
        "round": 1,
        "total": 3,
        "participants": 4,
        "suppressed": False,
        "counts": {"a": 2, "b": 0, "c": 0},
        "percentages": {"a": 100, "b": 0, "c": 0},
        "spread": 0.0,
    }


def test_results_with_no_answers_are_all_zero_for_every_kind():
    assert results(CHOICE, [], 0)["counts"] == {"a": 0, "b": 0, "c": 0}
    s = results(SCALE, [], 0)
    assert (s["total"], s["mean"], s["median"], s["counts"]["3"]) == (0, None, None, 0)
    assert results(TEXT, [], 0)["words"] == []


@pytest.mark.parametrize(
    "values, counts, mean, median",
    [
        ([1, 2, 3, 4, 5], {"1": 1, "2": 1, "3": 1, "4": 1, "5": 1}, 3.0, 3),
        ([5, 5, 4], {"1": 0, "2": 0, "3": 0, "4": 1, "5": 2}, 4.7, 5),
        ([1, 2], {"1": 1, "2": 1, "3": 0, "4": 0, "5": 0}, 1.5, 1.5),
        ([2, 2, 3, 5], {"1": 0, "2": 2, "3": 1, "4": 0, "5": 1}, 3.0, 2.5),
    ],
)
def test_scale_results_count_every_point_with_mean_and_median(values, counts, mean, median):
    r = results(SCALE, [A(f"p{i}", v) for i, v in enumerate(values)], participants=9)
    assert (r["kind"], r["counts"], r["mean"], r["median"], r["total"]) == ("scale", counts, mean, median, len(values))
    assert sum(r["percentages"].values()) == 100


def test_text_results_are_a_word_cloud_without_hidden_answers():
    answers = [
        A("p1", "Tillid og åbenhed"),
        A("p2", "tillid, TILLID!"),
        A("p3", "Åbenhed kræver tid"),
        A("p4", "skjult skjult skjult", hidden=True),
    ]
    r = results(TEXT, answers, participants=4)
    assert r["words"] == [["tillid", 3], ["åbenhed", 2], ["kræver", 1], ["tid", 1]]
    assert r["total"] == 4  # a hidden text still counts as an answer
    assert r["spread"] is None


@pytest.mark.parametrize(
    "counts, expected",
    [
        ({"a": 1, "b": 1, "c": 1}, {"a": 34, "b": 33, "c": 33}),
        ({"c": 1, "b": 1, "a": 1}, {"c": 34, "b": 33, "a": 33}),  # ties go to the earlier option
        ({"a": 2, "b": 1}, {"a": 67, "b": 33}),
        ({"a": 0, "b": 0}, {"a": 0, "b": 0}),
        ({"a": 5, "b": 0}, {"a": 100, "b": 0}),
        ({"a": 1, "b": 2}, {"a": 33, "b": 67}),
        (
            {"a": 1, "b": 1, "c": 1, "d": 1, "e": 1, "f": 1, "g": 1},
            {"a": 15, "b": 15, "c": 14, "d": 14, "e": 14, "f": 14, "g": 14},
        ),
        ({"a": 1, "b": 1, "c": 1, "d": 3}, {"a": 17, "b": 17, "c": 16, "d": 50}),
        ({"a": 3, "b": 3, "c": 1}, {"a": 43, "b": 43, "c": 14}),
    ],
)
def test_percentages_are_whole_and_add_up_to_a_hundred(counts, expected):
    shares = percentages(counts)
    assert shares == expected
    assert list(shares) == list(counts)


@pytest.mark.parametrize(
    "counts, expected",
    [
        ({"a": 5, "b": 0}, 0.0),
        ({"a": 5, "b": 5}, 1.0),
        ({"a": 2, "b": 2, "c": 2}, 1.0),
        ({"a": 0, "b": 0}, 0.0),
        ({"a": 3, "b": 1}, 0.81),  # -(0.75 ln 0.75 + 0.25 ln 0.25) / ln 2
        ({"a": 4, "b": 4, "c": 0}, 0.63),  # ln 2 / ln 3
        ({"a": 1}, None),
        ({}, None),
    ],
)
def test_spread_is_normalised_entropy(counts, expected):
    assert spread(counts) == expected


def test_moved_counts_only_those_who_answered_both_rounds_differently():
    before = [A("p1", "a"), A("p2", "a"), A("p3", "b"), A("p4", "c")]
    after = [A("p1", "b"), A("p2", "a"), A("p3", "a"), A("p5", "c")]
    assert moved(CHOICE, before, after) == 2
    assert moved(SCALE, [A("p1", 2), A("p2", 3)], [A("p1", 2), A("p2", 4)]) == 1
    assert moved(TEXT, [A("p1", "x")], [A("p1", "y")]) is None


def test_visible_texts_are_reasons_with_their_option_and_texts_without_hidden_ones():
    answers = [
        A("p1", "a", "fordi", id_="1"),
        A("p2", "b", None, id_="2"),
        A("p3", "a", "skjult", hidden=True, id_="3"),
    ]
    assert visible_texts(CHOICE, answers) == [{"id": "1", "text": "fordi", "option": "a"}]
    assert visible_texts(CHOICE, answers, with_hidden=True) == [
        {"id": "1", "text": "fordi", "option": "a", "hidden": False},
        {"id": "3", "text": "skjult", "option": "a", "hidden": True},
    ]
    assert visible_texts(TEXT, [A("p1", "min tanke", id_="9")]) == [{"id": "9", "text": "min tanke"}]
    assert visible_texts(SCALE, [A("p1", 4, "derfor", id_="5")]) == [{"id": "5", "text": "derfor", "option": "4"}]


def test_the_value_profile_counts_every_value_an_answer_served():
    profile = value_profile(DECK, {"d1": ["a", "a", "a", "b"], "d2": [4, 5], "d3": ["tekst"]})
    assert profile == [("respect", 4), ("honesty", 3), ("trust", 2), ("engagement", 1)]


def test_the_value_profile_takes_an_answer_value_it_cannot_group():
    # Answers are counted per distinct value; a value that cannot be a dict key still counts.
    profile = value_profile(DECK, {"d1": ["a", ["a"], "a"], "d2": [{"x": 1}]})
    assert profile == [("respect", 2), ("honesty", 2), ("trust", 1)]  # ["a"] is no option


def test_value_profile_ties_keep_the_vocabulary_order():
    assert value_profile(DECK, {"d1": ["c", "b"]}) == [("respect", 1), ("engagement", 1)]


def test_the_value_profile_of_a_silent_session_is_empty():
    assert value_profile(DECK, {}) == []


def test_text_bars_scale_with_the_share():
    assert text_bar(50, 10) == "█████░░░░░"
    assert text_bar(0, 4) == "░░░░"
    assert text_bar(100, 4) == "████"


def R(pid, value, role=None, reason=None):
    return Answer(participant=pid, value=value, role=role, reason=reason)


SECRET = ("counts", "percentages", "mean", "median", "words", "texts", "by_role", "previous", "spread", "moved")


@pytest.mark.parametrize(
    "dilemma, values, minimum, suppressed",
    [
        (CHOICE, ["a"] * 4, 5, True),
        (CHOICE, ["a"] * 5, 5, False),
        (CHOICE, [], 5, False),  # nobody answered: nothing to protect
        (CHOICE, ["b"], 1, False),
        (SCALE, [1, 2, 3], 4, True),
        (SCALE, [1, 2, 3, 4], 4, False),
        (TEXT, ["ord"] * 2, 3, True),
        (TEXT, ["ord"] * 3, 3, False),
    ],
)
def test_under_the_minimum_results_show_only_how_many_answered(dilemma, values, minimum, suppressed):
    answers = [R(f"p{i}", v) for i, v in enumerate(values)]
    out = shown(dilemma, answers, 9, 1, minimum)
    assert out["suppressed"] is suppressed
    assert (out["total"], out["participants"], out["kind"], out["round"]) == (len(values), 9, dilemma.kind, 1)
    if suppressed:
        assert set(out) == {"dilemma", "kind", "round", "total", "participants", "suppressed"}
    else:
        assert "counts" in out or "words" in out


@pytest.mark.parametrize(
    "roles, minimum, expected",
    [
        # every role group and the rest without a role at the minimum: shown
        (["leader"] * 2 + ["employee"] * 2, 2, {"leader": 2, "employee": 2}),
        # one group under it: none at all
        (["leader"] * 1 + ["employee"] * 3, 2, None),
        # the rest without a role under it (it could be worked out by subtraction): none
        (["leader"] * 2 + ["employee"] * 2 + [None], 2, None),
        (["leader"] * 2 + ["employee"] * 2 + [None] * 2, 2, {"leader": 2, "employee": 2}),
        ([None] * 4, 2, None),  # nobody gave a role
        (["other"] * 3, 3, {"other": 3}),
    ],
)
def test_the_role_split_is_shown_only_when_every_group_reaches_the_minimum(roles, minimum, expected):
    answers = [R(f"p{i}", "a" if i % 2 else "b", role) for i, role in enumerate(roles)]
    out = shown(CHOICE, answers, 9, 1, minimum)
    if expected is None:
        assert "by_role" not in out
    else:
        assert {k: v["total"] for k, v in out["by_role"].items()} == expected
        assert all(set(v["counts"]) == {"a", "b", "c"} for v in out["by_role"].values())


def test_the_role_split_counts_each_groups_answers():
    answers = [R("p1", "a", "leader"), R("p2", "a", "leader"), R("p3", "b", "employee"), R("p4", "c", "employee")]
    assert shown(CHOICE, answers, 4, 1, 2)["by_role"] == {
        "leader": {"total": 2, "counts": {"a": 2, "b": 0, "c": 0}},
        "employee": {"total": 2, "counts": {"a": 0, "b": 1, "c": 1}},
    }
    assert "by_role" not in shown(TEXT, [R("p1", "x", "leader")], 1, 1, 1)


def test_round_two_carries_the_round_before_and_the_shift_only_above_the_minimum():
    before = [R("p1", "a"), R("p2", "a"), R("p3", "b")]
    after = [R("p1", "b"), R("p2", "a"), R("p3", "b")]
    out = shown(CHOICE, after, 3, 2, 3, before)
    assert out["previous"]["counts"] == {"a": 2, "b": 1, "c": 0} and out["previous"]["round"] == 1
    assert out["moved"] == 1
    thin = shown(CHOICE, after, 3, 2, 3, before[:2])
    assert thin["previous"]["suppressed"] is True and "moved" not in thin
    assert shown(CHOICE, after[:2], 3, 2, 3, before)["suppressed"] is True


# --- rows written to kill the mutants mutmut left alive (docs/testing.md) ------------------


def test_a_hidden_reason_still_counts_for_a_choice_and_a_hidden_text_leaves_the_cloud():
    r = results(CHOICE, [A("p1", "a", "skjult", hidden=True), A("p2", "b")], participants=2, round_=3)
    assert r == {
        "dilemma": "d1",
        "kind": "choice",
        "round": 3,
        "total": 2,
        "participants": 2,
        "suppressed": False,
        "counts": {"a": 1, "b": 1, "c": 0},
        "percentages": {"a": 50, "b": 50, "c": 0},
        "spread": 0.63,  # ln 2 / ln 3
    }
    t = results(TEXT, [A("p1", "Tillid", hidden=True), A("p2", "tillid og ansvar")], participants=5)
    assert t == {
        "dilemma": "d3",
        "kind": "text",
        "round": 1,
        "total": 2,
        "participants": 5,
        "suppressed": False,
        "words": [["ansvar", 1], ["tillid", 1]],
        "spread": None,
    }


def test_suppressed_results_are_exactly_the_harmless_fields():
    out = shown(SCALE, [R("p1", 1), R("p2", 5)], 7, 2, 3)
    assert out == {"dilemma": "d2", "kind": "scale", "round": 2, "total": 2, "participants": 7, "suppressed": True}


@pytest.mark.parametrize(
    "n, minimum, suppressed", [(0, 3, False), (1, 3, True), (2, 3, True), (3, 3, False), (1, 1, False)]
)
def test_suppression_applies_from_one_answer_to_one_under_the_minimum(n, minimum, suppressed):
    assert shown(CHOICE, [R(f"p{i}", "a") for i in range(n)], 9, 1, minimum)["suppressed"] is suppressed


@pytest.mark.parametrize(
    "roles, minimum, shown_",
    [
        (["leader", None], 1, True),  # one without a role, minimum 1: nothing to work out
        (["leader", "leader", None], 2, False),
        (["leader", "leader", None, None], 2, True),
        (["leader", "leader"], 2, True),
        (["leader", "leader", "employee"], 2, False),
        ([None, None], 1, False),  # no roles at all: no split
    ],
)
def test_the_role_split_and_the_answers_without_a_role(roles, minimum, shown_):
    answers = [R(f"p{i}", "a", role) for i, role in enumerate(roles)]
    assert ("by_role" in shown(CHOICE, answers, 9, 1, minimum)) is shown_


def test_the_role_split_of_a_scale_counts_points():
    answers = [R("p1", 1, "leader"), R("p2", 5, "leader"), R("p3", 5, "employee"), R("p4", 2)]
    assert by_role(SCALE, answers) == {
        "leader": {"total": 2, "counts": {"1": 1, "2": 0, "3": 0, "4": 0, "5": 1}},
        "employee": {"total": 1, "counts": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 1}},
    }
    assert by_role(TEXT, [R("p1", "x", "leader")]) == {}
    assert by_role(CHOICE, [R("p1", "a")]) == {}


def test_the_round_before_is_numbered_one_less_and_judged_by_the_same_minimum():
    before = [R("p1", "a"), R("p2", "b")]
    after = [R("p1", "b"), R("p2", "b"), R("p3", "c")]
    out = shown(CHOICE, after, 3, 3, 2, before)
    assert out["previous"] == {
        "dilemma": "d1",
        "kind": "choice",
        "round": 2,
        "total": 2,
        "participants": 3,
        "suppressed": False,
        "counts": {"a": 1, "b": 1, "c": 0},
        "percentages": {"a": 50, "b": 50, "c": 0},
        "spread": 0.63,
    }
    assert out["moved"] == 1
    assert "previous" not in shown(CHOICE, after, 3, 1, 2)


@pytest.mark.parametrize(
    "dilemma, before, after, expected",
    [
        (CHOICE, [], [A("p1", "a")], 0),
        (CHOICE, [A("p1", "a")], [], 0),
        (SCALE, [A("p1", 1), A("p2", 3), A("p3", 5)], [A("p1", 1), A("p2", 4), A("p4", 2)], 1),
        (SCALE, [A("p1", 1), A("p2", 3)], [A("p1", 2), A("p2", 4)], 2),
        (TEXT, [], [], None),
    ],
)
def test_moved_compares_each_participants_answers(dilemma, before, after, expected):
    assert moved(dilemma, before, after) == expected


def test_visible_texts_skip_answers_without_text():
    answers = [A("p1", "a", "", id_="1"), A("p2", "b", "ja", id_="2"), A("p3", "c", None, hidden=True, id_="3")]
    assert visible_texts(CHOICE, answers, with_hidden=True) == [
        {"id": "2", "text": "ja", "option": "b", "hidden": False}
    ]
    assert visible_texts(TEXT, [A("p1", "skjult", hidden=True, id_="7")], with_hidden=True) == [
        {"id": "7", "text": "skjult", "hidden": True}
    ]
    assert visible_texts(TEXT, [A("p1", "skjult", hidden=True, id_="7")]) == []


def test_values_outside_the_vocabulary_come_after_it():
    d = Dilemma("x", {"da": "T"}, {"da": "X"}, {"da": "Q"}, (Option("a", {"da": "A"}, ("kindness", "trust")),))
    deck = Deck("deck", {"da": "D"}, (d,), values=DECK.values)
    assert value_profile(deck, {"x": ["a", "a"]}) == [("trust", 2), ("kindness", 2)]
    assert value_profile(deck, {"x": ["z"]}) == []


def test_the_value_profile_counts_every_dilemma():
    assert value_profile(DECK, {"d1": ["c"], "d2": [1], "d3": ["x", "y"]}) == [("engagement", 3), ("trust", 1)]


@pytest.mark.parametrize(
    "share, width, bar",
    [
        (50, None, "█" * 10 + "░" * 10),
        (0, None, "░" * 20),
        (100, None, "█" * 20),
        (12, 10, "█" + "░" * 9),
        (18, 10, "██" + "░" * 8),
        (75, 2, "██"),  # 1.5 rounds to 2
        (100, 100, "█" * 100),
    ],
)
def test_a_text_bar_is_twenty_blocks_unless_told(share, width, bar):
    assert (text_bar(share) if width is None else text_bar(share, width)) == bar
