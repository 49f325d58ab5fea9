"""The text kind: an open reflection of at most 280 characters; a word cloud and a text wall."""

from __future__ import annotations

import re
from collections import Counter

from ..domain import Dilemma, clean_text
from .base import N_, Kind

MAX_TEXT = 280
TOP_WORDS = 30
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")

# Danish and English stop words: the words that carry no theme of their own.
STOP_WORDS = frozenset(
    """
    af alle alt anden andet andre at bare blev blive bliver da de dem den denne der deres det dette
    dig din dine disse dit dog du efter eller en end er et for fordi fra få går gør ham han hans
    har havde have hende hendes her hos hun hvad hvem hver hvilke hvis hvor hvordan hvorfor hvornår
    i ikke ind ingen intet jeg jer jeres kan kom kommer kun kunne lidt man mange med meget men mere
    mig min mine mit mod måske ned noget nogle nok nu når og også om op os over på sig sin sine sit
    skal skulle som så sådan thi til ud under var vi vil ville vor vores være været mest selv
    a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves also get got let
    """.split()
)


def words(texts) -> list[list]:
    """The TOP_WORDS most frequent words, case-insensitive, stop words left out: [[word, n], …].

    Ties are broken alphabetically, so the cloud is the same on every screen and in every export.
    """
    counts: Counter[str] = Counter()
    for t in texts:
        counts.update(w for w in _WORD.findall(t.lower()) if len(w) > 1 and w not in STOP_WORDS)
    return [[w, n] for w, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP_WORDS]]


class TextKind(Kind):
    name = "text"
    label = N_("Open text")
    texts_label = N_("Participants' answers")
    has_reason = False
    hides_answer = True  # a hidden text leaves the word cloud as well as the wall

    def check(self, c, raw: dict) -> dict:
        if raw.get("options") is not None:
            c.fail("options", "a text dilemma has no options")
        if raw.get("reason") not in (None, "off"):
            c.fail("reason", "a text dilemma has no reason (the answer is the text)")
        return {"values": c.value_ids(raw.get("values"), "values"), "reason": "off"}

    def adhoc(self, data: dict, language: str) -> dict:
        return {"reason": "off"}

    def parse(self, d: Dilemma, data: dict):
        return clean_text(data.get("text"), MAX_TEXT, field_name="text", required=True)

    def mine(self, value) -> dict:
        return {"text": value}

    def text_of(self, value, reason):
        return value

    def tally(self, d: Dilemma, values) -> dict:
        return {"words": words(values)}

    def words(self, results: dict) -> list[list]:
        return results.get("words") or []

    def rows(self, d: Dilemma, results: dict, language: str) -> list:
        """No category rows: the exports show a text question's words and its visible texts."""
        return []


KIND = TextKind()
