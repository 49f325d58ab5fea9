"""The agreements register: what a session agreed to do (text, optional dilemma, values, owner,
due date), recorded by the facilitator during or after the session and carried by every export.

Kept apart from services.py: the table, its validation and its three operations live here.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from blinker import signal
from flask_babel import gettext
from sqlalchemy import JSON, ForeignKey, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from .domain import WorkshopError, clean_text
from .exports.snapshot import Agreement
from .store import WorkshopSession, db, now

MAX_TEXT = 500
MAX_OWNER = 80
MAX_VALUES = 3
MAX_PER_SESSION = 200
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

changed = signal("agreements-changed")  # sender: the session id; every open console reloads the list


class AgreementRow(db.Model):
    __tablename__ = "agreement"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("workshop_session.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    dilemma_id: Mapped[str | None] = mapped_column(String(80), default=None)
    values: Mapped[list] = mapped_column(JSON, default=list)
    owner: Mapped[str | None] = mapped_column(String(MAX_OWNER), default=None)
    due: Mapped[str | None] = mapped_column(String(10), default=None)  # ISO date
    created_at: Mapped[datetime] = mapped_column(default=now)

    def to_agreement(self) -> Agreement:
        return Agreement(
            id=self.id,
            text=self.text,
            dilemma_id=self.dilemma_id,
            values=tuple(self.values or ()),
            owner=self.owner,
            due=date.fromisoformat(self.due) if self.due else None,
            created_at=self.created_at,
        )


def _invalid(message: str) -> WorkshopError:
    # The detail is shown to the facilitator, so it is worded in their language.
    return WorkshopError("invalid_request", message)


def _text(value, limit: int, required: bool, message_missing: str, message_long: str) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise _invalid(message_missing)
        return None
    if not isinstance(value, str):
        raise _invalid(message_missing)
    try:  # the one cleaning of user text (control characters out, stripped); only its length can fail here
        return clean_text(value, limit, field_name="text")
    except WorkshopError:
        raise _invalid(message_long) from None


def validate(session: WorkshopSession, data) -> dict:
    """The fields of a new agreement, checked against the session's deck; raises invalid_request."""
    if not isinstance(data, dict):
        raise _invalid(gettext("The body must be a JSON object."))
    text = _text(
        data.get("text"),
        MAX_TEXT,
        True,
        gettext("Write the agreement."),
        gettext("An agreement has at most %(n)s characters.", n=MAX_TEXT),
    )
    dilemma = data.get("dilemma")
    if dilemma in (None, ""):
        dilemma = None
    elif not isinstance(dilemma, str) or session.deck.dilemma(dilemma) is None:
        raise _invalid(gettext("That dilemma is not part of this session."))
    values = data.get("values")
    if values is None:
        values = []
    known = {v.id for v in session.deck.values}
    if not isinstance(values, list) or not all(isinstance(v, str) and v in known for v in values):
        raise _invalid(gettext("Choose values from the deck's list of values."))
    if len(set(values)) > MAX_VALUES:
        raise _invalid(gettext("Choose at most %(n)s values.", n=MAX_VALUES))
    owner = _text(
        data.get("owner"),
        MAX_OWNER,
        False,
        gettext("The owner must be a name."),
        gettext("The owner has at most %(n)s characters.", n=MAX_OWNER),
    )
    due = data.get("due")
    if due in (None, ""):
        due = None
    else:
        try:
            if not isinstance(due, str) or not _DATE.fullmatch(due):
                raise ValueError
            due = date.fromisoformat(due).isoformat()
        except ValueError:
            raise _invalid(gettext("The due date must be a date (YYYY-MM-DD).")) from None
    return {"text": text, "dilemma_id": dilemma, "values": list(dict.fromkeys(values)), "owner": owner, "due": due}


def add_agreement(session: WorkshopSession, data) -> AgreementRow:
    fields = validate(session, data)
    count = db.session.scalar(
        select(func.count()).select_from(AgreementRow).where(AgreementRow.session_id == session.id)
    )
    if count >= MAX_PER_SESSION:
        raise _invalid(gettext("A session has at most %(n)s agreements.", n=MAX_PER_SESSION))
    row = AgreementRow(session_id=session.id, **fields)
    db.session.add(row)
    db.session.commit()
    changed.send(session.id)
    return row


def agreements_of(session_id: str) -> list[AgreementRow]:
    """The session's agreements, in the order they were recorded."""
    return list(
        db.session.scalars(select(AgreementRow).where(AgreementRow.session_id == session_id).order_by(AgreementRow.id))
    )


def counts_by_session(session_ids) -> dict[str, int]:
    """How many agreements each of the sessions recorded, in one query; a session with none is absent."""
    ids = list(session_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(AgreementRow.session_id, func.count())
        .where(AgreementRow.session_id.in_(ids))
        .group_by(AgreementRow.session_id)
    )
    return {session_id: n for session_id, n in rows}


def delete_agreement(session: WorkshopSession, agreement_id) -> None:
    row = db.session.get(AgreementRow, agreement_id) if isinstance(agreement_id, int) else None
    if row is None or row.session_id != session.id:
        raise WorkshopError("not_found", "no such agreement in this session")
    db.session.delete(row)
    db.session.commit()
    changed.send(session.id)


def as_json(row: AgreementRow) -> dict:
    """An agreement as the API shows it (docs/protocol.md)."""
    return {
        "id": row.id,
        "text": row.text,
        "dilemma": row.dilemma_id,
        "values": list(row.values or ()),
        "owner": row.owner,
        "due": row.due,
        "created_at": row.created_at.isoformat() + "Z",
    }


def snapshot_of(session_id: str) -> tuple[Agreement, ...]:
    """The agreements as the exports' Snapshot holds them."""
    return tuple(row.to_agreement() for row in agreements_of(session_id))
