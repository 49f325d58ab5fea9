"""Pure: the session notes as a printable HTML report (A4, inline SVG charts, no script).

The browser's "print / save as PDF" turns it into a clean PDF: every dilemma starts on a new
page, and the charts are drawn in black, grey and white so they read on a black-and-white
printer. Every text from a user (titles, reasons, notes) is escaped.
"""

from __future__ import annotations

import re
from datetime import datetime
from html import escape

from .labels import labels
from .snapshot import Snapshot, printable

# C0 controls other than tab/newline/carriage return, and lone surrogates (not encodable).

CSS = """
@page {
  size: A4;
  margin: 18mm 17mm 20mm 17mm;
  @bottom-left { content: %(footer)s; font: 7.5pt/1.2 %(font)s; color: #444; }
  @bottom-right { content: %(page)s; font: 7.5pt/1.2 %(font)s; color: #444; }
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  margin: 0; color: #111; background: #fff;
  font: 10.5pt/1.45 %(font)s;
  -webkit-font-smoothing: antialiased;
}
main { max-width: 176mm; margin: 0 auto; }
h1, h2, h3, h4 { line-height: 1.2; margin: 0; break-after: avoid; page-break-after: avoid;
                 break-inside: avoid; page-break-inside: avoid; }
h1 { font-size: 24pt; font-weight: 700; letter-spacing: -0.01em; margin: 2mm 0 6mm; }
h2 { font-size: 16pt; font-weight: 700; margin: 0 0 4mm; }
h3 { font-size: 11.5pt; font-weight: 700; margin: 7mm 0 2.5mm; padding-bottom: 1mm;
     border-bottom: 0.6pt solid #111; }
h4 { font-size: 10pt; font-weight: 700; margin: 4mm 0 1.5mm; }
p { margin: 0 0 3mm; }
.kicker { font-size: 8.5pt; font-weight: 700; letter-spacing: 0.08em; text-transform: uppercase;
          color: #444; margin: 0 0 1.5mm; }
.cover { padding-top: 6mm; }
.cover h1 { padding-bottom: 5mm; border-bottom: 2pt solid #111; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 1.5mm 8mm; margin: 0 0 8mm; }
dl.meta dt { font-weight: 700; }
dl.meta dd { margin: 0; }
.live { border: 1pt solid #111; border-left-width: 4pt; padding: 2.5mm 4mm; margin: 0 0 8mm;
        font-weight: 600; }
table { border-collapse: collapse; width: 100%%; }
th { text-align: left; font-size: 8.5pt; font-weight: 700; text-transform: uppercase;
     letter-spacing: 0.04em; color: #333; padding: 1.5mm 2mm; border-bottom: 1pt solid #111; }
td { padding: 2mm; vertical-align: top; border-bottom: 0.4pt solid #999; }
th.num, td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tfoot td { border-bottom: none; border-top: 1pt solid #111; font-weight: 700; }
table.overview td.n { width: 8mm; color: #444; }
.letter { display: inline-block; min-width: 5.5mm; padding: 0.3mm 1.2mm; margin-right: 1.5mm;
          border: 0.8pt solid #111; border-radius: 1mm; font-weight: 700; font-size: 8.5pt;
          text-align: center; }
section.dilemma, section.profile { break-before: page; page-break-before: always; }
.situation { font-size: 10.5pt; max-width: 160mm; }
.question { font-weight: 700; font-size: 11.5pt; margin: 4mm 0 5mm; }
table.results { break-inside: avoid; page-break-inside: avoid; }
table.results td.label { width: auto; }
table.results td.bar { width: 47mm; padding-top: 2.6mm; }
table.results tr.top td.label { font-weight: 600; }
table.results svg { display: block; }
.values { font-size: 8.5pt; color: #444; margin-top: 0.8mm; font-weight: 400; }
.answered { font-size: 9pt; color: #333; margin-top: 2mm; }
.empty { font-style: italic; color: #333; }
ul.reasons { margin: 0; padding: 0; list-style: none; }
ul.reasons li { break-inside: avoid; page-break-inside: avoid; padding: 0.4mm 0 0.4mm 3.5mm;
                border-left: 1.2pt solid #999; margin: 0 0 1.6mm; white-space: pre-wrap; font-size: 10pt; }
.reason-group h4 { font-weight: 600; }
.note-text { white-space: pre-wrap; border: 0.6pt solid #111; padding: 3mm 4mm; }
.profile svg { display: block; width: 100%%; height: auto; margin: 4mm 0; }
.all-notes { margin-top: 12mm; }
table.overview td { padding-top: 1.6mm; padding-bottom: 1.6mm; }
table.overview td:last-child { width: 66mm; max-width: 66mm; }
.snippet { font-size: 8.5pt; color: #444; white-space: nowrap; overflow: hidden;
           text-overflow: ellipsis; max-width: 66mm; }
.all-notes .note-text { margin-bottom: 4mm; }
footer { margin-top: 10mm; font-size: 8pt; color: #444; }
@media screen {
  body { background: #e9e9e9; }
  main { background: #fff; padding: 16mm 17mm; margin: 8mm auto; max-width: 210mm;
         box-shadow: 0 1px 4px rgba(0,0,0,.25); }
  section.dilemma, section.profile { margin-top: 14mm; padding-top: 10mm; border-top: 2pt solid #111; }
}
"""

