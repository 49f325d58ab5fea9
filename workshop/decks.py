"""The deck registry: the shipped decks (checked at start) and each facilitator's uploads."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from .content import DeckError, Problem, check_path, load_vocabulary, parse_deck
from .domain import Deck, Value
from .store import UploadedDeck, db

_shipped: dict[str, Deck] = {}
_vocabulary: tuple[Value, ...] = ()


def load_shipped(content_path: Path) -> None:
    """Load and check every deck under content/. Raises DeckError: the server must not start."""
    global _vocabulary
    vocabulary = load_vocabulary(Path(content_path) / "values.yaml")
    decks, problems = check_path(Path(content_path) / "decks", vocabulary)
    if problems:
        raise DeckError(problems)
    _vocabulary = vocabulary
    _shipped.clear()
    _shipped.update((d.id, d) for d in decks)


def vocabulary() -> tuple[Value, ...]:
    return _vocabulary


def _uploaded(owner_id: int) -> list[Deck]:
    rows = db.session.scalars(
        select(UploadedDeck).where(UploadedDeck.owner_id == owner_id).order_by(UploadedDeck.created_at)
    )
    return [parse_deck(r.source, r.deck_id, _vocabulary) for r in rows]


def listing(owner_id: int) -> list[Deck]:
    """The decks a facilitator may use: the shipped ones, then their own uploads."""
    return list(_shipped.values()) + _uploaded(owner_id)


def get(deck_id: str, owner_id: int) -> Deck | None:
    if deck_id in _shipped:
        return _shipped[deck_id]
    row = db.session.scalar(
        select(UploadedDeck).where(UploadedDeck.owner_id == owner_id, UploadedDeck.deck_id == deck_id)
    )
    return parse_deck(row.source, row.deck_id, _vocabulary) if row else None


def upload(owner_id: int, source: str, filename: str) -> Deck:
    """Check an uploaded deck file and keep it for its owner (replacing their earlier one of that id)."""
    deck = parse_deck(source, filename, _vocabulary)
    if deck.id in _shipped:
        raise DeckError([Problem(filename, None, "id", f"{deck.id!r} is the id of a shipped deck; choose another")])
    row = db.session.scalar(
        select(UploadedDeck).where(UploadedDeck.owner_id == owner_id, UploadedDeck.deck_id == deck.id)
    )
    if row is None:
        row = UploadedDeck(owner_id=owner_id, deck_id=deck.id, source=source)
        db.session.add(row)
    row.source = source
    db.session.commit()
    return deck
