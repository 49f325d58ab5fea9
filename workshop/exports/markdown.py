"""Pure: the session notes as a Markdown document in the session's language."""

from __future__ import annotations

from ..tally import text_bar
from .labels import labels
from .snapshot import Snapshot


def _quote(text: str) -> str:
    return "\n".join("> " + line for line in text.splitlines() or [""])


def render(s: Snapshot) -> str:
    L = labels(s.language)
    out = [f"# {s.title}", ""]
    out += [
        f"- **{L['date']}:** {s.created_at:%Y-%m-%d}",
        f"- **{L['deck']}:** {s.t(s.deck.title)}",
        f"- **{L['participants']}:** {s.participants}",
        f"- **{L['code']}:** {s.code}",
        "",
    ]
    for i, d in enumerate(s.deck.dilemmas, 1):
        counts, shares, reasons = s.counts(d), s.shares(d), s.reasons(d)
        total = sum(counts.values())
        out += [f"## {i}. {s.t(d.title)}", "", s.t(d.text), "", f"**{s.t(d.question)}**", ""]
        out += [f"| {L['option']} | {L['votes']} | % | |", "|---|---:|---:|---|"]
        for o in d.options:
            label = s.t(o.label).replace("|", "\\|")
            out.append(f"| {label} | {counts[o.id]} | {shares[o.id]} % | `{text_bar(shares[o.id])}` |")
        out += ["", f"{L['answers']}: {total}", ""]
        if any(reasons.values()):
            out += [f"### {L['reasons']}", ""]
            for o in d.options:
                if reasons[o.id]:
                    out += [f"**{s.t(o.label)}**", ""]
                    out += [f"- {r}" for r in reasons[o.id]]
                    out.append("")
        note = s.notes.get(d.id, "").strip()
        if note:
            out += [f"### {L['notes']}", "", _quote(note), ""]
    profile = s.profile()
    out += [f"## {L['profile']}", ""]
    if profile:
        top = profile[0][1]
        for value_id, n in profile:
            out.append(f"- {s.value_label(value_id)}: {n} `{text_bar(round(n * 100 / top), 10)}`")
    else:
        out.append(L["no_votes"])
    out.append("")
    gathered = [(d, s.notes.get(d.id, "").strip()) for d in s.deck.dilemmas]
    gathered = [(d, n) for d, n in gathered if n]
    out += [f"## {L['all_notes']}", ""]
    if gathered:
        for d, n in gathered:
            out += [f"**{s.t(d.title)}**", "", _quote(n), ""]
    else:
        out += [L["no_notes"], ""]
    out += ["---", f"{L['exported']} {s.exported_at:%Y-%m-%d %H:%M} UTC", ""]
    return "\n".join(out)
