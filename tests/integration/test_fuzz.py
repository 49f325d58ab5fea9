"""Property-based fuzzing (hypothesis) of every Socket.IO event and every API route with
arbitrary JSON: never a 500 or an internal_error, never a traceback in the log, and the server
answers the next ordinary client at once. Bounded by tests/fuzzing.py."""

import logging
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import FUZZ, json_values, payloads


@pytest.fixture
def fuzz_app(app, facilitator):
    # The abuse limits would answer most examples too_many_requests; fuzz what lies behind them.
    app.config.update(
        SOCKET_EVENT_BURST=10**9,
        JOIN_WRONG_PER_CONNECTION=10**9,
        JOIN_CREATED_PER_CONNECTION=10**9,
        JOIN_WRONG_PER_ADDRESS=10**9,
    )
    facilitator.create()
    headers = facilitator.token()
    session = facilitator.session(headers)
    return app, headers, session


def no_tracebacks(caplog):
    bad = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert bad == [], [r.getMessage() for r in bad]


def events():
    from workshop.realtime import socketio

    return sorted(name for name in socketio.server.handlers["/"] if name not in ("connect", "disconnect"))


def test_every_socket_event_survives_arbitrary_json(fuzz_app, sockets, client, caplog):
    app, headers, session = fuzz_app
    caplog.set_level(logging.WARNING)
    phone = sockets()
    assert phone.emit("join", {"code": session["code"]}, callback=True)["ok"]
    client.post(f"/api/sessions/{session['id']}/commands", json={"command": "next"}, headers=headers)
    names = events()
    assert {"join", "vote", "watch"} <= set(names)

    @FUZZ
    @given(event=st.sampled_from(names), payload=payloads, extra=st.lists(json_values, max_size=2))
    def run(event, payload, extra):
        ack = phone.emit(event, payload, *extra, callback=True)
        assert isinstance(ack, dict) and ack.get("ok") in (True, False), ack
        if ack["ok"] is False:
            assert ack["error"]["code"] != "internal_error", (event, payload)
            assert isinstance(ack["error"]["message"], str) and ack["error"]["message"]
        assert phone.is_connected()

    run()
    no_tracebacks(caplog)
    started = time.monotonic()
    ordinary = sockets()
    assert ordinary.emit("join", {"code": session["code"]}, callback=True)["ok"]
    assert time.monotonic() - started < 1


def api_routes(app):
    out = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                out.append((method, rule))
    return out


def test_every_api_route_survives_arbitrary_json(fuzz_app, client, caplog):
    app, headers, session = fuzz_app
    caplog.set_level(logging.WARNING)
    routes = api_routes(app)
    assert len(routes) >= 9
    path_values = st.sampled_from([session["id"], "x", "0" * 64, "%00", "æ"]) | st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/?#%"), min_size=1, max_size=20
    )

    @FUZZ
    @given(
        route=st.sampled_from(routes),
        body=payloads,
        values=st.lists(path_values, min_size=3, max_size=3),
        auth=st.sampled_from(["bearer", "none", "forged"]),
        query=st.dictionaries(st.sampled_from(["format", "lang"]), st.text(max_size=10), max_size=2),
    )
    def run(route, body, values, auth, query):
        method, rule = route
        args = dict(zip(sorted(rule.arguments), values, strict=False))
        for name, converter in rule._converters.items():  # an <int:…> part takes a whole number
            if converter.__class__.__name__ == "IntegerConverter":
                args[name] = sum(map(ord, str(args.get(name, "")))) % 1000
        if "session_id" in args and values[0] == "x":
            args["session_id"] = session["id"]
        with app.test_request_context():
            from flask import url_for

            path = url_for(rule.endpoint, **args)
        hdrs = {"bearer": headers, "none": {}, "forged": {"Authorization": "Bearer forged"}}[auth]
        if method == "DELETE" and rule.rule == "/api/token":
            hdrs = {} if auth == "bearer" else hdrs  # keep the fuzzer's own token alive
        if method == "DELETE" and args.get("session_id") == session["id"]:
            return  # deleting the fixture's session is tested on its own
        r = client.open(path, method=method, json=body, headers=hdrs, query_string=query)
        assert r.status_code < 500, (method, path, body, r.status_code)
        if r.status_code >= 400:
            assert r.get_json()["error"]["code"]

    run()
    no_tracebacks(caplog)
    started = time.monotonic()
    assert client.get(f"/api/sessions/{session['id']}", headers=headers).status_code == 200
    assert time.monotonic() - started < 1
