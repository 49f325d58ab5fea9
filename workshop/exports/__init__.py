"""Exports: one module per format, each a pure function of a Snapshot of the stored session."""

from __future__ import annotations

import gc
import json
import re
import unicodedata
from contextlib import contextmanager
from urllib.parse import quote

from sqlalchemy import select

from .. import agreements, kinds
from ..domain import WorkshopError
from ..services import notes_of
from ..store import Answer, Participant, WorkshopSession, db, now, participant_count
from . import csvrows, jsondoc, markdown, report, spreadsheet
from .snapshot import Response, Snapshot

# format -> (render(snapshot) -> str | bytes, mimetype, file extension)
FORMATS = {
    "md": (markdown.render, "text/markdown; charset=utf-8", "md"),
    "html": (report.render, "text/html; charset=utf-8", "html"),
    "xlsx": (spreadsheet.render, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": (csvrows.render, "text/csv; charset=utf-8", "csv"),
    "json": (jsondoc.render, "application/json", "json"),
}


def snapshot(session: WorkshopSession) -> Snapshot:
    """Read the session once: its deck snapshot, every answer (anonymised) and the notes.

    Moderation is applied here, in one place: a hidden reason is dropped, and a hidden text
    answer comes without its text (`hidden`, value None), so no export format can show either.
    The hidden answer itself stays: it counts towards the total and the anonymity minimum as it
    does live (see tally.results).
    """
    deck = session.deck
    order = {d.id: i for i, d in enumerate(deck.dilemmas)}
    # Plain columns, not ORM objects: a 2,000-person session has tens of thousands of answers.
    rows = db.session.execute(
        select(
            Answer.dilemma_id,
            Answer.round,
            Answer.value,
            Answer.reason,
            Answer.hidden,
            Answer.updated_at,
            Participant.number,
            Participant.name,
            Participant.role,
        )
        .join(Participant, Participant.id == Answer.participant_id)
        .where(Answer.session_id == session.id)
    ).all()
    kind_of = {d.id: kinds.of(d) for d in deck.dilemmas}
    decoded: dict[str, object] = {}  # raw JSON -> value: a few options and scale points, decoded once
    responses = []
    for dilemma_id, round_, raw, reason, hidden, updated_at, number, name, role in rows:
        kind = kind_of.get(dilemma_id)
        if kind is None:
            continue
        withheld = bool(hidden and kind.hides_answer)  # the answer is the hidden text
        value = None if withheld else decoded.get(raw, decoded)
        if value is decoded:
            value = json.loads(raw)
            if isinstance(value, str | int | float | bool | None):  # immutable: safe to share
                decoded[raw] = value
        responses.append(
            Response(
                pseudonym=f"P{number:03d}",
                name=name if session.show_names else None,
                dilemma_id=dilemma_id,
                option_id=kind.key(value),
                reason=None if hidden else reason,
                time=updated_at,
                value=value,
                round=round_,
                role=role,
                hidden=withheld,
            )
        )
    responses.sort(key=lambda r: (order.get(r.dilemma_id, 1_000_000), r.round, r.time, r.pseudonym))
    return Snapshot(
        session_id=session.id,
        title=session.title,
        code=session.code,
        language=session.language,
        phase=session.phase,
        deck=deck,
        created_at=session.created_at,
        ended_at=session.ended_at,
        exported_at=now(),
        participants=participant_count(session.id),
        responses=tuple(responses),
        notes=notes_of(session.id),
        show_names=session.show_names,
        min_answers=session.min_answers,
        agreements=agreements.snapshot_of(session.id),
    )


def safe_filename(title: str, date, ext: str) -> str:
    """A file name safe on any file system: ASCII letters, digits and dashes, with the date."""
    ascii_title = unicodedata.normalize(
        "NFKD",
        title.replace("æ", "ae")
        .replace("ø", "oe")
        .replace("å", "aa")
        .replace("Æ", "Ae")
        .replace("Ø", "Oe")
        .replace("Å", "Aa"),
    )
    ascii_title = ascii_title.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-").lower()[:60] or "workshop"
    return f"{slug}-{date:%Y-%m-%d}.{ext}"


def content_disposition(filename: str) -> str:
    return f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"


@contextmanager
def gc_paused():
    """The cyclic garbage collector paused while an export is built. A 2,000-person export makes
    a few hundred thousand small objects (answers, rows, cells) that live until it is done, and
    the collector's passes over them, which free nothing, took a fifth of the time. Nothing
    here makes cycles that must go early; the collector runs again as soon as the export is
    built (if it was on: a nested or concurrent export leaves that to the outer one)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def render(session: WorkshopSession, fmt: str) -> tuple[bytes, str, str]:
    if fmt not in FORMATS:
        raise WorkshopError("unsupported_format", f"format must be one of {', '.join(FORMATS)}")
    fn, mimetype, ext = FORMATS[fmt]
    with gc_paused():
        snap = snapshot(session)
        data = fn(snap)
    if isinstance(data, str):
        data = data.encode("utf-8")
    return data, mimetype, safe_filename(session.title, session.created_at, ext)
