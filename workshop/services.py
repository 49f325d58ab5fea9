"""Use cases. Every transport (web form, JSON API, Socket.IO, CLI) calls these and nothing else.

Services commit their own short transactions and announce what changed through blinker
signals, which the realtime layer turns into broadcasts.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import replace
from datetime import timedelta

from blinker import signal
from flask import current_app
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from . import answers, joins, kinds, payloads
from . import decks as deck_registry
from .domain import (
    LANGUAGES,
    MAX_NAME,
    MAX_NOTE,
    MAX_TITLE,
    MAX_TOKEN,
    TIMER_MAX,
    Dilemma,
    Phase,
    WorkshopError,
    clean_text,
    pick,
    timer_expired,
    timer_seconds,
    transition,
)
from .joins import Joined, Member
from .kinds.scale import agreement_check
from .store import (
    Answer,
    Facilitator,
    Note,
    Participant,
    WorkshopSession,
    db,
    now,
    upsert,
)

# Signals: sender is the session id.
phase_changed = signal("phase-changed")  # a command moved the session
activity = signal("activity")  # a vote, a join or a moderation changed what watchers see

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 8
CODE_RE = re.compile(r"^\d{6}$")
MAX_DILEMMAS = 100  # a deck holds at most 60; `add` may append up to this many in all


# --- facilitators ------------------------------------------------------------------------


def _normal_email(email) -> str:
    return str(email or "").strip().lower()


def facilitator_by_email(email) -> Facilitator | None:
    """The account of an email address, as typed (case and surrounding spaces do not matter)."""
    return db.session.scalar(select(Facilitator).where(Facilitator.email == _normal_email(email)))


def check_new_password(password) -> None:
    """A new password is long enough, or weak_password."""
    if len(password or "") < MIN_PASSWORD:
        raise WorkshopError("weak_password", f"the password must have at least {MIN_PASSWORD} characters")


def create_facilitator(email: str, password: str) -> Facilitator:
    email = _normal_email(email)
    if not EMAIL_RE.match(email) or len(email) > 254:
        raise WorkshopError("invalid_email", "not a valid email address")
    check_new_password(password)
    if facilitator_by_email(email):
        raise WorkshopError("email_taken", f"an account for {email} exists already")
    user = Facilitator(email=email, password_hash=generate_password_hash(password))
    db.session.add(user)
    db.session.commit()
    return user


# Made once at import, so even the first unknown email costs exactly one password check.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))


def authenticate(email, password) -> Facilitator | None:
    if not isinstance(email, str) or not isinstance(password, str) or len(password) > 1000:
        return None
    user = facilitator_by_email(email)
    # An unknown email costs the same password check as a wrong password (no account enumeration).
    if check_password_hash(user.password_hash if user else _DUMMY_HASH, password) and user:
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
            select(WorkshopSession.id).where(WorkshopSession.code == code, WorkshopSession.phase != Phase.ENDED.value)
        )
        if not taken:
            return code
    raise WorkshopError("busy", "no free join code; try again")


MIN_ANSWERS = (1, 50)
ROLES = ("leader", "employee", "other")


def _flag(value, name: str) -> bool:
    if not isinstance(value, bool):
        raise WorkshopError("invalid_request", f"{name} must be true or false")
    return value


def create_session(
    owner: Facilitator,
    deck_id,
    title=None,
    language=None,
    show_names=False,
    *,
    route=None,
    min_answers=5,
    ask_role=False,
    follow_up=None,
) -> WorkshopSession:
    """Start a session on a snapshot of the deck (or of one of its routes).

    Names go into exports only with show_names.
    """
    if not isinstance(deck_id, str):
        raise WorkshopError("invalid_request", "deck is required")
    deck = deck_registry.get(deck_id, owner.id)
    if deck is None:
        raise WorkshopError("unknown_deck", f"no deck {deck_id!r}")
    if route is not None:
        if not isinstance(route, str):
            raise WorkshopError("invalid_request", "route must be a route id")
        deck = deck.along(route)
    if follow_up is not None:
        earlier = owned_session(owner, follow_up)  # only one of the facilitator's own
        from .agreements import agreements_of

        checks = tuple(
            agreement_check(i, a.text, tuple(a.values or ())) for i, a in enumerate(agreements_of(earlier.id), 1)
        )
        deck = replace(deck, dilemmas=checks + deck.dilemmas)
    language = language or "da"
    if language not in LANGUAGES:
        raise WorkshopError("invalid_request", f"language must be one of {', '.join(LANGUAGES)}")
    title = clean_text(title, MAX_TITLE, field_name="title") or pick(deck.title, language)
    min_answers = _min_answers(min_answers)
    session = WorkshopSession(
        show_names=_flag(show_names, "show_names"),
        ask_role=_flag(ask_role, "ask_role"),
        min_answers=min_answers,
        route_id=route,
        follow_up_of=follow_up,
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


def _code(code) -> str:
    if not isinstance(code, str) or not CODE_RE.match(code.strip()):
        raise WorkshopError("unknown_session", "a join code has 6 digits")
    return code.strip()


def session_by_code(code) -> WorkshopSession:
    code = _code(code)
    live, ended = joins.live_sessions([code])
    if code in live:
        return live[code]
    if ended:
        raise WorkshopError("session_ended", "the session has ended")
    raise WorkshopError("unknown_session", "no session has that code")


def screen_session(code, screen_token) -> WorkshopSession:
    if not isinstance(screen_token, str) or not isinstance(code, str):
        raise WorkshopError("invalid_request", "code and screen_token are required")
    session = db.session.scalar(
        select(WorkshopSession).where(WorkshopSession.code == code.strip()).order_by(WorkshopSession.created_at.desc())
    )
    if session is None or not secrets.compare_digest(session.screen_token.encode(), screen_token.encode()):
        raise WorkshopError("unknown_session", "no session has that code and screen token")
    return session


def command(session: WorkshopSession, cmd, data: dict | None = None) -> WorkshopSession:
    """Move the session (next, close, reveal, previous, revote, end), set its timer or add a
    dilemma, and announce it. `data` is the rest of the command's body (timer, add)."""
    if not isinstance(cmd, str):
        raise WorkshopError("invalid_request", "command is required")
    data = data or {}
    # Re-read under a row lock where the database has one, so two clicks cannot both apply.
    db.session.refresh(session, with_for_update=db.session.get_bind().dialect.name == "postgresql")
    if cmd == "timer":
        _set_timer(session, data.get("seconds"), extend=data.get("extend", False))
    elif cmd == "minimum":
        _set_minimum(session, data.get("min_answers"))
    elif cmd == "add":
        _add_dilemma(session, data.get("dilemma"))
    else:
        pos = transition(session.position, len(session.deck.dilemmas), cmd, session.last_round)
        _move(session, pos.phase, pos.index, pos.round)
    session.version += 1
    db.session.commit()
    phase_changed.send(session.id)
    return session


