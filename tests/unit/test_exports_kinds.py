"""Every export format with every kind, rounds and the shift, the role split, the frame, the
anonymity minimum and the summary first. Hand-made Snapshots; every expected figure is worked
out by hand below; the files are read back with real readers (csv, openpyxl, json, an HTML
parser, markdown-it)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.unit.test_exports import VALUES, all_text, read_csv, read_html, read_xlsx, render_md
from workshop.domain import Deck, Dilemma, Option, Scale
from workshop.exports import FORMATS, csvrows, jsondoc, markdown, report, spreadsheet
from workshop.exports.snapshot import Response, Snapshot
from workshop.exports.words import translations
from workshop.kinds import KINDS

FRAME = "Forvaltningsloven § 19: partshøring før en afgørelse. Åben dør beskytter tilliden, lukket dør roen."
CHOICE = Dilemma(
    "valget",
    {"da": "Døren på kontoret", "en": "The office door"},
    {"da": "Lederen lukker døren hver eftermiddag.", "en": "The manager shuts the door."},
    {"da": "Hvad gør du?", "en": "What do you do?"},
    (
        Option("a", {"da": "Åben dør", "en": "Open door"}, ("honesty",)),
        Option("b", {"da": "Lukket dør", "en": "Closed door"}, ("respect",)),
    ),
    frame={"da": FRAME, "en": "Public Administration Act s. 19."},
)
SCALE = Dilemma(
    "skalaen",
    {"da": "Åbenhed i teamet", "en": "Openness in the team"},
    {"da": "Vi siger det, vi mener.", "en": "We say what we mean."},
    {"da": "Vi er åbne over for hinanden", "en": "We are open with each other"},
    kind="scale",
    scale=Scale(5, {"da": "Helt uenig", "en": "Strongly disagree"}, {"da": "Helt enig", "en": "Strongly agree"}),
    values=("openness",),
)
TEXT = Dilemma(
    "teksten",
    {"da": "Ét ord om tillid", "en": "One word on trust"},
    {"da": "Skriv frit.", "en": "Write freely."},
    {"da": "Hvad betyder tillid for dig?", "en": "What does trust mean to you?"},
    kind="text",
    reason="off",
    values=("responsibility",),
)
SMALL = Dilemma(
    "lille",
    {"da": "Den lille gruppe", "en": "The small group"},
    {"da": "Kun to svarede.", "en": "Only two answered."},
    {"da": "Hvad vælger du?", "en": "What do you choose?"},
    (Option("p", {"da": "Pas", "en": "Pass"}, ("honesty",)), Option("q", {"da": "Kvit", "en": "Quit"}, ("respect",))),
)
KDECK = Deck("alle", {"da": "Alle slags", "en": "Every kind"}, (CHOICE, SCALE, TEXT, SMALL), values=VALUES)
T0 = datetime(2025, 3, 4, 9, 0, 0)
ROLE = {1: "leader", 2: "leader", 3: "leader", 4: "employee", 5: "employee", 6: "employee"}
SECRET = "Hemmelig grund ærø"


def answer(n, dilemma, value, reason=None, round_=1, minute=0):
    key = None if isinstance(value, str) and dilemma == "teksten" else str(value)
    return Response(
        f"P{n:03d}",
        None,
        dilemma,
        key,
        reason,
        T0 + timedelta(minutes=minute, seconds=n),
        value=value,
        round=round_,
        role=ROLE.get(n),
    )


ANSWERS = (
    # The choice, round 1: a a a b b a -> a 4, b 2 (67 %, 33 %); leaders a 3, employees a 1 b 2.
    answer(1, "valget", "a", "Åbenhed vinder", minute=1),
    answer(2, "valget", "a", minute=1),
    answer(3, "valget", "a", minute=1),
    answer(4, "valget", "b", "Ro på – for nu", minute=1),
    answer(5, "valget", "b", minute=1),
    answer(6, "valget", "a", minute=1),
    # Round 2: a b a b b b -> a 2, b 4 (33 %, 67 %); P002 and P006 moved a -> b: 2 moved.
    # Leaders a 2 b 1 (67 %, 33 %), employees a 0 b 3 (0 %, 100 %).
    answer(1, "valget", "a", "Stadig åben", round_=2, minute=5),
    answer(2, "valget", "b", "Jeg skiftede, æøå", round_=2, minute=5),
    answer(3, "valget", "a", round_=2, minute=5),
    answer(4, "valget", "b", round_=2, minute=5),
    answer(5, "valget", "b", round_=2, minute=5),
    answer(6, "valget", "b", round_=2, minute=5),
    # The scale: 5 4 4 2 1 -> 1:1 2:1 3:0 4:2 5:1 (20 20 0 40 20 %), mean 3.2, median 4;
    # employees only 2 (under the minimum of 3): no role split.
    answer(1, "skalaen", 5, minute=10),
    answer(2, "skalaen", 4, minute=10),
    answer(3, "skalaen", 4, minute=10),
    answer(4, "skalaen", 2, "For hurtigt svar", minute=10),
    answer(5, "skalaen", 1, minute=10),
    # Free text: tid 3, tillid 2, faglighed 1, tager 1, æøå 1 (og, mere, til are stop words).
    answer(1, "teksten", "Tillid tager tid", minute=20),
    answer(2, "teksten", "Tid og tillid", minute=20),
    answer(3, "teksten", "Mere tid til faglighed – æøå", minute=20),
    # Under the minimum (2 of 3): nothing but the number of answers.
    answer(1, "lille", "p", SECRET, minute=30),
    answer(2, "lille", "q", minute=30),
)


def ksnap(**kw) -> Snapshot:
    base = dict(
        session_id="k1",
        title="Alle slags – æøå",
        code="654321",
        language="da",
        phase="ended",
        deck=KDECK,
        created_at=T0,
        ended_at=T0 + timedelta(hours=1),
        exported_at=T0 + timedelta(hours=1, minutes=1),
        participants=6,
        responses=ANSWERS,
        notes={"valget": "God snak."},
        min_answers=3,
    )
    base.update(kw)
    return Snapshot(**base)


ALL = sorted(FORMATS)


# --- the snapshot (what every format shows) ---------------------------------------------------


def test_the_snapshot_views_hold_the_hand_worked_figures():
    s = ksnap()
    r1, r2 = s.views(CHOICE)
    assert [(x.key, x.n, x.share) for x in r1.rows] == [("a", 4, 67), ("b", 2, 33)]
    assert [(x.key, x.n, x.share) for x in r2.rows] == [("a", 2, 33), ("b", 4, 67)]
    assert (r1.moved, r2.moved, r2.spread) == (None, 2, 0.92)
    assert [(role, n, [(x.n, x.share) for x in rows]) for role, n, rows in r2.by_role] == [
        ("leader", 3, [(2, 67), (1, 33)]),
        ("employee", 3, [(0, 0), (3, 100)]),
    ]
    assert r2.texts == (("a", "Åben dør", ("Stadig åben",)), ("b", "Lukket dør", ("Jeg skiftede, æøå",)))
    (sc,) = s.views(SCALE)
    assert [x.n for x in sc.rows] == [1, 1, 0, 2, 1] and [x.share for x in sc.rows] == [20, 20, 0, 40, 20]
    assert sc.rows[0].label == "1 (Helt uenig)" and sc.rows[-1].label == "5 (Helt enig)"
    assert sc.figures == (("Mean", 3.2), ("Median", 4)) and sc.by_role == () and sc.spread == 0.83
    (tx,) = s.views(TEXT)
    assert tx.words == (("tid", 3), ("tillid", 2), ("faglighed", 1), ("tager", 1), ("æøå", 1))
    assert [t for _k, _l, texts in tx.texts for t in texts] == [
        "Tillid tager tid",
        "Tid og tillid",
        "Mere tid til faglighed – æøå",
    ]
    (small,) = s.views(SMALL)
    assert small == type(small)(round=1, total=2, suppressed=True)
    assert s.summary()["most_divided"] == ["valget", "skalaen"]
    # Last rounds, the suppressed one left out: a (honesty) 2, b (respect) 4, openness 5, responsibility 3.
    assert s.profile() == [("openness", 5), ("respect", 4), ("responsibility", 3), ("honesty", 2)]


def test_results_are_tallied_once_per_dilemma_and_round():
    s = ksnap()
    assert s.results(CHOICE, 2) is s.results(CHOICE, 2) is s.results(CHOICE)
    assert s.results(CHOICE, 1) is not s.results(CHOICE, 2)


# --- each kind in each format -------------------------------------------------------------


def section_md(md: str, title: str) -> str:
    """The Markdown of one dilemma's section (from its heading to the next ## heading)."""
    start = md.index(f"## {title}") if f"## {title}" in md else md.index(title)
    rest = md[start + 3 :]
    end = rest.find("\n## ")
    return rest if end < 0 else rest[:end]


