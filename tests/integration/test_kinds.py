"""Question kinds, rounds, the timer, `add` and moderation, driven from outside: the HTTP API
and several Socket.IO clients, with the real app and database. Expected values are worked out
by hand from the answers each test gives."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import wait_for
from workshop.exports import jsondoc

DECK = (Path(__file__).resolve().parent.parent / "data" / "kinds-deck.yaml").read_text(encoding="utf-8")


def events(client, name):
    return [m["args"][0] for m in client.get_received() if m["name"] == name]


@pytest.fixture
def room(app, client, facilitator, sockets, csrf_from):
    """A session on the test deck with every kind, a projector watching, helpers for phones."""
    facilitator.create()
    facilitator.login()
    token = csrf_from(client.get("/f/decks").get_data(as_text=True))
    r = client.post(
        "/f/decks",
        data={"csrf_token": token, "file": (io.BytesIO(DECK.encode("utf-8")), "alle.yaml")},
        content_type="multipart/form-data",
    )
    assert r.status_code in (200, 302), r.get_data(as_text=True)[:500]
    headers = facilitator.token()

    class Room:
        def __init__(self, **extra):
            self.session = facilitator.session(headers, deck="alle-slags", **extra)
            self.screen = sockets()
            ack = self.screen.emit(
                "watch", {"code": self.session["code"], "screen_token": self.session["screen_token"]}, callback=True
            )
            assert ack["ok"]
            self.phones = []

        def phone(self, **join):
            c = sockets()
            ack = c.emit("join", {"code": self.session["code"], **join}, callback=True)
            assert ack["ok"], ack
            c.get_received()
            self.phones.append(c)
            return c

        def command(self, cmd, **data):
            r = client.post(
                f"/api/sessions/{self.session['id']}/commands", json={"command": cmd, **data}, headers=headers
            )
            return r

        def do(self, cmd, **data):
            r = self.command(cmd, **data)
            assert r.status_code == 200, r.get_json()
            return r.get_json()

        def view(self):
            return client.get(f"/api/sessions/{self.session['id']}", headers=headers).get_json()

        def export(self, fmt):
            r = client.get(f"/api/sessions/{self.session['id']}/export?format={fmt}", headers=headers)
            assert r.status_code == 200
            return r.get_data(as_text=True) if fmt != "xlsx" else r.data

    Room.headers = headers
    Room.app = app
    return Room


def vote(phone, **answer):
    return phone.emit("vote", answer, callback=True)


def test_a_required_reason_is_asked_for_and_a_given_one_is_taken(room):
    r = room()
    p = r.phone()
    d = r.do("next")["dilemma"]
    assert (d["kind"], d["reason"], [o["id"] for o in d["options"]]) == ("choice", "required", ["a", "b"])
    for reason in (None, "", "   "):
        ack = vote(p, dilemma=d["id"], option="a", **({"reason": reason} if reason is not None else {}))
        assert ack["ok"] is False and ack["error"]["code"] == "reason_required"
        assert ack["error"]["message"] == "Skriv en kort begrundelse for dit svar."
    assert vote(p, dilemma=d["id"], option="a", reason="Fordi hun bad mig")["ok"]
    assert r.view()["results"]["counts"] == {"a": 1, "b": 0}


def test_a_scale_takes_whole_points_in_range_and_shows_mean_and_median(room):
    r = room()
    phones = [r.phone() for _ in range(4)]
    r.do("next")
    d = r.do("next")["dilemma"]
    assert d["kind"] == "scale" and d["options"] == []
    assert d["scale"] == {"points": 5, "low": "Helt uenig", "high": "Helt enig"}
    for bad in (0, 6, -1, 2.5, "3", True):
        ack = vote(phones[0], dilemma=d["id"], value=bad)
        assert ack["ok"] is False and ack["error"]["code"] == "invalid_option", bad
    for p, v in zip(phones, (1, 4, 5, 5), strict=True):
        assert vote(p, dilemma=d["id"], value=v)["ok"]
    res = r.view()["results"]
    assert res["kind"] == "scale" and res["round"] == 1 and res["total"] == 4
    assert res["counts"] == {"1": 1, "2": 0, "3": 0, "4": 1, "5": 2}
    assert (res["mean"], res["median"]) == (3.8, 4.5)
    assert sum(res["percentages"].values()) == 100


def test_a_text_answer_is_at_most_280_characters_and_makes_a_word_cloud(room):
    r = room()
    phones = [r.phone() for _ in range(3)]
    d = r.do("next")  # choice first
    r.do("next")
    d = r.do("next")["dilemma"]
    assert (d["kind"], d["reason"]) == ("text", "off")
    ack = vote(phones[0], dilemma=d["id"], text="x" * 281)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid_request"
    assert vote(phones[0], dilemma=d["id"], text="ø" * 280)["ok"]
    assert vote(phones[0], dilemma=d["id"], text="Ærlighed skaber tillid")["ok"]  # replaces the first
    assert vote(phones[1], dilemma=d["id"], text="Tillid kræver ærlighed, og TILLID tager tid")["ok"]
    assert vote(phones[2], dilemma=d["id"], text="", reason="x")["error"]["code"] == "invalid_request"
    res = r.view()["results"]
    assert res["total"] == 2
    assert res["words"] == [["tillid", 3], ["ærlighed", 2], ["kræver", 1], ["skaber", 1], ["tager", 1], ["tid", 1]]


def test_watchers_get_the_wall_once_revealed_and_phones_never_do(room):
    r = room()
    phones = [r.phone() for _ in range(2)]
    d = r.do("next")["dilemma"]
    vote(phones[0], dilemma=d["id"], option="a", reason="Tillid først")
    vote(phones[1], dilemma=d["id"], option="b", reason="Hun skal tale med lederen")
    assert "texts" not in r.view()["results"]  # not before the reveal
    r.screen.get_received()
    r.do("reveal")
    screen_state = events(r.screen, "state")[-1]
    assert [(t["text"], t["option"]) for t in screen_state["results"]["texts"]] == [
        ("Tillid først", "a"),
        ("Hun skal tale med lederen", "b"),
    ]
    phone_state = events(phones[0], "state")[-1]
    assert phone_state["results"]["counts"] == {"a": 1, "b": 1}
    assert "texts" not in phone_state["results"]


def test_a_hidden_reason_leaves_the_projector_and_every_export_but_the_vote_counts(room):
    r = room()
    phones = [r.phone() for _ in range(2)]
    d = r.do("next")["dilemma"]
    vote(phones[0], dilemma=d["id"], option="a", reason="Et rimeligt argument")
    vote(phones[1], dilemma=d["id"], option="a", reason="Grimt navn på Mette")
    r.do("reveal")
    texts = r.view()["texts"]
    assert [(t["text"], t["hidden"]) for t in texts] == [
        ("Et rimeligt argument", False),
        ("Grimt navn på Mette", False),
    ]
    bad = texts[1]["id"]
    r.screen.get_received()
    client = phones[0]  # any client; moderation is HTTP
    resp = r.app.test_client().post(f"/api/sessions/{r.session['id']}/texts/{bad}", json={"hidden": True})
    assert resp.status_code == 401  # not without the facilitator's token
    moderated = room_client_post(r, f"/texts/{bad}", {"hidden": True})
    assert moderated == {"id": bad, "hidden": True}
    seen = []

    def the_wall_has_left_it():
        seen.extend(events(r.screen, "results"))
        return bool(seen) and [t["text"] for t in seen[-1].get("texts", [])] == ["Et rimeligt argument"]

    assert wait_for(the_wall_has_left_it, timeout=3), seen[-1:]
    assert r.view()["results"]["counts"]["a"] == 2
    assert [t["hidden"] for t in r.view()["texts"]] == [False, True]
    for fmt in ("md", "html", "csv", "json"):
        assert "Grimt navn" not in r.export(fmt), fmt
        assert "Et rimeligt argument" in r.export(fmt), fmt
    assert b"Grimt navn" not in _xlsx_text(r.export("xlsx"))
    assert room_client_post(r, f"/texts/{bad}", {"hidden": False}) == {"id": bad, "hidden": False}
    assert "Grimt navn" in r.export("md")
    assert client.is_connected()


def room_client_post(r, path, body, status=200):
    resp = r.app.test_client().post(f"/api/sessions/{r.session['id']}{path}", json=body, headers=r.headers)
    assert resp.status_code == status, resp.get_json()
    return resp.get_json()


def _xlsx_text(data: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml"))


def _export_texts(r) -> dict[str, str]:
    """Every format's export as the text a reader gets (the xlsx: its XML parts)."""
    out = {fmt: r.export(fmt) for fmt in ("md", "html", "csv", "json")}
    out["xlsx"] = _xlsx_text(r.export("xlsx")).decode("utf-8")
    return out