FONT = '"Segoe UI", "Helvetica Neue", Helvetica, Arial, "Liberation Sans", "DejaVu Sans", sans-serif'


def esc(text) -> str:
    return escape(printable(str(text)), quote=True)


def _css_string(text: str) -> str:
    """A CSS string literal: everything but letters and digits as a hex escape.

    The space after each escape ends it (and is consumed), so "<" cannot close the style element
    and a quote cannot end the string."""
    return '"' + "".join(c if c.isalnum() else f"\\{ord(c):x} " for c in printable(text)) + '"'


def _letter(i: int) -> str:
    return chr(ord("A") + i) if i < 26 else str(i + 1)


def long_date(dt: datetime, L: dict) -> str:
    month = L["months"].split()[dt.month - 1]
    return L["date_long"].format(day=dt.day, month=month, year=dt.year)



def bar_svg(share: int, label: str) -> str:
    """One horizontal bar: an outlined track, filled dark grey to `share` per cent."""
    width = round(share, 1)
    fill = f'<rect class="fill" x="0.5" y="0.5" width="{width * 0.99:.2f}" height="9" fill="#333"/>' if share else ""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="45mm" height="4.5mm" viewBox="0 0 100 10" '
        f'role="img" aria-label="{esc(label)}" data-share="{share}">'
        '<rect class="track" x="0.5" y="0.5" width="99" height="9" fill="#fff" stroke="#111" stroke-width="0.6"/>'
        f"{fill}</svg>"
    )


