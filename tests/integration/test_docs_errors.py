"""docs/protocol.md's tables of error codes and limits, exercised row by row (as Datasette's
test_docs.py does for its settings), so the docs and the server cannot drift apart.

Every code in the table is provoked over HTTP and/or Socket.IO, and answers with the documented
status, the code, and a message in Danish by default and in English with `?lang=en`; the Danish
message is the translation of the English one in messages.po. Every limit is tried at its value
(accepted) and one past it (refused as documented).
"""

from __future__ import annotations

import io
import re

import pytest
import yaml
from babel.messages.pofile import read_po

from tests.conftest import PASSWORD, ROOT, Facilitators, _csrf_from

DOC = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
PO = ROOT / "workshop" / "translations" / "da" / "LC_MESSAGES" / "messages.po"


def table(heading: str) -> list[list[str]]:
    """The rows of the first Markdown table under `## heading`, cells stripped of backticks."""
    section = DOC.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip().strip("`") for cell in line.strip("|").split("|")] for line in lines[2:]]


ERRORS = [(code, int(status)) for code, status, _ in table("Error codes")]
LIMITS = {name: limit for name, limit, _ in table("Limits")}


def amount(text: str) -> int:
    """'512 KB' -> bytes; '10,000 characters' -> 10000."""
    number, unit = re.match(r"([\d,]+)\s*(\w+)", text).groups()
    n = int(number.replace(",", ""))
    return n * 1024 if unit == "KB" else n


def test_the_tables_are_there():
    assert len(ERRORS) >= 20 and len(LIMITS) >= 7
    assert len({c for c, _ in ERRORS}) == len(ERRORS)


# --- the set-up the provocations share ----------------------------------------------------------


class Ctx:
    def __init__(self, app, monkeypatch):
        from workshop.realtime import socketio

        self.app, self.monkeypatch, self.socketio = app, monkeypatch, socketio
        self.client = app.test_client()
        self.fac = Facilitators(app, self.client)
        self.fac.create()
        self.headers = self.fac.token()
        self.session = self.fac.session(self.headers)
        self.made = []

    def http(self, method, url, lang, **kw):
        if lang == "en":
            url += ("&" if "?" in url else "?") + "lang=en"
        r = getattr(self.client, method)(url, **kw)
        self.client.delete_cookie("lang")
        return ("http", r.status_code, r.get_json()["error"])

    def socket(self, lang, with_cookies=False):
        c = self.socketio.test_client(
            self.app, query_string="lang=en" if lang == "en" else None,
            flask_test_client=self.client if with_cookies else None,
        )
        self.made.append(c)
        return c

    @staticmethod
    def ack(ack):
        assert ack["ok"] is False, ack
        return ("socket", None, ack["error"])

    def command(self, cmd):
        r = self.fac.command(self.headers, self.session["id"], cmd)
        assert r.status_code == 200, r.get_json()
        return r.get_json()

    def joined(self, lang, code=None):
        c = self.socket(lang)
        assert c.emit("join", {"code": code or self.session["code"]}, callback=True)["ok"]
        return c


@pytest.fixture
def ctx(make_app, monkeypatch):
    app = make_app()
    from flask import request

    from workshop import services

    @app.post("/_test/boom")
    def boom():
        raise RuntimeError("a bug")

    @app.post("/_test/facilitators")
    def create_facilitator():  # the service behind `flask facilitator create`, over HTTP
        data = request.get_json()
        services.create_facilitator(data["email"], data["password"])
        return {"ok": True}, 201

    from workshop import csrf as csrf_protect

    csrf_protect.exempt(boom)
    csrf_protect.exempt(create_facilitator)
    c = Ctx(app, monkeypatch)
    yield c
    for s in c.made:
        if s.is_connected():
            s.disconnect()


# --- one way (or two) to provoke each code ----------------------------------------------------


def invalid_request(ctx, lang):
    yield ctx.http("post", "/api/sessions", lang, json={}, headers=ctx.headers)
    yield ctx.ack(ctx.socket(lang).emit("join", "not an object", callback=True))


def invalid_option(ctx, lang):
    d = ctx.command("next")["dilemma"] if ctx.session.get("open") is None else ctx.session["open"]
    ctx.session["open"] = d
    yield ctx.ack(ctx.joined(lang).emit("vote", {"dilemma": d["id"], "option": "zz"}, callback=True))


def csrf(ctx, lang):
    ctx.fac.login()
    yield ctx.http("post", "/api/sessions", lang, json={"deck": "lederrollen"})


def unsupported_format(ctx, lang):
    yield ctx.http("get", f"/api/sessions/{ctx.session['id']}/export?format=doc", lang, headers=ctx.headers)