def test_hidden_reasons_and_text_answers_of_every_round_stay_out_of_every_format(room):
    r = room()
    phones = [r.phone() for _ in range(2)]
    d = r.do("next")["dilemma"]

    def hide(word):
        for text in r.view()["texts"]:  # the texts of the round on show
            if word in text["text"]:
                room_client_post(r, f"/texts/{text['id']}", {"hidden": True})

    vote(phones[0], dilemma=d["id"], option="a", reason="Første runde, pæn")
    vote(phones[1], dilemma=d["id"], option="b", reason="Første runde, GRIMT ord")
    r.do("reveal")
    hide("GRIMT")
    r.do("revote")
    vote(phones[0], dilemma=d["id"], option="b", reason="Anden runde, pæn æøå")  # moved a -> b
    vote(phones[1], dilemma=d["id"], option="b", reason="Anden runde, UPASSENDE ord")
    r.do("reveal")
    hide("UPASSENDE")
    r.do("next")
    t = r.do("next")["dilemma"]
    assert t["kind"] == "text"
    vote(phones[0], dilemma=t["id"], text="Tillid kræver tid, æøå")
    vote(phones[1], dilemma=t["id"], text="Skjult svar om Mette")
    hide("Mette")
    exports = _export_texts(r)
    for fmt, text in exports.items():
        assert "GRIMT" not in text and "UPASSENDE" not in text, fmt
        assert "Mette" not in text, fmt  # neither the text nor a word of it
        for shown in ("Første runde, pæn", "Anden runde, pæn æøå", "Tillid kræver tid, æøå"):
            assert shown in text, (fmt, shown)
    # The hidden reasons' votes still count; the hidden text answer leaves the word list as well.
    doc = json.loads(exports["json"])
    choice, _scale, text = doc["dilemmas"]
    assert [x["counts"] for x in choice["rounds"]] == [{"a": 1, "b": 1}, {"a": 0, "b": 2}]
    assert choice["moved"] == 1 and [x["round"] for x in choice["rounds"]] == [1, 2]
    assert text["rounds"][0]["words"] == [["kræver", 1], ["tid", 1], ["tillid", 1], ["æøå", 1]]
    assert "1 skiftede mening" in exports["md"] and "1 skiftede mening" in exports["html"]


