"""Pure: the session notes as a Markdown document in the session's language.

Every user text (title, reasons, notes, agreements, names) goes through `text()`, so it stays
text in any Markdown renderer: no raw HTML, no links or images, no headings, lists, quotes,
tables or code blocks of its own.
"""

from __future__ import annotations

import re

from ..tally import text_bar
from .outline import outline
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


def _table(head: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> list[str]:
    out = [
        "| " + " | ".join(head) + " |",
        "|" + "|".join("---:" if i in right else "---" for i in range(len(head))) + "|",
    ]
    return out + ["| " + " | ".join(r) + " |" for r in rows] + [""]


def _summary(s: Snapshot, o, _) -> list[str]:
    """The summary page's content: overview, most divided, value profile, agreements."""
    out = [f"## {_('Overview')}", ""]
    if o.overview:
        out += _table(
            ["#", _("Dilemma"), _("Kind"), _("Answers"), _("Spread"), _("Changed their mind"), _("Role split")],
            [
                [
                    str(x.n),
                    inline(x.title),
                    x.kind,
                    x.answers,
                    x.spread or "–",
                    "–" if x.moved is None else str(x.moved),
                    inline(x.roles) or "–",
                ]
                for x in o.overview
            ],
            right={0, 3, 4, 5},
        )
        if any(x.suppressed for x in o.overview):
            out += [f"*{_('Dilemmas with fewer answers than the minimum show only how many answered.')}*", ""]
    out += [f"### {_('Where the room was most divided')}", ""]
    if o.ranked:
        out += [f"{k}. {inline(x.title)}: {x.spread}" for k, x in enumerate(o.ranked, 1)] + [""]
    else:
        out += [_("No answers were given."), ""]
    out += [f"## {_('Value profile')}", ""]
    if o.profile:
        top = o.profile[0][2]
        for _value, label, n, share in o.profile:
            out.append(f"- {inline(label)}: {n} ({share} %) `{text_bar(round(n * 100 / top), 10)}`")
    else:
        out.append(_("No answers were given."))
    out += ["", f"## {_('Agreements')}", ""]
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
    return out


def _rows(r, _) -> list[str]:
    return _table(
        [_("Answer"), _("Count"), "%", ""],
        [[inline(row.label), str(row.n), f"{row.share} %", f"`{text_bar(row.share)}`"] for row in r.rows],
        right={1, 2},
    )


def _round(sec, r, o, _) -> list[str]:
    out = [f"### {r.heading}", ""] if r.heading else []
    out += [f"{_('Answers in all')}: {r.total}", ""]
    if r.suppressed:
        return out + [f"*{o.suppressed_text}*", ""]
    if r.rows:
        out += _rows(r, _)
    if r.figures:
        out += [" · ".join(f"**{label}:** {value}" for label, value, _raw in r.figures), ""]
    facts = []
    if r.spread:
        facts.append(f"{_('Spread')}: {r.spread}")
    if r.moved_text:
        facts.append(f"**{r.moved_text}**")
    if facts:
        out += [" · ".join(facts), ""]
    if r.words:
        out += [f"**{_('Most used words')}:** " + ", ".join(f"{inline(w)} ({n})" for w, n in r.words), ""]
    if r.by_role and r.rows:
        out += [f"**{_('Role split')}**", ""]
        out += _table(
            [_("Role"), _("Answers")] + [inline(row.label) for row in r.rows],
            [[role, str(n)] + [f"{row.n} ({row.share} %)" for row in rows] for role, n, rows in r.by_role],
            right=set(range(1, 2 + len(r.rows))),
        )
    if r.texts:
        out += [f"**{sec.texts_heading}**", ""]
        for _key, label, texts in r.texts:
            if label:
                out += [f"*{inline(label)}*", ""]
            out += [f"- {inline(t)}" for t in texts] + [""]
    return out


def render(s: Snapshot) -> str:
    _ = gettext(s.language)
    o = outline(s)
    out = [f"# {inline(s.title)}", ""]
    out += [
        f"- **{_('Date')}:** {s.created_at:%Y-%m-%d}",
        f"- **{_('Deck')}:** {inline(s.t(s.deck.title))}",
        f"- **{_('Participants')}:** {s.participants}",
        f"- **{_('Code')}:** {inline(s.code)}",
        "",
    ]
    if s.phase != "ended":
        out += [f"*{_('Snapshot so far: the session was still running when these notes were exported.')}*", ""]
    out += _summary(s, o, _)
    for sec in o.sections:
        out += [f"## {sec.n}. {inline(sec.title)}", "", f"*{sec.kind}*", "", "\n".join(text(sec.text)), ""]
        out += [f"**{inline(sec.question)}**", ""]
        if sec.frame:
            out += [f"**{_('Frame (for the facilitator)')}**", "", _quote(sec.frame), ""]
        for r in sec.rounds:
            out += _round(sec, r, o, _)
        if sec.note:
            out += ["### " + _("Facilitator's notes"), "", _quote(sec.note), ""]
    gathered = [sec for sec in o.sections if sec.note]
    out += [f"## {_('All notes')}", ""]
    if gathered:
        for sec in gathered:
            out += [f"**{inline(sec.title)}**", "", _quote(sec.note), ""]
    else:
        out += [_("No notes."), ""]
    out += ["---", f"{_('Exported')} {s.exported_at:%Y-%m-%d %H:%M} UTC", ""]
    return "\n".join(out)
