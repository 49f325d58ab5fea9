"""Pure: the session notes as a printable HTML report (A4, inline SVG charts, no script).

The markup is templates/exports/report.html (autoescaped Jinja, words from the catalogue in the
session's language); this module only works out what the template shows. The browser's
"print / save as PDF" turns it into a clean PDF: every dilemma starts on a new page, and the
charts are drawn in black, grey and white so they read on a black-and-white printer.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from . import templating
from .outline import outline
from .snapshot import Snapshot, printable
from .words import gettext, long_date


def _css_string(text: str) -> Markup:
    """A CSS string literal: everything but letters and digits as a hex escape.

    The space after each escape ends it (and is consumed), so "<" cannot close the style element
    and a quote cannot end the string."""
    return Markup('"' + "".join(c if c.isalnum() else f"\\{ord(c):x} " for c in printable(text)) + '"')


def _page_css(_) -> Markup:
    """The page counter text: the catalogue's words as CSS strings, counters in between."""
    pieces = re.split(r"(%\(page\)s|%\(pages\)s)", _("Page %(page)s of %(pages)s"))
    return Markup(
        " ".join(
            "counter(page)" if p == "%(page)s" else "counter(pages)" if p == "%(pages)s" else _css_string(p)
            for p in pieces
            if p
        )
    )


def profile_chart(rows: list[tuple[str, str, int, int]]) -> dict | None:
    """The geometry of the value profile chart. rows: (value id, label, count, share %), most first."""
    if not rows:
        return None
    row_h, bar_h, top, width, text_w = 27, 16, 4, 680, 100
    longest = max(len(label) for _, label, _, _ in rows)
    label_w = min(340, max(120, int(longest * 7) + 14))
    bar_w = width - label_w - text_w
    most = max(n for _, _, n, _ in rows) or 1
    return {
        "width": width,
        "height": top * 2 + row_h * len(rows),
        "label_w": label_w,
        "bar_w": bar_w,
        "bar_h": bar_h,
        "rows": [
            {
                "value": value,
                "label": label,
                "n": n,
                "share": share,
                "w": bar_w * n / most,
                "bar_y": top + i * row_h + (row_h - bar_h) / 2,
                "text_y": top + i * row_h + row_h / 2 + 4.5,
            }
            for i, (value, label, n, share) in enumerate(rows)
        ],
    }


def render(s: Snapshot) -> str:
    _ = gettext(s.language)
    date = long_date(s.created_at, s.language)
    o = outline(s)
    text = templating.render(
        "exports/report.html",
        s.language,
        title=printable(s.title),
        date=date,
        deck_title=s.t(s.deck.title),
        participants=s.participants,
        code=s.code,
        live=s.phase != "ended",
        footer_css=_css_string(f"{s.title} · {date}"),
        page_css=_page_css(_),
        o=o,
        profile=profile_chart(list(o.profile)),
        agreements=[
            {
                "id": a.id,
                "text": a.text,
                "dilemma": s.title_of(a.dilemma_id),
                "value_labels": ", ".join(s.value_label(v) for v in a.values),
                "owner": a.owner or "",
                "due": a.due.isoformat() if a.due else "",
            }
            for a in s.agreements
        ],
        exported=f"{s.exported_at:%Y-%m-%d %H:%M}",
    )
    # Control characters no HTML may hold, from any text (user text or deck), in one place.
    return printable(text)