def test_under_the_minimum_no_export_shows_a_distribution_or_a_text(room):
    r = room(min_answers=3)
    phones = [r.phone() for _ in range(2)]
    d = r.do("next")["dilemma"]
    vote(phones[0], dilemma=d["id"], option="a", reason="Min hemmelige grund")
    vote(phones[1], dilemma=d["id"], option="b", reason="Din hemmelige grund")
    r.do("next")
    t = r.do("next")["dilemma"]
    vote(phones[0], dilemma=t["id"], text="Et hemmeligt ord")
    r.do("end")
    exports = _export_texts(r)
    for fmt, text in exports.items():
        assert "hemmelig" not in text.lower(), fmt
    for fmt in ("md", "html"):
        assert "For få svar til at vise resultater – af hensyn til anonymiteten" in exports[fmt], fmt
    doc = json.loads(exports["json"])
    assert [x["suppressed"] for x in doc["dilemmas"]] == [True, False, True]
    assert doc["dilemmas"][0]["rounds"] == [{"kind": "choice", "round": 1, "total": 2, "suppressed": True}]
    assert all(x["value"] is None for x in doc["responses"])


def test_a_hidden_text_answer_counts_alike_live_and_in_every_export_without_its_words(room):
    """5 text answers, 1 hidden, minimum 5: live it is 5 answers and a result; so in every export."""
    r = room(min_answers=5)
    phones = [r.phone() for _ in range(5)]
    r.do("next")
    r.do("next")
    t = r.do("next")["dilemma"]
    assert t["kind"] == "text"
    for p, text in zip(phones[:4], ("Tillid tager tid", "Tillid og ro", "Ro på", "Tid nok"), strict=True):
        assert vote(p, dilemma=t["id"], text=text)["ok"]
    assert vote(phones[4], dilemma=t["id"], text="Skjult svar om Mette")["ok"]
    (hidden,) = [x["id"] for x in r.view()["texts"] if "Mette" in x["text"]]
    room_client_post(r, f"/texts/{hidden}", {"hidden": True})
    live = r.view()
    assert (live["results"]["total"], live["results"]["suppressed"]) == (5, False)
    assert "mette" not in {w for w, _ in live["results"]["words"]}
    exports = _export_texts(r)
    for fmt, text in exports.items():
        assert "Mette" not in text and "Skjult" not in text, fmt  # neither the text nor a word of it
        assert "Tillid tager tid" in text, fmt
        assert "For få svar til at vise resultater" not in text, fmt
    doc = json.loads(exports["json"])
    text = doc["dilemmas"][2]
    assert (text["total"], text["suppressed"]) == (5, False)
    assert text["rounds"][0]["total"] == 5 and text["rounds"][0]["words"] == live["results"]["words"]
    assert doc["summary"]["dilemmas"][2]["answers"] == 5
    assert doc["value_profile"] == [
        {"value": p["value"], "label": p["label"], "count": p["n"]} for p in live["profile"]
    ]
    rows = [x for x in doc["responses"] if x["dilemma"] == t["id"]]
    assert len(rows) == 5 and [x["value"] for x in rows if x.get("hidden")] == [None]
    csv_rows = [line for line in exports["csv"].splitlines() if f";{t['id']};" in line]
    assert len(csv_rows) == 5
    back = jsondoc.load(exports["json"])  # read back, it still counts 5 and is not suppressed
    assert back.results(back.deck.dilemmas[2])["total"] == 5 and not back.suppressed(back.deck.dilemmas[2])


