"""Pure: one CSV row per vote, UTF-8 with a byte order mark so Excel reads Danish letters.

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

from .labels import labels
from .snapshot import Snapshot, naive_utc, printable

BOM = "\ufeff"
VALUE_SEPARATOR = "; "
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# C0 controls other than tab/newline/carriage return, and lone surrogates (not encodable).
def cell(text: str | None) -> str:
    if not text:
        return ""
    text = printable(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def header(s: Snapshot) -> list[str]:
    L = labels(s.language)
    cols = [L["participant"]]
    if s.show_names:
        cols.append(L["name"])
    return cols + [L["dilemma_id"], L["dilemma"], L["option_id"], L["option"], L["values"],
                   L["reason"], L["time_utc"]]


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
    writer = csv.writer(out, lineterminator="\r\n")
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
    return out.getvalue()
