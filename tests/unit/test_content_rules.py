"""The deck checker's every message, exactly: file, dilemma, field and words (table-driven).

Written to kill the mutants mutmut left alive in workshop/content.py (docs/testing.md). Each row
changes the valid deck of test_content.py in one way and lists every problem the checker must
report, spelled out by hand, so a changed word, bound, field name or default fails a row.
"""

from __future__ import annotations

import copy

import pytest
import yaml

from tests.unit.test_content import TEXT, VOCAB, dump, t, valid_deck
from workshop.content import (
    DeckError,
    Problem,
    check_path,
    deck_files,
    find_vocabulary,
    load_vocabulary,
    parse_deck,
)
from workshop.domain import Dilemma, Option, Route, Scale, Value

F = "f.yaml"
ID_MSG = "must be an id of a-z, 0-9 and '-' (at most 60 characters)"
BOTH = "must give the text in both languages (da and en)"


def problems_of(data, name=F) -> list[str]:
    text = data if isinstance(data, str) else dump(data)
    try:
        parse_deck(text, name, VOCAB)
    except DeckError as err:
        assert str(err) == "\n".join(str(p) for p in err.problems)
        # outside a dilemma a problem names none (None, not an empty name)
        assert all(p.dilemma is None or p.dilemma for p in err.problems)
        return [str(p) for p in err.problems]
    return []


def changed(*edits):
    data = copy.deepcopy(valid_deck())
    for path, value in edits:
        node = data
        for key in path[:-1]:
            node = node[key]
        if value is DELETE:
            del node[path[-1]]
        else:
            node[path[-1]] = value
    return data


DELETE = object()
D = ("dilemmas", 0)


def scale_dilemma(**extra):
    d = {
        "id": "skala",
        "kind": "scale",
        "title": t("Skala"),
        "text": t(TEXT),
        "question": t("Enig?"),
        "scale": {"points": 7, "low": t("Uenig"), "high": t("Enig")},
        "values": ["respect"],
        "debrief": [t("Hvorfor?"), t("Hvornår?")],
        "tip": t("Lyt."),
    }
    d.update(extra)
    return {k: v for k, v in d.items() if v is not DELETE}


def text_dilemma(**extra):
    d = scale_dilemma(id="tekst", kind="text", scale=DELETE)
    d.update(extra)
    return {k: v for k, v in d.items() if v is not DELETE}


def with_dilemmas(*extra, **top):
    data = valid_deck()
    data["dilemmas"].extend(extra)
    data.update(top)
    return data


ROUTE = {"id": "kort", "title": t("Kort"), "minutes": 60, "dilemmas": ["fredag"]}


def route(**extra):
    r = dict(ROUTE)
    r.update(extra)
    return {k: v for k, v in r.items() if v is not DELETE}


FD = "f.yaml · fredag · "