def test_under_the_minimum_no_export_row_says_that_an_answer_was_hidden(room):
    """Rows under the minimum say nothing of any one answer: not even that it was moderated."""
    r = room(min_answers=5)
    phones = [r.phone() for _ in range(5)]
    r.do("next")
    r.do("next")
    t = r.do("next")["dilemma"]
    for i, p in enumerate(phones):
        assert vote(p, dilemma=t["id"], text=f"Svar nummer {i}")["ok"]
    (hidden,) = [x["id"] for x in r.view()["texts"] if x["text"] == "Svar nummer 4"]
    room_client_post(r, f"/texts/{hidden}", {"hidden": True})
    r.do("minimum", min_answers=6)  # raised before the reveal: the round is now under it
    doc = json.loads(_export_texts(r)["json"])
    rows = [x for x in doc["responses"] if x["dilemma"] == t["id"]]
    assert len(rows) == 5 and all(x.get("suppressed") for x in rows)
    assert not any("hidden" in x for x in rows)


def test_moderating_a_text_of_another_session_is_not_found(room):
    a, b = room(), room()
    p = a.phone()
    d = a.do("next")["dilemma"]
    vote(p, dilemma=d["id"], option="a", reason="min grund")
    text_id = a.view()["texts"][0]["id"]
    room_client_post(b, f"/texts/{text_id}", {"hidden": True}, status=404)
    room_client_post(a, "/texts/nope", {"hidden": True}, status=404)
    room_client_post(a, f"/texts/{text_id}", {"hidden": "yes"}, status=400)


