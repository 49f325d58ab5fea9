"""Rules that an audit broke on purpose without any test noticing (issue 11). Each test here was
seen to fail with its bug put back in (see docs/testing.md, "Checking that a test bites").

Contract level only: HTTP, Socket.IO test clients and exported files, so they outlive a rewrite
of the services and payload builders.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from tests.conftest import wait_for


def events(client, name):
    return [m["args"][0] for m in client.get_received() if m["name"] == name]


@pytest.fixture
def headers(facilitator):
    facilitator.create()
    return facilitator.token()


def join(sockets, code, **extra):
    c = sockets()
    ack = c.emit("join", {"code": code, **extra}, callback=True)
    assert ack["ok"], ack
    return c, ack


# --- results go to the watchers only ----------------------------------------------------------


def test_live_results_reach_the_watchers_and_never_a_phone(facilitator, headers, sockets):
    s = facilitator.session(headers)
    screen = sockets()
    assert screen.emit("watch", {"code": s["code"], "screen_token": s["screen_token"]}, callback=True)["ok"]
    voter, _ = join(sockets, s["code"])
    idle, _ = join(sockets, s["code"])
    d = facilitator.command(headers, s["id"], "next").get_json()["dilemma"]
    for c in (screen, voter, idle):
        c.get_received()
    assert voter.emit("vote", {"dilemma": d["id"], "option": d["options"][0]["id"]}, callback=True)["ok"]

    # The broadcaster has ticked once the screen has its results; an emit to everyone would have
    # reached the phones' queues in the same call.
    seen = []
    assert wait_for(lambda: seen.extend(events(screen, "results")) or (seen and seen[-1]["total"] == 1))
    for phone in (voter, idle):
        names = {m["name"] for m in phone.get_received()}
        assert "results" not in names and "presence" not in names


# --- a console watches only its own sessions --------------------------------------------------


def test_a_console_cannot_watch_another_facilitators_session(client, facilitator, headers, sockets):
    theirs = facilitator.session(headers)
    facilitator.create("other@example.org")
    facilitator.login("other@example.org")
    console = sockets(with_cookies=True)
    ack = console.emit("watch", {"session": theirs["id"]}, callback=True)
    assert ack == {"ok": False, "error": {"code": "not_found", "message": ack["error"]["message"]}}
    assert ack["error"]["message"]
    console.get_received()
    facilitator.command(headers, theirs["id"], "next")
    assert events(console, "state") == []  # it joined no room either


# --- the display name limit -------------------------------------------------------------------


def test_a_display_name_has_at_most_40_characters(facilitator, headers, sockets):
    s = facilitator.session(headers, show_names=True)  # a real code (names kept): only the name can be wrong
    c = sockets()
    ack = c.emit("join", {"code": s["code"], "name": "Å" * 41}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid_request"
    ack = c.emit("join", {"code": s["code"], "name": "Å" * 40}, callback=True)
    assert ack["ok"] and ack["participant"]["name"] == "Å" * 40


# --- export file names ------------------------------------------------------------------------


def test_export_file_names_spell_danish_letters_out(client, facilitator, headers):
    s = facilitator.session(headers, title="Teamdag på Ærø – Åse & Øjvind")
    r = client.get(f"/api/sessions/{s['id']}/export?format=md", headers=headers)
    expected = f"teamdag-paa-aeroe-aase-oejvind-{date.today():%Y-%m-%d}.md"
    assert r.headers["Content-Disposition"] == f"attachment; filename=\"{expected}\"; filename*=UTF-8''{expected}"


# --- the CSV formula guard --------------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_csv_cell_that_a_spreadsheet_would_run_gets_an_apostrophe(client, facilitator, headers, sockets, start):
    # Tab and carriage return start no reason that reaches the CSV (input is stripped); the
    # unit tier checks those prefixes on the CSV writer itself.
    s = facilitator.session(headers)
    d = facilitator.command(headers, s["id"], "next").get_json()["dilemma"]
    phone, _ = join(sockets, s["code"])
    reason = f'{start}HYPERLINK("http://x";"klik")'
    vote = {"dilemma": d["id"], "option": d["options"][0]["id"], "reason": reason}
    assert phone.emit("vote", vote, callback=True)["ok"]
    text = client.get(f"/api/sessions/{s['id']}/export?format=csv", headers=headers).data.decode("utf-8-sig")
    # A Danish session's csv is ;-separated (docs/export.md)
    cells = [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=";") for cell in row]
    assert "'" + reason in cells and reason not in cells


# --- the Content Security Policy --------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/login", "/healthz", "/api/decks", "/nope"])
def test_every_answer_carries_the_content_security_policy(client, path):
    policy = client.get(path).headers.get("Content-Security-Policy", "")
    directives = {d.strip().split(" ", 1)[0]: d.strip() for d in policy.split(";") if d.strip()}
    assert directives.get("default-src") == "default-src 'self'"
    assert directives.get("script-src") == "script-src 'self'"  # no inline script, no eval
    assert directives.get("frame-ancestors") == "frame-ancestors 'none'"
    assert directives.get("base-uri") == "base-uri 'self'"


# --- failed logins are forgotten after the window ---------------------------------------------


def test_failed_logins_lock_out_for_the_window_and_then_expire(make_app, facilitator):
    # The attempts and the window come from the config, so the test needs no five-minute wait.
    from tests.conftest import PASSWORD, Facilitators

    app = make_app(LOGIN_ATTEMPTS=2, LOGIN_WINDOW=1)
    client = app.test_client()
    fac = Facilitators(app, client)
    fac.create()

    def token(password):
        return client.post("/api/token", json={"email": "fac@example.org", "password": password})

    assert [token("wrong-wrong").status_code for _ in range(2)] == [401, 401]
    limited = token(PASSWORD)
    assert limited.status_code == 429  # while limited, the right password does not get through
    assert limited.get_json()["error"]["code"] == "too_many_requests"
    assert wait_for(lambda: token(PASSWORD).status_code == 200, timeout=4, interval=0.2)


# --- a rejoin leaves the room it joined before ------------------------------------------------


def test_a_connection_that_joins_another_session_hears_only_the_new_one(facilitator, headers, sockets):
    first = facilitator.session(headers)
    second = facilitator.session(headers)
    phone, _ = join(sockets, first["code"])
    ack = phone.emit("join", {"code": second["code"]}, callback=True)
    assert ack["ok"]
    phone.get_received()
    facilitator.command(headers, first["id"], "next")
    facilitator.command(headers, second["id"], "next")
    codes = [state["session"]["code"] for state in events(phone, "state")]
    assert codes == [second["code"]]


# --- `next` reaches the phones of its own session, and only those -----------------------------


def test_next_reaches_every_phone_of_its_session_and_none_of_another(facilitator, headers, sockets):
    a, b = facilitator.session(headers), facilitator.session(headers)
    in_a, _ = join(sockets, a["code"])
    in_b, _ = join(sockets, b["code"])
    moved, _ = join(sockets, a["code"])
    ack = moved.emit("join", {"code": b["code"]}, callback=True)  # the same connection, another session
    assert ack["ok"], ack
    for c in (in_a, in_b, moved):
        c.get_received()

    d = facilitator.command(headers, a["id"], "next").get_json()["dilemma"]
    assert wait_for(lambda: any(s["dilemma"]["id"] == d["id"] for s in events(in_a, "state")))
    assert events(in_b, "state") == [] and events(moved, "state") == []

    facilitator.command(headers, b["id"], "next")
    for c in (in_b, moved):
        assert wait_for(lambda c=c: any(s["phase"] == "voting" for s in events(c, "state")))


def test_an_answer_is_never_sent_to_the_whole_room_even_when_everyone_gave_it(
    facilitator, headers, sockets, monkeypatch
):
    # Two phones give the same answer; the state after `close` carries it as `my_vote`. Sent to
    # the session's room, a phone joining meanwhile would be shown it as its own.
    from workshop import realtime

    s = facilitator.session(headers)
    a, _ = join(sockets, s["code"])
    b, _ = join(sockets, s["code"])
    d = facilitator.command(headers, s["id"], "next").get_json()["dilemma"]
    for phone in (a, b):
        assert phone.emit("vote", {"dilemma": d["id"], "option": d["options"][0]["id"]}, callback=True)["ok"]
    sent = []
    real_emit = realtime.socketio.emit
    monkeypatch.setattr(
        realtime.socketio,
        "emit",
        lambda event, data=None, **kw: sent.append((event, data, kw.get("to"))) or real_emit(event, data, **kw),
    )
    facilitator.command(headers, s["id"], "close")
    to_room = [data for event, data, to in sent if event == "state" and to == f"s:{s['id']}"]
    assert all(state["my_vote"] is None for state in to_room)
    mine = [data for event, data, to in sent if event == "state" and isinstance(to, list)]
    assert mine and all(state["my_vote"] == {"option": d["options"][0]["id"]} for state in mine)
