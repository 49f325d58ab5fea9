"""Pure: the stored session as one immutable snapshot, the input of every export format."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property

from .. import kinds
from ..domain import Deck, Dilemma, pick
from ..tally import Answer, shown, value_profile

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
    """One answer as exports show it. Hidden texts never get here (see exports.snapshot)."""

    pseudonym: str  # per-session: P001, P002 …
    name: str | None  # only when the session was run with names shown
    dilemma_id: str
    option_id: str | None  # the kind's key: an option id, a scale point ("1".."7"), None for text
    reason: str | None
    time: datetime
    value: object = None  # the answer itself: option id, scale point or text
    round: int = 1
    role: str | None = None  # leader, employee or other, where the session asked

    def __post_init__(self):
        if self.value is None and self.option_id is not None:  # a choice answer is its option id
            object.__setattr__(self, "value", self.option_id)


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
    min_answers: int = 1  # the session's anonymity minimum: under it a dilemma shows no distribution or text
    agreements: tuple[Agreement, ...] = ()

    def t(self, text: dict) -> str:
        return pick(text, self.language)

    @cached_property
    def _by_round(self) -> dict[tuple[str, int], list[Response]]:
        """One pass over the responses: per (dilemma id, round), in arrival order."""
        out: dict[tuple[str, int], list[Response]] = {}
        for r in self.responses:
            out.setdefault((r.dilemma_id, r.round), []).append(r)
        return out

    def rounds(self, dilemma: Dilemma) -> list[int]:
        """The rounds the dilemma was answered in (at least [1])."""
        return sorted({rnd for (did, rnd) in self._by_round if did == dilemma.id}) or [1]

    def answers(self, dilemma: Dilemma, round_: int | None = None) -> list[Answer]:
        """The round's answers (the last round by default) as the tallies take them."""
        round_ = round_ or self.rounds(dilemma)[-1]
        return [
            Answer(participant=r.pseudonym, value=r.value, reason=r.reason, role=r.role)
            for r in self._by_round.get((dilemma.id, round_), ())
        ]

    def results(self, dilemma: Dilemma, round_: int | None = None) -> dict:
        """RESULTS of one round (the last by default) as anyone may see them (the minimum
        applied), with the round before and the shift from it."""
        round_ = round_ or self.rounds(dilemma)[-1]
        before = self.answers(dilemma, round_ - 1) if round_ > 1 else None
        return shown(dilemma, self.answers(dilemma, round_), self.participants, round_, self.min_answers, before)

    def suppressed(self, dilemma: Dilemma, round_: int | None = None) -> bool:
        return self.results(dilemma, round_)["suppressed"]

    def rows(self, dilemma: Dilemma, round_: int | None = None) -> list:
        """The kind's export section for one round: label, n and share per category."""
        return kinds.of(dilemma).rows(dilemma, self.results(dilemma, round_), self.language)

    def counts(self, dilemma: Dilemma) -> dict[str, int]:
        """The last round's counts per category (option id or scale point; {} for text).

        Under the anonymity minimum every category reads 0: formats ask `suppressed` to say why.
        """
        res = self.results(dilemma)
        zero = kinds.of(dilemma).distribution(dilemma, ()) or {}
        return dict(res.get("counts") or zero)

    def shares(self, dilemma: Dilemma) -> dict[str, int]:
        res = self.results(dilemma)
        zero = kinds.of(dilemma).distribution(dilemma, ()) or {}
        return dict(res.get("percentages") or zero)

    def reasons_in_order(self, dilemma: Dilemma) -> list[tuple[str, str]]:
        """(key, text) pairs of the last round, anonymous, in the order they came: reasons and texts."""
        kind = kinds.of(dilemma)
        out = []
        if self.suppressed(dilemma):
            return out
        for a in self.answers(dilemma):
            text = kind.text_of(a.value, a.reason)
            if text:
                out.append((kind.key(a.value), text))
        return out

    def reasons(self, dilemma: Dilemma) -> dict[str, list[str]]:
        """Reasons per category of the last round (anonymous), in the order they came."""
        out: dict[str, list[str]] = {k: [] for k in (self.counts(dilemma) or {})}
        for key, reason in self.reasons_in_order(dilemma):
            out.setdefault(key, []).append(reason)
        return out

    def profile(self) -> list[tuple[str, int]]:
        latest = {d.id: [a.value for a in self.answers(d)] for d in self.deck.dilemmas if not self.suppressed(d)}
        return value_profile(self.deck, latest)

    def value_label(self, value_id: str) -> str:
        return self.deck.value_label(value_id, self.language)

    def summary(self) -> dict:
        """The session at a glance, as the summary page and the exports open with it: every
        dilemma with its rounds (the minimum applied), how divided the room was and who moved;
        the dilemmas ranked by spread; the value profile."""
        dilemmas = []
        for i, d in enumerate(self.deck.dilemmas):
            rounds = [self.results(d, r) for r in self.rounds(d)]
            last = rounds[-1]
            dilemmas.append(
                {
                    "id": d.id,
                    "index": i,
                    "kind": d.kind,
                    "title": self.t(d.title),
                    "answers": last["total"],
                    "suppressed": last["suppressed"],
                    "spread": last.get("spread"),
                    "moved": last.get("moved"),
                    "rounds": rounds,
                    "by_role": last.get("by_role"),
                }
            )
        ranked = sorted(
            (x for x in dilemmas if x["spread"] is not None and x["answers"]),
            key=lambda x: (-x["spread"], x["index"]),
        )
        return {
            "dilemmas": dilemmas,
            "most_divided": [x["id"] for x in ranked],
            "profile": [{"value": v, "label": self.value_label(v), "n": n} for v, n in self.profile()],
        }
    def title_of(self, dilemma_id: str | None) -> str:
        """A dilemma's title in the session's language ("" for none; the id if unknown)."""
        if not dilemma_id:
            return ""
        d = self.deck.dilemma(dilemma_id)
        return self.t(d.title) if d else dilemma_id