def test_a_revote_opens_round_two_and_the_reveal_shows_both_rounds_and_who_moved(room):
    r = room()
    phones = [r.phone() for _ in range(4)]
    d = r.do("next")["dilemma"]
    for p, o in zip(phones, "aabb", strict=True):
        vote(p, dilemma=d["id"], option=o, reason="r")
    first = r.do("reveal")
    assert first["round"] == 1 and first["divided"] is True and first["suggested"] == "revote"
    for p in phones:
        p.get_received()
    view = r.do("revote")
    assert (view["phase"], view["round"], view["dilemma"]["id"]) == ("voting", 2, d["id"])
    assert view["results"]["total"] == 0
    for p in phones:
        state = events(p, "state")[-1]
        assert state["round"] == 2 and state["my_vote"] is None
    # p0 stays, p1 moves a->b, p2 moves b->a, p3 does not answer round 2
    for p, o in zip(phones[:3], "aba", strict=True):
        assert vote(p, dilemma=d["id"], option=o, reason="r2")["ok"]
    assert "previous" not in r.view()["results"]  # only once revealed
    res = r.do("reveal")["results"]
    assert res["round"] == 2 and res["counts"] == {"a": 2, "b": 1} and res["moved"] == 2
    assert res["previous"]["round"] == 1 and res["previous"]["counts"] == {"a": 2, "b": 2}
    assert "previous" not in res["previous"]
    r.do("revote")
    assert r.command("reveal").status_code == 200
    assert r.command("revote").json["error"]["code"] == "invalid_transition"  # three rounds at most
    # `previous` from the next dilemma shows this one's last round
    r.do("next")
    assert r.do("previous")["round"] == 3
    csv_text = r.export("csv")
    assert csv_text.count("r2") == 3


def test_a_timer_counts_down_on_every_screen_and_closes_voting_by_itself(room):
    r = room()
    p = r.phone()
    r.do("next")
    assert r.command("timer", seconds=5).json["error"]["code"] == "invalid_request"
    assert r.command("timer", seconds=901).json["error"]["code"] == "invalid_request"
    view = r.do("timer", seconds=60)
    assert view["timer"]["seconds"] == 60 and view["timer"]["ends_at"].endswith("Z") and view["server_time"]
    state = events(p, "state")[-1]
    assert state["timer"] == view["timer"] and state["phase"] == "voting"
    # Make the time run out (the clock is the database's truth) and let the ticker close it.
    from workshop.store import WorkshopSession, db, now

    with r.app.app_context():
        s = db.session.get(WorkshopSession, r.session["id"])
        s.timer_ends_at = now() - timedelta(seconds=1)
        db.session.commit()
    d = r.view()["dilemma"]
    assert vote(p, dilemma=d["id"], option="a", reason="for sent")["error"]["code"] == "voting_closed"
    closed = wait_for(lambda: [s for s in events(p, "state") if s["phase"] == "closed"], timeout=5)
    assert closed and closed[-1]["timer"] is None
    assert r.view()["phase"] == "closed"


def test_a_timer_can_be_cancelled_and_runs_only_while_voting(room):
    r = room()
    assert r.command("timer", seconds=30).json["error"]["code"] == "invalid_transition"  # lobby
    r.do("next")
    r.do("timer", seconds=30)
    assert r.do("timer", seconds=0)["timer"] is None
    r.do("timer", seconds=30)
    assert r.do("close")["timer"] is None  # a phase change cancels it


@pytest.mark.parametrize(
    "spec, expected",
    [
        ({"kind": "choice", "options": ["Ja", "Nej", "Måske"]}, {"kind": "choice", "options": ["Ja", "Nej", "Måske"]}),
        ({"kind": "scale"}, {"kind": "scale", "scale": {"points": 5, "low": "Helt uenig", "high": "Helt enig"}}),
        (
            {"kind": "scale", "scale": {"points": 7, "low": "Nej", "high": "Ja"}},
            {"kind": "scale", "scale": {"points": 7, "low": "Nej", "high": "Ja"}},
        ),
        ({"kind": "text"}, {"kind": "text", "options": []}),
    ],
)
def test_add_appends_a_question_to_this_session_and_opens_it(room, spec, expected):
    r = room()
    p = r.phone()
    view = r.do("add", dilemma={"title": "Spørgsmål fra salen", "question": "Hvad tænker I?", **spec})
    d = view["dilemma"]
    assert (view["phase"], d["index"], d["count"], d["title"], d["question"]) == (
        "voting",
        3,
        4,
        "Spørgsmål fra salen",
        "Hvad tænker I?",
    )
    assert d["id"] == "live-4"
    for k, v in expected.items():
        got = [o["label"] for o in d["options"]] if k == "options" else d[k]
        assert got == v
    assert events(p, "state")[-1]["dilemma"]["id"] == "live-4"
    answer = {"choice": {"option": "a"}, "scale": {"value": 2}, "text": {"text": "Godt spørgsmål"}}[spec["kind"]]
    assert vote(p, dilemma="live-4", **answer)["ok"]
    assert r.view()["results"]["total"] == 1
    assert "Spørgsmål fra salen" in r.export("md")
    other = room()  # the deck itself is untouched
    assert other.do("next")["dilemma"]["count"] == 3


