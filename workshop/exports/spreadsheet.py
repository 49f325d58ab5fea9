"""Pure: the session as an Excel workbook (openpyxl), in the session's language.

Sheets: a summary (session facts, an overview per dilemma, the value profile and all notes),
one results sheet per dilemma (situation, question, distribution, notes, reasons) and one sheet
of the raw anonymous responses (one row per vote). Opens in Excel and LibreOffice.

Speed: openpyxl spends about 30 µs on every cell it writes, which for 2,000 participants on
eleven dilemmas (two hundred thousand cells) is several seconds. So the long, plain tails of the
sheets (the raw responses and the reasons) are written by openpyxl only up to their first row,
which fixes the cell styles, and the remaining rows are added to the saved sheet XML as the same
inline-string and number cells openpyxl itself writes.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime, timedelta

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import WINDOWS_EPOCH, to_excel

from ..tally import percentages, value_profile
from .labels import labels
from .snapshot import Snapshot

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_CELL = 32_767  # Excel's limit on the characters in one cell
VALUE_SEPARATOR = "; "
# Characters XML 1.0 cannot hold (openpyxl refuses them too), and lone surrogates.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=16)
HEADING = Font(bold=True, size=12)
MUTED = Font(italic=True, color="555555")
HEADER_FILL = PatternFill("solid", fgColor="E6E6E6")
RULE = Border(bottom=Side(style="thin", color="000000"))
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
LINE_HEIGHT = 15  # points per line of 11 pt Calibri (Excel's default row height)
DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


def clean(text: str | None) -> str | None:
    if text is None:
        return None
    return _ILLEGAL.sub("", text)[:MAX_CELL]


def utc(dt: datetime) -> datetime:
    """Naive UTC: Excel has no time zones (the store keeps naive UTC already)."""
    return dt.astimezone(UTC).replace(tzinfo=None) if dt.tzinfo else dt


_DAY = timedelta(days=1)
_MODERN = datetime(1900, 3, 1)


def excel_time(dt: datetime, epoch) -> float:
    """Excel's serial number of a (UTC) time, as openpyxl's to_excel computes it."""
    dt = utc(dt)
    if epoch == WINDOWS_EPOCH and dt >= _MODERN:
        return (dt - WINDOWS_EPOCH) / _DAY
    return to_excel(dt, epoch)


def put(ws, row: int, col: int, value, *, font=None, align=None, fmt=None, fill=None, border=None):
    """Write one cell. Text is always text: a reason starting with '=' is not a formula."""
    if isinstance(value, str):
        value = clean(value)
    if isinstance(value, datetime):
        value = utc(value)
    c = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith("="):
        c.data_type = "s"
    if font:
        c.font = font
    if align:
        c.alignment = align
    if fmt:
        c.number_format = fmt
    if fill:
        c.fill = fill
    if border:
        c.border = border
    return c


def header_row(ws, row: int, names: list[str]) -> None:
    for col, name in enumerate(names, 1):
        put(ws, row, col, name or None, font=BOLD, fill=HEADER_FILL, border=RULE, align=WRAP)


def widths(ws, sizes: list[float]) -> None:
    for col, w in enumerate(sizes, 1):
        ws.column_dimensions[get_column_letter(col)].width = w


def lines(text: str, width: float) -> int:
    """About how many lines `text` takes in a wrapped cell `width` characters wide."""
    per_line = max(1.0, width * 1.1)
    return sum(max(1, -(-len(part) // int(per_line))) for part in text.split("\n"))


def row_height(n_lines: int) -> float | None:
    return None if n_lines <= 1 else n_lines * LINE_HEIGHT + 2


def fit_rows(ws) -> None:
    """Row heights for wrapped text. Neither Excel nor LibreOffice reliably grows a row for
    wrapped text on opening a file, so the heights are estimated here from the text length."""
    col_width = {k: d.width for k, d in ws.column_dimensions.items()}
    for row in ws.iter_rows():
        need = 1
        for c in row:
            if isinstance(c.value, str) and c.alignment is not None and c.alignment.wrap_text:
                need = max(need, lines(c.value, col_width.get(c.column_letter) or 10))
        height = row_height(need)
        if height:
            ws.row_dimensions[row[0].row].height = height


def sheet_name(name: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique ignoring case."""
    base = _SHEET_CHARS.sub(" ", clean(name) or "").strip().strip("'") or "Ark"
    base = re.sub(r"\s+", " ", base)[:31].rstrip()
    candidate, n = base, 2
    while candidate.lower() in taken or candidate.lower() == "history":
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)].rstrip() + suffix
        n += 1
    taken.add(candidate.lower())
    return candidate


