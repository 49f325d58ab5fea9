"""The pure domain: the phase machine and input cleaning, with plain constructors."""

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from workshop.domain import (
    MAX_ROUNDS,
    Deck,
    Dilemma,
    Option,
    Phase,
    Position,
    Route,
    Scale,
    Value,
    WorkshopError,
    allowed_commands,
    check_open,
    clean_text,
    suggested_command,
    timer_expired,
    timer_seconds,
    transition,
)

L, V, C, R, E = Phase.LOBBY, Phase.VOTING, Phase.CLOSED, Phase.REVEALED, Phase.ENDED


def P(phase, index=None, round_=1):
    return Position(phase, index, round_)


@pytest.mark.parametrize(
    "pos, count, command, expected",
    [
        (P(L), 3, "next", P(V, 0)),
        (P(V, 0), 3, "next", P(V, 1)),
        (P(C, 1), 3, "next", P(V, 2)),
        (P(R, 1), 3, "next", P(V, 2)),
        (P(R, 1, 2), 3, "next", P(V, 2, 1)),  # a new dilemma starts at round 1
        (P(V, 0), 3, "close", P(C, 0)),
        (P(V, 0, 2), 3, "close", P(C, 0, 2)),
        (P(V, 2), 3, "reveal", P(R, 2)),
        (P(C, 2), 3, "reveal", P(R, 2)),
        (P(C, 2, 3), 3, "reveal", P(R, 2, 3)),
        (P(R, 2), 3, "previous", P(R, 1)),
        (P(V, 1), 3, "previous", P(R, 0)),
        (P(C, 0), 3, "revote", P(V, 0, 2)),
        (P(R, 1), 3, "revote", P(V, 1, 2)),
        (P(R, 1, 2), 3, "revote", P(V, 1, 3)),
        (P(L), 3, "end", P(E)),
        (P(R, 2, 2), 3, "end", P(E, 2, 2)),
    ],
)
def test_a_command_that_fits_moves_the_session(pos, count, command, expected):
    assert transition(pos, count, command) == expected


def test_previous_shows_the_last_round_the_dilemma_reached():
    assert transition(P(R, 2), 3, "previous", {1: 3}.get) == P(R, 1, 3)
    assert transition(P(V, 1), 3, "previous", lambda i: 1) == P(R, 0, 1)


@pytest.mark.parametrize(
    "pos, count, command",
    [
        (P(L), 3, "close"),
        (P(L), 3, "reveal"),
        (P(L), 3, "previous"),
        (P(L), 3, "revote"),
        (P(L), 0, "next"),
        (P(C, 0), 3, "close"),
        (P(R, 0), 3, "reveal"),
        (P(R, 0), 3, "close"),
        (P(R, 2), 3, "next"),  # no dilemma after the last
        (P(V, 0), 3, "previous"),  # none before the first
        (P(V, 0), 3, "revote"),  # voting is open already
        (P(R, 0, MAX_ROUNDS), 3, "revote"),  # at most three rounds
        (P(C, 0, MAX_ROUNDS), 3, "revote"),
        (P(E, 1), 3, "next"),
        (P(E, 1), 3, "end"),
        (P(E, 1), 3, "revote"),
    ],
)
def test_a_command_that_does_not_fit_is_an_invalid_transition(pos, count, command):
    with pytest.raises(WorkshopError) as err:
        transition(pos, count, command)
    assert err.value.code == "invalid_transition"


@pytest.mark.parametrize("command", ["jump", "", "NEXT"])
def test_an_unknown_command_is_an_invalid_request(command):
    with pytest.raises(WorkshopError) as err:
        transition(P(L), 3, command)
    assert err.value.code == "invalid_request"


@pytest.mark.parametrize(
    "pos, count, expected",
    [
        (P(L), 3, ["next", "end"]),
        (P(L), 0, ["end"]),
        (P(V, 0), 3, ["next", "close", "reveal", "end"]),
        (P(C, 1), 3, ["next", "reveal", "previous", "end", "revote"]),
        (P(R, 2), 3, ["previous", "end", "revote"]),
        (P(R, 2, 3), 3, ["previous", "end"]),
        (P(E, 2), 3, []),
    ],
)
def test_allowed_commands_are_exactly_those_the_machine_accepts(pos, count, expected):
    assert allowed_commands(pos, count) == expected