def _move(session: WorkshopSession, phase: Phase, index: int | None, round_: int) -> None:
    session.phase = phase.value
    session.current_index = index
    session.round = round_
    session.timer_ends_at = session.timer_seconds = None  # a timer belongs to one round's voting
    if index is not None and round_ > session.last_round(index):
        session.rounds_json = json.dumps({**session.rounds, index: round_})
    if phase is Phase.ENDED:
        session.ended_at = now()


def _set_timer(session: WorkshopSession, seconds, extend=False) -> None:
    """Start (or with `extend`, lengthen the running timer by) `seconds`; 0 cancels."""
    seconds = timer_seconds(seconds)
    _flag(extend, "extend")
    if session.phase != Phase.VOTING.value:
        raise WorkshopError("invalid_transition", "a timer runs only while voting is open")
    stamp = now()
    if not seconds:
        session.timer_ends_at = session.timer_seconds = None
    elif extend and session.timer_ends_at and session.timer_ends_at > stamp:
        session.timer_ends_at += timedelta(seconds=seconds)
        session.timer_seconds = min(TIMER_MAX, (session.timer_seconds or 0) + seconds)
    else:
        session.timer_ends_at = stamp + timedelta(seconds=seconds)
        session.timer_seconds = seconds


def _min_answers(value) -> int:
    lo, hi = MIN_ANSWERS
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise WorkshopError("invalid_request", f"min_answers must be a whole number from {lo} to {hi}")
    return value


def _set_minimum(session: WorkshopSession, value) -> None:
    """Change the anonymity minimum, before results are revealed (afterwards it would un-hide them)."""
    value = _min_answers(value)
    if session.phase in (Phase.REVEALED.value, Phase.ENDED.value):
        raise WorkshopError("invalid_transition", "the minimum can change only before a reveal")
    session.min_answers = value