def print_setup(ws, landscape: bool = False) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


class Tails:
    """Rows appended to sheets after openpyxl has saved them (see the module's docstring)."""

    def __init__(self):
        self.items = []  # (worksheet, first row number, rows, style ids, wrap widths)

    def add(self, ws, row: int, rows: list[tuple], styles: list[dict]) -> int:
        """Write rows[0] at `row` through openpyxl, keep the rest for later; the next free row.

        Call it after the column widths are set: wrapped columns get row heights from them."""
        if not rows:
            return row
        ids = [put(ws, row, col, value, **style).style_id
               for col, (value, style) in enumerate(zip(rows[0], styles, strict=True), 1)]
        wrap = [
            (ws.column_dimensions[get_column_letter(col)].width or 10)
            if style.get("align") is not None and style["align"].wrap_text else None
            for col, style in enumerate(styles, 1)
        ]
        if len(rows) > 1:
            self.items.append((ws, row + 1, rows[1:], ids, wrap))
        return row + len(rows)

    @staticmethod
    def _xml(first: int, rows: list[tuple], ids: list[int], wrap: list, epoch) -> str:
        # Per column: the cell's opening and, for each distinct text, everything after the row
        # number (labels, titles and pseudonyms repeat, so each is escaped once).
        opening = [f'<c r="{get_column_letter(c)}' for c in range(1, len(ids) + 1)]
        text_attrs = [f'" s="{sid}" t="inlineStr"><is><t xml:space="preserve">' for sid in ids]
        num_attrs = [f'" s="{sid}" t="n"><v>' for sid in ids]
        texts: list[dict[str, str]] = [{} for _ in ids]
        wrapped = [(i, w) for i, w in enumerate(wrap) if w]
        out = []
        for n, values in enumerate(rows, first):
            rn = str(n)
            cells = []
            for j, value in enumerate(values):
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    rest = texts[j].get(value)
                    if rest is None:
                        text = _ILLEGAL.sub("", value)[:MAX_CELL]
                        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                        rest = texts[j][value] = f"{text_attrs[j]}{text}</t></is></c>"
                    cells.append(opening[j] + rn + rest)
                elif isinstance(value, datetime):
                    cells.append(f"{opening[j]}{rn}{num_attrs[j]}{excel_time(value, epoch)}</v></c>")
                else:
                    cells.append(f"{opening[j]}{rn}{num_attrs[j]}{value}</v></c>")
            height = None
            if wrapped:
                height = row_height(max((lines(values[i], w) for i, w in wrapped if isinstance(values[i], str)),
                                        default=1))
            attrs = f' ht="{height}" customHeight="1"' if height else ""
            out.append(f'<row r="{rn}"{attrs}>{"".join(cells)}</row>')
        return "".join(out)

    def apply(self, data: bytes, epoch) -> bytes:
        if not self.items:
            return data
        patches = {}
        for ws, first, rows, ids, wrap in self.items:
            patches.setdefault(ws.path.lstrip("/"), []).append((first, rows, ids, wrap))
        src = zipfile.ZipFile(io.BytesIO(data))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                body = src.read(info.filename)
                if info.filename not in patches:
                    dst.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
                    continue
                head, end, after = body.decode("utf-8").partition("</sheetData>")
                # The tails are the last rows of their sheet: they go before </sheetData>.
                tail = "".join(self._xml(first, rows, ids, wrap, epoch)
                               for first, rows, ids, wrap in patches[info.filename])
                last_row = max(first + len(rows) - 1 for first, rows, _, _ in patches[info.filename])
                last_col = max(len(ids) for _, _, ids, _ in patches[info.filename])
                xml = _dimension(head, last_row, last_col) + tail + end + after
                # Level 1: the big sheet compresses three times faster, for a fifth more bytes.
                dst.writestr(info, xml.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
        return buf.getvalue()


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _dimension(xml: str, last_row: int, last_col: int) -> str:
    """Widen the sheet's <dimension ref="A1:H2"/> to take in the appended rows."""
    def widen(m: re.Match) -> str:
        col = max(_column_index(m[3] or m[1]), last_col)
        row = max(int(m[4] or m[2]), last_row)
        return f'<dimension ref="{m[1]}{m[2]}:{get_column_letter(col)}{row}"/>'

    return re.sub(r'<dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"\s*/>', widen, xml, count=1)


def _tally(s: Snapshot):
    counts = {d.id: {o.id: 0 for o in d.options} for d in s.deck.dilemmas}
    reasons = {d.id: [] for d in s.deck.dilemmas}  # (option id, reason) in the order they came
    for r in s.responses:
        c = counts.get(r.dilemma_id)
        if c is not None and r.option_id in c:
            c[r.option_id] += 1
            if r.reason:
                reasons[r.dilemma_id].append((r.option_id, r.reason))
    return counts, reasons


def _summary(wb, s: Snapshot, L: dict, counts: dict, taken: set[str]) -> None:
    ws = wb.active
    ws.title = sheet_name(L["summary"], taken)
    widths(ws, [20, 50, 12, 52, 10])
    put(ws, 1, 1, s.title, font=TITLE)
    put(ws, 2, 1, L["report"], font=MUTED)
    live = s.phase != "ended"
    facts = [
        (L["date"], s.created_at, DATE_FORMAT),
        (L["deck"], s.t(s.deck.title), None),
        (L["participants"], s.participants, None),
        (L["code"], s.code, None),
        (L["status"], L["status_live"] if live else L["status_ended"], None),
        (L["exported"] + " (UTC)", s.exported_at, "yyyy-mm-dd hh:mm"),
    ]
    row = 4
    for key, value, fmt in facts:
        put(ws, row, 1, key, font=BOLD)
        put(ws, row, 2, value, fmt=fmt, align=Alignment(horizontal="left"))
        row += 1
    if live:
        row += 1
        put(ws, row, 1, L["live"], font=MUTED)
        row += 1

    row += 1
    put(ws, row, 1, L["overview"], font=HEADING)
    row += 1
    header_row(ws, row, ["#", L["dilemma"], L["answers"], L["most_chosen"], L["share"]])
    for i, d in enumerate(s.deck.dilemmas, 1):
        row += 1
        c = counts[d.id]
        total = sum(c.values())
        put(ws, row, 1, i, align=TOP)
        put(ws, row, 2, s.t(d.title), align=WRAP)
        put(ws, row, 3, total, align=TOP)
        if total:
            shares = percentages(c)
            best = max(d.options, key=lambda o: c[o.id])  # the first of any tie
            put(ws, row, 4, f"{best.id}: {s.t(best.label)}", align=WRAP)
            put(ws, row, 5, shares[best.id] / 100, fmt="0%", align=TOP)

    row += 2
    put(ws, row, 1, L["profile"], font=HEADING)
    row += 1
    profile = value_profile(s.deck, counts)
    votes = sum(sum(c.values()) for c in counts.values())
    if profile:
        put(ws, row, 1, L["profile_intro"], font=MUTED)
        row += 1
        header_row(ws, row, [L["value"], "", L["count"], "", L["share_of_answers"]])
        for value_id, n in profile:
            row += 1
            put(ws, row, 1, s.value_label(value_id))
            put(ws, row, 3, n)
            put(ws, row, 5, n / votes, fmt="0%")
    else:
        put(ws, row, 1, L["no_votes"], font=MUTED)

    row += 2
    put(ws, row, 1, L["all_notes"], font=HEADING)
    notes = [(i, d, (s.notes.get(d.id) or "").strip()) for i, d in enumerate(s.deck.dilemmas, 1)]
    notes = [(i, d, n) for i, d, n in notes if n]
    if notes:
        for i, d, note in notes:
            row += 1
            put(ws, row, 1, i, font=BOLD, align=TOP)
            put(ws, row, 2, s.t(d.title), font=BOLD, align=WRAP)
            row += 1
            put(ws, row, 2, note, align=WRAP)
    else:
        row += 1
        put(ws, row, 1, L["no_notes"], font=MUTED)
    fit_rows(ws)
    print_setup(ws)


def _dilemma_sheet(wb, s: Snapshot, L: dict, i: int, d, counts: dict, reasons: list, tails: Tails,
                   taken: set[str]) -> None:
    ws = wb.create_sheet(sheet_name(f"{i} {s.t(d.title)}", taken))
    widths(ws, [20, 70, 34, 10, 10])
    put(ws, 1, 1, L["dilemma_of"].format(n=i, count=len(s.deck.dilemmas)), font=MUTED)
    put(ws, 2, 1, s.t(d.title), font=TITLE)
    put(ws, 4, 1, L["situation"], font=BOLD, align=TOP)
    put(ws, 4, 2, s.t(d.text), align=WRAP)
    put(ws, 5, 1, L["question"], font=BOLD, align=TOP)
    put(ws, 5, 2, s.t(d.question), font=BOLD, align=WRAP)

    row = 7
    header_row(ws, row, [L["option_id"], L["option"], L["values"], L["votes"], L["share"]])
    total = sum(counts.values())
    shares = percentages(counts)
    for o in d.options:
        row += 1
        put(ws, row, 1, o.id, align=TOP)
        put(ws, row, 2, s.t(o.label), align=WRAP)
        put(ws, row, 3, VALUE_SEPARATOR.join(s.value_label(v) for v in o.values), align=WRAP)
        put(ws, row, 4, counts[o.id], align=TOP)
        put(ws, row, 5, shares[o.id] / 100, fmt="0%", align=TOP)
    row += 1
    for col in range(1, 6):
        ws.cell(row=row, column=col).border = Border(top=Side(style="thin", color="000000"))
    put(ws, row, 1, L["answers"], font=BOLD)
    put(ws, row, 4, total, font=BOLD)
    put(ws, row, 5, 1 if total else 0, font=BOLD, fmt="0%")
    row += 1
    put(ws, row, 2, L["answered_of"].format(total=total, participants=s.participants), font=MUTED)

    note = (s.notes.get(d.id) or "").strip()
    row += 2
    put(ws, row, 1, L["notes"], font=BOLD, align=TOP)
    put(ws, row, 2, note or L["no_notes"], align=WRAP, font=None if note else MUTED)

    row += 2
    put(ws, row, 1, L["reasons"], font=HEADING)
    row += 1
    if reasons:
        header_row(ws, row, [L["option_id"], L["reason"]])
        row += 1
        tails.add(ws, row, reasons, [{"align": TOP}, {"align": WRAP}])
    else:
        put(ws, row, 1, "–", font=MUTED)
    fit_rows(ws)
    print_setup(ws)


def _responses_sheet(wb, s: Snapshot, L: dict, tails: Tails, taken: set[str]) -> None:
    ws = wb.create_sheet(sheet_name(L["responses"], taken))
    names = [L["participant"]] + ([L["name"]] if s.show_names else []) + [
        L["dilemma_id"], L["dilemma"], L["option_id"], L["option"], L["values"], L["reason"], L["time_utc"]]
    titles = {d.id: s.t(d.title) for d in s.deck.dilemmas}
    options = {
        (d.id, o.id): (s.t(o.label), VALUE_SEPARATOR.join(s.value_label(v) for v in o.values))
        for d in s.deck.dilemmas for o in d.options
    }
    rows = []
    for r in s.responses:
        label, values = options.get((r.dilemma_id, r.option_id), (r.option_id, ""))
        row = (r.pseudonym,) + ((r.name,) if s.show_names else ()) + (
            r.dilemma_id, titles.get(r.dilemma_id, r.dilemma_id), r.option_id, label, values,
            r.reason, r.time)
        rows.append(row)
    # Sensible widths: the longest text in the column (header included), within bounds.
    caps = [12] + ([24] if s.show_names else []) + [24, 40, 10, 60, 40, 70, 20]
    sizes = []
    for col, (name, cap) in enumerate(zip(names, caps, strict=True)):
        if col == len(names) - 1:
            sizes.append(20)
            continue
        longest = max((len(v[col]) for v in rows if isinstance(v[col], str)), default=0)
        sizes.append(min(cap, max(len(name) + 2, longest + 2, 8)))
    widths(ws, sizes)
    header_row(ws, 1, names)
    ws.freeze_panes = "A2"
    last = get_column_letter(len(names))
    ws.auto_filter.ref = f"A1:{last}{max(1, len(rows) + 1)}"
    styles = [{} for _ in names]
    styles[-1] = {"fmt": TIME_FORMAT}
    tails.add(ws, 2, rows, styles)
    print_setup(ws, landscape=True)
    ws.print_title_rows = "1:1"


def render(s: Snapshot) -> bytes:
    L = labels(s.language)
    counts, reasons = _tally(s)
    wb = Workbook()
    wb.properties.title = clean(s.title)
    wb.properties.creator = "Workshop"
    wb.properties.language = s.language
    taken: set[str] = set()
    tails = Tails()
    _summary(wb, s, L, counts, taken)
    # The raw responses' name first, so no dilemma title can take it.
    responses_name = sheet_name(L["responses"], set(taken))
    taken.add(responses_name.lower())
    for i, d in enumerate(s.deck.dilemmas, 1):
        _dilemma_sheet(wb, s, L, i, d, counts[d.id], reasons[d.id], tails, taken)
    taken.discard(responses_name.lower())
    _responses_sheet(wb, s, L, tails, taken)
    buf = io.BytesIO()
    wb.save(buf)
    return tails.apply(buf.getvalue(), wb.epoch)
