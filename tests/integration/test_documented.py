"""Documented behaviour that had no test (issue 11): logout, token expiry, a participant token
from another session, unique join codes, the Socket.IO origin list with WORKSHOP_PUBLIC_URL."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT

PROTOCOL = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")


@pytest.fixture
def headers(facilitator):
    facilitator.create()
    return facilitator.token()


def test_post_logout_ends_the_login(client, facilitator, csrf_from):
    facilitator.create()
    facilitator.login()
    token = csrf_from(client.get("/f/").get_data(as_text=True))
    assert client.get("/api/sessions").status_code == 200  # the cookie works before
    r = client.post("/logout", data={"csrf_token": token})
    assert r.status_code == 302 and r.headers["Location"].endswith("/login")
    assert client.get("/api/sessions").get_json()["error"]["code"] == "unauthorized"
    assert client.get("/f/").status_code == 302


def test_logout_needs_the_csrf_token(client, facilitator):
    facilitator.create()
    facilitator.login()
    assert client.post("/logout").status_code == 400
    assert client.get("/api/sessions").status_code == 200  # still logged in


def test_an_api_token_lasts_as_long_as_the_docs_say_and_no_longer(client, headers, monkeypatch):
    days = int(re.search(r"Tokens last (\d+) days", PROTOCOL).group(1))
    from itsdangerous.timed import TimestampSigner

    issued = TimestampSigner.get_timestamp(None)

    def at(seconds):
        monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: issued + seconds)
        return client.get("/api/decks", headers=headers)

    assert at(days * 24 * 3600 - 60).status_code == 200
    late = at(days * 24 * 3600 + 2)
    assert late.status_code == 401 and late.get_json()["error"]["code"] == "unauthorized"


def test_a_participant_token_from_another_session_starts_afresh_there(client, facilitator, headers, sockets):
    first, second = facilitator.session(headers), facilitator.session(headers)
    phone = sockets()
    joined = phone.emit("join", {"code": first["code"], "name": "Åse"}, callback=True)
    elsewhere = sockets().emit("join", {"code": second["code"], "token": joined["token"]}, callback=True)
    assert elsewhere["ok"]
    assert elsewhere["participant"]["id"] != joined["participant"]["id"]
    assert elsewhere["token"] != joined["token"] and elsewhere["participant"]["name"] is None
    for s in (first, second):
        assert client.get(f"/api/sessions/{s['id']}", headers=headers).get_json()["participants"] == 1


def test_join_codes_are_unique_among_live_sessions_and_free_again_once_ended(facilitator, headers, monkeypatch):
    from workshop import services

    live = facilitator.session(headers)
    draws = iter([int(live["code"]), int(live["code"]), 424242])
    monkeypatch.setattr(services.secrets, "randbelow", lambda _n: next(draws))
    assert facilitator.session(headers)["code"] == "424242"  # the live code was drawn twice and passed over
    facilitator.command(headers, live["id"], "end")
    monkeypatch.setattr(services.secrets, "randbelow", lambda _n: int(live["code"]))
    assert facilitator.session(headers)["code"] == live["code"]  # an ended session's code is free


@pytest.mark.parametrize(
    "origin, public_url, allowed",
    [
        ("http://localhost", None, True),  # the page's own origin
        ("http://evil.example", None, False),
        ("https://workshop.example.org", "https://workshop.example.org", True),  # behind the proxy
        ("http://localhost", "https://workshop.example.org", True),  # still its own origin too
        ("http://evil.example", "https://workshop.example.org", False),
        ("https://workshop.example.org.evil.example", "https://workshop.example.org", False),
    ],
)
def test_socket_io_takes_its_own_origin_and_the_public_url_only(make_app, origin, public_url, allowed):
    app = make_app(PUBLIC_URL=public_url)
    r = app.test_client().get("/socket.io/?EIO=4&transport=polling", headers={"Origin": origin})
    assert (r.status_code == 200) is allowed, (r.status_code, r.data)
