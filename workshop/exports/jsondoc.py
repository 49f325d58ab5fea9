"""Pure: the whole session as one JSON document in a versioned schema (see docs/export.md).

`render` writes it; `load` reads it back into a Snapshot, so a script (or a test) can check that
nothing is lost on the way. Texts are kept exactly as given (no spreadsheet guards here).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

from .. import kinds
from ..domain import Deck
from .snapshot import Agreement, Response, Snapshot

SCHEMA_VERSION = 2
READS = (1, 2)  # the schema versions `load` reads
KIND = "workshop.session-export"


def _time(dt: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z (the store keeps naive UTC)."""
    if dt is None:
        return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC).replace(tzinfo=None)
    return dt.isoformat() + "Z"


def _parse_time(text: str | None) -> datetime | None:
    if text is None:
        return None
    dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return dt.astimezone(UTC).replace(tzinfo=None) if dt.tzinfo else dt


def _round(s: Snapshot, d, round_: int) -> dict:
    """One round as the JSON shows it: RESULTS (the minimum applied) and the visible texts."""
    res = s.results(d, round_)
    out = {k: v for k, v in res.items() if k not in ("dilemma", "participants", "previous")}
    if not res["suppressed"]:  # in the order they came, as RESULTS gives them to the projector
        out["texts"] = [
            {"text": t, **({"option": k} if k is not None else {})} for k, t in s.reasons_in_order(d, round_)
        ]
    return out


def _summary(s: Snapshot) -> dict:
    """The summary page's content (Snapshot.summary), its rounds left to `dilemmas[].rounds`."""
    summary = s.summary()
    return {**summary, "dilemmas": [{k: v for k, v in x.items() if k != "rounds"} for x in summary["dilemmas"]]}


def document(s: Snapshot) -> dict:
    """The export as plain data (what `render` serialises)."""
    dilemmas = []
    for i, d in enumerate(s.deck.dilemmas):
        note = (s.notes.get(d.id) or "").strip()
        last = s.results(d)  # the last round
        dilemmas.append(
            {
                "id": d.id,
                "index": i,
                "kind": d.kind,
                "title": s.t(d.title),
                "question": s.t(d.question),
                "frame": s.t(d.frame) or None,
                **kinds.of(d).payload(d, s.language),  # options (choice), scale (points, end labels)
                "total": last["total"],
                "suppressed": last["suppressed"],
                "moved": last.get("moved"),  # RESULTS leave it out under the minimum
                "rounds": [_round(s, d, r) for r in s.rounds(d)],
                "note": note or None,
            }
        )
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": KIND,
        "exported_at": _time(s.exported_at),
        "session": {
            "id": s.session_id,
            "title": s.title,
            "code": s.code,
            "language": s.language,
            "phase": s.phase,
            "live": s.phase != "ended",
            "created_at": _time(s.created_at),
            "ended_at": _time(s.ended_at),
            "participants": s.participants,
            "show_names": s.show_names,
            "min_answers": s.min_answers,
        },
        "summary": _summary(s),
        "deck": s.deck.to_dict(),
        "dilemmas": dilemmas,
        "value_profile": [{"value": v, "label": s.value_label(v), "count": n} for v, n in s.profile()],
        "notes": {k: v for k, v in s.notes.items() if v and v.strip()},
        "agreements": [
            {
                "id": a.id,
                "text": a.text,
                "dilemma": a.dilemma_id,
                "values": list(a.values),
                "owner": a.owner,
                "due": a.due.isoformat() if a.due else None,
                "created_at": _time(a.created_at),
            }
            for a in s.agreements
        ],
        "responses": [
            {
                "participant": r.pseudonym,
                "name": r.name if s.show_names else None,
                "dilemma": r.dilemma_id,
                "round": r.round,
                "option": r.option_id if visible else None,
                "value": r.value if visible else None,  # None for a hidden text answer
                "reason": r.reason if visible else None,
                "time": _time(r.time),
                **({} if visible else {"suppressed": True}),
                **({"hidden": True} if r.hidden and visible else {}),  # under the minimum: not even that
            }
            for r, visible in s.answer_rows()
        ],
    }


_SURROGATE = re.compile("[\ud800-\udfff]")


# One C-accelerated encoder for every line (json.dumps with options makes a new encoder per call,
# and an indented dump runs the pure-Python encoder): 28,000 answers in a fraction of a second.
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def _lines(items: list, indent: str) -> str:
    """A JSON array with one compact item per line."""
    if not items:
        return "[]"
    return "[\n" + ",\n".join(indent + "  " + _COMPACT.encode(x) for x in items) + "\n" + indent + "]"


def render(s: Snapshot) -> str:
    """The document with one key per line at the top, and one line per dilemma, agreement and
    answer: readable in a text editor, and fast to write for a 2,000-person session."""
    doc = document(s)
    parts = []
    for key, value in doc.items():
        if key in ("dilemmas", "agreements", "responses"):
            text = _lines(value, " ")
        else:
            text = _COMPACT.encode(value)
        parts.append(f" {_COMPACT.encode(key)}: {text}")
    text = "{\n" + ",\n".join(parts) + "\n}\n"
    # A lone surrogate cannot be written as UTF-8: keep it as a JSON escape (exact on reading back).
    return _SURROGATE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def load(data: str | bytes | dict) -> Snapshot:
    """Read an export (schema version 1 or 2) back into a Snapshot.

    Version 1 knew only choice dilemmas in one round: an answer's value is its option. Answers a
    version-2 export kept back under the anonymity minimum come back without a value (they count,
    and the minimum the document carries keeps them suppressed); so do hidden text answers, which
    count as they did live and show no text."""
    if not isinstance(data, dict):
        data = json.loads(data)
    version = data.get("schema_version")
    if version not in READS:
        raise ValueError(f"unsupported schema_version {version!r} (this reader knows {', '.join(map(str, READS))})")
    sess = data["session"]
    return Snapshot(
        session_id=sess["id"],
        title=sess["title"],
        code=sess["code"],
        language=sess["language"],
        phase=sess["phase"],
        deck=Deck.from_dict(data["deck"]),
        created_at=_parse_time(sess["created_at"]),
        ended_at=_parse_time(sess["ended_at"]),
        exported_at=_parse_time(data["exported_at"]),
        participants=sess["participants"],
        responses=tuple(
            Response(
                pseudonym=r["participant"],
                name=r["name"],
                dilemma_id=r["dilemma"],
                option_id=r["option"],
                reason=r["reason"],
                time=_parse_time(r["time"]),
                value=r.get("value", r["option"]),
                round=r.get("round", 1),
                hidden=r.get("hidden", False),
            )
            for r in data["responses"]
        ),
        notes=dict(data["notes"]),
        show_names=sess["show_names"],
        min_answers=sess.get("min_answers", 1),
        agreements=tuple(
            Agreement(
                id=a["id"],
                text=a["text"],
                dilemma_id=a["dilemma"],
                values=tuple(a["values"]),
                owner=a["owner"],
                due=date.fromisoformat(a["due"]) if a["due"] else None,
                created_at=_parse_time(a["created_at"]),
            )
            for a in data.get("agreements", ())  # older version-1 exports have none
        ),
    )