@pytest.mark.parametrize(
    "pos, count, divided, expected",
    [
        (P(L), 3, False, "next"),
        (P(L), 0, False, None),
        (P(V, 0), 3, False, "reveal"),
        (P(C, 0), 3, False, "reveal"),
        (P(R, 0), 3, False, "next"),
        (P(R, 2), 3, False, "end"),
        (P(R, 0), 3, True, "revote"),  # a divided room: talk, then vote again
        (P(R, 2), 3, True, "revote"),
        (P(R, 0, 2), 3, True, "next"),  # once per dilemma is enough
        (P(R, 2, 2), 3, True, "end"),
        (P(E, 2), 3, False, None),
    ],
)
def test_the_suggested_step_is_the_natural_next_one(pos, count, divided, expected):
    assert suggested_command(pos, count, divided) == expected


@pytest.mark.parametrize("value, expected", [(0, 0), (10, 10), (60, 60), (900, 900)])
def test_a_timer_takes_ten_seconds_to_a_quarter_of_an_hour_or_zero(value, expected):
    assert timer_seconds(value) == expected


@pytest.mark.parametrize("value", [9, 901, -1, 30.5, "30", True, None])
def test_a_timer_outside_its_range_is_an_invalid_request(value):
    with pytest.raises(WorkshopError) as err:
        timer_seconds(value)
    assert err.value.code == "invalid_request"


T0 = datetime(2026, 11, 28, 12, 0, 0)


@pytest.mark.parametrize(
    "phase, ends_at, now, expected",
    [
        (V, None, T0, False),
        (V, T0, T0 - timedelta(seconds=1), False),
        (V, T0, T0, True),
        (V, T0, T0 + timedelta(seconds=1), True),
        (C, T0, T0 + timedelta(seconds=1), False),  # closed already
        (R, T0, T0 + timedelta(seconds=1), False),
    ],
)
def test_a_timer_expires_exactly_at_its_end_while_voting(phase, ends_at, now, expected):
    assert timer_expired(phase, ends_at, now) is expected


def _d(did="d1"):
    return Dilemma(did, {"da": "T"}, {"da": "x"}, {"da": "?"}, (Option("a", {"da": "A"}, ()),))


@pytest.mark.parametrize(
    "pos, current, dilemma_id, ends_at, now, code",
    [
        (P(V, 0), _d(), "d1", None, T0, None),
        (P(V, 0), _d(), "d1", T0 + timedelta(seconds=5), T0, None),
        (P(V, 0), _d(), "d1", T0, T0, "voting_closed"),  # the timer ran out
        (P(V, 0), _d(), "d2", None, T0, "voting_closed"),  # another dilemma than the one open
        (P(C, 0), _d(), "d1", None, T0, "voting_closed"),
        (P(R, 0), _d(), "d1", None, T0, "voting_closed"),
        (P(L), None, "d1", None, T0, "voting_closed"),
        (P(E, 0), _d(), "d1", None, T0, "voting_closed"),
    ],
)
def test_an_answer_is_taken_only_while_its_dilemma_is_open(pos, current, dilemma_id, ends_at, now, code):
    if code is None:
        assert check_open(pos, current, dilemma_id, ends_at, now) is None
    else:
        with pytest.raises(WorkshopError) as err:
            check_open(pos, current, dilemma_id, ends_at, now)
        assert err.value.code == code


@pytest.mark.parametrize(
    "value, limit, expected",
    [
        ("  hej  ", 10, "hej"),
        ("", 10, None),
        (None, 10, None),
        ("æøå", 3, "æøå"),
        ("a\x00b", 5, "ab"),
        ("a\ud800", 5, "a?"),
        ("a\x07\x1bb\tc\nd", 9, "ab\tc\nd"),
    ],
)
def test_clean_text_strips_and_keeps_danish_letters(value, limit, expected):
    assert clean_text(value, limit, field_name="x") == expected


@pytest.mark.parametrize("value", [123, ["a"], {"a": 1}, "x" * 11])
def test_clean_text_refuses_what_is_not_short_text(value):
    with pytest.raises(WorkshopError) as err:
        clean_text(value, 10, field_name="x")
    assert err.value.code == "invalid_request"


