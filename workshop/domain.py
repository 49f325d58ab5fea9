"""The pure domain: decks, dilemmas, options, phases and the phase machine.

No Flask, no database. Everything here is built with plain constructors and tested as such.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"

# Size limits on every piece of user input (characters).
MAX_REASON = 500
MAX_NAME = 40
MAX_NOTE = 10_000
MAX_TITLE = 120
MAX_TOKEN = 100


class WorkshopError(Exception):
    """A failure the user can act on. `code` is part of the public contract."""

    def __init__(self, code: str, detail: str | None = None):
        super().__init__(code if detail is None else f"{code}: {detail}")
        self.code = code
        self.detail = detail


class Phase(enum.StrEnum):
    LOBBY = "lobby"
    VOTING = "voting"
    CLOSED = "closed"
    REVEALED = "revealed"
    ENDED = "ended"


class Command(enum.StrEnum):
    NEXT = "next"
    CLOSE = "close"
    REVEAL = "reveal"
    PREVIOUS = "previous"
    END = "end"


Text = dict  # {"da": str, "en": str}


def pick(text: Text, language: str) -> str:
    """The text in `language`, falling back to Danish, then to any language present."""
    return text.get(language) or text.get(DEFAULT_LANGUAGE) or next(iter(text.values()), "")


@dataclass(frozen=True)
class Value:
    id: str
    label: Text


@dataclass(frozen=True)
class Option:
    id: str
    label: Text
    values: tuple[str, ...]


@dataclass(frozen=True)
class Dilemma:
    id: str
    title: Text
    text: Text
    question: Text
    options: tuple[Option, ...]
    debrief: tuple[Text, ...] = ()
    tip: Text = field(default_factory=dict)
    role: str = "both"
    focus: str = "relations"

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Deck:
    id: str
    title: Text
    dilemmas: tuple[Dilemma, ...]
    description: Text = field(default_factory=dict)
    values: tuple[Value, ...] = ()  # the vocabulary the deck was checked against

    @property
    def languages(self) -> list[str]:
        return [lang for lang in LANGUAGES if self.title.get(lang)]

    def dilemma(self, dilemma_id: str) -> Dilemma | None:
        return next((d for d in self.dilemmas if d.id == dilemma_id), None)

    def value_label(self, value_id: str, language: str) -> str:
        for v in self.values:
            if v.id == value_id:
                return pick(v.label, language)
        return value_id

    # A deck is snapshotted into every session, so a later edit of the file cannot change
    # a session that ran on it.
    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "values": [{"id": v.id, "label": v.label} for v in self.values],
            "dilemmas": [
                {
                    "id": d.id,
                    "title": d.title,
                    "text": d.text,
                    "question": d.question,
                    "role": d.role,
                    "focus": d.focus,
                    "options": [
                        {"id": o.id, "label": o.label, "values": list(o.values)} for o in d.options
                    ],
                    "debrief": list(d.debrief),
                    "tip": d.tip,
                }
                for d in self.dilemmas
            ],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Deck:
        return cls(
            id=data["id"],
            title=data["title"],
            description=data.get("description") or {},
            values=tuple(Value(v["id"], v["label"]) for v in data.get("values", ())),
            dilemmas=tuple(
                Dilemma(
                    id=d["id"],
                    title=d["title"],
                    text=d["text"],
                    question=d["question"],
                    role=d.get("role", "both"),
                    focus=d.get("focus", "relations"),
                    options=tuple(
                        Option(o["id"], o["label"], tuple(o.get("values", ()))) for o in d["options"]
                    ),
                    debrief=tuple(d.get("debrief", ())),
                    tip=d.get("tip") or {},
                )
                for d in data["dilemmas"]
            ),
        )


def dilemma_payload(deck: Deck, index: int, language: str) -> dict:
    """DILEMMA as the contract shapes it, in one language."""
    d = deck.dilemmas[index]
    return {
        "id": d.id,
        "index": index,
        "count": len(deck.dilemmas),
        "title": pick(d.title, language),
        "text": pick(d.text, language),
        "question": pick(d.question, language),
        "options": [
            {"id": o.id, "label": pick(o.label, language), "values": list(o.values)}
            for o in d.options
        ],
    }


# --- the phase machine -------------------------------------------------------------------

_SHOWING = (Phase.VOTING, Phase.CLOSED, Phase.REVEALED)


def transition(phase: Phase, index: int | None, count: int, command: str) -> tuple[Phase, int | None]:
    """Where `command` takes a session in `phase` at dilemma `index` of `count`.

    Raises WorkshopError("invalid_transition") where the command does not fit the phase.
    """
    try:
        cmd = Command(command)
    except ValueError:
        raise WorkshopError("invalid_request", f"unknown command {command!r}") from None
    phase = Phase(phase)
    if cmd is Command.NEXT:
        if phase is Phase.LOBBY and count > 0:
            return Phase.VOTING, 0
        if phase in _SHOWING and index is not None and index + 1 < count:
            return Phase.VOTING, index + 1
    elif cmd is Command.CLOSE:
        if phase is Phase.VOTING:
            return Phase.CLOSED, index
    elif cmd is Command.REVEAL:
        if phase in (Phase.VOTING, Phase.CLOSED):
            return Phase.REVEALED, index
    elif cmd is Command.PREVIOUS:
        if phase in _SHOWING and index:
            return Phase.REVEALED, index - 1
    elif cmd is Command.END:
        if phase is not Phase.ENDED:
            return Phase.ENDED, index
    raise WorkshopError("invalid_transition", f"{cmd.value} does not fit {phase.value}")


def allowed_commands(phase: Phase, index: int | None, count: int) -> list[str]:
    """Every command that `transition` would accept now (for buttons and docs)."""
    allowed = []
    for cmd in Command:
        try:
            transition(phase, index, count, cmd.value)
        except WorkshopError:
            continue
        allowed.append(cmd.value)
    return allowed


def suggested_command(phase: Phase, index: int | None, count: int) -> str | None:
    """The next sensible step, which the console shows as its most prominent button."""
    phase = Phase(phase)
    if phase is Phase.LOBBY:
        return "next" if count else None
    if phase is Phase.VOTING:
        return "reveal"
    if phase is Phase.CLOSED:
        return "reveal"
    if phase is Phase.REVEALED:
        return "next" if index is not None and index + 1 < count else "end"
    return None


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value, limit: int, *, field_name: str, required: bool = False) -> str | None:
    """Validate one piece of user text: a string, stripped, within `limit` characters."""
    if value is None:
        if required:
            raise WorkshopError("invalid_request", f"{field_name} is required")
        return None
    if not isinstance(value, str):
        raise WorkshopError("invalid_request", f"{field_name} must be a string")
    # Control characters out (tab and newlines stay); lone surrogates, which no database or
    # file format takes, become "?".
    value = _CONTROL.sub("", value).encode("utf-8", "replace").decode("utf-8").strip()
    if len(value) > limit:
        raise WorkshopError("invalid_request", f"{field_name} is longer than {limit} characters")
    if not value:
        if required:
            raise WorkshopError("invalid_request", f"{field_name} is required")
        return None
    return value
