"""The deck checker, rule by rule (table-driven), and the shipped decks themselves."""

import copy
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from workshop.content import check_path, load_vocabulary, parse_deck

CONTENT = Path(__file__).resolve().parents[2] / "content"
VOCAB = load_vocabulary(CONTENT / "values.yaml")
TEXT = "Det er fredag eftermiddag, og en borger ringer med et spørgsmål, som kræver, at du undersøger sagen grundigt, før du svarer noget."


def t(da, en=None):
    return {"da": da, "en": en or da}


def valid_deck():
    return {
        "id": "test-bunke",
        "title": t("Prøvebunke", "Test deck"),
        "dilemmas": [
            {
                "id": "fredag",
                "role": "employee",
                "focus": "relations",
                "title": t("Fredag"),
                "text": t(TEXT),
                "question": t("Hvad gør du?", "What do you do?"),
                "options": [
                    {"id": "a", "label": t("Jeg bliver."), "values": ["core-task"]},
                    {"id": "b", "label": t("Jeg går."), "values": ["responsibility", "honesty"]},
                ],
                "debrief": [t("Hvorfor?"), t("Hvornår?")],
                "tip": t("Start med en historie."),
            }
        ],
    }


class _NoAliases(yaml.SafeDumper):
    """Writes a repeated object out each time: the checker refuses YAML anchors and aliases."""

    def ignore_aliases(self, data):
        return True


def dump(data):
    return yaml.dump(data, Dumper=_NoAliases, allow_unicode=True)


def test_a_valid_deck_parses():
    deck = parse_deck(dump(valid_deck()), "deck.yaml", VOCAB)
    assert deck.id == "test-bunke"
    assert deck.languages == ["da", "en"]
    assert deck.dilemmas[0].options[1].values == ("responsibility", "honesty")


def _set(path, value):
    def change(d):
        *head, last = path
        for key in head:
            d = d[key]
        if value is _DELETE:
            del d[last]
        else:
            d[last] = value

    return change


_DELETE = object()
D0 = ("dilemmas", 0)


@pytest.mark.parametrize(
    "change, dilemma, field, message",
    [
        (_set(("id",), "Bad Id"), None, "id", "must be an id"),
        (_set(("title",), _DELETE), None, "title", "both languages"),
        (_set(("title", "en"), ""), None, "title.en", "missing or empty"),
        (_set(("title", "de"), "Titel"), None, "title.de", "unknown language"),
        (_set(("dilemmas",), []), None, "dilemmas", "has 0 items"),
        (_set((*D0, "text", "da"), "For kort."), "fredag", "text.da", "must have 120 to 600"),
        (_set((*D0, "text", "en"), "x" * 601), "fredag", "text.en", "has 601 characters"),
        (_set((*D0, "question", "da"), "?" * 201), "fredag", "question.da", "1 to 200"),
        (
            _set((*D0, "options"), [{"id": "a", "label": t("Kun én"), "values": ["respect"]}]),
            "fredag",
            "options",
            "has 1 items",
        ),
        (_set((*D0, "options", 0, "values"), []), "fredag", "options[0].values", "1 to 3"),
        (
            _set((*D0, "options", 0, "values"), ["respect", "trust", "honesty", "decency"]),
            "fredag",
            "options[0].values",
            "1 to 3",
        ),
        (_set((*D0, "options", 0, "values"), ["kindness"]), "fredag", "options[0].values", "unknown value 'kindness'"),
        (_set((*D0, "options", 1, "id"), "a"), "fredag", "options[1].id", "used twice"),
        (_set((*D0, "debrief"), [t("Kun ét spørgsmål?")]), "fredag", "debrief", "has 1 items"),
        (_set((*D0, "tip"), _DELETE), "fredag", "tip", "both languages"),
        (_set((*D0, "role"), "boss"), "fredag", "role", "employee, leader, both"),
        (_set((*D0, "focus"), "other"), "fredag", "focus", "relations, patterns"),
        (_set((*D0, "options", 0, "label", "da"), "x" * 201), "fredag", "options[0].label.da", "1 to 200"),
    ],
)
def test_each_rule_names_the_file_the_dilemma_and_the_field(change, dilemma, field, message):
    data = copy.deepcopy(valid_deck())
    change(data)
    with pytest.raises(Exception) as err:
        parse_deck(dump(data), "min-bunke.yaml", VOCAB)
    problems = err.value.problems
    match = [p for p in problems if p.field == field and p.dilemma == dilemma]
    assert match, f"no problem for {field}: {[str(p) for p in problems]}"
    assert message in match[0].message
    assert match[0].file == "min-bunke.yaml"


def test_a_dilemma_id_used_twice_is_refused():
    data = valid_deck()
    data["dilemmas"].append(copy.deepcopy(data["dilemmas"][0]))
    with pytest.raises(Exception) as err:
        parse_deck(dump(data), "x.yaml", VOCAB)
    assert any(p.field == "id" and "another dilemma" in p.message for p in err.value.problems)


def test_broken_yaml_is_reported_with_its_line():
    with pytest.raises(Exception) as err:
        parse_deck("id: x\ntitle: [unclosed\n", "broken.yaml", VOCAB)
    assert "line" in err.value.problems[0].message


def test_two_decks_with_one_id_are_refused(tmp_path):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(dump(valid_deck()), encoding="utf-8")
    decks, problems = check_path(tmp_path, VOCAB)
    assert len(decks) == 1
    assert "already the id" in problems[0].message


# --- the shipped decks -------------------------------------------------------------------

SHIPPED, SHIPPED_PROBLEMS = check_path(CONTENT / "decks", VOCAB)


def test_every_shipped_deck_passes_the_checker():
    assert SHIPPED_PROBLEMS == []
    assert {d.id for d in SHIPPED} >= {"medarbejderrollen", "lederrollen", "sammenhaengskraften"}


@pytest.mark.parametrize("deck", SHIPPED, ids=lambda d: d.id)
def test_a_shipped_deck_fills_a_workshop(deck):
    assert len(deck.dilemmas) >= 8
    assert deck.languages == ["da", "en"]


def test_every_value_used_is_in_the_vocabulary():
    known = {v.id for v in VOCAB}
    used = {v for d in SHIPPED for dl in d.dilemmas for o in dl.options for v in o.values}
    assert used <= known


@pytest.mark.parametrize("value", ["trustworthiness", "respect", "engagement", "free-expression"])
def test_each_core_value_is_served_in_at_least_three_dilemmas(value):
    serving = defaultdict(set)
    for deck in SHIPPED:
        for dl in deck.dilemmas:
            for o in dl.options:
                for v in o.values:
                    serving[v].add((deck.id, dl.id))
    assert len(serving[value]) >= 3