def _add_dilemma(session: WorkshopSession, spec) -> None:
    """Append a question typed on the console to this session only, and open it for voting."""
    if session.phase == Phase.ENDED.value:
        raise WorkshopError("invalid_transition", "the session has ended")
    if not isinstance(spec, dict):
        raise WorkshopError("invalid_request", "dilemma must be an object")
    deck = session.deck
    if len(deck.dilemmas) >= MAX_DILEMMAS:
        raise WorkshopError("invalid_request", f"a session holds at most {MAX_DILEMMAS} dilemmas")
    lang = session.language
    kind = kinds.named(spec.get("kind", "choice"))
    dilemma = Dilemma(
        id=f"live-{len(deck.dilemmas) + 1}",
        kind=kind.name,
        title=kinds.base.adhoc_text(spec, "title", kinds.base.MAX_ADHOC_TITLE, lang),
        question=kinds.base.adhoc_text(spec, "question", kinds.base.MAX_ADHOC_QUESTION, lang),
        text={},
        **kind.adhoc(spec, lang),
    )
    session.deck_json = json.dumps(deck.with_dilemma(dilemma).to_dict(), ensure_ascii=False)
    session.deck_version += 1
    _move(session, Phase.VOTING, len(deck.dilemmas), 1)


def expire_timers() -> list[str]:
    """Close voting wherever its timer has run out; the ids of the sessions closed."""
    stamp = now()
    due = db.session.scalars(
        select(WorkshopSession).where(
            WorkshopSession.phase == Phase.VOTING.value, WorkshopSession.timer_ends_at <= stamp
        )
    ).all()
    closed = []
    for session in due:
        try:
            db.session.refresh(session, with_for_update=db.session.get_bind().dialect.name == "postgresql")
            if not timer_expired(Phase(session.phase), session.timer_ends_at, now()):
                continue  # another process closed it, or the timer moved
            _move(session, Phase.CLOSED, session.current_index, session.round)
            session.version += 1
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        closed.append(session.id)
        phase_changed.send(session.id)
    return closed


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


def join(code, token=None, name=None, role=None) -> Joined:
    """A phone joins a live session by code: with its token it is the same participant again
    (its own answer and the state); without, a new one (written by group commit, joins.py)."""
    session_code = _code(code)
    if role is not None and role not in ROLES:
        raise WorkshopError("invalid_request", f"role must be one of {', '.join(ROLES)}")
    if token is not None:
        if not isinstance(token, str) or len(token) > MAX_TOKEN:
            raise WorkshopError("invalid_request", "token must be a string")
        found = db.session.scalar(select(Participant).where(Participant.token == token))
        session = session_by_code(session_code) if found else None
        if found and found.session_id == session.id:
            if role and session.ask_role and found.role != role:
                found.role = role
                db.session.commit()
            state = payloads.participant_state(payloads.Round.read(session, participant=found.id), found.id)
            return Joined(session.id, Member(found.id, found.token, found.name, found.role), False, state)
        # A token from another session (or from a wiped database) starts afresh.
    name = clean_text(name, MAX_NAME, field_name="name")
    return _writer("workshop_joins", joins.writer).submit(session_code, name, role)


def vote(session_id: str, participant_id: str, data: dict) -> None:
    """Record or replace a participant's answer on the open dilemma in the current round.

    Answers that arrive together are written together (workshop/answers.py); this returns once
    this one is committed.
    """
    _writer("workshop_answers", answers.writer).submit(session_id, participant_id, data)


def _writer(name: str, make):
    """This app's group commit for `name` (one per app, made on first use)."""
    found = current_app.extensions.get(name)
    return found if found is not None else current_app.extensions.setdefault(name, make(activity.send))


def set_hidden(session: WorkshopSession, text_id, hidden) -> dict:
    """Hide a reason or a text answer from the wall and the exports (or show it again)."""
    if not isinstance(hidden, bool):
        raise WorkshopError("invalid_request", "hidden must be true or false")
    answer = db.session.get(Answer, int(text_id)) if isinstance(text_id, str) and text_id.isdigit() else None
    if answer is None or answer.session_id != session.id:
        raise WorkshopError("not_found", "no such text in this session")
    answer.hidden = hidden
    db.session.commit()
    activity.send(session.id)
    return {"id": str(answer.id), "hidden": answer.hidden}