def profile_svg(rows: list[tuple[str, str, int, int]], L: dict) -> str:
    """The value profile as a bar chart: label, bar scaled to the largest, count and share.

    rows: (value id, label, count, share of answers in per cent), most first."""
    row_h, bar_h, top = 27, 16, 4
    longest = max((len(label) for _, label, _, _ in rows), default=10)
    label_w = min(340, max(120, int(longest * 7) + 14))
    text_w = 100
    width = 680
    bar_w = width - label_w - text_w
    most = max((n for _, _, n, _ in rows), default=1) or 1
    height = top * 2 + row_h * len(rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{esc(L["profile"])}" '
        'font-size="13" fill="#111">'
    ]
    for i, (value_id, label, n, share) in enumerate(rows):
        y = top + i * row_h
        w = bar_w * n / most
        parts.append(
            f'<g class="value-row" data-value="{esc(value_id)}" data-count="{n}" data-share="{share}">'
            f'<text class="label" x="{label_w - 10}" y="{y + row_h / 2 + 4.5:.1f}" text-anchor="end">{esc(label)}</text>'
            f'<rect class="track" x="{label_w}" y="{y + (row_h - bar_h) / 2:.1f}" width="{bar_w}" '
            f'height="{bar_h}" fill="#fff" stroke="#111" stroke-width="0.8"/>'
            f'<rect class="fill" x="{label_w}" y="{y + (row_h - bar_h) / 2:.1f}" width="{w:.1f}" '
            f'height="{bar_h}" fill="#333"/>'
            f'<text class="count" x="{label_w + bar_w + 8}" y="{y + row_h / 2 + 4.5:.1f}" font-weight="700">'
            f'{n} <tspan font-weight="400">({share} %)</tspan></text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def render(s: Snapshot) -> str:
    L = labels(s.language)
    counts = {d.id: s.counts(d) for d in s.deck.dilemmas}
    reasons = {d.id: s.reasons(d) for d in s.deck.dilemmas}
    n_dilemmas = len(s.deck.dilemmas)
    date = long_date(s.created_at, L)
    live = s.phase != "ended"
    # The page counter text: literal parts as CSS strings, counters in between.
    pieces = re.split(r"(\{page\}|\{pages\})", L["page"])
    page_css = " ".join(
        "counter(page)" if p == "{page}" else "counter(pages)" if p == "{pages}" else _css_string(p)
        for p in pieces if p
    )
    css = CSS % {"font": FONT, "footer": _css_string(f"{s.title} · {date}"), "page": page_css}

    out = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(s.language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(s.title)} · {esc(L['report'])}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        "<main>",
        '<header class="cover">',
        f'<p class="kicker">{esc(L["report"])}</p>',
        f"<h1>{esc(s.title)}</h1>",
        '<dl class="meta">',
        f"<dt>{esc(L['date'])}</dt><dd>{esc(date)}</dd>",
        f"<dt>{esc(L['deck'])}</dt><dd>{esc(s.t(s.deck.title))}</dd>",
        f'<dt>{esc(L["participants"])}</dt><dd class="participants">{s.participants}</dd>',
        f"<dt>{esc(L['code'])}</dt><dd>{esc(s.code)}</dd>",
        f"<dt>{esc(L['status'])}</dt><dd>{esc(L['status_live'] if live else L['status_ended'])}</dd>",
        "</dl>",
    ]
    if live:
        out.append(f'<p class="live">{esc(L["live"])}</p>')

    # Overview: one line per dilemma.
    out += [
        f"<h2>{esc(L['overview'])}</h2>",
        '<table class="overview">',
        f'<thead><tr><th>#</th><th>{esc(L["dilemma"])}</th><th class="num">{esc(L["answers"])}</th>'
        f"<th>{esc(L['most_chosen'])}</th></tr></thead><tbody>",
    ]
    for i, d in enumerate(s.deck.dilemmas):
        c = counts[d.id]
        total = sum(c.values())
        shares = s.shares(d)
        if total:
            top = max(c.values())
            best = ", ".join(_letter(j) for j, o in enumerate(d.options) if c[o.id] == top)
            first = next(o for o in d.options if c[o.id] == top)
            most = f'<span class="letter">{best}</span><b>{shares[first.id]} %</b>'
            if best == _letter(d.options.index(first)):  # no tie: name the option
                most += f'<div class="snippet">{esc(s.t(first.label))}</div>'
        else:
            most = "–"
        out.append(
            f'<tr data-dilemma="{esc(d.id)}"><td class="n">{i + 1}</td><td>{esc(s.t(d.title))}</td>'
            f'<td class="num">{total}</td><td>{most}</td></tr>'
        )
    out.append("</tbody></table>")
    out.append("</header>")

    for i, d in enumerate(s.deck.dilemmas):
        c = counts[d.id]
        total = sum(c.values())
        shares = s.shares(d)
        top = max(c.values(), default=0)
        out += [
            f'<section class="dilemma" id="dilemma-{esc(d.id)}" data-dilemma="{esc(d.id)}">',
            f'<p class="kicker">{esc(L["dilemma_of"].format(n=i + 1, count=n_dilemmas))}</p>',
            f"<h2>{esc(s.t(d.title))}</h2>",
            f'<p class="situation">{esc(s.t(d.text))}</p>',
            f'<p class="question">{esc(s.t(d.question))}</p>',
            '<table class="results">',
            f'<thead><tr><th>{esc(L["option"])}</th><th>{esc(L["distribution"])}</th>'
            f'<th class="num">{esc(L["votes"])}</th><th class="num">%</th></tr></thead><tbody>',
        ]
        for j, o in enumerate(d.options):
            label = s.t(o.label)
            values = ", ".join(s.value_label(v) for v in o.values)
            cls = ' class="top"' if total and c[o.id] == top else ""
            out.append(
                f'<tr data-option="{esc(o.id)}"{cls}>'
                f'<td class="label"><span class="letter">{_letter(j)}</span>{esc(label)}'
                + (f'<div class="values">{esc(L["values"])}: {esc(values)}</div>' if values else "")
                + "</td>"
                f'<td class="bar">{bar_svg(shares[o.id], f"{_letter(j)}: {c[o.id]}, {shares[o.id]} %")}</td>'
                f'<td class="num votes">{c[o.id]}</td><td class="num pct">{shares[o.id]} %</td></tr>'
            )
        out += [
            "</tbody>",
            f'<tfoot><tr><td>{esc(L["answers"])}</td><td></td><td class="num total">{total}</td>'
            f'<td class="num">{100 if total else 0} %</td></tr></tfoot>',
            "</table>",
            f'<p class="answered">{esc(L["answered_of"].format(total=total, participants=s.participants))}</p>',
        ]
        if not total:
            out.append(f'<p class="empty">{esc(L["no_answers_dilemma"])}</p>')
        grouped = reasons[d.id]
        if any(grouped.values()):
            out += ['<section class="reasons">', f"<h3>{esc(L['reasons'])}</h3>"]
            for j, o in enumerate(d.options):
                if grouped[o.id]:
                    out += [
                        f'<div class="reason-group" data-option="{esc(o.id)}">',
                        f'<h4><span class="letter">{_letter(j)}</span>{esc(s.t(o.label))} '
                        f"({len(grouped[o.id])})</h4>",
                        '<ul class="reasons">',
                        *(f'<li class="reason">{esc(r)}</li>' for r in grouped[o.id]),
                        "</ul></div>",
                    ]
            out.append("</section>")
        note = (s.notes.get(d.id) or "").strip()
        if note:
            out += [
                '<section class="note">',
                f"<h3>{esc(L['notes'])}</h3>",
                f'<div class="note-text" data-dilemma="{esc(d.id)}">{esc(note)}</div>',
                "</section>",
            ]
        out.append("</section>")

    # The value profile, over the whole session.
    votes = sum(sum(c.values()) for c in counts.values())
    out += ['<section class="profile">', f"<h2>{esc(L['profile'])}</h2>"]
    profile = s.profile()
    if profile:
        rows = [(v, s.value_label(v), n, round(n * 100 / votes)) for v, n in profile]
        out += [f"<p>{esc(L['profile_intro'])}</p>", profile_svg(rows, L)]
    else:
        out.append(f'<p class="empty">{esc(L["no_votes"])}</p>')
    out.append("</section>")

    gathered = [(i, d, (s.notes.get(d.id) or "").strip()) for i, d in enumerate(s.deck.dilemmas)]
    gathered = [(i, d, n) for i, d, n in gathered if n]
    out += ['<section class="all-notes">', f"<h2>{esc(L['all_notes'])}</h2>"]
    if gathered:
        for i, d, n in gathered:
            out += [f"<h4>{i + 1}. {esc(s.t(d.title))}</h4>", f'<div class="note-text">{esc(n)}</div>']
    else:
        out.append(f'<p class="empty">{esc(L["no_notes"])}</p>')
    out.append("</section>")
    out += [
        f"<footer>{esc(L['exported'])} {s.exported_at:%Y-%m-%d %H:%M} UTC</footer>",
        "</main>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(out)