def test_markdown_shows_each_kind_every_round_and_the_shift():
    md = markdown.render(ksnap())
    html = read_html(render_md(md)).root
    assert html.text()  # it renders
    choice = section_md(md, "1. Døren på kontoret")
    assert "*Valg*" in choice and "### Runde 1" in choice and "### Runde 2" in choice
    assert "| Åben dør | 4 | 67 % |" in choice and "| Lukket dør | 4 | 67 % |" in choice
    assert "**2 skiftede mening**" in choice
    assert "| Ledere | 3 | 2 (67 %) | 1 (33 %) |" in choice and "| Medarbejdere | 3 | 0 (0 %) | 3 (100 %) |" in choice
    assert "*Åben dør*\n\n- Åbenhed vinder" in choice and "- Jeg skiftede, æøå" in choice
    assert "Forvaltningsloven § 19" in choice
    scale = section_md(md, "2. Åbenhed i teamet")
    assert "*Skala*" in scale and "| 1 (Helt uenig) | 1 | 20 % |" in scale and "| 5 (Helt enig) | 1 | 20 % |" in scale
    assert "**Gennemsnit:** 3,2 · **Median:** 4" in scale and "Fordeling på roller" not in scale
    text = section_md(md, "3. Ét ord om tillid")
    assert "*Åben tekst*" in text and "tid (3), tillid (2), faglighed (1), tager (1), æøå (1)" in text
    assert "**Deltagernes svar**" in text and "- Mere tid til faglighed – æøå" in text


