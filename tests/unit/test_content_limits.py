"""The deck checker's length limits, read from docs/content.md's rule list, tried at each limit
and one past it, so the docs and the checker cannot drift apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.unit.test_content import VOCAB, dump, valid_deck
from workshop.content import DeckError, parse_deck

DOC = (Path(__file__).resolve().parents[2] / "docs" / "content.md").read_text(encoding="utf-8")

# Where each field the docs name lives in a deck (a path into valid_deck()).
WHERE = {
    "title": ("dilemmas", 0, "title"),
    "text": ("dilemmas", 0, "text"),
    "question": ("dilemmas", 0, "question"),
    "option label and scale end label": ("dilemmas", 0, "options", 0, "label"),
    "frame": ("dilemmas", 0, "frame"),
    "debrief": ("dilemmas", 0, "debrief", 0),
    "tip": ("dilemmas", 0, "tip"),
    "description": ("description",),
}


def documented_lengths() -> list[tuple[str, int | None, int]]:
    line = re.search(r"- Lengths: (.+?characters)\.", DOC, flags=re.S).group(1)
    line = " ".join(line.split()).removesuffix(" characters")
    out = []
    for part in line.split(", "):
        m = re.fullmatch(r"(.+?) (?:≤ (\d+)|(\d+)–(\d+))", part.strip())
        name, most, lo, hi = m.groups()
        out.append((name, int(lo) if lo else None, int(most or hi)))
    return out


LENGTHS = documented_lengths()


def deck_with(path, text):
    data = valid_deck()
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = {"da": text, "en": text}
    return dump(data)


def test_the_docs_name_every_length_the_checker_has():
    assert {name for name, _, _ in LENGTHS} == set(WHERE)


@pytest.mark.parametrize("name, least, most", LENGTHS, ids=[n for n, _, _ in LENGTHS])
def test_each_documented_length_is_the_checkers(name, least, most):
    path = WHERE[name]
    parse_deck(deck_with(path, "æ" * most), "deck.yaml", VOCAB)  # at the limit: fine
    with pytest.raises(DeckError) as err:
        parse_deck(deck_with(path, "æ" * (most + 1)), "deck.yaml", VOCAB)
    assert f"to {most}" in str(err.value)  # the message names the limit
    if least:
        parse_deck(deck_with(path, "æ" * least), "deck.yaml", VOCAB)
        with pytest.raises(DeckError):
            parse_deck(deck_with(path, "æ" * (least - 1)), "deck.yaml", VOCAB)