def invalid_email(ctx, lang):
    yield ctx.http("post", "/_test/facilitators", lang, json={"email": "ikke-en-adresse", "password": PASSWORD})


def weak_password(ctx, lang):
    yield ctx.http("post", "/_test/facilitators", lang, json={"email": "ny@example.org", "password": "kort"})


def email_taken(ctx, lang):
    yield ctx.http("post", "/_test/facilitators", lang, json={"email": "fac@example.org", "password": PASSWORD})


def unauthorized(ctx, lang):
    yield ctx.http("get", "/api/decks", lang)
    yield ctx.http("get", "/api/decks", lang, headers={"Authorization": "Bearer forged"})
    yield ctx.ack(ctx.socket(lang).emit("watch", {"session": ctx.session["id"]}, callback=True))


def bad_credentials(ctx, lang):
    yield ctx.http("post", "/api/token", lang, json={"email": "fac@example.org", "password": "forkert-kode"})


def not_found(ctx, lang):
    if lang == "da":
        ctx.fac.create("other@example.org")
    other = ctx.fac.token("other@example.org")
    yield ctx.http("get", f"/api/sessions/{ctx.session['id']}", lang, headers=other)
    yield ctx.http("get", "/api/no-such-route", lang, headers=ctx.headers)
    ctx.fac.login("other@example.org")
    console = ctx.socket(lang, with_cookies=True)
    yield ctx.ack(console.emit("watch", {"session": ctx.session["id"]}, callback=True))


def unknown_session(ctx, lang):
    yield ctx.ack(ctx.socket(lang).emit("join", {"code": "000000"}, callback=True))
    watch = {"code": ctx.session["code"], "screen_token": "gæt"}  # non-ASCII once raised a TypeError
    yield ctx.ack(ctx.socket(lang).emit("watch", watch, callback=True))


def unknown_deck(ctx, lang):
    yield ctx.http("post", "/api/sessions", lang, json={"deck": "findes-ikke"}, headers=ctx.headers)


def invalid_transition(ctx, lang):
    yield ctx.http("post", f"/api/sessions/{ctx.session['id']}/commands", lang, json={"command": "close"},
                   headers=ctx.headers)


def session_ended(ctx, lang):
    s = ctx.fac.session(ctx.headers)
    ctx.fac.command(ctx.headers, s["id"], "end")
    yield ctx.ack(ctx.socket(lang).emit("join", {"code": s["code"]}, callback=True))


def voting_closed(ctx, lang):
    s = ctx.fac.session(ctx.headers)
    d = ctx.fac.command(ctx.headers, s["id"], "next").get_json()["dilemma"]
    ctx.fac.command(ctx.headers, s["id"], "close")
    phone = ctx.joined(lang, s["code"])
    yield ctx.ack(phone.emit("vote", {"dilemma": d["id"], "option": d["options"][0]["id"]}, callback=True))


def not_joined(ctx, lang):
    yield ctx.ack(ctx.socket(lang).emit("vote", {"dilemma": "x", "option": "a"}, callback=True))


def too_large(ctx, lang):
    did = ctx.command("next")["dilemma"]["id"] if lang == "da" else ctx.fac.client.get(
        f"/api/sessions/{ctx.session['id']}", headers=ctx.headers).get_json()["dilemma"]["id"]
    yield ctx.http("put", f"/api/sessions/{ctx.session['id']}/notes/{did}", lang, json={"text": "x" * 10_001},
                   headers=ctx.headers)
    yield ctx.http("post", "/api/sessions", lang, data="x" * (513 * 1024),
                   headers={**ctx.headers, "Content-Type": "application/json"})


def too_many_requests(ctx, lang):
    for _ in range(ctx.app.config["LOGIN_ATTEMPTS"]):
        ctx.client.post("/api/token", json={"email": f"{lang}@example.org", "password": "forkert-kode"})
    yield ctx.http("post", "/api/token", lang, json={"email": f"{lang}@example.org", "password": "forkert-kode"})


def internal_error(ctx, lang):
    from workshop import services

    yield ctx.http("post", "/_test/boom", lang, json={})

    def broken(*_a, **_k):
        raise RuntimeError("a bug in a service")

    with ctx.monkeypatch.context() as m:
        m.setattr(services, "join", broken)
        yield ctx.ack(ctx.socket(lang).emit("join", {"code": ctx.session["code"]}, callback=True))


def busy(ctx, lang):
    from workshop import services

    with ctx.monkeypatch.context() as m:  # every draw hits the live session's code
        m.setattr(services.secrets, "randbelow", lambda _n: int(ctx.session["code"]))
        yield ctx.http("post", "/api/sessions", lang, json={"deck": "lederrollen"}, headers=ctx.headers)


