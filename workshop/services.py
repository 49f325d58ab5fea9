"""Use cases. Every transport (web form, JSON API, Socket.IO, CLI) calls these and nothing else.

Services commit their own short transactions and announce what changed through blinker
signals, which the realtime layer turns into broadcasts.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass

from blinker import signal
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from . import decks as deck_registry
from .domain import (
    LANGUAGES,
    MAX_NAME,
    MAX_NOTE,
    MAX_REASON,
    MAX_TITLE,
    MAX_TOKEN,
    Phase,
    WorkshopError,
    allowed_commands,
    clean_text,
    dilemma_payload,
    pick,
    suggested_command,
    transition,
)
from .store import (
    Facilitator,
    Note,
    Participant,
    Vote,
    WorkshopSession,
    db,
    now,
    participant_count,
    session_deck,
    upsert,
    vote_counts,
)
from .tally import results as tally_results

# Signals: sender is the session id.
phase_changed = signal("phase-changed")  # a command moved the session
activity = signal("activity")  # a vote or a join changed counts

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 8
CODE_RE = re.compile(r"^\d{6}$")


# --- facilitators ------------------------------------------------------------------------


def create_facilitator(email: str, password: str) -> Facilitator:
    email = (email or "").strip().lower()
    if not EMAIL_RE.match(email) or len(email) > 254:
        raise WorkshopError("invalid_email", "not a valid email address")
    if len(password or "") < MIN_PASSWORD:
        raise WorkshopError("weak_password", f"the password must have at least {MIN_PASSWORD} characters")
    if db.session.scalar(select(Facilitator).where(Facilitator.email == email)):
        raise WorkshopError("email_taken", f"an account for {email} exists already")
    user = Facilitator(email=email, password_hash=generate_password_hash(password))
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email, password) -> Facilitator | None:
    if not isinstance(email, str) or not isinstance(password, str) or len(password) > 1000:
        return None
    user = db.session.scalar(select(Facilitator).where(Facilitator.email == email.strip().lower()))
    if user and check_password_hash(user.password_hash, password):
        return user
    return None


def has_facilitators() -> bool:
    return db.session.scalar(select(Facilitator.id).limit(1)) is not None


# --- sessions ----------------------------------------------------------------------------


def _new_code() -> str:
    """Six digits, unique among live (not ended) sessions."""
    for _ in range(50):
        code = f"{secrets.randbelow(1_000_000):06d}"
        taken = db.session.scalar(
            select(WorkshopSession.id).where(
                WorkshopSession.code == code, WorkshopSession.phase != Phase.ENDED.value
            )
        )
        if not taken:
            return code
    raise WorkshopError("busy", "no free join code; try again")


def create_session(owner: Facilitator, deck_id, title=None, language=None, show_names=False) -> WorkshopSession:
    """Start a session on a snapshot of the deck. Names go into exports only with show_names."""
    if not isinstance(deck_id, str):
        raise WorkshopError("invalid_request", "deck is required")
    deck = deck_registry.get(deck_id, owner.id)
    if deck is None:
        raise WorkshopError("unknown_deck", f"no deck {deck_id!r}")
    language = language or "da"
    if language not in LANGUAGES:
        raise WorkshopError("invalid_request", f"language must be one of {', '.join(LANGUAGES)}")
    title = clean_text(title, MAX_TITLE, field_name="title") or pick(deck.title, language)
    if not isinstance(show_names, bool):
        raise WorkshopError("invalid_request", "show_names must be true or false")
    session = WorkshopSession(
        show_names=show_names,
        owner_id=owner.id,
        code=_new_code(),
        title=title,
        language=language,
        deck_id=deck.id,
        deck_json=json.dumps(deck.to_dict(), ensure_ascii=False),
    )
    db.session.add(session)
    db.session.commit()
    return session


def sessions_of(owner: Facilitator) -> list[WorkshopSession]:
    return list(
        db.session.scalars(
            select(WorkshopSession)
            .where(WorkshopSession.owner_id == owner.id)
            .order_by(WorkshopSession.created_at.desc())
        )
    )


def owned_session(owner: Facilitator, session_id) -> WorkshopSession:
    """The facilitator's own session; anyone else's is simply not found."""
    session = db.session.get(WorkshopSession, str(session_id)) if isinstance(session_id, str) else None
    if session is None or session.owner_id != owner.id:
        raise WorkshopError("not_found", "no such session")
    return session


def session_by_code(code) -> WorkshopSession:
    if not isinstance(code, str) or not CODE_RE.match(code.strip()):
        raise WorkshopError("unknown_session", "a join code has 6 digits")
    sessions = db.session.scalars(
        select(WorkshopSession)
        .where(WorkshopSession.code == code.strip())
        .order_by(WorkshopSession.created_at.desc())
    ).all()
    live = next((s for s in sessions if s.phase != Phase.ENDED.value), None)
    if live:
        return live
    if sessions:
        raise WorkshopError("session_ended", "the session has ended")
    raise WorkshopError("unknown_session", "no session has that code")


def screen_session(code, screen_token) -> WorkshopSession:
    if not isinstance(screen_token, str) or not isinstance(code, str):
        raise WorkshopError("invalid_request", "code and screen_token are required")
    session = db.session.scalar(
        select(WorkshopSession).where(WorkshopSession.code == code.strip()).order_by(WorkshopSession.created_at.desc())
    )
    if session is None or not secrets.compare_digest(session.screen_token, screen_token):
        raise WorkshopError("unknown_session", "no session has that code and screen token")
    return session


def command(session: WorkshopSession, cmd) -> WorkshopSession:
    """Move the session (next, close, reveal, previous, end) and announce it."""
    if not isinstance(cmd, str):
        raise WorkshopError("invalid_request", "command is required")
    # Re-read under a row lock where the database has one, so two clicks cannot both apply.
    db.session.refresh(session, with_for_update=db.session.get_bind().dialect.name == "postgresql")
    phase, index = transition(Phase(session.phase), session.current_index, len(session.deck.dilemmas), cmd)
    session.phase = phase.value
    session.current_index = index
    session.version += 1
    if phase is Phase.ENDED:
        session.ended_at = now()
    db.session.commit()
    phase_changed.send(session.id)
    return session


def set_note(session: WorkshopSession, dilemma_id, text) -> Note:
    if not isinstance(dilemma_id, str) or session.deck.dilemma(dilemma_id) is None:
        raise WorkshopError("not_found", "no such dilemma in this session")
    if not isinstance(text, str):
        raise WorkshopError("invalid_request", "text must be a string")
    if len(text) > MAX_NOTE:
        raise WorkshopError("too_large", f"a note has at most {MAX_NOTE} characters")
    text = clean_text(text, MAX_NOTE, field_name="text") or ""
    upsert(
        Note,
        {"session_id": session.id, "dilemma_id": dilemma_id, "text": text, "updated_at": now()},
        keys=("session_id", "dilemma_id"),
        update=("text", "updated_at"),
    )
    db.session.commit()
    return db.session.get(Note, (session.id, dilemma_id))


def notes_of(session_id: str) -> dict[str, str]:
    return {n.dilemma_id: n.text for n in db.session.scalars(select(Note).where(Note.session_id == session_id))}


# --- participants ------------------------------------------------------------------------


@dataclass
class Joined:
    session: WorkshopSession
    participant: Participant
    new: bool


def join(code, token=None, name=None) -> Joined:
    session = session_by_code(code)
    if token is not None:
        if not isinstance(token, str) or len(token) > MAX_TOKEN:
            raise WorkshopError("invalid_request", "token must be a string")
        found = db.session.scalar(select(Participant).where(Participant.token == token))
        if found and found.session_id == session.id:
            return Joined(session, found, False)
        # A token from another session (or from a wiped database) starts afresh.
    name = clean_text(name, MAX_NAME, field_name="name")
    for _ in range(5):
        # Joins to one session take their numbers in turn (PostgreSQL: a row lock until the
        # commit; SQLite serialises writers anyway), so a crowd joining at once never collides.
        db.session.execute(select(WorkshopSession.id).where(WorkshopSession.id == session.id).with_for_update())
        number = (
            db.session.scalar(
                select(Participant.number)
                .where(Participant.session_id == session.id)
                .order_by(Participant.number.desc())
                .limit(1)
            )
            or 0
        ) + 1
        participant = Participant(session_id=session.id, number=number, name=name)
        db.session.add(participant)
        try:
            db.session.commit()
        except IntegrityError:  # two joined at the same instant and took the same number
            db.session.rollback()
            continue
        activity.send(session.id)
        return Joined(session, participant, True)
    raise WorkshopError("busy", "too many joined at once; try again")


def vote(session_id: str, participant_id: str, dilemma_id, option_id, reason=None) -> None:
    """Record or replace a participant's vote on the open dilemma."""
    if not isinstance(dilemma_id, str) or not isinstance(option_id, str):
        raise WorkshopError("invalid_request", "dilemma and option are required")
    reason = clean_text(reason, MAX_REASON, field_name="reason")
    # Read fresh from the database: the phase may have moved in another process.
    phase, index = db.session.execute(
        select(WorkshopSession.phase, WorkshopSession.current_index).where(WorkshopSession.id == session_id)
    ).one()
    current = session_deck(session_id).dilemmas[index] if index is not None else None
    if phase != Phase.VOTING.value or current is None or current.id != dilemma_id:
        raise WorkshopError("voting_closed", "voting on this dilemma is not open")
    if current.option(option_id) is None:
        raise WorkshopError("invalid_option", "no such option")
    stamp = now()
    upsert(
        Vote,
        {
            "session_id": session_id,
            "participant_id": participant_id,
            "dilemma_id": dilemma_id,
            "option_id": option_id,
            "reason": reason,
            "created_at": stamp,
            "updated_at": stamp,
        },
        keys=("participant_id", "dilemma_id"),
        update=("option_id", "reason", "updated_at"),
    )
    db.session.commit()
    activity.send(session_id)