CASES = {
    # the deck
    "deck id": (changed((("id",), "Bad Id")), [f"f.yaml · id: {ID_MSG}"]),
    "deck id not text": (changed((("id",), 12)), [f"f.yaml · id: {ID_MSG}"]),
    "deck id too long": (changed((("id",), "a" * 61)), [f"f.yaml · id: {ID_MSG}"]),
    "deck title missing": (changed((("title",), DELETE)), [f"f.yaml · title: {BOTH}"]),
    "deck title a string": (changed((("title",), "Titel")), [f"f.yaml · title: {BOTH}"]),
    "title.en empty": (changed((("title", "en"), "")), ["f.yaml · title.en: is missing or empty"]),
    "title.en blank": (changed((("title", "en"), "  \n ")), ["f.yaml · title.en: is missing or empty"]),
    "title.da a number": (changed((("title", "da"), 5)), ["f.yaml · title.da: is missing or empty"]),
    "title.de": (changed((("title", "de"), "Titel")), ["f.yaml · title.de: unknown language (use da, en)"]),
    "title too long": (
        changed((("title", "da"), "x" * 81)),
        ["f.yaml · title.da: has 81 characters; it must have 1 to 80"],
    ),
    "description not a mapping": (changed((("description",), "Om")), [f"f.yaml · description: {BOTH}"]),
    "description too long": (
        changed((("description",), t("x" * 401))),
        [
            "f.yaml · description.da: has 401 characters; it must have 0 to 400",
            "f.yaml · description.en: has 401 characters; it must have 0 to 400",
        ],
    ),
    "dilemmas missing": (changed((("dilemmas",), DELETE)), ["f.yaml · dilemmas: must be a list of 1 to 60 items"]),
    "dilemmas a mapping": (changed((("dilemmas",), {"a": 1})), ["f.yaml · dilemmas: must be a list of 1 to 60 items"]),
    "no dilemmas": (changed((("dilemmas",), [])), ["f.yaml · dilemmas: has 0 items; it must have 1 to 60"]),
    "a dilemma not a mapping": (
        with_dilemmas("fredag"),
        ["f.yaml · dilemmas[1]: must be a mapping"],
    ),
    "a dilemma not a mapping, then one with a problem": (
        {**valid_deck(), "dilemmas": ["fredag", {**valid_deck()["dilemmas"][0], "role": "boss"}]},
        ["f.yaml · dilemmas[0]: must be a mapping", FD + "role: must be one of employee, leader, both"],
    ),
    "two bad dilemma ids are not the same id": (
        {**valid_deck(), "dilemmas": [{**valid_deck()["dilemmas"][0], "id": i} for i in ("Fre dag", "Lør dag")]},
        [f"f.yaml · Fre dag · id: {ID_MSG}", f"f.yaml · Lør dag · id: {ID_MSG}"],
    ),
    "a dilemma id used twice": (
        with_dilemmas(copy.deepcopy(valid_deck()["dilemmas"][0])),
        [FD + "id: is used by another dilemma in this deck"],
    ),
    # a dilemma's common fields
    "dilemma id bad": (changed(((*D, "id"), "Fre dag")), [f"f.yaml · Fre dag · id: {ID_MSG}"]),
    "dilemma id missing": (changed(((*D, "id"), DELETE)), [f"f.yaml · #1 · id: {ID_MSG}"]),
    "second dilemma id missing": (
        with_dilemmas(scale_dilemma(id=DELETE)),
        [f"f.yaml · #2 · id: {ID_MSG}"],
    ),
    "role": (changed(((*D, "role"), "boss")), [FD + "role: must be one of employee, leader, both"]),
    "focus": (changed(((*D, "focus"), "other")), [FD + "focus: must be one of relations, patterns"]),
    "kind unknown": (changed(((*D, "kind"), "poll")), [FD + "kind: must be one of choice, scale, text"]),
    "kind not text": (changed(((*D, "kind"), ["scale"])), [FD + "kind: must be one of choice, scale, text"]),
    "reason": (changed(((*D, "reason"), "maybe")), [FD + "reason: must be one of off, optional, required"]),
    "title of a dilemma": (changed(((*D, "title"), DELETE)), [FD + f"title: {BOTH}"]),
    "text too short": (
        changed(((*D, "text", "da"), "x" * 119)),
        [FD + "text.da: has 119 characters; it must have 120 to 600"],
    ),
    "text too long": (
        changed(((*D, "text", "en"), "x" * 601)),
        [FD + "text.en: has 601 characters; it must have 120 to 600"],
    ),
    "question": (changed(((*D, "question"), DELETE)), [FD + f"question: {BOTH}"]),
    "debrief missing": (changed(((*D, "debrief"), DELETE)), [FD + "debrief: must be a list of 2 to 4 items"]),
    "one debrief": (changed(((*D, "debrief"), [t("Hvorfor?")])), [FD + "debrief: has 1 items; it must have 2 to 4"]),
    "five debriefs": (
        changed(((*D, "debrief"), [t("Hvorfor?")] * 5)),
        [FD + "debrief: has 5 items; it must have 2 to 4"],
    ),
    "an empty debrief": (
        changed(((*D, "debrief"), [t("Hvorfor?"), {}])),
        [FD + "debrief[1].da: is missing or empty", FD + "debrief[1].en: is missing or empty"],
    ),
    "debrief too long": (
        changed(((*D, "debrief"), [t("Hvorfor?"), {"da": "x" * 301, "en": "y"}])),
        [FD + "debrief[1].da: has 301 characters; it must have 1 to 300"],
    ),
    "tip": (changed(((*D, "tip"), DELETE)), [FD + f"tip: {BOTH}"]),
    "frame not a mapping": (changed(((*D, "frame"), "Ramme")), [FD + f"frame: {BOTH}"]),
    "frame too long": (
        changed(((*D, "frame"), {"da": "x" * 701, "en": "Ramme"})),
        [FD + "frame.da: has 701 characters; it must have 1 to 700"],
    ),
    "minutes 0": (changed(((*D, "minutes"), 0)), [FD + "minutes: must be a whole number from 1 to 60"]),
    "minutes 61": (changed(((*D, "minutes"), 61)), [FD + "minutes: must be a whole number from 1 to 60"]),
    "minutes true": (changed(((*D, "minutes"), True)), [FD + "minutes: must be a whole number from 1 to 60"]),
    "minutes 1.5": (changed(((*D, "minutes"), 1.5)), [FD + "minutes: must be a whole number from 1 to 60"]),
    "minutes text": (changed(((*D, "minutes"), "5")), [FD + "minutes: must be a whole number from 1 to 60"]),
    # choice
    "options missing": (changed(((*D, "options"), DELETE)), [FD + "options: must be a list of 2 to 6 items"]),
    "one option": (
        changed(((*D, "options"), valid_deck()["dilemmas"][0]["options"][:1])),
        [FD + "options: has 1 items; it must have 2 to 6"],
    ),
    "seven options": (
        changed(((*D, "options"), [{"id": f"o{i}", "label": t("Ja"), "values": ["respect"]} for i in range(7)])),
        [FD + "options: has 7 items; it must have 2 to 6"],
    ),
    "an option not a mapping": (
        changed(((*D, "options", 0), "ja")),
        [FD + "options[0]: must be a mapping with id, label and values"],
    ),
    "an option not a mapping, then one with a problem": (
        changed(((*D, "options", 0), "ja"), ((*D, "options", 1, "values"), ["kindness"])),
        [
            FD + "options[0]: must be a mapping with id, label and values",
            FD + "options[1].values: unknown value 'kindness' (see content/values.yaml)",
        ],
    ),
    "an option id": (changed(((*D, "options", 1, "id"), "B")), [FD + f"options[1].id: {ID_MSG}"]),
    "an option id twice": (
        changed(((*D, "options", 1, "id"), "a")),
        [FD + "options[1].id: 'a' is used twice in this dilemma"],
    ),
    "an option label": (changed(((*D, "options", 1, "label"), DELETE)), [FD + f"options[1].label: {BOTH}"]),
    "option values missing": (
        changed(((*D, "options", 1, "values"), DELETE)),
        [FD + "options[1].values: must be a list of 1 to 3 items"],
    ),
    "no option values": (
        changed(((*D, "options", 1, "values"), [])),
        [FD + "options[1].values: has 0 items; it must have 1 to 3"],
    ),
    "four option values": (
        changed(((*D, "options", 1, "values"), ["respect", "trust", "honesty", "decency"])),
        [FD + "options[1].values: has 4 items; it must have 1 to 3"],
    ),
    "an unknown value": (
        changed(((*D, "options", 1, "values"), ["respect", "kindness"])),
        [FD + "options[1].values: unknown value 'kindness' (see content/values.yaml)"],
    ),
    "values on a choice dilemma": (
        changed(((*D, "values"), ["respect"])),
        [FD + "values: a choice dilemma gives values per option, not on the dilemma"],
    ),
    # scale
    "scale missing": (
        with_dilemmas(scale_dilemma(scale=DELETE)),
        [
            "f.yaml · skala · scale: a scale dilemma needs scale: {points: 5 or 7, low: {da, en}, high: {da, en}}",
            "f.yaml · skala · scale.points: must be 5 or 7",
            f"f.yaml · skala · scale.low: {BOTH}",
            f"f.yaml · skala · scale.high: {BOTH}",
        ],
    ),
    "scale of 6 points": (
        with_dilemmas(scale_dilemma(scale={"points": 6, "low": t("Nej"), "high": t("Ja")})),
        ["f.yaml · skala · scale.points: must be 5 or 7"],
    ),
    "scale end label too long": (
        with_dilemmas(scale_dilemma(scale={"points": 5, "low": t("Nej"), "high": {"da": "x" * 201, "en": "Ja"}})),
        ["f.yaml · skala · scale.high.da: has 201 characters; it must have 1 to 200"],
    ),
    "options on a scale dilemma": (
        with_dilemmas(scale_dilemma(options=[])),
        ["f.yaml · skala · options: a scale dilemma has no options"],
    ),
    "scale values missing": (
        with_dilemmas(scale_dilemma(values=DELETE)),
        ["f.yaml · skala · values: must be a list of 1 to 3 items"],
    ),
    "scale value unknown": (
        with_dilemmas(scale_dilemma(values=["respect", "kindness"])),
        ["f.yaml · skala · values: unknown value 'kindness' (see content/values.yaml)"],
    ),
    # text
    "options on a text dilemma": (
        with_dilemmas(text_dilemma(options=[])),
        ["f.yaml · tekst · options: a text dilemma has no options"],
    ),
    "reason on a text dilemma": (
        with_dilemmas(text_dilemma(reason="optional")),
        ["f.yaml · tekst · reason: a text dilemma has no reason (the answer is the text)"],
    ),
    "text values missing": (
        with_dilemmas(text_dilemma(values=DELETE)),
        ["f.yaml · tekst · values: must be a list of 1 to 3 items"],
    ),
    # routes
    "routes a mapping": (with_dilemmas(routes={"a": 1}), ["f.yaml · routes: must be a list of 1 to 10 items"]),
    "no routes": (with_dilemmas(routes=[]), ["f.yaml · routes: has 0 items; it must have 1 to 10"]),
    "eleven routes": (
        with_dilemmas(routes=[route(id=f"r{i}") for i in range(11)]),
        ["f.yaml · routes: has 11 items; it must have 1 to 10"],
    ),
    "a route not a mapping": (
        with_dilemmas(routes=[route(), "kort"]),
        ["f.yaml · routes[1]: must be a mapping with id, title, minutes and dilemmas"],
    ),
    "a route not a mapping, then one with a problem": (
        with_dilemmas(routes=["kort", route(minutes=DELETE)]),
        [
            "f.yaml · routes[0]: must be a mapping with id, title, minutes and dilemmas",
            "f.yaml · routes[1].minutes: is required",
        ],
    ),
    "two bad route ids are not the same id": (
        with_dilemmas(routes=[route(id="Kort"), route(id="Lang")]),
        [f"f.yaml · routes[0].id: {ID_MSG}", f"f.yaml · routes[1].id: {ID_MSG}"],
    ),
    "a route id": (with_dilemmas(routes=[route(id="Kort")]), [f"f.yaml · routes[0].id: {ID_MSG}"]),
    "a route id twice": (
        with_dilemmas(routes=[route(), route()]),
        ["f.yaml · routes[1].id: 'kort' is used by another route"],
    ),
    "a route title": (with_dilemmas(routes=[route(title=DELETE)]), [f"f.yaml · routes[0].title: {BOTH}"]),
    "route minutes missing": (
        with_dilemmas(routes=[route(minutes=DELETE)]),
        ["f.yaml · routes[0].minutes: is required"],
    ),
    "route minutes 9": (
        with_dilemmas(routes=[route(minutes=9)]),
        [
            "f.yaml · routes[0].minutes: must be a whole number from 10 to 480",
            "f.yaml · routes[0].minutes: is required",
        ],
    ),
    "route minutes 481": (
        with_dilemmas(routes=[route(minutes=481)]),
        [
            "f.yaml · routes[0].minutes: must be a whole number from 10 to 480",
            "f.yaml · routes[0].minutes: is required",
        ],
    ),
    "route dilemmas missing": (
        with_dilemmas(routes=[route(dilemmas=DELETE)]),
        ["f.yaml · routes[0].dilemmas: must be a list of 1 to 60 items"],
    ),
    "route without dilemmas": (
        with_dilemmas(routes=[route(dilemmas=[])]),
        ["f.yaml · routes[0].dilemmas: has 0 items; it must have 1 to 60"],
    ),
    "route with an unknown dilemma": (
        with_dilemmas(routes=[route(dilemmas=["fredag", "nope"])]),
        ["f.yaml · routes[0].dilemmas: no dilemma 'nope' in this deck"],
    ),
    "route with an unknown long id": (
        with_dilemmas(routes=[route(dilemmas=["fredag", "y" * 70])]),
        # a value from the file is echoed at most 60 characters long (its repr, cut with an ellipsis)
        [f"f.yaml · routes[0].dilemmas: no dilemma '{'y' * 58}… in this deck"],
    ),
    "route with a dilemma twice": (
        with_dilemmas(routes=[route(dilemmas=["fredag", "fredag"])]),
        ["f.yaml · routes[0].dilemmas: holds a dilemma twice"],
    ),
    "route opening with a scale": (
        with_dilemmas(scale_dilemma(), routes=[route(dilemmas=["skala", "fredag"])]),
        ["f.yaml · routes[0].dilemmas: must begin with a choice dilemma (an opener anyone can answer)"],
    ),
    "route opening with a text": (
        with_dilemmas(text_dilemma(), routes=[route(), route(id="lang", dilemmas=["tekst"])]),
        ["f.yaml · routes[1].dilemmas: must begin with a choice dilemma (an opener anyone can answer)"],
    ),
    "route opening with an unknown id": (
        with_dilemmas(routes=[route(dilemmas=["nope", "fredag"])]),
        ["f.yaml · routes[0].dilemmas: no dilemma 'nope' in this deck"],
    ),
    "a problem after a duplicate names no dilemma": (
        with_dilemmas(copy.deepcopy(valid_deck()["dilemmas"][0]), routes=[route(minutes=DELETE)]),
        [FD + "id: is used by another dilemma in this deck", "f.yaml · routes[0].minutes: is required"],
    ),
    # the file
    "not a mapping": ("- a\n- b\n", ["f.yaml · deck: the file must hold a mapping with id, title and dilemmas"]),
    "broken YAML": ("a: b\n  c: d\n", ["f.yaml · yaml: not valid YAML (line 2)"]),
    "a control character": ("id: x\x07\n", ["f.yaml · yaml: not valid YAML"]),
}


