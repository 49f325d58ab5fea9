"""Exports: one module per format, each a pure function of a Snapshot of the stored session."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from sqlalchemy import select

from ..domain import WorkshopError
from ..store import Participant, Vote, WorkshopSession, db, now, participant_count
from . import markdown
from .snapshot import Response, Snapshot

# format -> (render(snapshot) -> str | bytes, mimetype, file extension)
FORMATS = {
    "md": (markdown.render, "text/markdown; charset=utf-8", "md"),
}


def snapshot(session: WorkshopSession) -> Snapshot:
    """Read the session once: its deck snapshot, every vote (anonymised) and the notes."""
    from ..services import notes_of

    order = {d.id: i for i, d in enumerate(session.deck.dilemmas)}
    rows = db.session.execute(
        select(Vote, Participant.number, Participant.name)
        .join(Participant, Participant.id == Vote.participant_id)
        .where(Vote.session_id == session.id)
    ).all()
    responses = sorted(
        (
            Response(
                pseudonym=f"P{number:03d}",
                name=name if session.show_names else None,
                dilemma_id=v.dilemma_id,
                option_id=v.option_id,
                reason=v.reason,
                time=v.updated_at,
            )
            for v, number, name in rows
        ),
        key=lambda r: (order.get(r.dilemma_id, 1_000_000), r.time, r.pseudonym),
    )
    return Snapshot(
        session_id=session.id,
        title=session.title,
        code=session.code,
        language=session.language,
        phase=session.phase,
        deck=session.deck,
        created_at=session.created_at,
        ended_at=session.ended_at,
        exported_at=now(),
        participants=participant_count(session.id),
        responses=tuple(responses),
        notes=notes_of(session.id),
        show_names=session.show_names,
    )


def safe_filename(title: str, date, ext: str) -> str:
    """A file name safe on any file system: ASCII letters, digits and dashes, with the date."""
    ascii_title = unicodedata.normalize("NFKD", title.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
                                         .replace("Æ", "Ae").replace("Ø", "Oe").replace("Å", "Aa"))
    ascii_title = ascii_title.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-").lower()[:60] or "workshop"
    return f"{slug}-{date:%Y-%m-%d}.{ext}"


def content_disposition(filename: str) -> str:
    return f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"


def render(session: WorkshopSession, fmt: str) -> tuple[bytes, str, str]:
    if fmt not in FORMATS:
        raise WorkshopError("unsupported_format", f"format must be one of {', '.join(FORMATS)}")
    fn, mimetype, ext = FORMATS[fmt]
    snap = snapshot(session)
    data = fn(snap)
    if isinstance(data, str):
        data = data.encode("utf-8")
    return data, mimetype, safe_filename(session.title, session.created_at, ext)
