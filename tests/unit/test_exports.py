"""Export formats, read back by real readers (csv, openpyxl, json, an HTML parser, XML for SVG)
and checked against what the Snapshot holds. Pure: Snapshots are built by hand."""

from __future__ import annotations

import csv
import gc
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import replace
from datetime import date, datetime, timedelta
from html.parser import HTMLParser

import openpyxl
import pytest
from markdown_it import MarkdownIt

from workshop.domain import Deck, Dilemma, Option, Value
from workshop.exports import FORMATS, csvrows, gc_paused, jsondoc, markdown, report, spreadsheet
from workshop.exports.snapshot import Agreement, Response, Snapshot
from workshop.exports.words import gettext

SVG_NS = "{http://www.w3.org/2000/svg}"

VALUES = (
    Value("respect", {"da": "respekt", "en": "respect"}),
    Value("honesty", {"da": "ærlighed", "en": "honesty"}),
    Value("openness", {"da": "åbenhed", "en": "openness"}),
    Value("responsibility", {"da": "ansvar", "en": "responsibility"}),
)
D1 = Dilemma(
    "aeblet",
    {"da": "Æblet på kontoret", "en": "The apple at the office"},
    {
        "da": "En kollega tager æbler fra fælleskurven – hver dag, også når de er få.",
        "en": "A colleague takes apples from the shared basket every day.",
    },
    {"da": "Hvad gør du først?", "en": "What do you do first?"},
    (
        Option("a", {"da": "Jeg spørger åbent på mødet", "en": "I ask openly at the meeting"}, ("honesty", "openness")),
        Option("b", {"da": "Jeg tier og ser tiden an", "en": "I keep quiet"}, ("respect",)),
        Option("c", {"da": "Jeg går til lederen", "en": "I go to the leader"}, ("responsibility",)),
    ),
)
D2 = Dilemma(
    "presset",
    {"da": "Øjeblikkets pres", "en": "The pressure of the moment"},
    {
        "da": "Fredag kl. 15 ringer en borger med et spørgsmål, der kræver grundig undersøgelse.",
        "en": "On Friday at 3 pm a citizen calls.",
    },
    {"da": "Hvad vælger du?", "en": "What do you choose?"},
    (
        Option("x", {"da": "Jeg bliver og hjælper", "en": "I stay and help"}, ("responsibility", "respect")),
        Option("y", {"da": "Jeg lover at ringe mandag", "en": "I promise to call on Monday"}, ("honesty",)),
    ),
)
D3 = Dilemma(
    "aanden",
    {"da": "Ånden i teamet", "en": "The team spirit"},
    {"da": "Ingen har stemt på dette dilemma endnu.", "en": "Nobody voted on this one."},
    {"da": "Hvad så?", "en": "Then what?"},
    (
        Option("p", {"da": "Prøv igen", "en": "Try again"}, ("openness",)),
        Option("q", {"da": "Lad være", "en": "Leave it"}, ()),
    ),
)
DECK = Deck("vaerdier", {"da": "Værdier på spil", "en": "Values at stake"}, (D1, D2, D3), values=VALUES)

T0 = datetime(2025, 3, 4, 9, 30, 0)
NAME = "Søren Ærø"


def vote(n, dilemma, option, reason=None, name=None, minute=0):
    return Response(f"P{n:03d}", name, dilemma, option, reason, T0 + timedelta(minutes=minute, seconds=n))


RESPONSES = (
    vote(1, "aeblet", "a", "Åbenhed først – ellers gror mistilliden", minute=1),
    vote(2, "aeblet", "a", "=SUM(A1:A9)", minute=1),  # looks like a spreadsheet formula
    vote(3, "aeblet", "b", None, minute=1),
    vote(4, "aeblet", "c", "<script>alert('ø')</script> & så videre", minute=1),
    vote(5, "aeblet", "a", "Det er ærligt\nog ordentligt", minute=1),
    vote(6, "aeblet", "a", None, minute=1),
    vote(7, "aeblet", "b", "Man skal vælge sine kampe", minute=1),
    vote(1, "presset", "x", "Borgeren går forud", minute=12),
    vote(2, "presset", "y", None, minute=12),
    vote(3, "presset", "x", "-1 til weekenden, men det er ok", minute=12),
)
# What RESPONSES must show, counted by hand (not by the Snapshot or tally code under test).
COUNTS = {"aeblet": {"a": 4, "b": 2, "c": 1}, "presset": {"x": 2, "y": 1}, "aanden": {"p": 0, "q": 0}}
# 4/7, 2/7, 1/7 = 57.14, 28.57, 14.29: floors 57 + 28 + 14 = 99; the largest remainder (b) gets the 1.
SHARES = {"aeblet": {"a": 57, "b": 29, "c": 14}, "presset": {"x": 67, "y": 33}, "aanden": {"p": 0, "q": 0}}
REASONS = {
    "aeblet": {
        "a": ["Åbenhed først – ellers gror mistilliden", "=SUM(A1:A9)", "Det er ærligt\nog ordentligt"],
        "b": ["Man skal vælge sine kampe"],
        "c": ["<script>alert('ø')</script> & så videre"],
    },
    "presset": {"x": ["Borgeren går forud", "-1 til weekenden, men det er ok"], "y": []},
    "aanden": {"p": [], "q": []},
}
# honesty: a 4 + y 1; respect: b 2 + x 2; openness: a 4; responsibility: c 1 + x 2. Ties in vocabulary order.
PROFILE = [("honesty", 5), ("respect", 4), ("openness", 4), ("responsibility", 3)]
VALUE_DA = {"respect": "respekt", "honesty": "ærlighed", "openness": "åbenhed", "responsibility": "ansvar"}
NOTES = {
    "aeblet": "Livlig debat om ærlighed – ÆØÅ æøå.\nAftale: tag det op igen.",
    "presset": "<b>Ikke fed</b> & ingen tags",
}


