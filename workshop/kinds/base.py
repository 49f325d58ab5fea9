"""What every kind has in common, and the helpers they share. Pure: no Flask, no database."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..domain import Dilemma, WorkshopError, clean_text

MAX_ADHOC_TITLE = 80
MAX_ADHOC_QUESTION = 200
MAX_ADHOC_LABEL = 120


def N_(msgid: str) -> str:
    """Marks a word for the Babel catalogue (pybabel extracts N_); translated where it is shown."""
    return msgid


@dataclass(frozen=True)
class Row:
    """One line of a kind's export section: a label, how many, and the share in percent."""

    key: str
    label: str
    n: int
    share: int


class Kind:
    """The interface. Subclasses override what differs; defaults fit kinds without options."""

    name = ""
    label = ""  # the kind's name in exports (a catalogue msgid, translated by the format)
    texts_label = N_("Participants' reasons")  # the heading of its visible texts in exports
    has_reason = True  # whether `reason` (off/optional/required) applies to the kind
    hides_answer = False  # whether hiding an answer's text takes the answer out of the display tallies
    opens_route = False  # whether a route may begin with it (an opener anyone can answer at once)

    # deck ------------------------------------------------------------------------------
    def check(self, c, raw: dict) -> dict:
        """Validate the kind's fields of a deck dilemma with checker `c`; the Dilemma fields."""
        raise NotImplementedError

    def adhoc(self, data: dict, language: str) -> dict:
        """The kind's Dilemma fields for a question typed live on the console."""
        return {}

    # answers -----------------------------------------------------------------------------
    def payload(self, d: Dilemma, language: str) -> dict:
        """The kind's part of DILEMMA."""
        return {"options": []}

    def parse(self, d: Dilemma, data: dict):
        """The answer's stored value from a `vote` payload; raises WorkshopError."""
        raise NotImplementedError

    def mine(self, value) -> dict:
        """`my_vote` for a phone."""
        raise NotImplementedError

    def key(self, value) -> str | None:
        """What reasons are grouped by and what "moved" compares (None: not comparable)."""
        return None

    def text_of(self, value, reason: str | None) -> str | None:
        """The free text an answer carries for the wall and the console: its reason by default."""
        return reason

    def served(self, d: Dilemma, value) -> tuple[str, ...]:
        """The value ids an answer served (the value profile)."""
        return d.values

    # results -----------------------------------------------------------------------------
    def tally(self, d: Dilemma, values: Sequence) -> dict:
        """The kind's part of RESULTS from the round's answer values."""
        raise NotImplementedError

    def distribution(self, d: Dilemma, values: Sequence) -> dict[str, int] | None:
        """Counts over the kind's categories (for spread and the role split); None: no categories."""
        return None

    def rows(self, d: Dilemma, results: dict, language: str) -> list[Row]:
        """The kind's export section: one row per category (empty for free text)."""
        return []

    def figures(self, results: dict) -> list[tuple[str, object]]:
        """The kind's key figures for exports, beside its rows: (catalogue msgid, value) pairs."""
        return []

    def words(self, results: dict) -> list[list]:
        """The word list of its export section ([[word, n], …]; empty for kinds without one)."""
        return []


def percentages(counts: Mapping[str, int]) -> dict[str, int]:
    """Whole percentages that add up to exactly 100 (largest remainder); all 0 when no answers.

    Ties in the remainder go to the earlier key, so the order of `counts` decides.
    """
    total = sum(counts.values())
    if not total:
        return {k: 0 for k in counts}
    exact = {k: v * 100 / total for k, v in counts.items()}
    floors = {k: int(x) for k, x in exact.items()}
    short = 100 - sum(floors.values())
    order = {k: i for i, k in enumerate(counts)}
    for k in sorted(exact, key=lambda k: (floors[k] - exact[k], order[k]))[:short]:
        floors[k] += 1
    return floors


def spread(counts: Mapping[str, int]) -> float | None:
    """How divided the room is: Shannon entropy of the shares over log(categories), 0..1.

    0 when everyone gave the same answer (or nobody answered), 1 when the answers are split
    evenly over every category. None without categories.
    """
    k = len(counts)
    if k < 2:
        return None
    total = sum(counts.values())
    if not total:
        return 0.0
    h = -sum((n / total) * math.log(n / total) for n in counts.values() if n)
    return round(h / math.log(k), 2)


def adhoc_text(data: dict, key: str, limit: int, language: str, *, required=True) -> dict:
    """A live-typed text in the session's language, as a {language: text} mapping."""
    value = clean_text(data.get(key), limit, field_name=key, required=required)
    return {language: value} if value else {}


def adhoc_list(data: dict, key: str, lo: int, hi: int) -> list:
    items = data.get(key)
    if not isinstance(items, list) or not lo <= len(items) <= hi:
        raise WorkshopError("invalid_request", f"{key} must be a list of {lo} to {hi} items")
    return items
