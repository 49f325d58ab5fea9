"""Every registered question kind has a name on the facilitator's pages and a renderer on the console."""

from __future__ import annotations

import re
from pathlib import Path

from workshop import kinds

ROOT = Path(__file__).resolve().parents[2]


def test_every_kind_has_a_console_renderer_and_a_name(app):
    from workshop.views.context import kind_names

    source = (ROOT / "static" / "js" / "console-kinds.js").read_text(encoding="utf-8")
    registry = re.search(r"W\.consoleKinds = \{([^}]*)\}", source)
    assert registry, "console-kinds.js registers W.consoleKinds = { … }"
    renderers = {name.strip() for name in registry.group(1).split(",")}
    with app.test_request_context():
        names = kind_names()
    assert set(kinds.KINDS) == renderers == set(names)
