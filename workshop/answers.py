"""Group commit for answers: the answers that arrive together are checked against one read of
their sessions and written in one transaction; each phone is acknowledged only after that
commit, so nothing acknowledged can be lost.

The first answer to arrive leads: it yields once (so the answers that arrived with it can
queue), takes the queue, writes it and wakes the others. If more queued meanwhile, the first
of those leads the next batch, so nobody waits behind more than one batch. One phone alone
costs what it always did: a batch of one. Works the same under eventlet, gevent (both patch
`threading` and `time`) and plain threads.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field

from sqlalchemy import select

from . import kinds
from .domain import MAX_REASON, Phase, Position, WorkshopError, check_open, clean_text
from .store import Answer, WorkshopSession, db, now, session_deck, upsert_many

WAIT = 15.0  # seconds a queued answer waits for its batch before it gives up (busy)


@dataclass
class _Item:
    session_id: str
    participant_id: str
    data: dict
    done: threading.Event = field(default_factory=threading.Event)
    error: WorkshopError | None = None
    lead: bool = False


class GroupCommit:
    def __init__(self, on_written):
        self._lock = threading.Lock()
        self._queue: list[_Item] = []
        self._busy = False
        self._on_written = on_written  # called with each session id that got answers

    def submit(self, session_id: str, participant_id: str, data: dict) -> None:
        """Queue one answer and return once it is committed; raises its WorkshopError."""
        item = _Item(session_id, participant_id, data)
        with self._lock:
            self._queue.append(item)
            if not self._busy:
                self._busy = item.lead = True
        while not item.lead:
            if item.done.wait(WAIT):
                break
            with self._lock:
                if item in self._queue:  # never taken into a batch: give up cleanly
                    self._queue.remove(item)
                    raise WorkshopError("busy", "the answer was not saved in time; send it again")
        if item.lead:  # the first to arrive, or woken to lead the next batch
            self._lead()
        if item.error:
            raise item.error

    def _lead(self) -> None:
        time.sleep(0)  # let the answers that arrived together join this batch
        with self._lock:
            batch, self._queue = self._queue, []
        try:
            write(batch)
        except Exception:
            db.session.rollback()
            for it in batch:  # the batch failed: each answer on its own, so one cannot sink the rest
                try:
                    write([it])
                except WorkshopError as exc:
                    it.error = exc
                except Exception:
                    db.session.rollback()
                    it.error = WorkshopError("internal_error")
        for session_id in dict.fromkeys(it.session_id for it in batch if it.error is None):
            self._on_written(session_id)
        with self._lock:
            nxt = self._queue[0] if self._queue else None
            if nxt is None:
                self._busy = False
            else:
                nxt.lead = True
        for it in batch:
            it.lead = False
            it.done.set()
        if nxt is not None:
            nxt.done.set()  # wakes it to lead the next batch


def _rows(batch: list[_Item]) -> list[dict]:
    """Check every answer against one read of its session; the rows to write (errors set on items)."""
    ids = {it.session_id for it in batch}
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
            rows.append(_row(it, state.get(it.session_id), stamp))
        except WorkshopError as exc:
            it.error = exc
    return rows


def _row(it: _Item, state, stamp) -> dict:
    data = it.data
    dilemma_id = data.get("dilemma")
    if not isinstance(dilemma_id, str):
        raise WorkshopError("invalid_request", "dilemma is required")
    if state is None:
        raise WorkshopError("not_joined")
    phase, index, round_, ends_at, deck_version = state
    current = session_deck(it.session_id, deck_version).dilemmas[index] if index is not None else None
    check_open(Position(Phase(phase), index, round_), current, dilemma_id, ends_at, stamp)
    kind = kinds.of(current)
    value = kind.parse(current, data)
    reason = clean_text(data.get("reason"), MAX_REASON, field_name="reason")
    if not kind.has_reason or current.reason == "off":
        reason = None
    elif current.reason == "required" and not reason:
        raise WorkshopError("reason_required", "this dilemma asks for a reason")
    return {
        "session_id": it.session_id,
        "participant_id": it.participant_id,
        "dilemma_id": dilemma_id,
        "round": round_,
        "value": json.dumps(value, ensure_ascii=False),
        "reason": reason,
        "hidden": False,
        "created_at": stamp,
        "updated_at": stamp,
    }


def write(batch: list[_Item]) -> None:
    """One transaction for the batch: one read per session, one upsert statement for every row."""
    rows = _rows(batch)
    if rows:
        upsert_many(
            Answer,
            rows,
            keys=("participant_id", "dilemma_id", "round"),
            update=("value", "reason", "updated_at"),
        )
    db.session.commit()