@pytest.mark.parametrize("data, expected", CASES.values(), ids=CASES.keys())
def test_the_checker_reports_exactly_these_problems(data, expected):
    assert problems_of(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        changed((("id",), "a" * 60)),
        changed((("id",), "0-a-")),
        changed((("title", "da"), "x" * 80)),
        changed((("description",), t("x" * 400))),
        changed(((*D, "minutes"), 1)),
        changed(((*D, "minutes"), 60)),
        changed(((*D, "debrief"), [t("Hvorfor?")] * 4)),
        changed(((*D, "options", 1, "values"), ["respect", "trust", "honesty"])),
        with_dilemmas(routes=[route(minutes=10), route(id="lang", minutes=480)]),
        with_dilemmas(scale_dilemma(scale={"points": 5, "low": t("Nej"), "high": t("Ja")})),
        with_dilemmas(text_dilemma(reason="off")),
        {**valid_deck(), "dilemmas": [{**valid_deck()["dilemmas"][0], "id": f"d{i}"} for i in range(60)]},
    ],
    ids=[
        "id of 60",
        "id with digits",
        "title of 80",
        "description of 400",
        "1 minute",
        "60 minutes",
        "4 debriefs",
        "3 values",
        "route minutes 10 and 480",
        "scale of 5",
        "text with reason off",
        "60 dilemmas",
    ],
)
def test_at_each_limit_the_deck_passes(data):
    assert problems_of(data) == []


