"""Pure: one CSV row per answer, UTF-8 with a byte order mark so Excel reads Danish letters, and
separated by ";" for a Danish session (a Danish Excel splits on ";", the decimal comma's list
separator) or "," for an English one. After the answers, the agreements register follows as rows
of its own (see docs/export.md).

Columns (headers in the session's language), in this order:
participant pseudonym, [name: only when the session was run with names shown], dilemma id,
dilemma title, kind, round, option id (the kind's key: option id or scale point), option (its
label), answer (the value itself: option id, scale point or the text), values (labels,
"; "-separated), reason, time (UTC). An answer of a round under the anonymity minimum keeps only
who (pseudonym), where, when: its option, answer, values and reason are left empty.

Any text cell that a spreadsheet would take for a formula (it starts with = + - @, a tab or a
carriage return) is prefixed with an apostrophe, the usual guard against CSV injection; the JSON
export keeps the texts exactly as given.
"""

from __future__ import annotations

import csv
import io

from .. import kinds
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
    return cols + [
        _("Dilemma id"),
        _("Dilemma"),
        _("Kind"),
        _("Round"),
        _("Option id"),
        _("Option"),
        _("Answer"),
        _("Values"),
        _("Reason"),
        _("Time (UTC)"),
    ]


def agreement_header(s: Snapshot) -> list[str]:
    _ = gettext(s.language)
    return [_("Agreement"), _("Dilemma id"), _("Dilemma"), _("Values"), _("Owner"), _("Due")]


def render(s: Snapshot) -> str:
    _ = gettext(s.language)
    # Everything a row needs from the deck, looked up once rather than per answer.
    dilemmas = {d.id: d for d in s.deck.dilemmas}
    titles = {d.id: cell(s.t(d.title)) for d in s.deck.dilemmas}
    kind_names = {d.id: _(kinds.of(d).label) for d in s.deck.dilemmas}
    labels = {(d.id, r.key): cell(r.label) for d in s.deck.dilemmas for r in kinds.of(d).rows(d, {}, s.language)}
    served: dict[tuple[str, object], str] = {}

    def values_of(d, value) -> str:
        key = (d.id, value if isinstance(value, (str, int)) else repr(value))
        if key not in served:
            served[key] = cell(VALUE_SEPARATOR.join(s.value_label(v) for v in kinds.of(d).served(d, value)))
        return served[key]

    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=delimiter(s.language), lineterminator="\r\n")
    writer.writerow(header(s))
    for r, visible in s.answer_rows():
        d = dilemmas.get(r.dilemma_id)
        row = [r.pseudonym]
        if s.show_names:
            row.append(cell(r.name))
        row += [r.dilemma_id, titles.get(r.dilemma_id) or cell(r.dilemma_id), kind_names.get(r.dilemma_id, ""), r.round]
        if visible and not r.hidden and d is not None:
            key = r.option_id or ""
            row += [key, labels.get((d.id, key), ""), cell(str(r.value)), values_of(d, r.value), cell(r.reason)]
        else:
            row += ["", "", "", "", ""]
        row.append(naive_utc(r.time).isoformat(sep=" ", timespec="seconds"))
        writer.writerow(row)
    if s.agreements:
        # The register after one empty row, with a header row of its own.
        writer.writerow([])
        writer.writerow(agreement_header(s))
        for a in s.agreements:
            writer.writerow(
                [
                    cell(a.text),
                    a.dilemma_id or "",
                    cell(s.title_of(a.dilemma_id)),
                    cell(VALUE_SEPARATOR.join(s.value_label(v) for v in a.values)),
                    cell(a.owner),
                    a.due.isoformat() if a.due else "",
                ]
            )
    return out.getvalue()
