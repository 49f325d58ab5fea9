"""The editorial rules of the shipped decks (issue 13), read straight from the YAML files.

The checker (workshop/content.py) says what any deck may hold; these tests hold the shipped
decks to the house rules a paying client was promised: four priced options, a frame and a
suggested time on every dilemma, a scale and a text dilemma, 60- and 90-minute routes.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

CONTENT = Path(__file__).resolve().parents[2] / "content"
DECKS = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((CONTENT / "decks").glob("*.yaml"))}
VALUES = {v["id"] for v in yaml.safe_load((CONTENT / "values.yaml").read_text(encoding="utf-8"))["values"]}
ALL = [(name, d) for name, deck in DECKS.items() for d in deck["dilemmas"]]


def kind(d: dict) -> str:
    return d.get("kind", "choice")


def texts(d: dict, lang: str) -> list[str]:
    """Every text of a dilemma in one language."""
    out = [d[f][lang] for f in ("title", "text", "question", "tip", "frame")]
    out += [o["label"][lang] for o in d.get("options", [])] + [q[lang] for q in d["debrief"]]
    return [" ".join(s.split()) for s in out]


def served(d: dict) -> set[str]:
    return set(d.get("values", [])) | {v for o in d.get("options", []) for v in o["values"]}


def test_the_three_decks_hold_at_least_36_dilemmas():
    assert {"medarbejderrollen", "lederrollen", "sammenhaengskraften"} <= set(DECKS)
    assert len(ALL) >= 36
    assert all(len(deck["dilemmas"]) >= 12 for deck in DECKS.values())


@pytest.mark.parametrize("name", sorted(DECKS))
def test_a_deck_opens_with_a_choice_and_holds_a_scale_and_a_text(name):
    kinds = [kind(d) for d in DECKS[name]["dilemmas"]]
    assert kinds[0] == "choice"
    assert "scale" in kinds[1:] and "text" in kinds[1:]


@pytest.mark.parametrize("name, d", ALL, ids=[f"{n}/{d['id']}" for n, d in ALL])
def test_every_dilemma_has_a_frame_minutes_and_four_options_when_a_choice(name, d):
    assert isinstance(d["minutes"], int) and 3 <= d["minutes"] <= 30
    for lang in ("da", "en"):
        assert 0 < len(" ".join(d["frame"][lang].split())) <= 700
    if kind(d) == "choice":
        assert len(d["options"]) == 4
        assert all(1 <= len(o["values"]) <= 3 for o in d["options"])
    else:
        assert "options" not in d and 1 <= len(d["values"]) <= 3
    assert served(d) <= VALUES


@pytest.mark.parametrize("name", sorted(DECKS))
def test_every_value_is_used_and_the_core_values_in_three_dilemmas(name):
    count = Counter(v for d in DECKS[name]["dilemmas"] for v in served(d))
    assert set(count) == VALUES
    for value in ("trustworthiness", "respect", "engagement", "free-expression"):
        assert count[value] >= 3, value


@pytest.mark.parametrize("name", sorted(DECKS))
def test_a_deck_has_a_60_and_a_90_minute_route_that_fits(name):
    deck = DECKS[name]
    by_id = {d["id"]: d for d in deck["dilemmas"]}
    routes = {r["minutes"]: r for r in deck["routes"]}
    assert {60, 90} <= set(routes)
    for minutes, (lo, hi) in ((60, (4, 6)), (90, (6, 8))):
        ids = routes[minutes]["dilemmas"]
        assert lo <= len(ids) <= hi
        assert all(i in by_id for i in ids)
        assert kind(by_id[ids[0]]) == "choice"
        assert kind(by_id[ids[-1]]) in ("scale", "text")  # the closing "what do we do on Monday?"
        assert {by_id[i]["role"] for i in ids} >= {"employee", "leader"}  # a mirror pair
        assert sum(by_id[i]["minutes"] for i in ids) <= minutes - 5  # room for the welcome


def test_quotes_are_danish_in_danish_and_english_in_english():
    for _, d in ALL:
        assert not [s for s in texts(d, "da") if '"' in s], d["id"]
        assert not [s for s in texts(d, "en") if "»" in s or "«" in s], d["id"]


def test_the_boss_is_a_manager_in_english():
    assert [d["id"] for _, d in ALL if any(re.search(r"\bleaders?\b", s) for s in texts(d, "en"))] == []


def test_no_duration_is_worn_out_and_elder_care_stays_under_a_fifth():
    da = [" ".join(texts(d, "da")) for _, d in ALL]
    assert sum(s.count("tre uger") for s in da) <= 1
    elder = [s for s in da if re.search(r"hjemmepleje|hjemmehjælp|plejecent", s)]
    assert len(elder) <= len(ALL) / 5


def test_the_worked_example_in_docs_content_md_passes_the_checker():
    from workshop.content import load_vocabulary, parse_deck

    doc = (CONTENT.parent / "docs" / "content.md").read_text(encoding="utf-8")
    example = next(b for b in re.findall(r"```yaml\n(.*?)```", doc, re.S) if b.startswith("id: "))
    deck = parse_deck(example, "docs/content.md", load_vocabulary(CONTENT / "values.yaml"))
    d = deck.dilemmas[0]
    assert len(d.options) == 4 and d.frame["da"] and d.minutes
    assert [r.dilemmas for r in deck.routes] == [(d.id,)]