def make(responses=RESPONSES, notes=NOTES, **kw) -> Snapshot:
    base = dict(
        session_id="s1",
        title="Teamdag på Ærø – værdier & <dilemmaer>",
        code="123456",
        language="da",
        phase="ended",
        deck=DECK,
        created_at=T0,
        ended_at=T0 + timedelta(hours=1),
        exported_at=T0 + timedelta(hours=1, minutes=2),
        participants=8,
        responses=tuple(responses),
        notes=dict(notes),
        show_names=False,
    )
    base.update(kw)
    return Snapshot(**base)


def as_bytes(data) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


# --- readers ------------------------------------------------------------------------------


def read_csv(data: str) -> list[list[str]]:
    raw = as_bytes(data)
    assert raw.startswith(b"\xef\xbb\xbf"), "the CSV must start with a UTF-8 byte order mark"
    text = raw.decode("utf-8-sig")
    # A Danish session's file is split on ";" (what a Danish Excel expects), an English one on ",".
    delimiter = ";" if text.split("\r\n", 1)[0].startswith("Deltager") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def read_xlsx(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


VOID = {"meta", "br", "hr", "img", "input", "link"}


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    @property
    def classes(self):
        return (self.attrs.get("class") or "").split()

    def iter(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.iter()

    def find_all(self, tag=None, cls=None, **attrs):
        return [
            n
            for n in self.iter()
            if (tag is None or n.tag == tag)
            and (cls is None or cls in n.classes)
            and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def find(self, *a, **k):
        found = self.find_all(*a, **k)
        return found[0] if found else None

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class TreeBuilder(HTMLParser):
    """A tiny DOM from the standard library's HTML parser."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.cur = Node("#root", {})
        self.start_tags = []

    def handle_starttag(self, tag, attrs):
        self.start_tags.append(tag)
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.start_tags.append(tag)
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        node = self.cur
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None, f"</{tag}> closes nothing"
        self.cur = node.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def read_html(data: str) -> TreeBuilder:
    builder = TreeBuilder()
    builder.feed(data)
    builder.close()
    assert builder.cur is builder.root, "every element is closed"
    return builder


def svgs(data: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", data, flags=re.S)]


def all_text(fmt: str, data) -> str:
    """Every text a reader of the format gets out of it, joined."""
    if fmt == "csv":
        return "\n".join("\t".join(row) for row in read_csv(data))
    if fmt == "xlsx":
        wb = read_xlsx(data)
        return "\n".join(
            ws.title + "\n" + "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)
            for ws in wb
        )
    if fmt == "json":
        out = []

        def walk(x):
            if isinstance(x, dict):
                for k, v in x.items():
                    out.append(str(k))
                    walk(v)
            elif isinstance(x, list):
                for v in x:
                    walk(v)
            elif x is not None:
                out.append(str(x))

        walk(json.loads(data))
        return "\n".join(out)
    if fmt == "html":
        return read_html(data).root.text()
    return read_html(render_md(data)).root.text()  # md: what a reader sees, rendered


def render_md(data: str) -> str:
    """The Markdown as a CommonMark renderer with GitHub's tables shows it (raw HTML allowed,
    as GitHub and most viewers allow some: the export must not rely on the renderer)."""
    return MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough").render(data)


ALL_FORMATS = sorted(FORMATS)
NEW_FORMATS = ["csv", "html", "json", "xlsx"]


# --- every format -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_an_empty_session_exports_in_every_format(fmt):
    s = make(responses=(), notes={}, participants=0)
    data = FORMATS[fmt][0](s)
    text = all_text(fmt, data)
    assert DECK.dilemmas[0].title["da"] in text or fmt == "csv"
    if fmt == "csv":
        assert read_csv(data) == [csvrows.header(s)]


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_a_session_without_any_dilemma_exports_in_every_format(fmt):
    s = make(deck=Deck("tom", {"da": "Tom bunke"}, ()), responses=(), notes={})
    assert all_text(fmt, FORMATS[fmt][0](s))


# What a reader of each format must find, letters intact (CSV carries only the votes).
DANISH = {
    "csv": [
        "Æblet på kontoret",
        "Øjeblikkets pres",
        "Åbenhed først – ellers gror mistilliden",
        "ærlighed; åbenhed",
        "Jeg spørger åbent på mødet",
    ],
    "xlsx": [
        "Teamdag på Ærø – værdier & <dilemmaer>",
        "Æblet på kontoret",
        "Åbenhed først – ellers gror mistilliden",
        "Livlig debat om ærlighed – ÆØÅ æøå.\nAftale: tag det op igen.",
        "Værdiprofil",
        "ærlighed",
    ],
    "json": [
        "Teamdag på Ærø – værdier & <dilemmaer>",
        "Æblet på kontoret",
        "Åbenhed først – ellers gror mistilliden",
        "Livlig debat om ærlighed – ÆØÅ æøå.\nAftale: tag det op igen.",
        "ærlighed",
    ],
    "html": [
        "Teamdag på Ærø – værdier & <dilemmaer>",
        "Æblet på kontoret",
        "Åbenhed først – ellers gror mistilliden",
        "Livlig debat om ærlighed – ÆØÅ æøå.\nAftale: tag det op igen.",
        "Værdiprofil",
        "ærlighed",
    ],
    "md": [
        "Teamdag på Ærø – værdier & <dilemmaer>",
        "Æblet på kontoret",
        "Åbenhed først – ellers gror mistilliden",
        "Værdiprofil",
        "ærlighed",
    ],
}


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_danish_letters_survive_every_format(fmt):
    data = FORMATS[fmt][0](make())
    as_bytes(data)  # encodes as UTF-8, as the route sends it
    text = all_text(fmt, data)
    for expected in DANISH[fmt]:
        assert expected in text, f"{fmt}: {expected!r} is missing"


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_no_participant_name_appears_unless_the_session_showed_names(fmt):
    # Even if a name slipped into the snapshot, a session run without names never prints it.
    s = make(responses=[replace(r, name=NAME) for r in RESPONSES], show_names=False)
    assert NAME not in all_text(fmt, FORMATS[fmt][0](s))


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_names_stand_next_to_the_answers_when_the_session_showed_names(fmt):
    responses = [replace(r, name=NAME if r.pseudonym == "P001" else f"Navn {r.pseudonym}") for r in RESPONSES]
    s = make(responses=responses, show_names=True)
    data = FORMATS[fmt][0](s)
    if fmt == "csv":
        rows = read_csv(data)[1:]
        pairs = {(row[0], row[1]) for row in rows}
    elif fmt == "json":
        pairs = {(r["participant"], r["name"]) for r in json.loads(data)["responses"]}
    else:
        ws = read_xlsx(data).worksheets[-1]
        pairs = {(row[0], row[1]) for row in ws.iter_rows(min_row=2, values_only=True)}
    assert ("P001", NAME) in pairs
    assert pairs == {(r.pseudonym, r.name) for r in responses}


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_reports_keep_reasons_anonymous_even_when_names_were_shown(fmt):
    s = make(responses=[replace(r, name=NAME) for r in RESPONSES], show_names=True)
    text = all_text(fmt, FORMATS[fmt][0](s))
    assert NAME not in text and "P001" not in text
    assert "Åbenhed først – ellers gror mistilliden" in text


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_control_characters_in_user_text_do_not_break_any_format(fmt):
    # (A lone surrogate as well for the new formats; the md format predates this check.)
    odd = "før\x01 efter\x0b slut" + (" \ud800" if fmt != "md" else "")
    s = make(responses=RESPONSES + (vote(8, "presset", "y", odd),), notes={"aeblet": "note\x02 æ"})
    data = FORMATS[fmt][0](s)
    as_bytes(data)
    text = all_text(fmt, data)
    if fmt == "json":
        reasons = [r.reason for r in jsondoc.load(data).responses]
        assert odd in reasons  # JSON escapes them and keeps the text exact
        return
    if fmt == "md":
        return  # plain text: it renders, and keeps what it got
    assert "\x01" not in text and "\x0b" not in text
    assert "før efter slut" in text


# --- csv ----------------------------------------------------------------------------------


def test_a_csv_row_per_vote():
    s = make()
    rows = read_csv(csvrows.render(s))
    assert rows[0] == [
        "Deltager",
        "Dilemma-id",
        "Dilemma",
        "Type",
        "Runde",
        "Svarmulighed-id",
        "Svarmulighed",
        "Svar",
        "Værdier",
        "Begrundelse",
        "Tidspunkt (UTC)",
    ]
    assert len(rows) - 1 == len(s.responses)
    for row, r in zip(rows[1:], s.responses, strict=True):
        d = DECK.dilemma(r.dilemma_id)
        o = d.option(r.option_id)
        reason = r.reason or ""
        if reason[:1] in ("=", "+", "-", "@"):
            reason = "'" + reason
        assert row == [
            r.pseudonym,
            d.id,
            d.title["da"],
            "Valg",
            "1",
            o.id,
            o.label["da"],
            o.id,
            "; ".join(VALUE_DA[v] for v in o.values),
            reason,
            r.time.strftime("%Y-%m-%d %H:%M:%S"),
        ]


def test_the_csv_counts_add_up_to_the_snapshots_results():
    s = make()
    rows = read_csv(csvrows.render(s))[1:]
    for d in DECK.dilemmas:
        got = {o.id: sum(1 for row in rows if row[1] == d.id and row[5] == o.id) for o in d.options}
        assert got == COUNTS[d.id]


def test_the_csv_guards_cells_a_spreadsheet_would_take_for_formulas():
    rows = read_csv(csvrows.render(make()))
    reasons = [row[9] for row in rows[1:]]
    assert "'=SUM(A1:A9)" in reasons and "=SUM(A1:A9)" not in reasons
    assert "'-1 til weekenden, men det er ok" in reasons


# docs/export.md: "a text cell that begins with =, +, -, @, a tab or a carriage return gets a
# leading apostrophe". Names and deck texts too, not only reasons.
@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_the_docs_name_is_guarded_in_the_csv(start):
    text = start + "cmd|' /C calc'!A0"
    title = {"da": start + "Titel"}
    deck = Deck("d", {"da": "D"}, (replace(D1, title=title),), values=VALUES)
    s = make(deck=deck, responses=(replace(vote(1, "aeblet", "a", text), name=start + "Navn"),), show_names=True)
    row = read_csv(csvrows.render(s))[1]
    assert row[1] == "'" + start + "Navn" and row[3] == "'" + start + "Titel" and row[10] == "'" + text


@pytest.mark.parametrize("text", ["Helt almindelig", "1+1=2", "æ=ø", " =mellemrum først", "ok-"])
def test_text_that_does_not_start_a_formula_is_left_as_it_is_in_the_csv(text):
    row = read_csv(csvrows.render(make(responses=(vote(1, "aeblet", "a", text),))))[1]
    assert row[9] == text


def test_csv_lines_end_in_crlf_and_a_line_break_inside_a_cell_is_quoted():
    raw = as_bytes(csvrows.render(make()))
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and len(lines) - 1 >= len(RESPONSES) + 1
    assert b'"Det er \xc3\xa6rligt\nog ordentligt"' in raw  # the reason's own newline stays inside quotes
    assert raw.count(b"\r\n") == len(RESPONSES) + 1  # one per row, the header included


def test_the_csv_header_follows_the_session_language():
    rows = read_csv(csvrows.render(make(language="en")))
    assert rows[0][0] == "Participant" and rows[1][2] == "The apple at the office"


# --- json ---------------------------------------------------------------------------------


def test_the_json_reads_back_into_the_same_snapshot():
    s = make(show_names=True, responses=[replace(r, name=f"Navn {r.pseudonym} æ") for r in RESPONSES])
    again = jsondoc.load(jsondoc.render(s))
    assert again == s
    assert jsondoc.render(again) == jsondoc.render(s)


# The reasons as they came (P001 … P007 a minute in, one second apart): a, a, c, a, b; then x, x.
TEXTS_IN_ORDER = {
    "aeblet": [
        ("a", "Åbenhed først – ellers gror mistilliden"),
        ("a", "=SUM(A1:A9)"),
        ("c", "<script>alert('ø')</script> & så videre"),
        ("a", "Det er ærligt\nog ordentligt"),
        ("b", "Man skal vælge sine kampe"),
    ],
    "presset": [("x", "Borgeren går forud"), ("x", "-1 til weekenden, men det er ok")],
    "aanden": [],
}


def test_the_json_results_equal_the_snapshots_counts_percentages_reasons_and_notes():
    s = make()
    doc = json.loads(jsondoc.render(s))
    assert doc["schema_version"] == 2
    assert doc["session"]["title"] == s.title and doc["session"]["participants"] == 8
    assert doc["session"]["live"] is False and doc["session"]["min_answers"] == 1
    assert [d["id"] for d in doc["dilemmas"]] == [d.id for d in DECK.dilemmas]
    for out, d in zip(doc["dilemmas"], DECK.dilemmas, strict=True):
        (last,) = out["rounds"]
        assert out["kind"] == "choice" and last["round"] == 1 and last["kind"] == "choice"
        assert last["counts"] == COUNTS[d.id]
        assert last["percentages"] == SHARES[d.id]
        assert out["total"] == last["total"] == sum(COUNTS[d.id].values())
        assert [(t["option"], t["text"]) for t in last["texts"]] == TEXTS_IN_ORDER[d.id]
        assert out["note"] == ((NOTES.get(d.id) or "").strip() or None)
        assert out["options"] == [{"id": o.id, "label": o.label["da"], "values": list(o.values)} for o in d.options]
    assert [(v["value"], v["count"]) for v in doc["value_profile"]] == PROFILE
    assert doc["notes"] == NOTES
    assert len(doc["responses"]) == len(s.responses)
    assert doc["responses"][1]["reason"] == "=SUM(A1:A9)"  # exact: no spreadsheet guard here
    assert all(r["name"] is None for r in doc["responses"])


def test_the_json_deck_is_the_whole_bilingual_deck():
    doc = json.loads(jsondoc.render(make()))
    assert Deck.from_dict(doc["deck"]) == DECK


def test_the_json_reader_refuses_an_unknown_schema_version():
    doc = json.loads(jsondoc.render(make()))
    doc["schema_version"] = 99
    with pytest.raises(ValueError, match="schema_version"):
        jsondoc.load(json.dumps(doc))


LIVE_DA = "Foreløbigt øjebliksbillede: sessionen var stadig i gang, da noterne blev eksporteret."


def test_a_live_session_is_marked_as_a_snapshot_so_far():
    s = make(phase="voting", ended_at=None)
    assert json.loads(jsondoc.render(s))["session"]["live"] is True
    assert LIVE_DA in all_text("html", report.render(s))
    assert LIVE_DA not in all_text("html", report.render(make()))
    assert LIVE_DA in all_text("xlsx", spreadsheet.render(s))


# --- xlsx ---------------------------------------------------------------------------------


def dilemma_table(ws) -> dict:
    """The results table of a dilemma sheet: option id -> (votes, share)."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[:2] == ("Svarmulighed-id", "Svar"))
    out = {}
    for row in rows[start + 1 :]:
        if row[0] == "Svar i alt":
            return out, row[3]
        out[row[0]] = (row[3], row[4])
    raise AssertionError("no total row")


def dilemma_reasons(ws, d) -> dict:
    """The texts of a dilemma sheet's (last) round: option id (found by its label) -> texts."""
    rows = list(ws.iter_rows(values_only=True))
    starts = [i for i, row in enumerate(rows) if row[:2] == ("Svar", "Tekst")]
    out: dict[str, list[str]] = {}
    ids = {o.label["da"]: o.id for o in d.options}
    if starts:
        for row in rows[starts[-1] + 1 :]:
            if row[1] is None:
                break
            out.setdefault(ids.get(row[0], row[0]), []).append(row[1])
    return out


def test_the_xlsx_has_a_summary_a_results_sheet_per_dilemma_and_the_raw_responses():
    s = make()
    wb = read_xlsx(spreadsheet.render(s))
    assert len(wb.sheetnames) == 2 + len(DECK.dilemmas) + 1
    assert wb.sheetnames[:2] == ["Oversigt", "Aftaler"] and wb.sheetnames[-1] == "Svar"
    assert wb.sheetnames[2] == "1 Æblet på kontoret"
    for ws, d in zip(wb.worksheets[2:-1], DECK.dilemmas, strict=True):
        table, total = dilemma_table(ws)
        counts, shares = COUNTS[d.id], SHARES[d.id]
        assert {k: v for k, (v, _) in table.items()} == counts
        assert {k: round(p * 100) for k, (_, p) in table.items()} == shares
        assert total == sum(counts.values())
        assert dilemma_reasons(ws, d) == {k: v for k, v in REASONS[d.id].items() if v}
        texts = [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
        assert (NOTES.get(d.id) or "Ingen noter.").strip() in texts


def test_the_xlsx_raw_responses_hold_one_row_per_vote():
    s = make()
    ws = read_xlsx(spreadsheet.render(s))["Svar"]
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) - 1 == len(s.responses)
    for row, r in zip(rows[1:], s.responses, strict=True):
        d = DECK.dilemma(r.dilemma_id)
        o = d.option(r.option_id)
        assert row == (r.pseudonym, d.title["da"], 1, o.label["da"], r.reason, r.time)
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:F{len(rows)}"


def test_the_xlsx_summary_holds_the_facts_the_overview_and_the_value_profile():
    s = make()
    ws = read_xlsx(spreadsheet.render(s)).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == s.title
    facts = {row[0]: row[1] for row in rows if row[0] and row[1] is not None}
    assert facts["Deltagere"] == 8 and facts["Kode"] == "123456" and facts["Dato"] == T0
    overview = {row[1]: row for row in rows if isinstance(row[0], int) and row[2] == "Valg"}
    for d in DECK.dilemmas:
        assert overview[d.title["da"]][3] == sum(COUNTS[d.id].values())
    votes = len(s.responses)  # every dilemma shown: the share is of all 10 answers
    profile = [
        (row[1], row[2], row[3])
        for row in rows
        if row[0] is None and isinstance(row[2], int) and isinstance(row[3], float)
    ]
    assert [(label, n) for label, n, _ in profile] == [(VALUE_DA[v], n) for v, n in PROFILE]
    assert all(abs(share - round(n * 100 / votes) / 100) < 1e-9 for _, n, share in profile)


def test_the_xlsx_keeps_formula_like_text_as_text():
    first = vote(1, "aeblet", "a", "=1+1", minute=1)
    later = vote(2, "aeblet", "b", '=HYPERLINK("http://x")', minute=1)
    wb = read_xlsx(spreadsheet.render(make(responses=(first, later, vote(3, "aeblet", "a", "+4")))))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    formulas = [c for c in cells if c.data_type == "f"]
    assert formulas == []
    values = {c.value for c in cells}
    assert {"=1+1", '=HYPERLINK("http://x")', "+4"} <= values


def test_the_xlsx_keeps_every_row_of_a_bigger_session():
    # Past the first row, the tails of the sheets are added to the saved XML: check them all.
    responses = tuple(
        vote(n, d.id, d.options[n % len(d.options)].id, f"Grund nr. {n} – æøå" if n % 3 == 0 else None, minute=k)
        for k, d in enumerate(DECK.dilemmas)
        for n in range(1, 301)
    )
    s = make(responses=responses, participants=300)
    data = spreadsheet.render(s)
    wb = read_xlsx(data)
    assert wb["Svar"].max_row == len(responses) + 1
    assert [row[0] for row in wb["Svar"].iter_rows(min_row=2, values_only=True)] == [r.pseudonym for r in responses]
    for ws, d in zip(wb.worksheets[2:-1], DECK.dilemmas, strict=True):
        expected: dict[str, list[str]] = {}
        for r in responses:
            if r.dilemma_id == d.id and r.reason:
                expected.setdefault(r.option_id, []).append(r.reason)
        assert dilemma_reasons(ws, d) == expected
    # The stored <dimension> of every sheet covers all its cells.
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for i, ws in enumerate(wb.worksheets, 1):
            stored = re.search(r'<dimension ref="([^"]+)"', z.read(f"xl/worksheets/sheet{i}.xml").decode())[1]
            assert stored == f"A1:{ws.calculate_dimension().split(':')[1]}"


def test_xlsx_sheet_names_are_valid_and_unique():
    long = Dilemma(
        "lang",
        {"da": "Svar: [alt] om *stort* og småt / eller \\ ikke? " * 2},
        {"da": "t"},
        {"da": "q"},
        (Option("a", {"da": "A"}, ()),),
    )
    deck = Deck("d", {"da": "D"}, (long, replace(long, id="lang2"), replace(long, id="svar", title={"da": "Svar"})))
    wb = read_xlsx(spreadsheet.render(make(deck=deck, responses=(), notes={})))
    names = wb.sheetnames
    assert len({n.lower() for n in names}) == len(names) == 6
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)


def test_xlsx_sheet_names_are_cut_to_31_utf16_units_without_the_characters_excel_refuses():
    long = Dilemma(
        "lang",
        {"da": "Svar: [alt] om *stort* og småt / eller \\ ikke? " * 2},
        {"da": "t"},
        {"da": "q"},
        (Option("a", {"da": "A"}, ()),),
    )
    emoji = replace(long, id="emoji", title={"da": "'Glæde " + "😀" * 14 + " i teamet'"})
    deck = Deck("d", {"da": "D"}, (long, emoji, replace(long, id="svar", title={"da": "Svar"})))
    wb = read_xlsx(spreadsheet.render(make(deck=deck, responses=(), notes={})))
    # An emoji takes two UTF-16 units: "2 'Glæde " is 9, eleven emoji 22.
    assert wb.sheetnames == [
        "Oversigt",
        "Aftaler",
        "1 Svar alt om stort og småt ell",
        "2 'Glæde " + "😀" * 11,
        "3 Svar",
        "Svar",
    ]


def test_an_xlsx_cell_holds_at_most_32767_characters():
    reason = "æ" * 32_000 + "ø" * 8_000
    ws = read_xlsx(spreadsheet.render(make(responses=(vote(1, "aeblet", "a", reason),))))["Svar"]
    cell = ws.cell(row=2, column=5).value  # the reason, after participant, dilemma, round and answer
    assert len(cell) == 32_767 and cell == reason[:32_767]


# --- html ---------------------------------------------------------------------------------


def test_the_html_report_shows_the_stored_counts_percentages_reasons_and_notes():
    s = make()
    doc = read_html(report.render(s)).root
    sections = doc.find_all("section", cls="dilemma")
    assert [sec.attrs["data-dilemma"] for sec in sections] == [d.id for d in DECK.dilemmas]
    for sec, d in zip(sections, DECK.dilemmas, strict=True):
        rows = sec.find("table", cls="results").find_all("tr", cls=None)
        rows = [r for r in rows if "data-option" in r.attrs]
        votes = {r.attrs["data-option"]: int(r.find("td", cls="votes").text()) for r in rows}
        pcts = {r.attrs["data-option"]: int(r.find("td", cls="pct").text().rstrip(" %")) for r in rows}
        assert votes == COUNTS[d.id]
        assert pcts == SHARES[d.id]
        assert int(sec.find("td", cls="total").text()) == sum(COUNTS[d.id].values())
        reasons = {
            g.attrs["data-option"]: [li.text() for li in g.find_all("li", cls="reason")]
            for g in sec.find_all("div", cls="reason-group")
        }
        assert reasons == {k: v for k, v in REASONS[d.id].items() if v}
        note = sec.find("div", cls="note-text")
        assert (note.text() if note else None) == ((NOTES.get(d.id) or "").strip() or None)
        assert s.t(d.text) in sec.find("p", cls="situation").text()
        assert sec.find("p", cls="question").text() == s.t(d.question)
    meta = doc.find("dd", cls="participants")
    assert int(meta.text()) == s.participants


def test_the_html_charts_are_inline_svg_with_bars_as_long_as_the_shares():
    s = make()
    html_text = report.render(s)
    charts = svgs(html_text)
    bars = [c for c in charts if c.get("data-share") is not None]
    expected = [SHARES[d.id][o.id] for d in DECK.dilemmas for o in d.options]
    assert [int(b.get("data-share")) for b in bars] == expected
    for bar, share in zip(bars, expected, strict=True):
        fills = [r for r in bar.iter(SVG_NS + "rect") if r.get("class") == "fill"]
        width = float(fills[0].get("width")) if fills else 0.0
        assert abs(width - share * 0.99) < 0.01


def test_the_html_value_profile_chart_matches_the_snapshot():
    s = make()
    chart = next(c for c in svgs(report.render(s)) if c.get("class") == "chart")
    rows = [g for g in chart.iter(SVG_NS + "g") if g.get("class") == "value-row"]
    got = [(g.get("data-value"), int(g.get("data-count"))) for g in rows]
    assert got == PROFILE
    labels_ = ["".join(t.itertext()) for g in rows for t in g.iter(SVG_NS + "text") if t.get("class") == "label"]
    assert labels_ == [VALUE_DA[v] for v, _ in PROFILE]
    widths = [float(r.get("width")) for g in rows for r in g.iter(SVG_NS + "rect") if r.get("class") == "fill"]
    assert widths == sorted(widths, reverse=True) and widths[-1] > 0


def test_the_html_escapes_user_text_and_runs_no_script():
    s = make(title="<script>alert(1)</script> Ærø", notes={"aeblet": "</style><script>x()</script>"})
    text = report.render(s)
    parsed = read_html(text)
    assert "script" not in parsed.start_tags
    assert "<script>alert(1)</script> Ærø" in parsed.root.text()
    style = parsed.root.find("style").text()
    assert "</" not in style and "<" not in style


def test_the_html_is_a_printable_a4_report_with_a_page_break_before_each_dilemma():
    text = report.render(make())
    style = read_html(text).root.find("style").text()
    assert re.search(r"@page\s*{[^}]*size:\s*A4", style)
    rule = re.search(r"([^{}]*){[^}]*break-before:\s*page", style)
    assert "section.dilemma" in rule.group(1)
    assert "@media print" in style or "@page" in style


def test_the_html_names_the_title_and_language_of_the_session():
    s = make(language="en")
    doc = read_html(report.render(s)).root
    assert doc.find("html").attrs["lang"] == "en"
    assert doc.find("h1").text() == s.title
    assert "Participants' reasons" in doc.text() and "Side" not in doc.find("style").text()
    assert "The apple at the office" in doc.text()


def test_a_dilemma_without_answers_says_so_in_the_report():
    doc = read_html(report.render(make())).root
    empty = doc.find("section", data_dilemma="aanden")
    assert "Ingen svar på dette dilemma." in empty.text()
    assert doc.find("section", data_dilemma="aeblet").find("p", cls="empty") is None


# --- registration -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fmt, mimetype, ext",
    [
        ("html", "text/html; charset=utf-8", "html"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        ("csv", "text/csv; charset=utf-8", "csv"),
        ("json", "application/json", "json"),
    ],
)
def test_every_format_is_registered_with_its_mimetype(fmt, mimetype, ext):
    render, got_mimetype, got_ext = FORMATS[fmt]
    assert (got_mimetype, got_ext) == (mimetype, ext)
    assert isinstance(render(make()), bytes if fmt == "xlsx" else str)


# --- agreements, hostile text, the Danish csv ---------------------------------------------

HOSTILE_TEXTS = [
    "<script>alert('x')</script>",
    "=cmd|' /C calc'!A0",
    "[klik her](javascript:alert(1))",
    "<javascript:alert(1)>",
    "![billede](http://evil.example/x.png)",
    "før\n# Indskudt overskrift\n- indskudt punkt\n1. indskudt nummer\n> citat\n---",
    "<img src=x onerror=alert(1)>",
    "| celle | brud |",
    "    kodeblok",
]
AGREEMENTS = (
    Agreement(
        1,
        "Vi siger det højt, når vi er uenige – også til ledelsen.",
        "aeblet",
        ("honesty", "openness"),
        "Søren Ærø",
        date(2025, 4, 1),
        T0 + timedelta(minutes=50),
    ),
    Agreement(2, "Kun en tekst", None, (), None, None, T0 + timedelta(minutes=55)),
)


def with_agreements(agreements=AGREEMENTS, **kw) -> Snapshot:
    return make(agreements=tuple(agreements), **kw)


def csv_agreements(data: str) -> list[list[str]]:
    rows = read_csv(data)
    start = rows.index([]) + 1
    return rows[start:]


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_every_format_carries_the_agreements(fmt):
    s = with_agreements()
    data = FORMATS[fmt][0](s)
    if fmt == "json":
        assert jsondoc.load(data).agreements == AGREEMENTS
        doc = json.loads(data)
        assert doc["agreements"][0] == {
            "id": 1,
            "text": AGREEMENTS[0].text,
            "dilemma": "aeblet",
            "values": ["honesty", "openness"],
            "owner": "Søren Ærø",
            "due": "2025-04-01",
            "created_at": "2025-03-04T10:20:00Z",
        }
    elif fmt == "csv":
        rows = csv_agreements(data)
        assert rows == [
            ["Aftale", "Dilemma-id", "Dilemma", "Værdier", "Ansvarlig", "Frist"],
            [AGREEMENTS[0].text, "aeblet", "Æblet på kontoret", "ærlighed; åbenhed", "Søren Ærø", "2025-04-01"],
            ["Kun en tekst", "", "", "", "", ""],
        ]
    elif fmt == "xlsx":
        rows = [r for r in read_xlsx(data)["Aftaler"].iter_rows(values_only=True)]
        assert rows[3] == ("#", "Aftale", "Dilemma", "Værdier", "Ansvarlig", "Frist")
        assert rows[4] == (1, AGREEMENTS[0].text, "Æblet på kontoret", "ærlighed; åbenhed", "Søren Ærø", "2025-04-01")
        assert rows[5][:2] == (2, "Kun en tekst")
    elif fmt == "html":
        doc = read_html(data).root
        section = doc.find("section", cls="agreements")
        rows = section.find_all("tr", cls="agreement")
        assert [r.find("td", cls="text").text() for r in rows] == [a.text for a in AGREEMENTS]
        assert rows[0].find("td", cls="dilemma").text() == "Æblet på kontoret"
        assert rows[0].find("td", cls="values").text() == "ærlighed, åbenhed"
        assert rows[0].find("td", cls="owner").text() == "Søren Ærø"
        assert rows[0].find("td", cls="due").text() == "2025-04-01"
    else:
        html = read_html(render_md(data)).root
        heading = next(h for h in html.find_all("h2") if h.text() == "Aftaler")
        items = [
            li
            for li in heading.parent.find_all("li")
            if li.parent.tag == "ol" and html.children.index(li.parent) > html.children.index(heading)
        ]
        assert [li.text().split("\n")[0] for li in items] == [a.text for a in AGREEMENTS]
        assert "Søren Ærø" in items[0].text() and "2025-04-01" in items[0].text()
        assert heading is not None


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_a_session_without_agreements_says_so(fmt):
    text = all_text(fmt, FORMATS[fmt][0](make()))
    if fmt in ("md", "html", "xlsx"):
        assert "Der blev ikke noteret nogen aftaler." in text
    if fmt == "json":
        assert json.loads(FORMATS[fmt][0](make()))["agreements"] == []


@pytest.mark.parametrize("hostile", HOSTILE_TEXTS)
def test_the_markdown_keeps_hostile_user_text_as_plain_text(hostile):
    """Rendered by a CommonMark renderer (raw HTML on), a reason, note, title, owner or agreement
    adds no element of its own: no script, image, link, heading, list, quote, table or code."""
    clean = make(responses=(replace(RESPONSES[0], reason="grund"), RESPONSES[1]), notes={"aeblet": "note"})
    dirty = make(
        responses=(replace(RESPONSES[0], reason=hostile), RESPONSES[1]),
        notes={"aeblet": hostile},
        title=hostile,
        agreements=(Agreement(1, hostile, "aeblet", ("honesty",), hostile, None),),
    )
    base = read_html(
        render_md(
            markdown.render(
                replace(clean, title="Titel", agreements=(Agreement(1, "x", "aeblet", ("honesty",), "y", None),))
            )
        )
    )
    got = read_html(render_md(markdown.render(dirty)))
    assert set(got.start_tags) <= set(base.start_tags) | {"p"}
    for tag in ("h1", "h2", "h3", "ul", "ol", "li", "blockquote", "a", "img", "script", "table", "pre", "code", "hr"):
        assert got.start_tags.count(tag) == base.start_tags.count(tag), tag
    text = got.root.text()
    # The text comes through as typed (joined on one line where it was one field).
    assert " ".join(hostile.split()) in " ".join(text.split()) or hostile.splitlines()[0].strip() in text


def test_the_markdown_injection_payloads_make_no_html_links_or_headings():
    payload = "\n".join(HOSTILE_TEXTS)
    s = make(
        responses=(replace(RESPONSES[0], reason=payload),),
        notes={"aeblet": payload},
        title=payload,
        agreements=(Agreement(1, payload, None, (), payload, None),),
    )
    md = markdown.render(s)
    html = render_md(md)
    assert "<script" not in html and "<img" not in html and "javascript:" not in html.replace("javascript:alert", "")
    assert 'href="javascript' not in html and "<a " not in html
    headings = read_html(html).root.find_all("h1")
    assert len(headings) == 1  # the title's own heading, nothing injected
    assert "Indskudt overskrift" not in "".join(h.text() for h in read_html(html).root.find_all("h2"))
    assert md.count("\n# ") == 0 and md.startswith("# ")


def test_the_jinja_report_escapes_every_user_text():
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&"
    s = make(
        title=payload,
        responses=(replace(RESPONSES[0], reason=payload),),
        notes={"aeblet": payload},
        agreements=(Agreement(1, payload, "aeblet", ("honesty",), payload, None),),
    )
    text = report.render(s)
    parsed = read_html(text)
    assert "script" not in parsed.start_tags and "img" not in parsed.start_tags
    assert text.count(payload) == 0
    shown = parsed.root.text()
    assert shown.count(payload) >= 5  # title (twice: <title> and h1), reason, note twice, agreement, owner
    assert "</" not in parsed.root.find("style").text()


def test_the_danish_csv_is_split_on_semicolons_and_reads_back():
    raw = csvrows.render(make()).encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0][:3] == ["Deltager", "Dilemma-id", "Dilemma"]
    assert all(len(row) == len(rows[0]) for row in rows[1:])
    assert rows[1][8] == "ærlighed; åbenhed"  # a value list with "; " inside stays one cell
    english = csvrows.render(make(language="en"))
    en_rows = list(csv.reader(io.StringIO(english.removeprefix("\ufeff"), newline="")))
    assert en_rows[0][:2] == ["Participant", "Dilemma id"] and len(en_rows[1]) == len(en_rows[0])