def _add(ctx, spec: dict) -> dict:
    """Open a live-added question on the context's session; its DILEMMA."""
    r = ctx.fac.client.post(
        f"/api/sessions/{ctx.session['id']}/commands",
        json={"command": "add", "dilemma": {"title": "T", "question": "Q", **spec}},
        headers=ctx.headers,
    )
    assert r.status_code == 200, r.get_json()
    return r.get_json()["dilemma"]


def reason_required(ctx, lang):
    deck = (ROOT / "tests" / "data" / "kinds-deck.yaml").read_bytes()
    if lang == "da":
        assert upload(ctx, deck).status_code == 302
    s = ctx.fac.session(ctx.headers, deck="alle-slags")
    d = ctx.fac.command(ctx.headers, s["id"], "next").get_json()["dilemma"]
    assert d["reason"] == "required"
    phone = ctx.joined(lang, s["code"])
    yield ctx.ack(phone.emit("vote", {"dilemma": d["id"], "option": d["options"][0]["id"]}, callback=True))


def unknown_route(ctx, lang):
    yield ctx.http("post", "/api/sessions", lang, json={"deck": "lederrollen", "route": "findes-ikke"}, headers=ctx.headers)


PROVOKE = {f.__name__: f for f in (
    reason_required, unknown_route,
    invalid_request, invalid_option, csrf, unsupported_format, invalid_email, weak_password, email_taken,
    unauthorized, bad_credentials, not_found, unknown_session, unknown_deck, invalid_transition, session_ended,
    voting_closed, not_joined, too_large, too_many_requests, internal_error, busy,
)}


def catalog():
    with PO.open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id}


@pytest.mark.parametrize("code, status", ERRORS, ids=[c for c, _ in ERRORS])
def test_every_documented_error_code_answers_as_documented_in_both_languages(ctx, code, status):
    assert code in PROVOKE, f"docs/protocol.md lists {code!r}, but this test has no way to provoke it"
    danish = catalog()
    seen = {}
    for lang in ("da", "en"):
        seen[lang] = list(PROVOKE[code](ctx, lang))
        assert seen[lang], code
        for channel, got_status, error in seen[lang]:
            assert error["code"] == code, (channel, error)
            if channel == "http":
                assert got_status == status, (code, got_status)
    for (_, _, da), (_, _, en) in zip(seen["da"], seen["en"], strict=True):
        english = en["message"].split(" (", 1)[0]  # invalid_request may add a technical detail
        assert english in danish, f"{code}: {english!r} is not in messages.po"
        assert da["message"].split(" (", 1)[0] == danish[english] != english


def test_every_code_the_server_knows_is_documented():
    from workshop.messages import MESSAGES, STATUS

    documented = dict(ERRORS)
    assert set(MESSAGES) - {"invalid_deck"} <= set(documented)  # invalid_deck: the upload page words it
    assert {c: STATUS[c] for c in documented} == documented


# --- limits -------------------------------------------------------------------------------------


def upload(ctx, data: bytes):
    ctx.fac.login()
    token = _csrf_from(ctx.client.get("/f/decks").get_data(as_text=True))
    return ctx.client.post(
        "/f/decks", data={"csrf_token": token, "file": (io.BytesIO(data), "min.yaml")},
        content_type="multipart/form-data",
    )


def limit_http_body(ctx, n):
    pad = n - len(b'{"deck": "lederrollen", "title": "T", "x": ""}')
    body = '{"deck": "lederrollen", "title": "T", "x": "' + "x" * pad + '"}'
    assert len(body.encode()) == n
    ok = ctx.client.post("/api/sessions", data=body, headers={**ctx.headers, "Content-Type": "application/json"})
    assert ok.status_code == 201
    over = ctx.client.post("/api/sessions", data=body + " ", headers={**ctx.headers, "Content-Type": "application/json"})
    assert over.status_code == 413 and over.get_json()["error"]["code"] == "too_large"


def limit_socket_message(ctx, n):
    # The live-server tier sends one (tests/integration/test_live_server.py); here: the setting.
    assert ctx.app.config["SOCKET_MAX_BUFFER"] == n


def limit_reason(ctx, n):
    d = ctx.command("next")["dilemma"]
    phone = ctx.joined("da")
    vote = {"dilemma": d["id"], "option": d["options"][0]["id"]}
    assert phone.emit("vote", {**vote, "reason": "æ" * n}, callback=True) == {"ok": True}
    ack = phone.emit("vote", {**vote, "reason": "æ" * (n + 1)}, callback=True)
    assert ack["error"]["code"] == "invalid_request"


def limit_display_name(ctx, n):
    c = ctx.socket("da")
    assert c.emit("join", {"code": ctx.session["code"], "name": "Ø" * (n + 1)}, callback=True)["error"]["code"] == (
        "invalid_request")
    assert c.emit("join", {"code": ctx.session["code"], "name": "Ø" * n}, callback=True)["participant"]["name"] == (
        "Ø" * n)