@pytest.mark.parametrize(
    "spec",
    [
        None,
        "text",
        {"title": "", "question": "Q", "kind": "choice", "options": ["a", "b"]},
        {"title": "T", "question": "Q", "kind": "choice", "options": ["kun en"]},
        {"title": "T", "question": "Q", "kind": "choice", "options": ["a"] * 7},
        {"title": "T", "question": "Q", "kind": "poll"},
        {"title": "T" * 81, "question": "Q", "kind": "text"},
        {"title": "T", "question": "Q" * 201, "kind": "text"},
        {"title": "T", "question": "Q", "kind": "scale", "scale": {"points": 6}},
    ],
)
def test_a_malformed_add_is_an_invalid_request(room, spec):
    r = room()
    resp = r.command("add", dilemma=spec)
    assert resp.status_code == 400 and resp.json["error"]["code"] == "invalid_request"


def test_a_session_on_a_route_holds_just_the_routes_dilemmas(room, client):
    decks = client.get("/api/decks", headers=room.headers).get_json()["decks"]
    mine = next(d for d in decks if d["id"] == "alle-slags")
    assert mine["routes"] == [
        {
            "id": "kort",
            "title": "Kort forløb",
            "titles": {"da": "Kort forløb", "en": "Short route"},
            "minutes": 60,
            "dilemmas": 2,
        }
    ]
    assert mine["kinds"] == ["choice", "scale", "text"]
    r = room(route="kort")
    first = r.do("next")["dilemma"]
    second = r.do("next")["dilemma"]
    assert (first["id"], second["id"], second["count"]) == ("valget", "teksten", 2)
    resp = client.post("/api/sessions", json={"deck": "alle-slags", "route": "lang"}, headers=room.headers)
    assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "unknown_route"


def test_the_console_sees_the_frame_of_the_dilemma_on_show(room):
    r = room()
    view = r.do("next")
    assert view["frame"].startswith("Tavshed om en betroet oplysning")


def test_under_the_minimum_nobody_sees_how_anyone_answered(room):
    r = room(min_answers=3, ask_role=True)
    phones = [r.phone(role=role) for role in ("leader", "leader", "employee")]
    d = r.do("next")["dilemma"]
    for p, o in zip(phones[:2], "ab", strict=True):
        vote(p, dilemma=d["id"], option=o, reason="en grund")
    r.screen.get_received()
    view = r.do("reveal")
    secret = {"counts", "percentages", "texts", "by_role", "spread", "previous"}
    assert view["results"]["suppressed"] is True and view["results"]["total"] == 2
    assert not secret & set(view["results"]) and view["texts"] == [] and view["profile"] == []
    assert not secret & set(events(r.screen, "state")[-1]["results"])
    assert not secret & set(events(phones[0], "state")[-1]["results"])
    md = r.export("md")
    assert "en grund" not in md
    summary = r.app.test_client().get(f"/api/sessions/{r.session['id']}/summary", headers=r.headers).get_json()
    assert summary["dilemmas"][0]["suppressed"] is True and "counts" not in summary["dilemmas"][0]["rounds"][0]
    # The minimum can be lowered before a reveal, not after.
    assert r.command("minimum", min_answers=2).json["error"]["code"] == "invalid_transition"
    r.do("revote")
    assert r.do("minimum", min_answers=2)["min_answers"] == 2
    for p, o in zip(phones, "aab", strict=True):
        vote(p, dilemma=d["id"], option=o, reason="anden runde")
    res = r.do("reveal")["results"]
    assert res["counts"] == {"a": 2, "b": 1} and res["spread"] == 0.92
    # leaders 2, employees 1: one group under the minimum, so no split at all
    assert "by_role" not in res
    assert r.command("minimum", min_answers=0).status_code == 400