def test_the_exports_words_come_from_the_catalogue():
    assert gettext("da")("Agreements") == "Aftaler"
    assert gettext("en")("Agreements") == "Agreements"
    html = report.render(make(language="en"))
    assert "Side" not in html and "Page" in html and "Value profile" in html


def test_the_html_results_name_the_values_each_option_serves():
    doc = read_html(report.render(make())).root
    row = doc.find("section", data_dilemma="aeblet").find("tr", data_option="a")
    assert row.find("div", cls="values").text() == "Værdier: ærlighed, åbenhed"


# --- file names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Teamdag på Ærø", "teamdag-paa-aeroe"),
        ("ÆØÅ æøå", "aeoeaa-aeoeaa"),
        ("Åse og Øjvind", "aase-og-oejvind"),
        ("Café naïve – Straße", "cafe-naive-strae"),  # accents dropped; what has no ASCII form is left out
        ("  --Værdier!!  i  praksis--  ", "vaerdier-i-praksis"),
        ("../../etc/passwd", "etc-passwd"),
        ("日本語", "workshop"),
        ("", "workshop"),
        ("x" * 70, "x" * 60),
        ("Møde 2025/03", "moede-2025-03"),
    ],
)
def test_export_file_names_are_ascii_slugs_with_the_date(title, expected):
    from workshop.exports import safe_filename

    assert safe_filename(title, datetime(2025, 3, 4, 23, 59), "xlsx") == f"{expected}-2025-03-04.xlsx"


def test_an_export_pauses_the_garbage_collector_and_turns_it_back_on():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        raise ValueError("a failed export")
    assert gc.isenabled()


def test_an_export_leaves_a_collector_someone_else_paused_paused():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