def report_section(doc, dilemma_id):
    return doc.find("section", cls="dilemma", data_dilemma=dilemma_id)


def test_the_html_report_shows_each_kind_every_round_and_the_shift():
    doc = read_html(report.render(ksnap())).root
    sec = report_section(doc, "valget")
    assert sec.find("span", cls="kind").text() == "Valg"
    rounds = sec.find_all("section", cls="round")
    assert [r.attrs["data-round"] for r in rounds] == ["1", "2"]
    assert [r.find("h3", cls="round-heading").text() for r in rounds] == ["Runde 1", "Runde 2"]

    def table(r):
        return {
            tr.attrs["data-option"]: (int(tr.find("td", cls="votes").text()), tr.find("td", cls="pct").text())
            for tr in r.find("table", cls="results").find_all("tr")
            if "data-option" in tr.attrs
        }

    assert table(rounds[0]) == {"a": (4, "67 %"), "b": (2, "33 %")}
    assert table(rounds[1]) == {"a": (2, "33 %"), "b": (4, "67 %")}
    assert rounds[0].find("li", cls="moved") is None
    moved = rounds[1].find("li", cls="moved")
    assert moved.attrs["data-moved"] == "2" and moved.text() == "2 skiftede mening"
    roles = [
        [td.text() for td in tr.find_all("td")]
        for tr in rounds[1].find("table", cls="roles").find_all("tr", cls="role")
    ]
    assert roles == [["Ledere", "3", "2 (67 %)", "1 (33 %)"], ["Medarbejdere", "3", "0 (0 %)", "3 (100 %)"]]
    groups = {
        g.attrs["data-option"]: [li.text() for li in g.find_all("li", cls="reason")]
        for g in rounds[0].find_all("div", cls="reason-group")
    }
    assert groups == {"a": ["Åbenhed vinder"], "b": ["Ro på – for nu"]}
    assert FRAME in sec.find("aside", cls="frame").text()

    sec = report_section(doc, "skalaen")
    assert sec.find("span", cls="kind").text() == "Skala" and sec.find("h3", cls="round-heading") is None
    assert table(sec) == {"1": (1, "20 %"), "2": (1, "20 %"), "3": (0, "0 %"), "4": (2, "40 %"), "5": (1, "20 %")}
    labels = [
        tr.find("td", cls="label").text()
        for tr in sec.find("table", cls="results").find_all("tr")
        if "data-option" in tr.attrs
    ]
    assert labels[0] == "1 (Helt uenig)" and labels[-1] == "5 (Helt enig)"
    figures = [li.text() for li in sec.find_all("li", cls="figure")]
    assert figures == ["Gennemsnit: 3,2", "Median: 4"]
    assert sec.find("table", cls="roles") is None
    assert sec.find("p", cls="values").text() == "Værdier: åbenhed"

    sec = report_section(doc, "teksten")
    assert sec.find("table", cls="results") is None
    assert [(li.text().rsplit(" ", 1)[0], li.attrs["data-count"]) for li in sec.find_all("li", cls="word")] == [
        ("tid", "3"),
        ("tillid", "2"),
        ("faglighed", "1"),
        ("tager", "1"),
        ("æøå", "1"),
    ]
    assert [li.text() for li in sec.find_all("li", cls="reason")] == [
        "Tillid tager tid",
        "Tid og tillid",
        "Mere tid til faglighed – æøå",
    ]
    assert sec.find("section", cls="reasons").find("h3").text() == "Deltagernes svar"


