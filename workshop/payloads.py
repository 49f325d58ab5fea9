"""One place builds what each role sees: a phone, the projector (and console socket), the
facilitator's view. The HTTP views and the broadcasts both call these, so what is hidden from
phones cannot leak into their payload by accident.

Every payload is built from a `Round`: the answers of the dilemma and round on show, read once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import select

from . import kinds
from .domain import Dilemma, Phase, allowed_commands, pick, suggested_command
from .store import Note, Participant, WorkshopSession, answer_counts, answers, db, now, participant_count
from .tally import shown, value_profile, visible_texts

DIVIDED = 0.75  # a spread from here on is a divided room: the console suggests talking and a re-vote


@dataclass
class Round:
    """What a payload needs of the dilemma on show, read once for every role that gets it."""

    session: WorkshopSession
    participants: int
    dilemma: Dilemma | None = None
    answers: list = field(default_factory=list)
    before: list = field(default_factory=list)  # the round before, from round 2 on

    @classmethod
    def read(
        cls, session: WorkshopSession, *, participant: str | None = None, participants: int | None = None
    ) -> Round:
        """Read the round. For one phone before the reveal, only its own answer is needed
        (a room of phones rejoining after a restart must not read every answer each).
        `participants`: the count, where the caller has already read the participants."""
        d = session.dilemma
        if participant is not None and session.phase != Phase.REVEALED.value:
            return cls(session, 0, d, answers(session.id, d.id, session.round, participant) if d else [])
        view = cls(session, participant_count(session.id) if participants is None else participants, d)
        if d is not None:
            view.answers = answers(session.id, d.id, session.round)
            if session.round > 1:
                view.before = answers(session.id, d.id, session.round - 1)
        return view

    @classmethod
    def newcomer(cls, session: WorkshopSession) -> Round:
        """For a phone that has just joined: it has no answer, so before the reveal nothing is read."""
        if session.phase == Phase.REVEALED.value:
            return cls.read(session)
        return cls(session, 0, session.dilemma)

    @property
    def revealed(self) -> bool:
        return self.session.phase == Phase.REVEALED.value

    def results(self, *, watcher: bool) -> dict | None:
        """RESULTS for watchers (always) or phones (once revealed; None before)."""
        d = self.dilemma
        if d is None or not (watcher or self.revealed):
            return None
        out = self._shown
        if watcher and self.revealed and not out["suppressed"]:
            return {**out, "texts": visible_texts(d, self.answers)}
        return out

    @cached_property
    def _shown(self) -> dict:
        """The round's results as everyone may see them: worked out once, however many roles
        (watchers, every group of phones) a broadcast builds payloads for."""
        s = self.session
        before = self.before if self.revealed and s.round > 1 else None
        return shown(self.dilemma, self.answers, self.participants, s.round, s.min_answers, before)

    def moderation(self) -> list[dict]:
        """Every reason and text of the round for the facilitator, hidden ones too (not under the minimum)."""
        if self.dilemma is None or 0 < len(self.answers) < self.session.min_answers:
            return []
        return visible_texts(self.dilemma, self.answers, with_hidden=True)


def dilemma_payload(session: WorkshopSession) -> dict | None:
    """DILEMMA as the contract shapes it, in the session's language, with its kind's fields."""
    d = session.dilemma
    if d is None:
        return None
    lang = session.language
    return {
        "id": d.id,
        "index": session.current_index,
        "count": len(session.deck.dilemmas),
        "kind": d.kind,
        "reason": d.reason,
        "title": pick(d.title, lang),
        "text": pick(d.text, lang),
        "question": pick(d.question, lang),
        "values": list(d.values),
        **kinds.of(d).payload(d, lang),
    }


def _timer(session: WorkshopSession) -> dict | None:
    if session.timer_ends_at is None or session.phase != Phase.VOTING.value:
        return None
    return {"ends_at": session.timer_ends_at.isoformat() + "Z", "seconds": session.timer_seconds}


def _base(session: WorkshopSession) -> dict:
    return {
        "phase": session.phase,
        "version": session.version,
        "language": session.language,
        "session": {"code": session.code, "title": session.title},
        "dilemma": dilemma_payload(session),
        "round": session.round,
        "timer": _timer(session),
        "server_time": now().isoformat() + "Z",
        "ask_role": session.ask_role,
    }


def my_answer(d: Dilemma, value, reason=None) -> dict:
    mine = kinds.of(d).mine(value)
    if reason:
        mine["reason"] = reason
    return mine


def participant_state(view: Round, participant_id: str | None) -> dict:
    """STATE for one phone: its own answer in this round; results only once revealed."""
    state = _base(view.session)
    state["my_vote"] = None
    if view.dilemma is not None and participant_id:
        own = next((a for a in view.answers if a.participant == participant_id), None)
        if own is not None:
            state["my_vote"] = my_answer(view.dilemma, own.value, own.reason)
    state["results"] = view.results(watcher=False)
    return state


def phone_states(view: Round, participant_ids: list[str]) -> list[tuple[dict, list[str]]]:
    """STATE for every phone, grouped: one payload per distinct answer, with the phones that get it.

    A room of hundreds costs a handful of payloads, not one per phone.
    """
    base = participant_state(view, None)
    by_participant = {a.participant: a for a in view.answers}
    groups: dict[str, tuple[dict | None, list[str]]] = {}
    for pid in participant_ids:
        a = by_participant.get(pid)
        mine = my_answer(view.dilemma, a.value) if a is not None else None
        key = json.dumps(mine, sort_keys=True, ensure_ascii=False)
        groups.setdefault(key, (mine, []))[1].append(pid)
    return [(dict(base, my_vote=mine), pids) for mine, pids in groups.values()]


def screen_state(view: Round) -> dict:
    """STATE for the projector and the console: counts always (the screen hides them until reveal)."""
    session, d = view.session, view.dilemma
    state = _base(session)
    state["my_vote"] = None
    state["results"] = view.results(watcher=True)
    state["participants"] = view.participants
    state["value_labels"] = {v: session.deck.value_label(v, session.language) for v in d.all_values} if d else {}
    if session.phase == Phase.ENDED.value:
        state["profile"] = profile(session)  # "what did we stand for today?"
    return state


def profile(session: WorkshopSession) -> list[dict]:
    """Which values the chosen answers served over the session (last round of each dilemma), most first.

    Dilemmas under the anonymity minimum count for nothing.
    """
    deck = session.deck
    latest: dict[str, tuple[int, list]] = {}  # dilemma id -> (its last round, that round's values)
    for dilemma_id, round_, value, n in answer_counts(session.id):
        if round_ > latest.get(dilemma_id, (0, []))[0]:
            latest[dilemma_id] = (round_, [])
        if round_ == latest[dilemma_id][0]:
            latest[dilemma_id][1].extend([value] * n)
    values = {k: v for k, (_, v) in latest.items() if len(v) >= session.min_answers}
    return [
        {"value": v, "label": deck.value_label(v, session.language), "n": n} for v, n in value_profile(deck, values)
    ]


def facilitator_view(session: WorkshopSession) -> dict:
    """The session as its facilitator sees it (GET /api/sessions/ID and command answers)."""
    view = Round.read(session)
    deck, d = session.deck, view.dilemma
    count = len(deck.dilemmas)
    results_ = view.results(watcher=True)
    divided = bool(results_ and (results_.get("spread") or 0) >= DIVIDED)
    out = {
        "id": session.id,
        "code": session.code,
        "title": session.title,
        "language": session.language,
        "deck": session.deck_id,
        "route": session.route_id,
        "phase": session.phase,
        "version": session.version,
        "round": session.round,
        "timer": _timer(session),
        "server_time": now().isoformat() + "Z",
        "participants": view.participants,
        "dilemma": dilemma_payload(session),
        "results": results_,
        "texts": view.moderation(),
        "profile": profile(session),
        "divided": divided,
        "commands": allowed_commands(session.position, count),
        "suggested": suggested_command(session.position, count, divided),
        "show_names": session.show_names,
        "min_answers": session.min_answers,
        "ask_role": session.ask_role,
        "created_at": session.created_at.isoformat() + "Z",
    }
    if d:
        lang = session.language
        out["debrief"] = [pick(q, lang) for q in d.debrief]
        out["tip"] = pick(d.tip, lang)
        out["frame"] = pick(d.frame, lang)
        note = db.session.get(Note, (session.id, d.id))
        out["note"] = note.text if note else ""
    return out


def participant_ids(session_id: str) -> list[str]:
    return list(db.session.scalars(select(Participant.id).where(Participant.session_id == session_id)))
