"""Table-driven tests of the stable pure rules, written to kill the mutants mutmut left alive
(docs/testing.md): fallbacks of pick, error codes and details of clean_text and transition,
boundaries of the phase machine, and the largest-remainder tie-break of percentages.
A new command (such as `revote`) is a new row in these tables."""

from __future__ import annotations

import pytest

from workshop.domain import Phase, Position, WorkshopError, clean_text, pick, suggested_command, transition
from workshop.tally import percentages

L, V, C, R, E = Phase.LOBBY, Phase.VOTING, Phase.CLOSED, Phase.REVEALED, Phase.ENDED


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ({"da": "hej", "en": "hi"}, "en", "hi"),
        ({"da": "hej", "en": "hi"}, "da", "hej"),
        ({"da": "hej"}, "en", "hej"),  # English missing: Danish
        ({"da": "hej", "en": ""}, "en", "hej"),  # English empty: Danish
        ({"en": "hi"}, "da", "hi"),  # Danish missing too: any language present
        ({"en": "", "da": "hej", "de": "hallo"}, "en", "hej"),  # Danish before any other
        ({"de": "hallo", "fr": "salut"}, "en", "hallo"),  # the first one present
        ({}, "da", ""),
    ],
)
def test_pick_falls_back_to_danish_then_to_any_text(text, language, expected):
    got = pick(text, language)
    assert got == expected and isinstance(got, str)


@pytest.mark.parametrize(
    "value, limit, required, detail",
    [
        (None, 10, True, "navn is required"),
        ("", 10, True, "navn is required"),
        ("   \x00 ", 10, True, "navn is required"),  # nothing left after cleaning
        (42, 10, False, "navn must be a string"),
        (b"bytes", 10, False, "navn must be a string"),
        ("x" * 11, 10, False, "navn is longer than 10 characters"),
        ("æ" * 41, 40, True, "navn is longer than 40 characters"),
    ],
)
def test_clean_text_refuses_with_invalid_request_and_names_the_field(value, limit, required, detail):
    with pytest.raises(WorkshopError) as err:
        clean_text(value, limit, field_name="navn", required=required)
    assert (err.value.code, err.value.detail) == ("invalid_request", detail)


@pytest.mark.parametrize(
    "value, limit, expected",
    [
        ("x" * 10, 10, "x" * 10),  # exactly at the limit
        ("  " + "x" * 10 + "  ", 10, "x" * 10),  # the limit counts after stripping
        ("\x01" + "x" * 10, 10, "x" * 10),  # and after dropping control characters
        (None, 10, None),
        ("   ", 10, None),
    ],
)
def test_clean_text_limits_count_the_cleaned_text(value, limit, expected):
    assert clean_text(value, limit, field_name="navn") == expected


@pytest.mark.parametrize(
    "phase, index, count, command, expected",
    [
        (L, None, 1, "next", (V, 0)),  # a deck of one dilemma can start
        (V, 0, 2, "next", (V, 1)),
        (V, 1, 2, "previous", (R, 0)),
        (C, 0, 1, "reveal", (R, 0)),
    ],
)
def test_the_phase_machine_at_its_edges(phase, index, count, command, expected):
    assert transition(Position(phase, index), count, command) == Position(*expected)


@pytest.mark.parametrize(
    "phase, index, count, command, code, detail",
    [
        (L, None, 3, "jump", "invalid_request", "unknown command 'jump'"),
        (L, None, 3, "close", "invalid_transition", "close does not fit lobby"),
        (R, 2, 3, "next", "invalid_transition", "next does not fit revealed"),
        (E, 0, 3, "end", "invalid_transition", "end does not fit ended"),
        (V, 0, 1, "next", "invalid_transition", "next does not fit voting"),
        (V, 0, 1, "revote", "invalid_transition", "revote does not fit voting"),
    ],
)
def test_a_refused_command_says_which_and_why(phase, index, count, command, code, detail):
    with pytest.raises(WorkshopError) as err:
        transition(Position(phase, index), count, command)
    assert (err.value.code, err.value.detail) == (code, detail)


@pytest.mark.parametrize(
    "phase, index, count, expected",
    [
        (L, None, 0, None),  # an empty deck has no first step
        (L, None, 1, "next"),
        (R, 1, 3, "next"),  # one more to go
        (R, 0, 1, "end"),
        (C, 2, 3, "reveal"),
    ],
)
def test_the_suggested_step_at_the_edges(phase, index, count, expected):
    assert suggested_command(Position(phase, index), count) == expected


@pytest.mark.parametrize(
    "counts, expected",
    [
        # 1/3 each: floors 33+33+33, the one left goes to the first option (ties by option order)
        ({"a": 1, "b": 1, "c": 1}, {"a": 34, "b": 33, "c": 33}),
        ({"c": 1, "a": 1, "b": 1}, {"c": 34, "a": 33, "b": 33}),
        # 33.33 / 66.67: the largest remainder (b, .67) gets it, not the first option
        ({"a": 1, "b": 2}, {"a": 33, "b": 67}),
        # 14.29, 14.29, 71.43: c's remainder (.43) beats a's and b's (.29)
        ({"a": 1, "b": 1, "c": 5}, {"a": 14, "b": 14, "c": 72}),
        # 4/7, 2/7, 1/7 = 57.14, 28.57, 14.29: b's .57 is the largest
        ({"x": 4, "y": 2, "z": 1}, {"x": 57, "y": 29, "z": 14}),
        # 16.67 each of six: 6 * 16 = 96, the four left go to the first four (equal remainders)
        ({k: 1 for k in "abcdef"}, {"a": 17, "b": 17, "c": 17, "d": 17, "e": 16, "f": 16}),
        ({"a": 0, "b": 3}, {"a": 0, "b": 100}),
        ({"a": 0, "b": 0}, {"a": 0, "b": 0}),
        ({}, {}),
    ],
)
def test_percentages_use_the_largest_remainder_and_break_ties_by_option_order(counts, expected):
    got = percentages(counts)
    assert got == expected and list(got) == list(counts)
    assert sum(got.values()) in (0, 100)
