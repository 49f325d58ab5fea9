"""HTTP edge cases from issue 10: open redirects, oversized and deeply nested bodies, and
tracebacks in the log for malformed Socket.IO frames."""

import logging

import pytest


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example",  # a tab that browsers drop: //evil.example
        "/\t/evil.example",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "/%0d%0aSet-Cookie:x=1",
        "/\r\nSet-Cookie: x=1",
        "/%2F%2Fevil.example",
        "javascript:alert(1)",
    ],
)
def test_login_never_redirects_off_site_and_never_fails_on_next(facilitator, client, csrf_from, target):
    facilitator.create()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    from tests.conftest import PASSWORD

    r = client.post(
        "/login",
        query_string=f"next={target}" if "%" in target else {"next": target},
        data={"email": "fac@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert r.status_code == 302
    location = r.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "\\" not in location
    assert "evil" not in location and "\n" not in location and "\r" not in location


def test_login_keeps_a_plain_local_next(facilitator, client, csrf_from):
    facilitator.create()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    from tests.conftest import PASSWORD

    r = client.post(
        "/login?next=/f/decks", data={"email": "fac@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert r.headers["Location"] == "/f/decks"


def test_a_body_over_the_limit_answers_413_with_the_json_error_shape(app, facilitator, client):
    facilitator.create()
    headers = facilitator.token()
    big = b'{"deck": "' + b"x" * (app.config["MAX_CONTENT_LENGTH"] + 10) + b'"}'
    for path in ("/api/sessions", "/api/token"):
        r = client.post(path, data=big, headers={**headers, "Content-Type": "application/json"})
        assert r.status_code == 413, (path, r.status_code)
        assert r.get_json()["error"]["code"] == "too_large"


def test_a_json_body_nested_100000_deep_is_a_clean_400(facilitator, client):
    facilitator.create()
    headers = facilitator.token()
    deep = "[" * 100_000 + "]" * 100_000
    for path in ("/api/sessions", "/api/token"):
        r = client.post(path, data=deep, headers={**headers, "Content-Type": "application/json"})
        assert r.status_code in (400, 413), (path, r.status_code)
        assert r.get_json()["error"]["code"] in ("invalid_request", "too_large")


def test_a_malformed_socket_frame_logs_one_short_line_and_not_a_traceback(app, sockets, caplog):
    from workshop import hardening
    from workshop.realtime import socketio

    hardening._filter.last = float("-inf")  # the log's rate limit is per process
    c = sockets()
    caplog.set_level(logging.INFO)
    for frame in ("2[", "2{", "9", '2["join",', "2" + "[" * 5000):
        socketio.server.eio._trigger_event("message", c.eio_sid, frame)
    text = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert "Traceback" not in text
    assert not any(r.exc_info for r in caplog.records)
    lines = [r for r in caplog.records if r.name.startswith(("engineio", "socketio", "workshop"))]
    assert 1 <= len(lines) <= 2
    assert all(len(r.getMessage()) < 200 for r in lines)
    assert c.emit("join", {"code": "000000"}, callback=True)["error"]["code"] == "unknown_session"


def test_on_the_live_server_a_chunked_body_is_read_and_limited_like_any_other(live_server):
    import requests

    headers = {**live_server.token(), "Content-Type": "application/json"}

    def chunked(data: bytes):
        yield from (data[i : i + 65536] for i in range(0, len(data), 65536))

    small = requests.post(
        live_server.url + "/api/sessions", data=chunked(b'{"deck": "medarbejderrollen"}'), headers=headers, timeout=10
    )
    assert small.status_code == 201, small.text
    big = b'{"deck": "' + b"x" * (600 * 1024) + b'"}'
    r = requests.post(live_server.url + "/api/sessions", data=chunked(big), headers=headers, timeout=10)
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
    r = requests.post(live_server.url + "/api/sessions", data=big, headers=headers, timeout=10)
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
    deep = "[" * 100_000 + "]" * 100_000
    r = requests.post(live_server.url + "/api/sessions", data=deep, headers=headers, timeout=10)
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_request"


def test_on_the_live_server_malformed_frames_log_no_traceback(live_server):
    import requests
    import websocket

    before = live_server.log.stat().st_size
    # engine.io MESSAGE ("4") carrying a malformed Socket.IO packet: "42[" is the report's 3 bytes.
    for frames in (["42[", "42{", "49", '42["join",'], ["42" + "[" * 3000, "42[1,2", "46x", "4"]):
        ws = websocket.create_connection(
            live_server.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket", timeout=5
        )
        ws.recv()
        ws.send("40")
        ws.recv()
        for frame in frames:
            try:
                ws.send(frame)
            except websocket.WebSocketException:
                break
        ws.close()
    assert requests.get(live_server.url + "/healthz", timeout=5).status_code == 200
    with open(live_server.log, "rb") as f:
        f.seek(before)
        log = f.read().decode("utf-8", "replace")
    assert "Traceback" not in log, log
    assert len(log) < 1000, log
