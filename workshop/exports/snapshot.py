"""Pure: the stored session as one immutable snapshot, the input of every export format."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property

from .. import kinds
from ..domain import Deck, Dilemma, pick
from ..kinds.base import Row, percentages
from ..tally import Answer, shown, value_profile

ROLES = ("leader", "employee", "other")

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
    """One answer as exports show it. Hidden texts never get here (see exports.snapshot): a
    hidden reason comes as None, a hidden text answer as `hidden` with no value (it counts)."""

    pseudonym: str  # per-session: P001, P002 …
    name: str | None  # only when the session was run with names shown
    dilemma_id: str
    option_id: str | None  # the kind's key: an option id, a scale point ("1".."7"), None for text
    reason: str | None
    time: datetime
    value: object = None  # the answer itself: option id, scale point or text
    round: int = 1
    role: str | None = None  # leader, employee or other, where the session asked
    hidden: bool = False  # a text answer the facilitator hid: counted, its text left out (value None)

    def __post_init__(self):
        if self.value is None and self.option_id is not None:  # a choice answer is its option id
            object.__setattr__(self, "value", self.option_id)


@dataclass(frozen=True)
class RoundView:
    """One round of one dilemma as the exports show it, the minimum applied: under it only
    `total` (and `suppressed`), nothing about how anyone answered."""

    round: int
    total: int
    suppressed: bool = False
    rows: tuple[Row, ...] = ()  # the kind's categories: options, scale points (none for free text)
    figures: tuple[tuple[str, object], ...] = ()  # (catalogue msgid, value): a scale's mean and median
    words: tuple[tuple[str, int], ...] = ()  # free text: the most frequent words
    texts: tuple[tuple[str | None, str | None, tuple[str, ...]], ...] = ()  # visible texts: (key, label, texts)
    spread: float | None = None
    moved: int | None = None  # from round 2: how many answered both rounds and changed their answer
    by_role: tuple[tuple[str, int, tuple[Row, ...]], ...] = ()  # (role, answers, rows), where allowed


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
        return self._rounds.get(dilemma.id) or [1]

    @cached_property
    def _rounds(self) -> dict[str, list[int]]:
        out: dict[str, set[int]] = {}
        for did, rnd in self._by_round:
            out.setdefault(did, set()).add(rnd)
        return {did: sorted(rnds) for did, rnds in out.items()}

    @cached_property
    def _results(self) -> dict[tuple[str, int], dict]:
        """RESULTS per (dilemma id, round), filled as they are asked for: every format asks for
        the same results several times, and a 2,000-person session should be tallied once."""
        return {}

    @cached_property
    def _answers(self) -> dict[tuple[str, int], list[Answer]]:
        return {}

    def answers(self, dilemma: Dilemma, round_: int | None = None) -> list[Answer]:
        """The round's answers (the last round by default) as the tallies take them. Cached:
        treat the list as read-only."""
        round_ = round_ or self.rounds(dilemma)[-1]
        key = (dilemma.id, round_)
        if key not in self._answers:
            self._answers[key] = [
                Answer(participant=r.pseudonym, value=r.value, reason=r.reason, hidden=r.hidden, role=r.role)
                for r in self._by_round.get(key, ())
            ]
        return self._answers[key]

    def results(self, dilemma: Dilemma, round_: int | None = None) -> dict:
        """RESULTS of one round (the last by default) as anyone may see them (the minimum
        applied), with the round before and the shift from it. Cached: treat it as read-only."""
        round_ = round_ or self.rounds(dilemma)[-1]
        key = (dilemma.id, round_)
        if key not in self._results:
            before = self.answers(dilemma, round_ - 1) if round_ > 1 else None
            self._results[key] = shown(
                dilemma, self.answers(dilemma, round_), self.participants, round_, self.min_answers, before
            )
        return self._results[key]

    def suppressed(self, dilemma: Dilemma, round_: int | None = None) -> bool:
        return self.results(dilemma, round_)["suppressed"]

    def rows(self, dilemma: Dilemma, round_: int | None = None) -> list:
        """The kind's export section for one round: label, n and share per category."""
        return kinds.of(dilemma).rows(dilemma, self.results(dilemma, round_), self.language)

    def reasons_in_order(self, dilemma: Dilemma, round_: int | None = None) -> list[tuple[str | None, str]]:
        """(key, text) pairs of a round (the last by default), anonymous, in the order they came:
        reasons (keyed by option or scale point) and free texts (key None). Hidden ones never get
        into the snapshot; under the minimum there are none."""
        kind = kinds.of(dilemma)
        out = []
        if self.suppressed(dilemma, round_):
            return out
        for a in self.answers(dilemma, round_):
            text = kind.text_of(a.value, a.reason)
            if text and not a.hidden:
                out.append((kind.key(a.value), text))
        return out

    def view(self, dilemma: Dilemma, round_: int | None = None) -> RoundView:
        """One round of a dilemma as every export format shows it (see RoundView)."""
        round_ = round_ or self.rounds(dilemma)[-1]
        kind = kinds.of(dilemma)
        res = self.results(dilemma, round_)
        if res["suppressed"]:
            return RoundView(round_, res["total"], True)
        rows = kind.rows(dilemma, res, self.language)
        labels = {r.key: r.label for r in rows}
        groups: dict[str | None, list[str]] = {}
        for key, text in self.reasons_in_order(dilemma, round_):
            groups.setdefault(key, []).append(text)
        ordered = [(r.key, r.label, groups[r.key]) for r in rows if groups.get(r.key)]
        ordered += [(k, labels.get(k) if k else None, v) for k, v in groups.items() if k not in labels]
        roles = []
        for role, group in (res.get("by_role") or {}).items():
            split = {"counts": group["counts"], "percentages": percentages(group["counts"])}
            roles.append((role, group["total"], kind.rows(dilemma, split, self.language)))
        roles.sort(key=lambda x: ROLES.index(x[0]) if x[0] in ROLES else len(ROLES))
        return RoundView(
            round=round_,
            total=res["total"],
            suppressed=False,
            rows=tuple(rows),
            figures=tuple((label, value) for label, value in kind.figures(res) if value is not None),
            words=tuple((w, n) for w, n in kind.words(res)),
            texts=tuple((k, label, tuple(v)) for k, label, v in ordered),
            spread=res.get("spread"),
            moved=res.get("moved"),
            by_role=tuple(roles),
        )

    def views(self, dilemma: Dilemma) -> list[RoundView]:
        """Every round of the dilemma, first to last."""
        return [self.view(dilemma, r) for r in self.rounds(dilemma)]

    def answer_rows(self) -> list[tuple[Response, bool]]:
        """Every answer for the one-row-per-answer formats, with whether its round may show: an
        answer of a round under the anonymity minimum shows only that it was given, and so does
        a hidden text answer (`Response.hidden`) in any round."""
        visible = {(d.id, rnd): not self.suppressed(d, rnd) for d in self.deck.dilemmas for rnd in self.rounds(d)}
        return [(r, visible.get((r.dilemma_id, r.round), True)) for r in self.responses]

    @cached_property
    def _dilemmas(self) -> dict[str, Dilemma]:
        return {d.id: d for d in self.deck.dilemmas}

    def profile(self) -> list[tuple[str, int]]:
        return list(self._profile)

    @cached_property
    def _profile(self) -> tuple[tuple[str, int], ...]:
        latest = {d.id: [a.value for a in self.answers(d)] for d in self.deck.dilemmas if not self.suppressed(d)}
        return tuple(value_profile(self.deck, latest))

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
        d = self._dilemmas.get(dilemma_id)
        return self.t(d.title) if d else dilemma_id
