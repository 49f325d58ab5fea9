"""Pure: the session notes as a Markdown document in the session's language.

Every user text (title, reasons, notes, agreements, names) goes through `text()`, so it stays
text in any Markdown renderer: no raw HTML, no links or images, no headings, lists, quotes,
tables or code blocks of its own.
"""

from __future__ import annotations

import re

from ..tally import text_bar
from .snapshot import Snapshot, printable
from .words import gettext

# Characters with a meaning anywhere in a line (CommonMark inlines, GFM tables and strikethrough).
_INLINE = re.compile(r"([\\`*_\[\]<>!|~&#])")
# What starts a block at the beginning of a line: headings, quotes, list markers, thematic breaks
# and setext underlines, ordered-list numbers ("1." / "1)").
_BLOCK_START = re.compile(r"^([>+\-=]|\d+(?=[.)]))")


def text(value: str | None) -> list[str]:
    """User text as lines of literal Markdown text (backslash escapes, CommonMark 2.4)."""
    value = printable(value).strip()
    lines = []
    for line in value.splitlines():
        line = _INLINE.sub(r"\\\1", line.strip())  # leading spaces would make a code block
        line = _BLOCK_START.sub(lambda m: m[0] + "\\" if m[0].isdigit() else "\\" + m[0], line)
        lines.append(line)
    return lines


def inline(value: str | None) -> str:
    """User text on one line (a heading, a list item, a table cell)."""
    return " ".join(line for line in text(value) if line)


def _quote(value: str) -> str:
    return "\n".join("> " + line for line in text(value) or [""])


def render(s: Snapshot) -> str:
    _ = gettext(s.language)
    out = [f"# {inline(s.title)}", ""]
    out += [
        f"- **{_('Date')}:** {s.created_at:%Y-%m-%d}",
        f"- **{_('Deck')}:** {inline(s.t(s.deck.title))}",
        f"- **{_('Participants')}:** {s.participants}",
        f"- **{_('Code')}:** {inline(s.code)}",
        "",
    ]
    for i, d in enumerate(s.deck.dilemmas, 1):
        counts, shares, reasons = s.counts(d), s.shares(d), s.reasons(d)
        total = sum(counts.values())
        out += [
            f"## {i}. {inline(s.t(d.title))}",
            "",
            "\n".join(text(s.t(d.text))),
            "",
            f"**{inline(s.t(d.question))}**",
            "",
        ]
        out += [f"| {_('Option')} | {_('Votes')} | % | |", "|---|---:|---:|---|"]
        for o in d.options:
            out.append(f"| {inline(s.t(o.label))} | {counts[o.id]} | {shares[o.id]} % | `{text_bar(shares[o.id])}` |")
        out += ["", f"{_('Answers in all')}: {total}", ""]
        if any(reasons.values()):
            out += ["### " + _("Participants' reasons"), ""]
            for o in d.options:
                if reasons[o.id]:
                    out += [f"**{inline(s.t(o.label))}**", ""]
                    out += [f"- {inline(r)}" for r in reasons[o.id]]
                    out.append("")
        note = s.notes.get(d.id, "").strip()
        if note:
            out += ["### " + _("Facilitator's notes"), "", _quote(note), ""]
    profile = s.profile()
    out += [f"## {_('Value profile')}", ""]
    if profile:
        top = profile[0][1]
        for value_id, n in profile:
            out.append(f"- {inline(s.value_label(value_id))}: {n} `{text_bar(round(n * 100 / top), 10)}`")
    else:
        out.append(_("No answers were given."))
    out.append("")
    out += [f"## {_('Agreements')}", ""]
    if s.agreements:
        for i, a in enumerate(s.agreements, 1):
            out.append(f"{i}. {inline(a.text)}")
            facts = [
                (_("Dilemma"), inline(s.title_of(a.dilemma_id))),
                (_("Values"), ", ".join(inline(s.value_label(v)) for v in a.values)),
                (_("Owner"), inline(a.owner)),
                (_("Due"), a.due.isoformat() if a.due else ""),
            ]
            out += [f"   - {label}: {value}" for label, value in facts if value]
        out.append("")
    else:
        out += [_("No agreements were recorded."), ""]
    gathered = [(d, s.notes.get(d.id, "").strip()) for d in s.deck.dilemmas]
    gathered = [(d, n) for d, n in gathered if n]
    out += [f"## {_('All notes')}", ""]
    if gathered:
        for d, n in gathered:
            out += [f"**{inline(s.t(d.title))}**", "", _quote(n), ""]
    else:
        out += [_("No notes."), ""]
    out += ["---", f"{_('Exported')} {s.exported_at:%Y-%m-%d %H:%M} UTC", ""]
    return "\n".join(out)
