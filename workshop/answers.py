"""Answers are written by group commit (workshop/batch.py): the answers that arrive together
are checked against one read of their sessions and written in one transaction; each phone is
acknowledged only after that commit, so nothing acknowledged can be lost.
"""

from __future__ import annotations

import json

from sqlalchemy import select

from . import kinds
from .batch import GroupCommit, Item
from .domain import MAX_REASON, Phase, Position, WorkshopError, check_open, clean_text
from .store import Answer, WorkshopSession, db, now, session_deck, upsert_many


def writer(on_written) -> GroupCommit:
    """A group commit for answers: `submit(session_id, participant_id, data)`; `on_written` is
    called with each session id that got answers, after the commit."""
    return GroupCommit(write, on_written)


def _rows(batch: list[Item]) -> list[dict]:
    """Check every answer against one read of its session; the rows to write (errors set on items)."""
    ids = {it.args[0] for it in batch}
    state = {
        sid: (phase, index, round_, ends_at, deck_version)
        for sid, phase, index, round_, ends_at, deck_version in db.session.execute(
            select(
                WorkshopSession.id,
                WorkshopSession.phase,
                WorkshopSession.current_index,
                WorkshopSession.round,
                WorkshopSession.timer_ends_at,
                WorkshopSession.deck_version,
            ).where(WorkshopSession.id.in_(ids))
        )
    }
    stamp = now()
    rows = []
    for it in batch:
        try:
            rows.append(_row(*it.args, state.get(it.args[0]), stamp))
        except WorkshopError as exc:
            it.error = exc
    return rows


def _row(session_id: str, participant_id: str, data: dict, state, stamp) -> dict:
    dilemma_id = data.get("dilemma")
    if not isinstance(dilemma_id, str):
        raise WorkshopError("invalid_request", "dilemma is required")
    if state is None:
        raise WorkshopError("not_joined")
    phase, index, round_, ends_at, deck_version = state
    current = session_deck(session_id, deck_version).dilemmas[index] if index is not None else None
    check_open(Position(Phase(phase), index, round_), current, dilemma_id, ends_at, stamp)
    kind = kinds.of(current)
    value = kind.parse(current, data)
    reason = clean_text(data.get("reason"), MAX_REASON, field_name="reason")
    if not kind.has_reason or current.reason == "off":
        reason = None
    elif current.reason == "required" and not reason:
        raise WorkshopError("reason_required", "this dilemma asks for a reason")
    return {
        "session_id": session_id,
        "participant_id": participant_id,
        "dilemma_id": dilemma_id,
        "round": round_,
        "value": json.dumps(value, ensure_ascii=False),
        "reason": reason,
        "hidden": False,
        "created_at": stamp,
        "updated_at": stamp,
    }


def write(batch: list[Item]) -> list[str]:
    """One transaction for the batch: one read per session, one upsert statement for every row.
    Returns the sessions that got answers."""
    rows = _rows(batch)
    if rows:
        upsert_many(
            Answer,
            rows,
            keys=("participant_id", "dilemma_id", "round"),
            update=("value", "reason", "updated_at"),
        )
    db.session.commit()
    return [row["session_id"] for row in rows]
