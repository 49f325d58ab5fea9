"""Question kinds: one module per kind, one registry. The rest of the code asks the registry.

A kind owns how a deck declares it (`check`), what a DILEMMA carries for it (`payload`),
which answers it takes (`parse`), what a phone sees of its own answer (`mine`), how answers
tally (`tally`), which values an answer served (`served`), how it is grouped for reasons and
for "who moved" (`key`), how a facilitator adds one live (`adhoc`) and the rows of its export
section (`rows`). Adding a kind: a module here, a renderer in static/js/kinds/, one line below.
See docs/architecture.md.
"""

from __future__ import annotations

from ..domain import Dilemma, WorkshopError
from . import choice, scale, text
from .base import Kind

KINDS: dict[str, Kind] = {k.name: k for k in (choice.KIND, scale.KIND, text.KIND)}


def of(dilemma: Dilemma) -> Kind:
    return KINDS[dilemma.kind]


def named(name) -> Kind:
    if not isinstance(name, str) or name not in KINDS:
        raise WorkshopError("invalid_request", f"kind must be one of {', '.join(KINDS)}")
    return KINDS[name]


__all__ = ["KINDS", "Kind", "of", "named"]