def _deck():
    opts = (
        Option("a", {"da": "Jeg siger ja", "en": "I say yes"}, ("honesty",)),
        Option("b", {"da": "Nej", "en": "No"}, ("respect",)),
    )
    d = Dilemma(
        "d1",
        {"da": "Titel", "en": "Title"},
        {"da": "Tekst", "en": "Text"},
        {"da": "Hvad?", "en": "What?"},
        opts,
        frame={"da": "Rammen", "en": "The frame"},
        minutes=10,
    )
    s = Dilemma(
        "d2",
        {"da": "Skala", "en": "Scale"},
        {"da": "T", "en": "T"},
        {"da": "Enig?", "en": "Agree?"},
        kind="scale",
        scale=Scale(7, {"da": "Uenig", "en": "No"}, {"da": "Enig", "en": "Yes"}),
        values=("respect",),
        reason="required",
    )
    t = Dilemma(
        "d3",
        {"da": "Tekst", "en": "Text"},
        {"da": "T", "en": "T"},
        {"da": "Hvad?", "en": "What?"},
        kind="text",
        values=("engagement",),
        reason="off",
    )
    route = Route("kort", {"da": "Kort", "en": "Short"}, 60, ("d1", "d3"))
    return Deck("deck", {"da": "Bunke", "en": "Deck"}, (d, s, t), routes=(route,))


def test_a_deck_survives_its_snapshot_round_trip_with_every_kind_and_route():
    deck = _deck()
    assert Deck.from_dict(deck.to_dict()) == deck


def test_a_route_holds_just_its_dilemmas_in_its_order():
    along = _deck().along("kort")
    assert [d.id for d in along.dilemmas] == ["d1", "d3"] and along.routes == ()
    with pytest.raises(WorkshopError) as err:
        _deck().along("lang")
    assert err.value.code == "unknown_route"


def test_an_added_dilemma_comes_last_and_the_rest_stays():
    deck = _deck()
    extra = Dilemma(
        "live-4", {"da": "Ny"}, {}, {"da": "Ja?"}, (Option("a", {"da": "Ja"}, ()), Option("b", {"da": "Nej"}, ()))
    )
    grown = deck.with_dilemma(extra)
    assert grown.dilemmas[:3] == deck.dilemmas and grown.dilemmas[3] == extra


def test_all_values_of_a_dilemma_are_its_options_and_its_own_once_each():
    d = Dilemma(
        "x", {}, {}, {}, (Option("a", {}, ("respect", "trust")), Option("b", {}, ("trust",))), values=("honesty",)
    )
    assert d.all_values == ("respect", "trust", "honesty")


# --- snapshots: to_dict / from_dict, written out by hand --------------------------------------

SNAPSHOT = {
    "id": "deck",
    "title": {"da": "Bunke", "en": "Deck"},
    "description": {"da": "Om", "en": "About"},
    "values": [
        {"id": "respect", "label": {"da": "Respekt", "en": "Respect"}},
        {"id": "honesty", "label": {"da": "Ærlighed"}},
    ],
    "dilemmas": [
        {
            "id": "d1",
            "kind": "choice",
            "title": {"da": "Titel", "en": "Title"},
            "text": {"da": "Tekst", "en": "Text"},
            "question": {"da": "Hvad?", "en": "What?"},
            "role": "leader",
            "focus": "patterns",
            "reason": "required",
            "options": [
                {"id": "a", "label": {"da": "Ja", "en": "Yes"}, "values": ["honesty", "respect"]},
                {"id": "b", "label": {"da": "Nej", "en": "No"}, "values": []},
            ],
            "values": [],
            "debrief": [{"da": "Hvorfor?", "en": "Why?"}, {"da": "Hvornår?", "en": "When?"}],
            "tip": {"da": "Lyt", "en": "Listen"},
            "frame": {"da": "Rammen", "en": "The frame"},
            "minutes": 10,
        },
        {
            "id": "d2",
            "kind": "scale",
            "title": {"da": "Skala"},
            "text": {"da": "T"},
            "question": {"da": "Enig?"},
            "role": "both",
            "focus": "relations",
            "reason": "off",
            "options": [],
            "values": ["respect"],
            "debrief": [],
            "tip": {},
            "frame": {},
            "minutes": None,
            "scale": {"points": 7, "low": {"da": "Uenig"}, "high": {"da": "Enig"}},
        },
    ],
    "routes": [{"id": "kort", "title": {"da": "Kort"}, "minutes": 60, "dilemmas": ["d2", "d1"]}],
}

