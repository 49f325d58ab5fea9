"""New participants are written by group commit (workshop/batch.py): a crowd joining at once
costs one read of their sessions, one numbering query, one insert and one commit per batch,
and each phone gets its identity only after that commit.

The phone's first state is built from the same read, before the commit (a newcomer has no
answer yet), so nothing is read again after it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from . import payloads
from .batch import GroupCommit, Item
from .domain import Phase, WorkshopError
from .store import Participant, WorkshopSession, db, new_id, now

RETRIES = 5  # a numbering collision (another process took the same number) is retried


@dataclass(frozen=True)
class Member:
    """Who a phone is: what the join acknowledgement tells it about itself."""

    id: str
    token: str
    name: str | None
    role: str | None


@dataclass(frozen=True)
class Joined:
    session_id: str
    participant: Member
    new: bool
    state: dict  # the phone's STATE (shared by a batch's newcomers: never change it)


def writer(on_written) -> GroupCommit:
    """A group commit for newcomers: `submit(code, name, role)` -> Joined; `on_written` is
    called with each session id that got participants, after the commit."""

    def write_batch(batch: list[Item]) -> list[str]:
        for attempt in range(RETRIES):
            try:
                return write(batch)
            except IntegrityError:
                db.session.rollback()
                if attempt == RETRIES - 1:
                    raise WorkshopError("busy", "too many joined at once; try again") from None
        return []

    return GroupCommit(write_batch, on_written)


def live_sessions(codes) -> tuple[dict[str, WorkshopSession], set[str]]:
    """The live session of each code (the newest), and the codes whose sessions have all ended."""
    live: dict[str, WorkshopSession] = {}
    ended: set[str] = set()
    rows = db.session.scalars(
        select(WorkshopSession).where(WorkshopSession.code.in_(codes)).order_by(WorkshopSession.created_at.desc())
    )
    for s in rows:
        if s.phase == Phase.ENDED.value:
            ended.add(s.code)
        else:
            live.setdefault(s.code, s)
    return live, ended - set(live)


def write(batch: list[Item]) -> list[str]:
    """One transaction for the batch; each item's result is its Joined. Returns the session ids."""
    live, ended = live_sessions({it.args[0] for it in batch})
    ids = sorted(s.id for s in live.values())
    if ids:
        # Joins to one session take their numbers in turn across processes (PostgreSQL: a row
        # lock until the commit; SQLite serialises writers anyway).
        db.session.execute(select(WorkshopSession.id).where(WorkshopSession.id.in_(ids)).with_for_update())
    top = dict(
        db.session.execute(
            select(Participant.session_id, func.max(Participant.number))
            .where(Participant.session_id.in_(ids))
            .group_by(Participant.session_id)
        ).all()
    )
    stamp, rows, states, used = now(), [], {}, []
    for it in batch:
        it.error = it.result = None
        code, name, role = it.args
        session = live.get(code)
        if session is None:
            it.error = (
                WorkshopError("session_ended", "the session has ended")
                if code in ended
                else WorkshopError("unknown_session", "no session has that code")
            )
            continue
        top[session.id] = (top.get(session.id) or 0) + 1
        row = {
            "id": new_id(),
            "session_id": session.id,
            "token": secrets.token_urlsafe(24),
            "number": top[session.id],
            "name": name if session.show_names else None,  # a name the session never shows is not stored
            "role": role if session.ask_role else None,
            "joined_at": stamp,
        }
        rows.append(row)
        if session.id not in states:
            states[session.id] = payloads.participant_state(payloads.Round.newcomer(session), None)
            used.append(session.id)
        member = Member(row["id"], row["token"], row["name"], row["role"])
        it.result = Joined(session.id, member, True, states[session.id])
    if rows:
        db.session.execute(insert(Participant), rows)
    db.session.commit()
    return used
