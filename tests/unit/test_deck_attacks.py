"""Crafted deck files (issue 10): aliases, deep nesting and odd shapes give a short list of
problems, never a huge message, a crash or gigabytes of memory."""

import time

import pytest
from test_content import VOCAB, dump, valid_deck

from workshop.content import MAX_PROBLEMS, DeckError, Problem, parse_deck
from workshop.safe_yaml import MAX_DEPTH

# The 482-byte "billion laughs" deck of the report: every level doubles a list nine times.
LAUGHS = (
    "a: &a [x,x,x,x,x,x,x,x,x]\n"
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
        for i in range(8)
    )
    + "id: *i\ntitle: *i\ndilemmas: [{id: *i, options: [{id: *i, values: *i}]}]\n"
)


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(DeckError) as exc:
        parse_deck(text, "deck.yaml", VOCAB)
    return exc.value.problems


def test_aliases_are_refused_before_anything_is_expanded():
    started = time.monotonic()
    problems = problems_of(LAUGHS)
    assert time.monotonic() - started < 1
    assert len(problems) == 1
    assert problems[0].field == "yaml"
    assert "alias" in problems[0].message or "anchor" in problems[0].message
    assert len(str(problems[0])) < 300


def test_a_lone_anchor_is_refused_too():
    problems = problems_of("id: &x test\ntitle: {da: a, en: b}\ndilemmas: []\n")
    assert [p.field for p in problems] == ["yaml"]


def test_nesting_deeper_than_the_limit_is_a_problem_not_a_crash():
    for depth in (MAX_DEPTH + 1, 20_000):
        problems = problems_of("a: " + "[" * depth + "]" * depth + "\n")
        assert [p.field for p in problems] == ["yaml"]
        assert "deep" in problems[0].message


def test_a_deck_within_the_depth_limit_still_parses():
    assert parse_deck(dump(valid_deck()), "deck.yaml", VOCAB).id == "test-bunke"


def test_a_mapping_among_the_values_is_a_problem_not_a_500():
    deck = valid_deck()
    deck["dilemmas"][0]["options"][0]["values"] = [{"k": "v"}]
    problems = problems_of(dump(deck))
    assert any(p.field.endswith("values") for p in problems)


def test_the_number_of_problems_and_the_length_of_each_are_capped():
    deck = valid_deck()
    big = "x" * 2_000
    deck["dilemmas"][0]["options"][0]["values"] = [big + str(i) for i in range(100)]
    deck["dilemmas"][0]["id"] = {"nested": big}
    problems = problems_of(dump(deck))
    assert len(problems) <= MAX_PROBLEMS + 1
    assert "more" in problems[-1].message
    assert max(len(str(p)) for p in problems) < 400
    assert len(str(DeckError(problems))) < (MAX_PROBLEMS + 1) * 400