SNAPSHOT_DECK = Deck(
    "deck",
    {"da": "Bunke", "en": "Deck"},
    (
        Dilemma(
            "d1",
            {"da": "Titel", "en": "Title"},
            {"da": "Tekst", "en": "Text"},
            {"da": "Hvad?", "en": "What?"},
            (
                Option("a", {"da": "Ja", "en": "Yes"}, ("honesty", "respect")),
                Option("b", {"da": "Nej", "en": "No"}, ()),
            ),
            debrief=({"da": "Hvorfor?", "en": "Why?"}, {"da": "Hvornår?", "en": "When?"}),
            tip={"da": "Lyt", "en": "Listen"},
            role="leader",
            focus="patterns",
            reason="required",
            frame={"da": "Rammen", "en": "The frame"},
            minutes=10,
        ),
        Dilemma(
            "d2",
            {"da": "Skala"},
            {"da": "T"},
            {"da": "Enig?"},
            kind="scale",
            reason="off",
            scale=Scale(7, {"da": "Uenig"}, {"da": "Enig"}),
            values=("respect",),
        ),
    ),
    description={"da": "Om", "en": "About"},
    values=(Value("respect", {"da": "Respekt", "en": "Respect"}), Value("honesty", {"da": "Ærlighed"})),
    routes=(Route("kort", {"da": "Kort"}, 60, ("d2", "d1")),),
)


def test_a_deck_snapshot_is_exactly_this_dict():
    assert SNAPSHOT_DECK.to_dict() == SNAPSHOT


def test_a_deck_is_read_back_from_its_snapshot():
    assert Deck.from_dict(SNAPSHOT) == SNAPSHOT_DECK


def test_a_minimal_snapshot_takes_the_defaults():
    data = {
        "id": "deck",
        "title": {"da": "B"},
        "dilemmas": [
            {"id": "d1", "title": {"da": "T"}, "question": {"da": "Q"}, "options": [{"id": "a", "label": {"da": "A"}}]}
        ],
    }
    deck = Deck.from_dict(data)
    assert deck == Deck(
        "deck", {"da": "B"}, (Dilemma("d1", {"da": "T"}, {}, {"da": "Q"}, (Option("a", {"da": "A"}, ()),)),)
    )
    d = deck.dilemmas[0]
    assert (d.kind, d.role, d.focus, d.reason, d.minutes, d.scale) == (
        "choice",
        "both",
        "relations",
        "optional",
        None,
        None,
    )
    assert (d.text, d.tip, d.frame, d.values, d.debrief) == ({}, {}, {}, (), ())
    assert (deck.description, deck.values, deck.routes) == ({}, (), ())


def test_empty_texts_in_a_snapshot_read_as_empty_mappings():
    data = {
        "id": "x",
        "title": {"da": "B"},
        "description": None,
        "dilemmas": [
            {
                "id": "d1",
                "title": {"da": "T"},
                "question": {"da": "Q"},
                "text": None,
                "tip": None,
                "frame": None,
                "scale": None,
            }
        ],
    }
    deck = Deck.from_dict(data)
    d = deck.dilemmas[0]
    assert (deck.description, d.text, d.tip, d.frame, d.scale, d.options) == ({}, {}, {}, {}, None, ())


def test_a_dilemma_without_scale_has_no_scale_in_its_snapshot():
    assert "scale" not in SNAPSHOT_DECK.dilemmas[0].to_dict()


def test_the_dilemma_defaults():
    d = Dilemma("x", {"da": "T"}, {"da": "X"}, {"da": "Q"})
    assert (d.options, d.debrief, d.tip, d.role, d.focus, d.kind, d.reason, d.scale, d.values, d.frame, d.minutes) == (
        (),
        (),
        {},
        "both",
        "relations",
        "choice",
        "optional",
        None,
        (),
        {},
        None,
    )
    deck = Deck("x", {"da": "T"}, (d,))
    assert (deck.description, deck.values, deck.routes) == ({}, (), ())


# --- finding things in a deck ------------------------------------------------------------------


