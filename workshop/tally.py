"""Pure tallies: results, percentages and value roll-ups. Safe with zero votes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from .domain import Deck, Dilemma


def results(dilemma: Dilemma, counts: Mapping[str, int], participants: int) -> dict:
    """RESULTS as the contract shapes it (plus percentages). Every option is present, unknown ids dropped."""
    full = {o.id: int(counts.get(o.id, 0)) for o in dilemma.options}
    return {
        "dilemma": dilemma.id,
        "total": sum(full.values()),
        "counts": full,
        "percentages": percentages(full),  # computed here only, so screens and exports agree
        "participants": participants,
    }


def percentages(counts: Mapping[str, int]) -> dict[str, int]:
    """Whole percentages that add up to exactly 100 (largest remainder); all 0 when no votes."""
    total = sum(counts.values())
    if not total:
        return {k: 0 for k in counts}
    exact = {k: v * 100 / total for k, v in counts.items()}
    floors = {k: int(x) for k, x in exact.items()}
    short = 100 - sum(floors.values())
    for k in sorted(exact, key=lambda k: (floors[k] - exact[k], list(counts).index(k)))[:short]:
        floors[k] += 1
    return floors


def value_profile(deck: Deck, counts_by_dilemma: Mapping[str, Mapping[str, int]]) -> list[tuple[str, int]]:
    """How many chosen options served each value over the whole session, most first.

    `counts_by_dilemma` maps dilemma id to {option id: votes}. Values nobody chose are left out.
    """
    profile: Counter[str] = Counter()
    for d in deck.dilemmas:
        counts = counts_by_dilemma.get(d.id, {})
        for o in d.options:
            n = counts.get(o.id, 0)
            for v in o.values:
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


def group_reasons(votes: Iterable[tuple[str, str | None]]) -> dict[str, list[str]]:
    """Reasons grouped by option id, empty reasons dropped, in the given order."""
    grouped: dict[str, list[str]] = {}
    for option_id, reason in votes:
        if reason:
            grouped.setdefault(option_id, []).append(reason)
    return grouped