def xlsx_sheet_rows(wb, prefix):
    ws = next(ws for ws in wb if ws.title.startswith(prefix))
    return [tuple(v for v in row) for row in ws.iter_rows(values_only=True)]


def test_the_xlsx_shows_each_kind_every_round_and_the_shift():
    wb = read_xlsx(spreadsheet.render(ksnap()))
    assert wb.sheetnames == [
        "Oversigt",
        "Aftaler",
        "1 Døren på kontoret",
        "2 Åbenhed i teamet",
        "3 Ét ord om tillid",
        "4 Den lille gruppe",
        "Svar",
    ]
    rows = xlsx_sheet_rows(wb, "1 ")
    assert rows[0][0] == "Dilemma 1 af 4 · Valg"
    assert ("Ramme (til facilitatoren)", FRAME) == rows[5][:2]
    firsts = [r[0] for r in rows]
    assert firsts.count("Runde 1") == 1 and firsts.count("Runde 2") == 1
    tables = [i for i, r in enumerate(rows) if r[:2] == ("Svarmulighed-id", "Svar")]
    assert [rows[i + 1][:5] for i in tables] == [
        ("a", "Åben dør", "ærlighed", 4, 0.67),
        ("a", "Åben dør", "ærlighed", 2, 0.33),
    ]
    assert [rows[i + 2][3:5] for i in tables] == [(2, 0.33), (4, 0.67)]
    assert ("Skiftede mening", 2, "2 skiftede mening") in [r[:3] for r in rows]
    split = [i for i, r in enumerate(rows) if r[:2] == ("Rolle", "Svar")][-1]  # round 2's
    assert rows[split][2:4] == ("Åben dør", "Lukket dør")
    assert rows[split + 1][:4] == ("Ledere", 3, 2, 1) and rows[split + 2][:4] == ("Medarbejdere", 3, 0, 3)
    texts = [r[:2] for r in rows if r[0] in ("Åben dør", "Lukket dør") and r[1] and not isinstance(r[1], (int, float))]
    assert ("Åben dør", "Åbenhed vinder") in texts and ("Lukket dør", "Jeg skiftede, æøå") in texts

    rows = xlsx_sheet_rows(wb, "2 ")
    table = next(i for i, r in enumerate(rows) if r[:2] == ("Svarmulighed-id", "Svar"))
    assert [r[:5] for r in rows[table + 1 : table + 6]] == [
        ("1", "1 (Helt uenig)", None, 1, 0.2),
        ("2", "2", None, 1, 0.2),
        ("3", "3", None, 0, 0),
        ("4", "4", None, 2, 0.4),
        ("5", "5 (Helt enig)", None, 1, 0.2),
    ]
    assert ("Gennemsnit", 3.2) in [r[:2] for r in rows] and ("Median", 4) in [r[:2] for r in rows]
    assert ("Værdier", "åbenhed") in [r[:2] for r in rows]

    rows = xlsx_sheet_rows(wb, "3 ")
    words = next(i for i, r in enumerate(rows) if r[:2] == ("Ord", "Antal"))
    assert [r[:2] for r in rows[words + 1 : words + 6]] == [
        ("tid", 3),
        ("tillid", 2),
        ("faglighed", 1),
        ("tager", 1),
        ("æøå", 1),
    ]
    texts = next(i for i, r in enumerate(rows) if r[:2] == ("Svar", "Tekst"))
    assert [r[1] for r in rows[texts + 1 : texts + 4]] == [
        "Tillid tager tid",
        "Tid og tillid",
        "Mere tid til faglighed – æøå",
    ]

    resp = list(wb["Svar"].iter_rows(values_only=True))
    assert resp[0] == ("Deltager", "Dilemma", "Runde", "Svar", "Begrundelse", "Tidspunkt (UTC)")
    assert resp[7][:5] == ("P001", "Døren på kontoret", 2, "Åben dør", "Stadig åben")
    assert resp[13][:4] == ("P001", "Åbenhed i teamet", 1, "5 (Helt enig)")
    assert resp[18][:4] == ("P001", "Ét ord om tillid", 1, "Tillid tager tid")


