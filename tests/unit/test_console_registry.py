"""Every registered question kind has a renderer on the console and a label to name it by."""

from __future__ import annotations

import re
from pathlib import Path

from workshop import kinds

ROOT = Path(__file__).resolve().parents[2]


def test_every_kind_has_a_console_renderer_and_a_label():
    source = (ROOT / "static" / "js" / "console-kinds.js").read_text(encoding="utf-8")
    registry = re.search(r"W\.consoleKinds = \{([^}]*)\}", source)
    assert registry, "console-kinds.js registers W.consoleKinds = { … }"
    renderers = {name.strip() for name in registry.group(1).split(",")}
    assert set(kinds.KINDS) == renderers
    # kind_names() and the exports translate the label: an empty msgid would show the catalogue header
    assert all(k.label for k in kinds.KINDS.values())


def test_the_kind_names_are_the_registry_labels_in_the_users_language(app):
    from workshop.views.context import kind_names

    with app.test_request_context("/?lang=en"):
        assert kind_names() == {name: k.label for name, k in kinds.KINDS.items()}
    with app.test_request_context("/?lang=da"):
        danish = kind_names()
    assert set(danish) == set(kinds.KINDS)
    assert danish["choice"] == "Valg" and danish["text"] == "Åben tekst"