@pytest.mark.parametrize(
    "title, languages",
    [({"da": "B", "en": "D"}, ["da", "en"]), ({"en": "D"}, ["en"]), ({"da": "B", "en": ""}, ["da"]), ({"de": "X"}, [])],
)
def test_a_decks_languages_are_those_its_title_has(title, languages):
    assert Deck("x", title, ()).languages == languages


def test_a_deck_finds_its_dilemmas_routes_and_value_labels():
    deck = SNAPSHOT_DECK
    assert deck.dilemma("d2") is deck.dilemmas[1]
    assert deck.dilemma("d3") is None
    assert deck.route("kort") is deck.routes[0]
    assert deck.route("lang") is None
    assert deck.value_label("respect", "en") == "Respect"
    assert deck.value_label("honesty", "en") == "Ærlighed"
    assert deck.value_label("trust", "en") == "trust"  # unknown: the id itself
    d = deck.dilemmas[0]
    assert d.option("b") is d.options[1]
    assert d.option("c") is None


def test_along_a_route_follows_its_order_and_names_an_unknown_one():
    along = SNAPSHOT_DECK.along("kort")
    assert along == replace(SNAPSHOT_DECK, dilemmas=(SNAPSHOT_DECK.dilemmas[1], SNAPSHOT_DECK.dilemmas[0]), routes=())
    with pytest.raises(WorkshopError) as err:
        SNAPSHOT_DECK.along("lang")
    assert (err.value.code, err.value.detail) == ("unknown_route", "no route 'lang' in this deck")


def test_a_workshop_error_carries_its_code_and_detail():
    err = WorkshopError("voting_closed", "too late")
    assert (err.code, err.detail, str(err)) == ("voting_closed", "too late", "voting_closed: too late")
    bare = WorkshopError("not_found")
    assert (bare.code, bare.detail, str(bare)) == ("not_found", None, "not_found")


@pytest.mark.parametrize(
    "value, detail",
    [
        (9, "seconds must be 0 or 10 to 900"),
        (901, "seconds must be 0 or 10 to 900"),
        ("30", "seconds must be a whole number"),
        (False, "seconds must be a whole number"),
        (None, "seconds must be a whole number"),
    ],
)
def test_a_refused_timer_says_why(value, detail):
    with pytest.raises(WorkshopError) as err:
        timer_seconds(value)
    assert err.value.detail == detail


@pytest.mark.parametrize(
    "ends_at, now, detail",
    [(None, T0, "voting on this dilemma is not open"), (T0, T0, "the time for this dilemma has run out")],
)
def test_a_refused_answer_says_why(ends_at, now, detail):
    pos = P(V, 0) if ends_at else P(C, 0)
    with pytest.raises(WorkshopError) as err:
        check_open(pos, _d(), "d1", ends_at, now)
    assert err.value.detail == detail


@pytest.mark.parametrize(
    "pos, count, divided, expected",
    [
        (P(R, 0, 3), 3, True, "next"),  # no fourth round
        (P(R, 0, 2), 3, True, "next"),
        (P(R, None), 3, False, "end"),
        (P(R, 1), 2, False, "end"),
        (P(R, 0), 2, False, "next"),
    ],
)
def test_the_suggested_step_after_a_reveal(pos, count, divided, expected):
    assert suggested_command(pos, count, divided) == expected


@pytest.mark.parametrize(
    "pos, count, command, expected",
    [
        (P(R, 0, 2), 3, "revote", P(V, 0, 3)),
        (P(C, 1, 2), 3, "previous", P(R, 0, 1)),
        (P(V, 1, 2), 3, "next", P(V, 2, 1)),
        (P(V, 0), 1, "end", P(E, 0)),
        (P(C, 0, 2), 3, "end", P(E, 0, 2)),
    ],
)
def test_rounds_through_the_phase_machine(pos, count, command, expected):
    assert transition(pos, count, command) == expected


@pytest.mark.parametrize(
    "pos, count, command", [(P(V, None), 3, "next"), (P(R, None), 3, "previous"), (P(L), 3, "end")]
)
def test_the_machine_needs_an_index_to_move_from(pos, count, command):
    if command == "end":
        assert transition(pos, count, command) == P(E)
    else:
        with pytest.raises(WorkshopError):
            transition(pos, count, command)