def test_the_csv_has_one_row_per_answer_with_kind_round_and_answer():
    rows = read_csv(csvrows.render(ksnap()))
    head, body = rows[0], rows[1:]
    assert head == [
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
    assert len(body) == len(ANSWERS)
    assert body[7] == [
        "P002",
        "valget",
        "Døren på kontoret",
        "Valg",
        "2",
        "b",
        "Lukket dør",
        "b",
        "respekt",
        "Jeg skiftede, æøå",
        "2025-03-04 09:05:02",
    ]
    assert body[12][:10] == [
        "P001",
        "skalaen",
        "Åbenhed i teamet",
        "Skala",
        "1",
        "5",
        "5 (Helt enig)",
        "5",
        "åbenhed",
        "",
    ]
    assert body[17][:10] == [
        "P001",
        "teksten",
        "Ét ord om tillid",
        "Åben tekst",
        "1",
        "",
        "",
        "Tillid tager tid",
        "ansvar",
        "",
    ]
    rounds = [(row[1], row[4]) for row in body if row[1] == "valget"]
    assert rounds == [("valget", "1")] * 6 + [("valget", "2")] * 6


def test_the_json_carries_kinds_rounds_the_shift_and_the_summary():
    doc = json.loads(jsondoc.render(ksnap()))
    assert doc["schema_version"] == 2 and doc["session"]["min_answers"] == 3
    c, sc, tx, small = doc["dilemmas"]
    assert [x["kind"] for x in doc["dilemmas"]] == ["choice", "scale", "text", "choice"]
    assert c["frame"] == FRAME and c["moved"] == 2 and c["total"] == 6
    r1, r2 = c["rounds"]
    assert (r1["round"], r1["counts"], r1["percentages"], r1["spread"]) == (
        1,
        {"a": 4, "b": 2},
        {"a": 67, "b": 33},
        0.92,
    )
    assert (r2["counts"], r2["moved"]) == ({"a": 2, "b": 4}, 2)
    assert r2["by_role"] == {
        "leader": {"total": 3, "counts": {"a": 2, "b": 1}},
        "employee": {"total": 3, "counts": {"a": 0, "b": 3}},
    }
    assert r1["texts"] == [{"text": "Åbenhed vinder", "option": "a"}, {"text": "Ro på – for nu", "option": "b"}]
    assert "previous" not in r2
    assert sc["scale"] == {"points": 5, "low": "Helt uenig", "high": "Helt enig"} and sc["options"] == []
    (s1,) = sc["rounds"]
    assert (s1["counts"], s1["mean"], s1["median"]) == ({"1": 1, "2": 1, "3": 0, "4": 2, "5": 1}, 3.2, 4)
    (t1,) = tx["rounds"]
    assert t1["words"] == [["tid", 3], ["tillid", 2], ["faglighed", 1], ["tager", 1], ["æøå", 1]]
    assert [t["text"] for t in t1["texts"]] == ["Tillid tager tid", "Tid og tillid", "Mere tid til faglighed – æøå"]
    assert all("option" not in t for t in t1["texts"])
    assert doc["summary"]["most_divided"] == ["valget", "skalaen"]
    assert [(x["id"], x["answers"], x["moved"]) for x in doc["summary"]["dilemmas"]] == [
        ("valget", 6, 2),
        ("skalaen", 5, None),
        ("teksten", 3, None),
        ("lille", 2, None),
    ]
    assert [(p["value"], p["n"]) for p in doc["summary"]["profile"]] == [
        ("openness", 5),
        ("respect", 4),
        ("responsibility", 3),
        ("honesty", 2),
    ]
    resp = doc["responses"]
    assert resp[7] == {
        "participant": "P002",
        "name": None,
        "dilemma": "valget",
        "round": 2,
        "option": "b",
        "value": "b",
        "reason": "Jeg skiftede, æøå",
        "time": "2025-03-04T09:05:02Z",
    }
    assert resp[12]["value"] == 5 and resp[17]["value"] == "Tillid tager tid" and resp[17]["option"] is None


def test_the_json_reads_back_with_kinds_and_rounds():
    s = ksnap(responses=tuple(replace(r, role=None) for r in ANSWERS))  # roles are not exported per answer
    again = jsondoc.load(jsondoc.render(s))
    for d in KDECK.dilemmas:
        for rnd in s.rounds(d):
            assert again.results(d, rnd) == s.results(d, rnd), (d.id, rnd)
    assert jsondoc.render(again) == jsondoc.render(s)


def test_the_json_reader_still_reads_a_version_1_document():
    v1 = {
        "schema_version": 1,
        "kind": "workshop.session-export",
        "exported_at": "2025-03-04T10:32:00Z",
        "session": {
            "id": "s",
            "title": "Gammel",
            "code": "123456",
            "language": "da",
            "phase": "ended",
            "live": False,
            "created_at": "2025-03-04T09:30:00Z",
            "ended_at": None,
            "participants": 2,
            "show_names": False,
        },
        "deck": KDECK.to_dict(),
        "dilemmas": [],
        "value_profile": [],
        "notes": {},
        "responses": [
            {
                "participant": "P001",
                "name": None,
                "dilemma": "valget",
                "option": "a",
                "reason": "Før æøå",
                "time": "2025-03-04T09:31:01Z",
            },
            {
                "participant": "P002",
                "name": None,
                "dilemma": "valget",
                "option": "b",
                "reason": None,
                "time": "2025-03-04T09:31:02Z",
            },
        ],
    }
    s = jsondoc.load(json.dumps(v1))
    assert s.min_answers == 1 and s.agreements == ()
    assert s.results(CHOICE)["counts"] == {"a": 1, "b": 1} and s.rounds(CHOICE) == [1]
    assert s.reasons_in_order(CHOICE) == [("a", "Før æøå")]


# --- the anonymity minimum ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ALL)
def test_under_the_minimum_no_format_shows_a_distribution_or_a_text(fmt):
    s = ksnap()
    data = FORMATS[fmt][0](s)
    assert SECRET not in all_text(fmt, data)
    sentence = "For få svar til at vise resultater – af hensyn til anonymiteten"
    if fmt == "md":
        sec = section_md(data, "4. Den lille gruppe")
        assert sentence in sec and "Svar i alt: 2" in sec
        assert "| Pas |" not in sec and "| Kvit |" not in sec and "%" not in sec
    elif fmt == "html":
        sec = report_section(read_html(data).root, "lille")
        assert sec.find("p", cls="suppressed").text() == sentence and sec.find("b", cls="total").text() == "2"
        assert sec.find("table") is None and sec.find("li") is None and "%" not in sec.text()
    elif fmt == "xlsx":
        rows = xlsx_sheet_rows(read_xlsx(data), "4 ")
        cells = [v for r in rows for v in r if v is not None]
        assert (
            sentence in cells
            and ("Svar i alt", None, None, 2) == rows[next(i for i, r in enumerate(rows) if r[0] == "Svar i alt")][:4]
        )
        assert "Pas" not in cells and "Kvit" not in cells and "Svarmulighed-id" not in cells
        resp = [r for r in read_xlsx(data)["Svar"].iter_rows(values_only=True) if r[1] == "Den lille gruppe"]
        assert [r[:5] for r in resp] == [
            ("P001", "Den lille gruppe", 1, None, None),
            ("P002", "Den lille gruppe", 1, None, None),
        ]
    elif fmt == "csv":
        rows = [r for r in read_csv(data)[1:] if r[1] == "lille"]
        assert [r[:10] for r in rows] == [
            ["P001", "lille", "Den lille gruppe", "Valg", "1", "", "", "", "", ""],
            ["P002", "lille", "Den lille gruppe", "Valg", "1", "", "", "", "", ""],
        ]
    else:
        doc = json.loads(data)
        small = doc["dilemmas"][3]
        assert small["suppressed"] is True and small["rounds"] == [
            {"kind": "choice", "round": 1, "total": 2, "suppressed": True}
        ]
        resp = [r for r in doc["responses"] if r["dilemma"] == "lille"]
        assert all(r["option"] is r["value"] is r["reason"] is None and r["suppressed"] for r in resp)
        assert doc["summary"]["dilemmas"][3]["suppressed"] is True and doc["summary"]["dilemmas"][3]["by_role"] is None
        again = jsondoc.load(data)  # read back, the minimum still holds
        assert again.results(SMALL) == {
            "dilemma": "lille",
            "kind": "choice",
            "round": 1,
            "total": 2,
            "participants": 6,
            "suppressed": True,
        }


@pytest.mark.parametrize("fmt", ALL)
def test_a_text_answer_under_the_minimum_shows_no_word_and_no_text(fmt):
    s = ksnap(min_answers=4)  # the text has 3 answers: under; the scale 5 and the choice 6: shown
    text = all_text(fmt, FORMATS[fmt][0](s))
    for word in ("Tillid tager tid", "faglighed", "Tid og tillid"):
        assert word not in text, (fmt, word)
    assert "Åbenhed vinder" in text


@pytest.mark.parametrize("fmt", ["md", "html", "xlsx", "json"])
def test_no_role_split_where_a_group_is_under_the_minimum(fmt):
    s = ksnap(min_answers=4)  # leaders 3, employees 3: both under
    text = all_text(fmt, FORMATS[fmt][0](s))
    assert not re.search(r"\b(Ledere|Medarbejdere|leader|employee)\b", text)


# --- the summary first ----------------------------------------------------------------------


def test_every_format_opens_with_the_summary():
    s = ksnap()
    md = markdown.render(s)
    order = [
        md.index(x)
        for x in (
            "## Overblik",
            "### Hvor rummet var mest delt",
            "## Værdiprofil",
            "## Aftaler",
            "## 1. Døren på kontoret",
        )
    ]
    assert order == sorted(order)
    assert "| 1 | Døren på kontoret | Valg | 6 → 6 | 0,92 | 2 | Ledere 3 · Medarbejdere 3 |" in md
    assert "| 4 | Den lille gruppe | Valg | 2 | – | – | – |" in md
    assert "1. Døren på kontoret: 0,92\n2. Åbenhed i teamet: 0,83" in md

    doc = read_html(report.render(s)).root
    main = doc.find("main")
    tops = [(c.tag, c.classes) for c in main.children if not isinstance(c, str)]
    names = [cls[0] if cls else tag for tag, cls in tops]
    assert names[:5] == ["cover", "summary", "profile", "agreements", "dilemma"]
    overview = doc.find("table", cls="overview")
    cells = [[td.text() for td in tr.find_all("td")] for tr in overview.find_all("tr") if "data-dilemma" in tr.attrs]
    assert cells[0] == ["1", "Døren på kontoret", "Valg", "6 → 6", "0,92", "2", "Ledere 3 · Medarbejdere 3"]
    assert cells[3] == ["4", "Den lille gruppe", "Valg", "2", "–", "–", "–"]
    assert [li.attrs["data-dilemma"] for li in doc.find("ol", cls="ranked").find_all("li")] == ["valget", "skalaen"]

    wb = read_xlsx(spreadsheet.render(s))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[:2] == ("#", "Dilemma") and r[2] == "Type")
    assert rows[head + 1][:7] == (1, "Døren på kontoret", "Valg", "6 → 6", 0.92, 2, "Ledere 3 · Medarbejdere 3")
    assert rows[head + 2][:7] == (2, "Åbenhed i teamet", "Skala", 5, 0.83, "–", "–")
    assert rows[head + 4][:7] == (4, "Den lille gruppe", "Valg", 2, "–", "–", "–")
    ranked = next(i for i, r in enumerate(rows) if r[0] == "Hvor rummet var mest delt")
    assert [r[:3] for r in rows[ranked + 2 : ranked + 4]] == [
        (1, "Døren på kontoret", 0.92),
        (2, "Åbenhed i teamet", 0.83),
    ]
    assert wb.sheetnames[:2] == ["Oversigt", "Aftaler"]

    doc = json.loads(jsondoc.render(s))
    assert list(doc).index("summary") < list(doc).index("dilemmas")