def limit_session_title(ctx, n):
    ok = ctx.client.post("/api/sessions", json={"deck": "lederrollen", "title": "Å" * n}, headers=ctx.headers)
    assert ok.status_code == 201
    over = ctx.client.post("/api/sessions", json={"deck": "lederrollen", "title": "Å" * (n + 1)}, headers=ctx.headers)
    assert over.status_code == 400 and over.get_json()["error"]["code"] == "invalid_request"


def limit_note(ctx, n):
    did = ctx.command("next")["dilemma"]["id"]
    url = f"/api/sessions/{ctx.session['id']}/notes/{did}"
    assert ctx.client.put(url, json={"text": "æ" * n}, headers=ctx.headers).get_json()["text"] == "æ" * n
    over = ctx.client.put(url, json={"text": "æ" * (n + 1)}, headers=ctx.headers)
    assert over.status_code == 413 and over.get_json()["error"]["code"] == "too_large"


def limit_uploaded_deck(ctx, n):
    deck = yaml.safe_load((ROOT / "content/decks/lederrollen.yaml").read_text(encoding="utf-8"))
    deck["id"], deck["title"] = "vores-egen", {"da": "Vores egen bunke", "en": "Our own deck"}
    text = yaml.safe_dump(deck, allow_unicode=True).encode("utf-8")
    padded = text + b"#" + b"x" * (n - len(text) - 2) + b"\n"
    assert len(padded) == n
    assert upload(ctx, padded).status_code == 302  # accepted: on to the deck's preview
    over = upload(ctx, padded + b"#\n")
    assert over.status_code == 400 and "256 KB" in over.get_data(as_text=True)
    latin1 = upload(ctx, "id: bunke\ntitle: {da: Æbler, en: Apples}\n".encode("latin-1"))
    assert latin1.status_code == 400 and "Filen er ikke UTF-8-tekst." in latin1.get_data(as_text=True)


def limit_text_answer(ctx, n):
    d = _add(ctx, {"kind": "text"})
    phone = ctx.joined("da")
    assert phone.emit("vote", {"dilemma": d["id"], "text": "ø" * n}, callback=True) == {"ok": True}
    assert phone.emit("vote", {"dilemma": d["id"], "text": "ø" * (n + 1)}, callback=True)["error"]["code"] == (
        "invalid_request")


def limit_timer(ctx, n):
    _add(ctx, {"kind": "text"})
    url = f"/api/sessions/{ctx.session['id']}/commands"
    for seconds, status in ((n, 200), (n + 1, 400), (10, 200), (9, 400), (0, 200)):
        r = ctx.client.post(url, json={"command": "timer", "seconds": seconds}, headers=ctx.headers)
        assert r.status_code == status, (seconds, r.get_json())


def limit_rounds(ctx, n):
    ctx.command("next")
    for _ in range(n - 1):
        ctx.command("close")
        ctx.command("revote")
    ctx.command("close")
    r = ctx.fac.command(ctx.headers, ctx.session["id"], "revote")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "invalid_transition"


def limit_add_question(ctx, n):
    assert _add(ctx, {"kind": "text", "question": "Æ" * n})["question"] == "Æ" * n
    r = ctx.client.post(
        f"/api/sessions/{ctx.session['id']}/commands",
        json={"command": "add", "dilemma": {"title": "T", "question": "Æ" * (n + 1), "kind": "text"}},
        headers=ctx.headers,
    )
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "invalid_request"


def limit_agreement_text(ctx, n):
    url = f"/api/sessions/{ctx.session['id']}/agreements"
    assert ctx.client.post(url, json={"text": "Å" * n}, headers=ctx.headers).status_code == 201
    over = ctx.client.post(url, json={"text": "Å" * (n + 1)}, headers=ctx.headers)
    assert over.status_code == 400 and over.get_json()["error"]["code"] == "invalid_request"


LIMIT_CHECKS = {
    "text answer": limit_text_answer,
    "timer": limit_timer,
    "rounds per dilemma": limit_rounds,
    "added question (`add`)": limit_add_question,
    "agreement text": limit_agreement_text,
    "HTTP body": limit_http_body,
    "one Socket.IO message": limit_socket_message,
    "reason": limit_reason,
    "display name": limit_display_name,
    "session title": limit_session_title,
    "note": limit_note,
    "uploaded deck": limit_uploaded_deck,
}


@pytest.mark.parametrize("name", list(LIMITS))
def test_every_documented_limit_holds_at_its_value_and_not_past_it(ctx, name):
    assert name in LIMIT_CHECKS, f"docs/protocol.md lists the limit {name!r}, but this test does not try it"
    LIMIT_CHECKS[name](ctx, amount(LIMITS[name]))
