"""The pure domain: decks, dilemmas, options, phases and the phase machine.

No Flask, no database. Everything here is built with plain constructors and tested as such.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field, replace
from datetime import datetime

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
    REVOTE = "revote"


MAX_ROUNDS = 3
REASON_MODES = ("off", "optional", "required")
TIMER_MIN, TIMER_MAX = 10, 900


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
class Scale:
    points: int
    low: Text
    high: Text


@dataclass(frozen=True)
class Dilemma:
    id: str
    title: Text
    text: Text
    question: Text
    options: tuple[Option, ...] = ()
    debrief: tuple[Text, ...] = ()
    tip: Text = field(default_factory=dict)
    role: str = "both"
    focus: str = "relations"
    kind: str = "choice"
    reason: str = "optional"  # off | optional | required
    scale: Scale | None = None
    values: tuple[str, ...] = ()  # for kinds without options: the values the dilemma serves
    frame: Text = field(default_factory=dict)
    minutes: int | None = None

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    @property
    def all_values(self) -> tuple[str, ...]:
        """Every value id the dilemma touches (its options' and its own), in order, once each."""
        seen = dict.fromkeys(v for o in self.options for v in o.values)
        seen.update(dict.fromkeys(self.values))
        return tuple(seen)

    def to_dict(self) -> dict:
        out = {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "text": self.text,
            "question": self.question,
            "role": self.role,
            "focus": self.focus,
            "reason": self.reason,
            "options": [{"id": o.id, "label": o.label, "values": list(o.values)} for o in self.options],
            "values": list(self.values),
            "debrief": list(self.debrief),
            "tip": self.tip,
            "frame": self.frame,
            "minutes": self.minutes,
        }
        if self.scale:
            out["scale"] = {"points": self.scale.points, "low": self.scale.low, "high": self.scale.high}
        return out

    @classmethod
    def from_dict(cls, d: dict) -> Dilemma:
        scale = d.get("scale")
        return cls(
            id=d["id"],
            kind=d.get("kind", "choice"),
            title=d["title"],
            text=d.get("text") or {},
            question=d["question"],
            role=d.get("role", "both"),
            focus=d.get("focus", "relations"),
            reason=d.get("reason", "optional"),
            options=tuple(Option(o["id"], o["label"], tuple(o.get("values", ()))) for o in d.get("options", ())),
            values=tuple(d.get("values", ())),
            debrief=tuple(d.get("debrief", ())),
            tip=d.get("tip") or {},
            frame=d.get("frame") or {},
            minutes=d.get("minutes"),
            scale=Scale(scale["points"], scale["low"], scale["high"]) if scale else None,
        )


@dataclass(frozen=True)
class Route:
    """A curated path through a deck for a workshop of `minutes`."""

    id: str
    title: Text
    minutes: int
    dilemmas: tuple[str, ...]


@dataclass(frozen=True)
class Deck:
    id: str
    title: Text
    dilemmas: tuple[Dilemma, ...]
    description: Text = field(default_factory=dict)
    values: tuple[Value, ...] = ()  # the vocabulary the deck was checked against
    routes: tuple[Route, ...] = ()

    @property
    def languages(self) -> list[str]:
        return [lang for lang in LANGUAGES if self.title.get(lang)]

    def dilemma(self, dilemma_id: str) -> Dilemma | None:
        return next((d for d in self.dilemmas if d.id == dilemma_id), None)

    def route(self, route_id: str) -> Route | None:
        return next((r for r in self.routes if r.id == route_id), None)

    def value_label(self, value_id: str, language: str) -> str:
        for v in self.values:
            if v.id == value_id:
                return pick(v.label, language)
        return value_id

    def along(self, route_id: str) -> Deck:
        """This deck holding just the route's dilemmas, in the route's order."""
        route = self.route(route_id)
        if route is None:
            raise WorkshopError("unknown_route", f"no route {route_id!r} in this deck")
        return replace(self, dilemmas=tuple(self.dilemma(i) for i in route.dilemmas), routes=())

    def with_dilemma(self, dilemma: Dilemma) -> Deck:
        return replace(self, dilemmas=(*self.dilemmas, dilemma))

    # A deck is snapshotted into every session, so a later edit of the file cannot change
    # a session that ran on it.
    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "values": [{"id": v.id, "label": v.label} for v in self.values],
            "dilemmas": [d.to_dict() for d in self.dilemmas],
            "routes": [
                {"id": r.id, "title": r.title, "minutes": r.minutes, "dilemmas": list(r.dilemmas)} for r in self.routes
            ],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Deck:
        return cls(
            id=data["id"],
            title=data["title"],
            description=data.get("description") or {},
            values=tuple(Value(v["id"], v["label"]) for v in data.get("values", ())),
            dilemmas=tuple(Dilemma.from_dict(d) for d in data["dilemmas"]),
            routes=tuple(
                Route(r["id"], r["title"], r["minutes"], tuple(r["dilemmas"])) for r in data.get("routes", ())
            ),
        )


# --- the phase machine -------------------------------------------------------------------

_SHOWING = (Phase.VOTING, Phase.CLOSED, Phase.REVEALED)


@dataclass(frozen=True)
class Position:
    """Where a session stands: its phase, the dilemma on show and that dilemma's round."""

    phase: Phase
    index: int | None = None
    round: int = 1


def transition(pos: Position, count: int, command: str, last_round=lambda index: 1) -> Position:
    """Where `command` takes a session at `pos` in a deck of `count` dilemmas.

    `last_round(index)` is the highest round a dilemma reached (`previous` shows that round).
    Raises WorkshopError("invalid_transition") where the command does not fit the phase.
    """
    try:
        cmd = Command(command)
    except ValueError:
        raise WorkshopError("invalid_request", f"unknown command {command!r}") from None
    phase, index = Phase(pos.phase), pos.index
    if cmd is Command.NEXT:
        if phase is Phase.LOBBY and count > 0:
            return Position(Phase.VOTING, 0, 1)
        if phase in _SHOWING and index is not None and index + 1 < count:
            return Position(Phase.VOTING, index + 1, 1)
    elif cmd is Command.CLOSE:
        if phase is Phase.VOTING:
            return replace(pos, phase=Phase.CLOSED)
    elif cmd is Command.REVEAL:
        if phase in (Phase.VOTING, Phase.CLOSED):
            return replace(pos, phase=Phase.REVEALED)
    elif cmd is Command.PREVIOUS:
        if phase in _SHOWING and index:
            return Position(Phase.REVEALED, index - 1, last_round(index - 1))
    elif cmd is Command.REVOTE:
        if phase in (Phase.CLOSED, Phase.REVEALED) and pos.round < MAX_ROUNDS:
            return Position(Phase.VOTING, index, pos.round + 1)
    elif cmd is Command.END:
        if phase is not Phase.ENDED:
            return replace(pos, phase=Phase.ENDED)
    raise WorkshopError("invalid_transition", f"{cmd.value} does not fit {phase.value}")


def allowed_commands(pos: Position, count: int) -> list[str]:
    """Every command that `transition` would accept now (for buttons and docs)."""
    allowed = []
    for cmd in Command:
        try:
            transition(pos, count, cmd.value)
        except WorkshopError:
            continue
        allowed.append(cmd.value)
    return allowed


def suggested_command(pos: Position, count: int, divided: bool = False) -> str | None:
    """The next sensible step, which the console shows as its most prominent button.

    After a divided first or second round the suggestion is to talk and vote again.
    """
    phase, index = Phase(pos.phase), pos.index
    if phase is Phase.LOBBY:
        return "next" if count else None
    if phase in (Phase.VOTING, Phase.CLOSED):
        return "reveal"
    if phase is Phase.REVEALED:
        if divided and pos.round < MAX_ROUNDS and pos.round == 1:
            return "revote"
        return "next" if index is not None and index + 1 < count else "end"
    return None


def timer_seconds(value) -> int:
    """A timer length from a command: 0 cancels, otherwise TIMER_MIN..TIMER_MAX seconds."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise WorkshopError("invalid_request", "seconds must be a whole number")
    if value != 0 and not TIMER_MIN <= value <= TIMER_MAX:
        raise WorkshopError("invalid_request", f"seconds must be 0 or {TIMER_MIN} to {TIMER_MAX}")
    return value


def timer_expired(phase: Phase, ends_at: datetime | None, now: datetime) -> bool:
    """Voting with a timer that has run out: the session must close."""
    return Phase(phase) is Phase.VOTING and ends_at is not None and now >= ends_at


def check_open(pos: Position, current: Dilemma | None, dilemma_id: str, ends_at: datetime | None, now: datetime):
    """An answer on `dilemma_id` is taken only while its voting is open and its timer runs."""
    if Phase(pos.phase) is not Phase.VOTING or current is None or current.id != dilemma_id:
        raise WorkshopError("voting_closed", "voting on this dilemma is not open")
    if timer_expired(pos.phase, ends_at, now):
        raise WorkshopError("voting_closed", "the time for this dilemma has run out")


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
