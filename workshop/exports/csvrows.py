"""Pure: one CSV row per vote, UTF-8 with a byte order mark so Excel reads Danish letters, and
separated by ";" for a Danish session (a Danish Excel splits on ";", the decimal comma's list
separator) or "," for an English one. After the votes, the agreements register follows as rows
of its own (see docs/export.md).

Columns (headers in the session's language), in this order:
participant pseudonym, [name: only when the session was run with names shown], dilemma id,
dilemma title, option id, option label, values (labels, "; "-separated), reason, time (UTC).

Any text cell that a spreadsheet would take for a formula (it starts with = + - @, a tab or a
carriage return) is prefixed with an apostrophe, the usual guard against CSV injection; the JSON
export keeps the texts exactly as given.
"""

from __future__ import annotations

import csv
import io

from .snapshot import Snapshot, naive_utc, printable
from .words import gettext

BOM = "\ufeff"
VALUE_SEPARATOR = "; "
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def delimiter(language: str) -> str:
    """The list separator a spreadsheet in that language splits a CSV file on."""
    return "," if language == "en" else ";"


def cell(text: str | None) -> str:
    if not text:
        return ""
    text = printable(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def header(s: Snapshot) -> list[str]:
    _ = gettext(s.language)
    cols = [_("Participant")]
    if s.show_names:
        cols.append(_("Name"))
    return cols + [_("Dilemma id"), _("Dilemma"), _("Option id"), _("Option"), _("Values"),
                   _("Reason"), _("Time (UTC)")]


def agreement_header(s: Snapshot) -> list[str]:
    _ = gettext(s.language)
    return [_("Agreement"), _("Dilemma id"), _("Dilemma"), _("Values"), _("Owner"), _("Due")]


def render(s: Snapshot) -> str:
    # Everything a row needs from the deck, looked up once rather than per vote.
    titles = {d.id: cell(s.t(d.title)) for d in s.deck.dilemmas}
    option_text: dict[tuple[str, str], tuple[str, str]] = {}
    for d in s.deck.dilemmas:
        for o in d.options:
            option_text[d.id, o.id] = (
                cell(s.t(o.label)),
                cell(VALUE_SEPARATOR.join(s.value_label(v) for v in o.values)),
            )
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=delimiter(s.language), lineterminator="\r\n")
    writer.writerow(header(s))
    for r in s.responses:
        title = titles.get(r.dilemma_id) or cell(r.dilemma_id)
        label, values = option_text.get((r.dilemma_id, r.option_id), (cell(r.option_id), ""))
        row = [r.pseudonym]
        if s.show_names:
            row.append(cell(r.name))
        row += [r.dilemma_id, title, r.option_id, label, values, cell(r.reason),
                naive_utc(r.time).isoformat(sep=" ", timespec="seconds")]
        writer.writerow(row)
    if s.agreements:
        # The register after one empty row, with a header row of its own.
        writer.writerow([])
        writer.writerow(agreement_header(s))
        for a in s.agreements:
            writer.writerow([
                cell(a.text), a.dilemma_id or "", cell(s.title_of(a.dilemma_id)),
                cell(VALUE_SEPARATOR.join(s.value_label(v) for v in a.values)), cell(a.owner),
                a.due.isoformat() if a.due else "",
            ])
    return out.getvalue()