def my_vote(participant_id: str, dilemma_id: str) -> dict | None:
    v = db.session.scalar(
        select(Vote).where(Vote.participant_id == participant_id, Vote.dilemma_id == dilemma_id)
    )
    return {"option": v.option_id, "reason": v.reason} if v else None


# --- payloads: one place per role --------------------------------------------------------


def current_results(session: WorkshopSession, participants: int | None = None) -> dict | None:
    """RESULTS of the dilemma on show (None in the lobby and once ended)."""
    dilemma = session.dilemma
    if dilemma is None:
        return None
    if participants is None:
        participants = participant_count(session.id)
    return tally_results(dilemma, vote_counts(session.id, dilemma.id), participants)


def _base_state(session: WorkshopSession) -> dict:
    dilemma = session.dilemma
    return {
        "phase": session.phase,
        "version": session.version,
        "language": session.language,
        "session": {"code": session.code, "title": session.title},
        "dilemma": dilemma_payload(session.deck, session.current_index, session.language) if dilemma else None,
    }


_UNSET = object()


def participant_state(session: WorkshopSession, participant_id: str | None, results=_UNSET) -> dict:
    """STATE for a phone: its own vote; results only once revealed.

    A broadcast that already has the RESULTS passes them in instead of counting again.
    """
    state = _base_state(session)
    dilemma = session.dilemma
    state["my_vote"] = my_vote(participant_id, dilemma.id) if dilemma and participant_id else None
    if session.phase != Phase.REVEALED.value:
        state["results"] = None
    else:
        state["results"] = current_results(session) if results is _UNSET else results
    return state


