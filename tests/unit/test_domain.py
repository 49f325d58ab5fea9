"""The pure domain: the phase machine and input cleaning, with plain constructors."""

import pytest

from workshop.domain import (
    Deck,
    Dilemma,
    Option,
    Phase,
    WorkshopError,
    allowed_commands,
    clean_text,
    dilemma_payload,
    suggested_command,
    transition,
)

L, V, C, R, E = Phase.LOBBY, Phase.VOTING, Phase.CLOSED, Phase.REVEALED, Phase.ENDED


@pytest.mark.parametrize(
    "phase, index, count, command, expected",
    [
        (L, None, 3, "next", (V, 0)),
        (V, 0, 3, "next", (V, 1)),
        (C, 1, 3, "next", (V, 2)),
        (R, 1, 3, "next", (V, 2)),
        (V, 0, 3, "close", (C, 0)),
        (V, 2, 3, "reveal", (R, 2)),
        (C, 2, 3, "reveal", (R, 2)),
        (R, 2, 3, "previous", (R, 1)),
        (V, 1, 3, "previous", (R, 0)),
        (L, None, 3, "end", (E, None)),
        (R, 2, 3, "end", (E, 2)),
    ],
)
def test_a_command_that_fits_moves_the_session(phase, index, count, command, expected):
    assert transition(phase, index, count, command) == expected


@pytest.mark.parametrize(
    "phase, index, count, command",
    [
        (L, None, 3, "close"),
        (L, None, 3, "reveal"),
        (L, None, 3, "previous"),
        (L, None, 0, "next"),
        (C, 0, 3, "close"),
        (R, 0, 3, "reveal"),
        (R, 0, 3, "close"),
        (R, 2, 3, "next"),  # no dilemma after the last
        (V, 0, 3, "previous"),  # none before the first
        (E, 1, 3, "next"),
        (E, 1, 3, "end"),
    ],
)
def test_a_command_that_does_not_fit_is_an_invalid_transition(phase, index, count, command):
    with pytest.raises(WorkshopError) as err:
        transition(phase, index, count, command)
    assert err.value.code == "invalid_transition"


def test_an_unknown_command_is_an_invalid_request():
    with pytest.raises(WorkshopError) as err:
        transition(L, None, 3, "jump")
    assert err.value.code == "invalid_request"


def test_allowed_commands_are_exactly_those_the_machine_accepts():
    assert allowed_commands(L, None, 3) == ["next", "end"]
    assert allowed_commands(V, 0, 3) == ["next", "close", "reveal", "end"]
    assert allowed_commands(R, 2, 3) == ["previous", "end"]
    assert allowed_commands(E, 2, 3) == []


@pytest.mark.parametrize(
    "phase, index, count, expected",
    [(L, None, 3, "next"), (V, 0, 3, "reveal"), (C, 0, 3, "reveal"), (R, 0, 3, "next"), (R, 2, 3, "end"), (E, 2, 3, None)],
)
def test_the_suggested_step_is_the_natural_next_one(phase, index, count, expected):
    assert suggested_command(phase, index, count) == expected


@pytest.mark.parametrize(
    "value, limit, expected",
    [("  hej  ", 10, "hej"), ("", 10, None), (None, 10, None), ("æøå", 3, "æøå"), ("a\x00b", 5, "ab"), ("a\ud800", 5, "a?"),
     ("a\x07\x1bb\tc\nd", 9, "ab\tc\nd")],
)
def test_clean_text_strips_and_keeps_danish_letters(value, limit, expected):
    assert clean_text(value, limit, field_name="x") == expected


@pytest.mark.parametrize("value", [123, ["a"], {"a": 1}, "x" * 11])
def test_clean_text_refuses_what_is_not_short_text(value):
    with pytest.raises(WorkshopError) as err:
        clean_text(value, 10, field_name="x")
    assert err.value.code == "invalid_request"


def _deck():
    opts = (Option("a", {"da": "Jeg siger ja", "en": "I say yes"}, ("honesty",)), Option("b", {"da": "Nej", "en": "No"}, ("respect",)))
    d = Dilemma("d1", {"da": "Titel", "en": "Title"}, {"da": "Tekst", "en": "Text"}, {"da": "Hvad?", "en": "What?"}, opts)
    return Deck("deck", {"da": "Bunke", "en": "Deck"}, (d,))


def test_the_dilemma_payload_comes_in_the_sessions_language():
    da = dilemma_payload(_deck(), 0, "da")
    en = dilemma_payload(_deck(), 0, "en")
    assert da["title"] == "Titel" and en["title"] == "Title"
    assert [o["label"] for o in da["options"]] == ["Jeg siger ja", "Nej"]
    assert da["index"] == 0 and da["count"] == 1
    assert set(da) == {"id", "index", "count", "title", "text", "question", "options"}


def test_a_deck_survives_its_snapshot_round_trip():
    deck = _deck()
    assert Deck.from_dict(deck.to_dict()) == deck
