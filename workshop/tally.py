"""Pure tallies: RESULTS for any kind, the shift between rounds, the value profile. Zero-safe."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import kinds
from .domain import Deck, Dilemma
from .kinds.base import percentages, spread

__all__ = [
    "Answer",
    "by_role",
    "moved",
    "percentages",
    "results",
    "shown",
    "spread",
    "text_bar",
    "value_profile",
    "visible_texts",
]

# What a suppressed RESULTS keeps: nothing that tells how anyone answered.
_ALWAYS = ("dilemma", "kind", "round", "total", "participants")


@dataclass(frozen=True)
class Answer:
    """One participant's answer in one round, as the tallies need it."""

    participant: str
    value: object
    reason: str | None = None
    hidden: bool = False
    id: str = ""
    role: str | None = None


def results(d: Dilemma, answers: Sequence[Answer], participants: int, round_: int = 1) -> dict:
    """RESULTS as the contract shapes it: common fields plus the kind's own."""
    kind = kinds.of(d)
    # (An answer without a value, as an export read back gives one under the minimum, only counts.)
    shown = [a.value for a in answers if a.value is not None and not (kind.hides_answer and a.hidden)]
    distribution = kind.distribution(d, [a.value for a in answers if a.value is not None])
    return {
        "dilemma": d.id,
        "kind": kind.name,
        "round": round_,
        "total": len(answers),
        "participants": participants,
        "suppressed": False,
        **kind.tally(d, shown),
        "spread": spread(distribution) if distribution is not None else None,
    }


def shown(
    d: Dilemma,
    answers: Sequence[Answer],
    participants: int,
    round_: int,
    min_answers: int,
    before: Sequence[Answer] | None = None,
) -> dict:
    """RESULTS as anyone may see them: with 1 to `min_answers` - 1 answers only how many answered.

    The one place the anonymity minimum is applied; every payload and every export calls it.
    `before` (the round before, from round 2) adds `previous` and `moved` where both rounds
    reach the minimum. `by_role` is added only where every group it would show, and whatever is
    left without a role, reaches the minimum (else the rest could be worked out by subtraction).
    """
    out = results(d, answers, participants, round_)
    if 0 < len(answers) < min_answers:  # nobody answered: nothing to protect, the empty distribution shows
        return {**{k: out[k] for k in _ALWAYS}, "suppressed": True}
    roles = by_role(d, answers)
    unassigned = sum(1 for a in answers if not a.role)
    enough = all(g["total"] >= min_answers for g in roles.values())
    if roles and enough and (unassigned == 0 or unassigned >= min_answers):
        out["by_role"] = roles
    if before is not None:
        out["previous"] = shown(d, before, participants, round_ - 1, min_answers)
        if not out["previous"]["suppressed"]:
            out["moved"] = moved(d, before, answers)
    return out


def by_role(d: Dilemma, answers: Sequence[Answer]) -> dict[str, dict]:
    """Counts per role among those who gave one: {role: {"total", "counts"}} ({} for free text)."""
    kind = kinds.of(d)
    groups: dict[str, list] = {}
    for a in answers:
        if a.role:
            groups.setdefault(a.role, []).append(a.value)
    out = {}
    for role, values in groups.items():
        counts = kind.distribution(d, values)
        if counts is None:
            return {}
        out[role] = {"total": len(values), "counts": counts}
    return out


def moved(d: Dilemma, before: Iterable[Answer], after: Iterable[Answer]) -> int | None:
    """How many answered both rounds and changed their answer (None where answers don't compare)."""
    kind = kinds.of(d)
    if kind.distribution(d, ()) is None:  # free text: no categories to move between
        return None
    first = {a.participant: kind.key(a.value) for a in before}
    return sum(1 for a in after if a.participant in first and first[a.participant] != kind.key(a.value))


def visible_texts(d: Dilemma, answers: Iterable[Answer], *, with_hidden: bool = False) -> list[dict]:
    """The round's reasons and text answers in arrival order: [{"id", "text", "option"?, "hidden"?}]."""
    kind = kinds.of(d)
    out = []
    for a in answers:
        text = kind.text_of(a.value, a.reason)
        if not text or (a.hidden and not with_hidden):
            continue
        item = {"id": a.id, "text": text}
        if kind.key(a.value) is not None:
            item["option"] = kind.key(a.value)
        if with_hidden:
            item["hidden"] = a.hidden
        out.append(item)
    return out


def value_profile(deck: Deck, answers_by_dilemma: dict[str, Sequence]) -> list[tuple[str, int]]:
    """How many chosen answers served each value over the session, most first.

    `answers_by_dilemma` maps dilemma id to the answer values of its latest round. Values nobody
    served are left out; ties keep the vocabulary's order.
    """
    profile: Counter[str] = Counter()
    for d in deck.dilemmas:
        kind = kinds.of(d)
        values = answers_by_dilemma.get(d.id, ())
        try:  # each distinct answer once (2,000 people choose among a handful of options)
            counted = Counter(values).items()
        except TypeError:  # an unhashable answer value: one at a time
            counted = [(value, 1) for value in values]
        for value, n in counted:
            for v in kind.served(d, value):
                profile[v] += n
    order = [v.id for v in deck.values]
    return sorted(
        ((v, n) for v, n in profile.items() if n),
        key=lambda item: (-item[1], order.index(item[0]) if item[0] in order else len(order)),
    )


def text_bar(share: int, width: int = 20) -> str:
    """A bar of block characters for a percentage (for text exports)."""
    filled = round(share * width / 100)
    return "█" * filled + "░" * (width - filled)
