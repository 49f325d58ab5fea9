"""Pure: the stored session as one immutable snapshot, the input of every export format."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property

from ..domain import Deck, Dilemma, pick
from ..tally import percentages, value_profile

# Characters no XML-based format (xlsx, html) may hold and no spreadsheet shows: C0 controls
# other than tab, newline and return, lone surrogates and the two non-characters.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def printable(text: str | None) -> str:
    """`text` without the characters no export format may hold ("" for None)."""
    return _UNPRINTABLE.sub("", text or "")


def naive_utc(dt: datetime) -> datetime:
    """Naive UTC, as the store keeps times (an aware time is converted)."""
    return dt.astimezone(UTC).replace(tzinfo=None) if dt.tzinfo else dt


@dataclass(frozen=True)
class Response:
    pseudonym: str  # per-session: P001, P002 …
    name: str | None  # only when the session was run with names shown
    dilemma_id: str
    option_id: str
    reason: str | None
    time: datetime


@dataclass(frozen=True)
class Agreement:
    """One entry of the session's agreements register (see workshop/agreements.py)."""

    id: int
    text: str
    dilemma_id: str | None = None
    values: tuple[str, ...] = ()
    owner: str | None = None
    due: date | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class Snapshot:
    session_id: str
    title: str
    code: str
    language: str
    phase: str
    deck: Deck
    created_at: datetime
    ended_at: datetime | None
    exported_at: datetime
    participants: int
    responses: tuple[Response, ...] = ()
    notes: dict = field(default_factory=dict)
    show_names: bool = False
    agreements: tuple[Agreement, ...] = ()

    def t(self, text: dict) -> str:
        return pick(text, self.language)

    @cached_property
    def _tallies(self) -> tuple[dict, dict]:
        """One pass over the responses: counts per dilemma and option, reasons in arrival order."""
        counts = {d.id: {o.id: 0 for o in d.options} for d in self.deck.dilemmas}
        reasons: dict[str, list[tuple[str, str]]] = {d.id: [] for d in self.deck.dilemmas}
        for r in self.responses:
            c = counts.get(r.dilemma_id)
            if c is not None and r.option_id in c:
                c[r.option_id] += 1
                if r.reason:
                    reasons[r.dilemma_id].append((r.option_id, r.reason))
        return counts, reasons

    def counts(self, dilemma: Dilemma) -> dict[str, int]:
        return dict(self._tallies[0][dilemma.id])

    def shares(self, dilemma: Dilemma) -> dict[str, int]:
        return percentages(self.counts(dilemma))

    def reasons_in_order(self, dilemma: Dilemma) -> list[tuple[str, str]]:
        """(option id, reason) pairs, anonymous, in the order they came."""
        return list(self._tallies[1][dilemma.id])

    def reasons(self, dilemma: Dilemma) -> dict[str, list[str]]:
        """Reasons per option id (anonymous), in the order they came."""
        out: dict[str, list[str]] = {o.id: [] for o in dilemma.options}
        for option_id, reason in self._tallies[1][dilemma.id]:
            out[option_id].append(reason)
        return out

    def profile(self) -> list[tuple[str, int]]:
        counts = {d.id: self.counts(d) for d in self.deck.dilemmas}
        return value_profile(self.deck, counts)

    def value_label(self, value_id: str) -> str:
        return self.deck.value_label(value_id, self.language)

    def title_of(self, dilemma_id: str | None) -> str:
        """A dilemma's title in the session's language ("" for none; the id if unknown)."""
        if not dilemma_id:
            return ""
        d = self.deck.dilemma(dilemma_id)
        return self.t(d.title) if d else dilemma_id