def test_the_xlsx_value_profile_is_a_native_chart_of_the_profile_table():
    data = spreadsheet.render(ksnap())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        assert "xl/charts/chart1.xml" in names and "xl/drawings/drawing1.xml" in names
        chart = z.read("xl/charts/chart1.xml").decode()
        rels = z.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
    assert "<c:barChart>" in chart and "drawing1.xml" in rels  # on the summary sheet
    assert "<c:f>Oversigt!$B$" in chart and "<c:f>Oversigt!$C$" in chart
    wb = read_xlsx(data)
    ws = wb.worksheets[0]
    (ch,) = ws._charts
    ref = ch.series[0].val.numRef.f
    rows = list(ws.iter_rows(values_only=True))
    first = next(i for i, r in enumerate(rows) if r[1:3] == ("Værdi", "Antal")) + 2
    assert ref == f"Oversigt!$C${first}:$C${first + 3}"
    assert [ws[f"B{r}"].value for r in range(first, first + 4)] == ["åbenhed", "respekt", "ansvar", "ærlighed"]
    assert [ws[f"C{r}"].value for r in range(first, first + 4)] == [5, 4, 3, 2]


def test_a_session_without_profile_has_no_chart():
    data = spreadsheet.render(ksnap(responses=()))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not [n for n in z.namelist() if n.startswith("xl/charts/")]