def test_sixty_one_dilemmas_are_too_many():
    data = {**valid_deck(), "dilemmas": [{**valid_deck()["dilemmas"][0], "id": f"d{i}"} for i in range(61)]}
    assert problems_of(data) == ["f.yaml · dilemmas: has 61 items; it must have 1 to 60"]


def test_a_valid_deck_becomes_exactly_this_deck():
    data = with_dilemmas(
        scale_dilemma(reason="required", minutes=5, frame=t("Rammen")),
        text_dilemma(),
        routes=[route(dilemmas=["fredag", "tekst"])],
        description=t("Om  bunken\n i  dag"),
    )
    data["title"] = {"da": "  Prøve \n bunke ", "en": "Test deck"}
    deck = parse_deck(dump(data), F, VOCAB)
    assert deck.id == "test-bunke"
    assert deck.title == {"da": "Prøve bunke", "en": "Test deck"}  # white space folded
    assert deck.description == {"da": "Om bunken i dag", "en": "Om bunken i dag"}
    assert deck.values == VOCAB
    assert deck.routes == (Route("kort", t("Kort"), 60, ("fredag", "tekst")),)
    fredag, skala, tekst = deck.dilemmas
    assert fredag == Dilemma(
        id="fredag",
        kind="choice",
        title=t("Fredag"),
        text=t(TEXT),
        question=t("Hvad gør du?", "What do you do?"),
        options=(
            Option("a", t("Jeg bliver."), ("core-task",)),
            Option("b", t("Jeg går."), ("responsibility", "honesty")),
        ),
        debrief=(t("Hvorfor?"), t("Hvornår?")),
        tip=t("Start med en historie."),
        frame={},
        minutes=None,
        role="employee",
        focus="relations",
        reason="optional",
    )
    assert skala == Dilemma(
        id="skala",
        kind="scale",
        title=t("Skala"),
        text=t(TEXT),
        question=t("Enig?"),
        scale=Scale(7, t("Uenig"), t("Enig")),
        values=("respect",),
        debrief=(t("Hvorfor?"), t("Hvornår?")),
        tip=t("Lyt."),
        frame=t("Rammen"),
        minutes=5,
        role="both",  # the defaults
        focus="relations",
        reason="required",
    )
    assert (tekst.kind, tekst.reason, tekst.values, tekst.options, tekst.scale) == (
        "text",
        "off",
        ("respect",),
        (),
        None,
    )