def test_the_role_split_shows_when_every_group_reaches_the_minimum(room):
    r = room(min_answers=2, ask_role=True)
    phones = [r.phone(role=role) for role in ("leader", "leader", "employee", "employee")]
    skipped = r.phone()  # skipped the question: no role
    d = r.do("next")["dilemma"]
    for p, o in zip(phones, "aabb", strict=True):
        vote(p, dilemma=d["id"], option=o, reason="x")
    res = r.view()["results"]
    assert res["by_role"] == {
        "leader": {"total": 2, "counts": {"a": 2, "b": 0}},
        "employee": {"total": 2, "counts": {"a": 0, "b": 2}},
    }
    vote(skipped, dilemma=d["id"], option="a", reason="x")  # one without a role could be worked out
    assert "by_role" not in r.view()["results"]
    bad = r.session["code"]
    assert skipped.emit("join", {"code": bad, "role": "boss"}, callback=True)["error"]["code"] == "invalid_request"


def test_roles_are_not_kept_where_the_session_does_not_ask(room):
    r = room()
    p = r.phone(role="leader")
    d = r.do("next")["dilemma"]
    for _ in range(2):
        vote(p, dilemma=d["id"], option="a", reason="x")
    assert "by_role" not in r.view()["results"]


def test_the_summary_ranks_dilemmas_by_spread_and_carries_the_profile(room):
    r = room()
    phones = [r.phone() for _ in range(4)]
    d1 = r.do("next")["dilemma"]
    for p, o in zip(phones, "aaab", strict=True):
        vote(p, dilemma=d1["id"], option=o, reason="x")
    d2 = r.do("next")["dilemma"]
    for p, v in zip(phones, (1, 1, 5, 5), strict=True):
        vote(p, dilemma=d2["id"], value=v)
    r.do("end")
    summary = r.app.test_client().get(f"/api/sessions/{r.session['id']}/summary", headers=r.headers).get_json()
    assert summary["most_divided"] == ["valget", "skalaen"]  # 0.81 (3:1 of 2) before 0.43 (2:2 of 5 points)
    assert [x["spread"] for x in summary["dilemmas"][:2]] == [0.81, 0.43]
    # a: trustworthiness x3; b: engagement, free-expression x1; the scale: free-expression, respect x4
    assert [(p["value"], p["n"]) for p in summary["profile"]] == [
        ("free-expression", 5),
        ("respect", 4),
        ("trustworthiness", 3),
        ("engagement", 1),
    ]
    assert r.view()["profile"] == summary["profile"]


def test_a_follow_up_session_opens_with_one_scale_question_per_agreement(room, client):
    first = room()
    for text, values in (("Vi siger det højt, når vi er uenige", ["free-expression"]), ("Vi holder pauserne", [])):
        resp = client.post(
            f"/api/sessions/{first.session['id']}/agreements",
            json={"text": text, "values": values},
            headers=room.headers,
        )
        assert resp.status_code == 201, resp.get_json()
    r = room(follow_up=first.session["id"])
    p = r.phone()
    d = r.do("next")["dilemma"]
    assert (d["kind"], d["count"], d["text"], d["question"]) == (
        "scale",
        5,
        "Vi siger det højt, når vi er uenige",
        "Vi har holdt denne aftale",
    )
    assert d["scale"] == {"points": 5, "low": "Helt uenig", "high": "Helt enig"} and d["values"] == ["free-expression"]
    assert vote(p, dilemma=d["id"], value=4)["ok"]
    assert r.do("next")["dilemma"]["text"] == "Vi holder pauserne"
    assert r.do("next")["dilemma"]["id"] == "valget"  # then the deck
    # Only the facilitator's own sessions can be followed up
    resp = client.post("/api/sessions", json={"deck": "alle-slags", "follow_up": "nope"}, headers=room.headers)
    assert resp.status_code == 404