# --- the frame, Danish letters, English -----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html", "xlsx", "json"])
def test_the_frame_is_in_every_format_that_describes_the_dilemmas(fmt):
    assert FRAME in all_text(fmt, FORMATS[fmt][0](ksnap()))


@pytest.mark.parametrize("fmt", ALL)
def test_danish_letters_of_every_kind_survive(fmt):
    data = FORMATS[fmt][0](ksnap())
    text = all_text(fmt, data)
    for expected in ("Jeg skiftede, æøå", "Mere tid til faglighed – æøå", "Åbenhed i teamet", "Ét ord om tillid"):
        assert expected in text, (fmt, expected)


@pytest.mark.parametrize("fmt", ["md", "html", "xlsx"])
def test_an_english_session_speaks_english(fmt):
    text = all_text(fmt, FORMATS[fmt][0](ksnap(language="en")))
    for expected in (
        "Round 2",
        "2 changed their mind",
        "Mean",
        "Strongly agree",
        "Too few answers to show results",
        "Where the room was most divided",
        "Leaders",
        "Open text",
    ):
        assert expected in text, (fmt, expected)
    assert "Runde 2" not in text and "skiftede mening" not in text and "Gennemsnit" not in text


# --- every registered kind ------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_registered_kind_has_an_export_section_in_both_languages_and_docs(name):
    kind = KINDS[name]
    catalogue = translations("da")._catalog  # msgid -> Danish, as compiled
    for msgid in (kind.label, kind.texts_label, *(label for label, _v in kind.figures({}))):
        assert msgid and catalogue.get(msgid), f"{msgid!r} needs a Danish translation"
    # The kind's section shows up, under its Danish name, in every format that describes dilemmas.
    assert any(d.kind == name for d in KDECK.dilemmas), "add a dilemma of the kind to this file's deck"
    for fmt in ("md", "html", "xlsx"):
        assert catalogue[kind.label] in all_text(fmt, FORMATS[fmt][0](ksnap())), fmt
    docs = (Path(__file__).resolve().parents[2] / "docs" / "export.md").read_text("utf-8")
    assert f"*{catalogue[kind.label]} / {kind.label}*" in docs, "docs/export.md names the kind"
