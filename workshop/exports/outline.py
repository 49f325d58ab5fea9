"""Pure: what the md, html and xlsx formats show, worked out once from a Snapshot, in the
session's language. The formats lay it out; none of them tallies, applies the minimum or asks
which kind a dilemma is (the Snapshot and the kind answer that).

The order is the order of every export: first the summary page's content (the overview of all
dilemmas, the dilemmas ranked by spread, the value profile, the agreements), then one section per
dilemma with every round, then the notes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import kinds
from ..kinds.base import Row
from .snapshot import RoundView, Snapshot
from .words import ROLES, SUPPRESSED, gettext, ngettext, number


@dataclass(frozen=True)
class Round:
    """One round of one dilemma, ready to lay out (the minimum applied by RoundView)."""

    round: int
    heading: str  # "Runde 2" ("" when the dilemma had one round)
    total: int
    suppressed: bool
    rows: tuple[Row, ...]
    figures: tuple[tuple[str, str, object], ...]  # (label, value as written in the session's language, value)
    words: tuple[tuple[str, int], ...]
    texts: tuple[
        tuple[str | None, str | None, tuple[str, ...]], ...
    ]  # (key, group label, texts); free text: (None, None, …)
    spread: str  # "0,81" or ""
    spread_value: float | None
    moved: int | None
    moved_text: str  # "2 skiftede mening" or ""
    by_role: tuple[tuple[str, int, tuple[Row, ...]], ...]  # (role label, answers, rows)


@dataclass(frozen=True)
class Section:
    id: str
    n: int
    kind: str  # the kind's name in the session's language
    title: str
    text: str
    question: str
    frame: str  # for the facilitator: the rules and agreements that bound the situation
    note: str
    texts_heading: str  # "Deltagernes begrundelser", or for free text "Deltagernes svar"
    values: str  # the values the dilemma serves, where every answer serves the same ("" otherwise)
    row_values: dict  # row key -> the values that answer serves, where they differ per answer
    rounds: tuple[Round, ...]

    @property
    def last(self) -> Round:
        return self.rounds[-1]


@dataclass(frozen=True)
class OverviewRow:
    id: str
    n: int
    title: str
    kind: str
    answers: str  # "8" or "8 → 7" over the rounds
    total: int  # the last round's
    suppressed: bool
    spread: str
    spread_value: float | None
    moved: int | None
    roles: str  # "Ledere 4 · Medarbejdere 5" where the split is allowed, else ""


@dataclass(frozen=True)
class Outline:
    overview: tuple[OverviewRow, ...]
    ranked: tuple[OverviewRow, ...]  # where the room was most divided first
    profile: tuple[tuple[str, str, int, int], ...]  # (value id, label, count, share of answers %)
    sections: tuple[Section, ...]
    suppressed_text: str
    participants: int


def _moved(language: str, n: int | None) -> str:
    """ "2 skiftede mening" / "2 changed their mind" ("" before round 2 or under the minimum)."""
    if n is None:
        return ""
    return ngettext(language)("%(n)s changed their mind", "%(n)s changed their mind", n) % {"n": n}


def _round(s: Snapshot, v: RoundView, several: bool, _) -> Round:
    return Round(
        round=v.round,
        heading=_("Round %(n)s") % {"n": v.round} if several else "",
        total=v.total,
        suppressed=v.suppressed,
        rows=v.rows,
        figures=tuple((_(label), number(value, s.language), value) for label, value in v.figures),
        words=v.words,
        texts=v.texts,
        spread=number(v.spread, s.language) if v.spread is not None and v.total else "",
        spread_value=v.spread if v.total else None,
        moved=v.moved,
        moved_text=_moved(s.language, v.moved),
        by_role=tuple((_(ROLES.get(role, role)), n, rows) for role, n, rows in v.by_role),
    )


def _values(s: Snapshot, d) -> dict:
    """Which values the answers serve: once for the dilemma where every answer serves the same
    (a scale, a free text), per row where they differ (the options of a choice)."""
    kind = kinds.of(d)
    keys = [r.key for r in kind.rows(d, {}, s.language)]
    per_row = {k: ", ".join(s.value_label(v) for v in kind.served(d, k)) for k in keys}
    if len(set(per_row.values())) > 1:
        return {"values": "", "row_values": per_row}
    same = next(iter(per_row.values()), None)
    if same is None:
        same = ", ".join(s.value_label(v) for v in d.all_values)
    return {"values": same, "row_values": {}}


def outline(s: Snapshot) -> Outline:
    _ = gettext(s.language)
    sections, overview = [], []
    for i, d in enumerate(s.deck.dilemmas, 1):
        views = s.views(d)
        rounds = tuple(_round(s, v, len(views) > 1, _) for v in views)
        kind = _(kinds.of(d).label)
        sections.append(
            Section(
                id=d.id,
                n=i,
                kind=kind,
                title=s.t(d.title),
                text=s.t(d.text),
                question=s.t(d.question),
                frame=s.t(d.frame).strip(),
                note=(s.notes.get(d.id) or "").strip(),
                texts_heading=_(kinds.of(d).texts_label),
                **_values(s, d),
                rounds=rounds,
            )
        )
        last = views[-1]
        overview.append(
            OverviewRow(
                id=d.id,
                n=i,
                title=s.t(d.title),
                kind=kind,
                answers=" → ".join(str(v.total) for v in views),
                total=last.total,
                suppressed=last.suppressed,
                spread=rounds[-1].spread,
                spread_value=last.spread,
                moved=last.moved,
                roles=" · ".join(f"{label} {n}" for label, n, _rows in rounds[-1].by_role),
            )
        )
    by_id = {o.id: o for o in overview}
    ranked = [by_id[i] for i in s.summary()["most_divided"]]
    answered = sum(o.total for o in overview if not o.suppressed)
    profile = tuple((v, s.value_label(v), n, round(n * 100 / answered) if answered else 0) for v, n in s.profile())
    return Outline(
        overview=tuple(overview),
        ranked=tuple(ranked),
        profile=profile,
        sections=tuple(sections),
        suppressed_text=_(SUPPRESSED),
        participants=s.participants,
    )