def test_a_deck_without_description_or_routes_has_empty_ones():
    deck = parse_deck(dump(valid_deck()), F, VOCAB)
    assert (deck.description, deck.routes) == ({}, ())


@pytest.mark.parametrize(
    "field, value", [("focus", "patterns"), ("role", "leader"), ("role", "both"), ("reason", "off")]
)
def test_a_known_choice_is_kept(field, value):
    deck = parse_deck(dump(changed(((*D, field), value))), F, VOCAB)
    assert getattr(deck.dilemmas[0], field) == value


def test_an_unknown_kind_is_checked_as_a_choice():
    assert problems_of(changed(((*D, "kind"), "poll"), ((*D, "options"), DELETE))) == [
        FD + "kind: must be one of choice, scale, text",
        FD + "options: must be a list of 2 to 6 items",
    ]


def test_an_unknown_reason_is_reported_once():
    assert problems_of(changed(((*D, "reason"), None))) == [FD + "reason: must be one of off, optional, required"]


# --- size -----------------------------------------------------------------------------------

LIMIT = 256 * 1024


def padded(total_bytes: int, filler: str = "x") -> str:
    text = dump(valid_deck()) + "#"
    room = total_bytes - len(text.encode("utf-8"))
    assert room % len(filler.encode("utf-8")) == 0
    return text + filler * (room // len(filler.encode("utf-8")))


def test_a_deck_file_of_exactly_256_kb_is_read():
    text = padded(LIMIT)
    assert len(text.encode("utf-8")) == LIMIT
    assert problems_of(text) == []


def test_a_deck_file_over_256_kb_is_refused():
    assert problems_of(padded(LIMIT + 1)) == ["f.yaml · deck: the file is larger than 256 KB"]


def test_the_size_limit_counts_bytes_not_characters():
    text = padded(LIMIT - 1) + "æ"  # at most 262,144 characters, 262,145 bytes
    assert len(text) <= LIMIT < len(text.encode("utf-8"))
    assert problems_of(text) == ["f.yaml · deck: the file is larger than 256 KB"]


# --- problems, files and folders ---------------------------------------------------------------


def test_a_problem_reads_file_dilemma_field_and_message():
    assert str(Problem("a.yaml", "d1", "title", "is bad")) == "a.yaml · d1 · title: is bad"
    assert str(Problem("a.yaml", None, "title", "is bad")) == "a.yaml · title: is bad"
    err = DeckError([Problem("a.yaml", None, "x", "one"), Problem("a.yaml", "d", "y", "two")])
    assert str(err) == "a.yaml · x: one\na.yaml · d · y: two"
    assert len(err.problems) == 2


def test_the_vocabulary_file_is_read_in_order(tmp_path):
    f = tmp_path / "values.yaml"
    f.write_text(
        "values:\n  - id: tillid\n    label: {da: Tillid, en: Trust}\n  - id: mod\n    label: {da: Mod, en: Courage}\n",
        encoding="utf-8",
    )
    assert load_vocabulary(f) == (
        Value("tillid", {"da": "Tillid", "en": "Trust"}),
        Value("mod", {"da": "Mod", "en": "Courage"}),
    )
    assert load_vocabulary(str(f))[1].id == "mod"


def test_deck_files_are_the_yaml_files_below_a_folder_sorted_without_the_vocabulary(tmp_path):
    for name in ("b.yaml", "a.yml", "values.yaml", "notes.txt", "sub/c.yaml", "sub/values.yaml"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert deck_files(tmp_path) == [tmp_path / "a.yml", tmp_path / "b.yaml", tmp_path / "sub" / "c.yaml"]
    assert deck_files(str(tmp_path / "notes.txt")) == [tmp_path / "notes.txt"]  # a file named is taken as is


def test_the_vocabulary_next_to_a_deck_wins_over_the_default(tmp_path):
    default = tmp_path / "default.yaml"
    (tmp_path / "with").mkdir()
    (tmp_path / "with" / "values.yaml").write_text("x", encoding="utf-8")
    (tmp_path / "with" / "d.yaml").write_text("x", encoding="utf-8")
    (tmp_path / "without").mkdir()
    assert find_vocabulary(tmp_path / "with", default) == tmp_path / "with" / "values.yaml"
    assert find_vocabulary(str(tmp_path / "with" / "d.yaml"), default) == tmp_path / "with" / "values.yaml"
    assert find_vocabulary(tmp_path / "without", default) == default


def test_check_path_reports_every_bad_file_and_keeps_the_good_ones(tmp_path):
    good = dump(valid_deck())
    (tmp_path / "a.yaml").write_text(good, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(good, encoding="utf-8")  # the same id again
    (tmp_path / "c.yaml").write_bytes(b"id: \xff\n")  # not UTF-8
    (tmp_path / "d.yaml").write_text(dump(changed((("id",), "Bad"))), encoding="utf-8")
    other = changed((("id",), "anden"))
    (tmp_path / "e.yaml").write_text(dump(other), encoding="utf-8")
    decks, problems = check_path(tmp_path, VOCAB)
    assert [d.id for d in decks] == ["test-bunke", "anden"]
    a, b, c, d = (str(tmp_path / f"{x}.yaml") for x in "abcd")
    assert [(p.file, p.dilemma, p.field) for p in problems] == [(b, None, "id"), (c, None, "file"), (d, None, "id")]
    assert problems[0].message == f"'test-bunke' is already the id of {a}"
    assert "can't decode byte 0xff" in problems[1].message
    assert problems[2].message == ID_MSG


def test_check_path_of_an_empty_folder_says_so(tmp_path):
    assert check_path(tmp_path, VOCAB) == ([], [Problem(str(tmp_path), None, "path", "no deck files (*.yaml) found")])


def test_check_path_of_one_file(tmp_path):
    f = tmp_path / "x.yaml"
    f.write_text(dump(valid_deck()), encoding="utf-8")
    decks, problems = check_path(f, VOCAB)
    assert ([d.id for d in decks], problems) == (["test-bunke"], [])


def test_yaml_helper_is_plain_yaml():
    assert yaml.safe_load(dump({"a": "æ"})) == {"a": "æ"}