def screen_state(session: WorkshopSession, results=_UNSET, participants: int | None = None) -> dict:
    """STATE for the projector and the console: counts always (the screen hides them until reveal)."""
    state = _base_state(session)
    if participants is None:
        participants = participant_count(session.id)
    state["my_vote"] = None
    state["results"] = current_results(session, participants) if results is _UNSET else results
    state["participants"] = participants
    dilemma = session.dilemma
    state["value_labels"] = (
        {v: session.deck.value_label(v, session.language) for o in dilemma.options for v in o.values}
        if dilemma
        else {}
    )
    return state


def facilitator_view(session: WorkshopSession) -> dict:
    """The session as its facilitator sees it (GET /api/sessions/ID and command answers)."""
    deck = session.deck
    dilemma = session.dilemma
    count = len(deck.dilemmas)
    participants = participant_count(session.id)
    view = {
        "id": session.id,
        "code": session.code,
        "title": session.title,
        "language": session.language,
        "deck": session.deck_id,
        "phase": session.phase,
        "version": session.version,
        "participants": participants,
        "dilemma": dilemma_payload(deck, session.current_index, session.language) if dilemma else None,
        "results": current_results(session, participants),
        "commands": allowed_commands(Phase(session.phase), session.current_index, count),
        "suggested": suggested_command(Phase(session.phase), session.current_index, count),
        "show_names": session.show_names,
        "created_at": session.created_at.isoformat() + "Z",
    }
    if dilemma:
        view["debrief"] = [pick(q, session.language) for q in dilemma.debrief]
        view["tip"] = pick(dilemma.tip, session.language)
        note = db.session.get(Note, (session.id, dilemma.id))
        view["note"] = note.text if note else ""
    return view


def votes_on(session_id: str, dilemma_id: str) -> dict[str, str]:
    rows = db.session.execute(
        select(Vote.participant_id, Vote.option_id).where(
            Vote.session_id == session_id, Vote.dilemma_id == dilemma_id
        )
    )
    return dict(rows.all())


def participant_ids(session_id: str) -> list[str]:
    return list(db.session.scalars(select(Participant.id).where(Participant.session_id == session_id)))
