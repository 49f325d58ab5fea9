"""SQLAlchemy models and the few queries the services need. The database holds the truth."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from functools import lru_cache

from flask_login import UserMixin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, event, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .domain import Deck, Phase, Position
from .tally import Answer as TallyAnswer


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_id() -> str:
    return secrets.token_hex(6)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """SQLite: WAL (readers never wait for the writer), a busy timeout and foreign keys."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()


class Facilitator(UserMixin, db.Model):
    __tablename__ = "facilitator"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=now)
    token_epoch: Mapped[int] = mapped_column(default=0, server_default="0")  # bumped: API tokens revoked
    login_id = None  # which login (workshop.accounts.Login) this request speaks for

    def get_id(self) -> str:  # Flask-Login keeps this in the session and the remember-me cookie
        return f"{self.id}:{self.login_id}"


class UploadedDeck(db.Model):
    """A deck a facilitator uploaded; only its owner sees it."""

    __tablename__ = "uploaded_deck"
    __table_args__ = (UniqueConstraint("owner_id", "deck_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("facilitator.id", ondelete="CASCADE"))
    deck_id: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)


class WorkshopSession(db.Model):
    __tablename__ = "workshop_session"
    __table_args__ = (Index("ix_session_code_phase", "code", "phase"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner_id: Mapped[int] = mapped_column(ForeignKey("facilitator.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(6))
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5), default="da")
    deck_id: Mapped[str] = mapped_column(String(80))
    # The deck as it was when the session started. Deferred: it is large and never changes,
    # so it is read once per process (session_deck) instead of with every row.
    deck_json: Mapped[str] = mapped_column(Text, deferred=True)
    phase: Mapped[str] = mapped_column(String(16), default=Phase.LOBBY.value)
    current_index: Mapped[int | None] = mapped_column(default=None)
    version: Mapped[int] = mapped_column(default=0)  # grows with every phase change
    screen_token: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_urlsafe(24))
    show_names: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=now)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    # Rounds: the round on show, and the highest round each dilemma reached ({index: round}).
    round: Mapped[int] = mapped_column(default=1)
    rounds_json: Mapped[str] = mapped_column(Text, default="{}")
    timer_ends_at: Mapped[datetime | None] = mapped_column(default=None)
    timer_seconds: Mapped[int | None] = mapped_column(default=None)
    # Grows when `add` appends a dilemma, so every process re-reads the deck snapshot.
    deck_version: Mapped[int] = mapped_column(default=0)
    route_id: Mapped[str | None] = mapped_column(String(80), default=None)
    min_answers: Mapped[int] = mapped_column(default=5)
    ask_role: Mapped[bool] = mapped_column(default=False)
    follow_up_of: Mapped[str | None] = mapped_column(String(32), default=None)

    @property
    def deck(self) -> Deck:
        return session_deck(self.id, self.deck_version)

    @property
    def dilemma(self):
        if self.current_index is None or self.phase == Phase.ENDED.value:
            return None
        return self.deck.dilemmas[self.current_index]

    @property
    def position(self) -> Position:
        return Position(Phase(self.phase), self.current_index, self.round)

    @property
    def rounds(self) -> dict[int, int]:
        return {int(k): v for k, v in json.loads(self.rounds_json or "{}").items()}

    def last_round(self, index: int) -> int:
        return self.rounds.get(index, 1)


@lru_cache(maxsize=512)
def session_deck(session_id: str, deck_version: int = 0) -> Deck:
    """A session's deck snapshot at `deck_version` (immutable, so cached for the life of the process)."""
    text = db.session.scalar(select(WorkshopSession.deck_json).where(WorkshopSession.id == session_id))
    return Deck.from_dict(json.loads(text))


class Participant(db.Model):
    __tablename__ = "participant"
    __table_args__ = (UniqueConstraint("session_id", "number"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    session_id: Mapped[str] = mapped_column(ForeignKey("workshop_session.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: secrets.token_urlsafe(24))
    number: Mapped[int] = mapped_column()  # per-session pseudonym: P001, P002 …
    name: Mapped[str | None] = mapped_column(String(80), default=None)
    role: Mapped[str | None] = mapped_column(String(16), default=None)
    joined_at: Mapped[datetime] = mapped_column(default=now)

    @property
    def pseudonym(self) -> str:
        return f"P{self.number:03d}"


class Answer(db.Model):
    """One participant's answer to one dilemma in one round; the kind's value as JSON."""

    __tablename__ = "answer"
    __table_args__ = (
        UniqueConstraint("participant_id", "dilemma_id", "round"),
        Index("ix_answer_session_dilemma_round", "session_id", "dilemma_id", "round"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("workshop_session.id", ondelete="CASCADE"))
    participant_id: Mapped[str] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    dilemma_id: Mapped[str] = mapped_column(String(80))
    round: Mapped[int] = mapped_column(default=1)
    value: Mapped[str] = mapped_column(Text)  # JSON: an option id, a scale point or a text
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    hidden: Mapped[bool] = mapped_column(default=False)  # moderated: off the wall and out of exports
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)


class Note(db.Model):
    __tablename__ = "note"
    session_id: Mapped[str] = mapped_column(ForeignKey("workshop_session.id", ondelete="CASCADE"), primary_key=True)
    dilemma_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=now)


# --- queries -----------------------------------------------------------------------------


def upsert(model, values: dict, keys: tuple[str, ...], update: tuple[str, ...]) -> None:
    """INSERT … ON CONFLICT (keys) DO UPDATE, on SQLite and PostgreSQL alike: one statement, no race."""
    stmt = _upsert_statement(model, db.session.get_bind().dialect.name, keys, update)
    db.session.execute(stmt, values)


def upsert_many(model, rows: list[dict], keys: tuple[str, ...], update: tuple[str, ...]) -> None:
    """The same upsert for many rows in one round trip (executemany); later rows win."""
    stmt = _upsert_statement(model, db.session.get_bind().dialect.name, keys, update)
    db.session.execute(stmt, rows)


@lru_cache(maxsize=32)
def _upsert_statement(model, dialect: str, keys: tuple[str, ...], update: tuple[str, ...]):
    # Built once: the values go in as parameters, so SQLAlchemy's compiled cache is hit.
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(model)
    return stmt.on_conflict_do_update(index_elements=list(keys), set_={k: stmt.excluded[k] for k in update})


def answers(session_id: str, dilemma_id: str, round_: int, participant: str | None = None) -> list[TallyAnswer]:
    """Every answer to one dilemma in one round (or one participant's), in arrival order."""
    query = (
        select(Answer.id, Answer.participant_id, Answer.value, Answer.reason, Answer.hidden, Participant.role)
        .join(Participant, Participant.id == Answer.participant_id)
        .where(Answer.session_id == session_id, Answer.dilemma_id == dilemma_id, Answer.round == round_)
        .order_by(Answer.created_at, Answer.id)
    )
    if participant is not None:
        query = query.where(Answer.participant_id == participant)
    rows = db.session.execute(query)
    return [
        TallyAnswer(participant=pid, value=json.loads(value), reason=reason, hidden=hidden, id=str(aid), role=role)
        for aid, pid, value, reason, hidden, role in rows
    ]


def answer_counts(session_id: str) -> list[tuple[str, int, object, int]]:
    """(dilemma id, round, value, how many gave it) over the whole session: the database counts,
    so a session of thousands of answers sends a handful of rows per dilemma, not every answer."""
    rows = db.session.execute(
        select(Answer.dilemma_id, Answer.round, Answer.value, func.count())
        .where(Answer.session_id == session_id)
        .group_by(Answer.dilemma_id, Answer.round, Answer.value)
    )
    return [(d, r, json.loads(v), n) for d, r, v, n in rows]


def participant_count(session_id: str) -> int:
    return db.session.scalar(select(func.count()).select_from(Participant).where(Participant.session_id == session_id))
