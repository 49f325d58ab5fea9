"""Abuse limits on joins and events (CONTRACT part 2, issue 10): guessing codes, minting
participants and flooding stop at the limit; a real room behind one address is never limited."""

import pytest


@pytest.fixture
def session(facilitator):
    facilitator.create()
    headers = facilitator.token()
    return facilitator.session(headers) | {"headers": headers}


def join(client, code, **extra):
    return client.emit("join", {"code": code, **extra}, callback=True)


def wrong_code(right: str) -> str:
    return f"{(int(right) + 1) % 1_000_000:06d}"


def test_a_connection_guessing_codes_is_stopped_and_then_not_even_the_right_code_gets_through(app, session, sockets):
    c = sockets()
    limit = app.config["JOIN_WRONG_PER_CONNECTION"]
    assert limit == 20
    for _ in range(limit):
        assert join(c, wrong_code(session["code"]))["error"]["code"] == "unknown_session"
    assert join(c, wrong_code(session["code"]))["error"]["code"] == "too_many_requests"
    ack = join(c, session["code"])
    assert ack["ok"] is False and ack["error"]["code"] == "too_many_requests"
    assert ack["error"]["message"]
    # Another connection is not affected.
    assert join(sockets(), session["code"])["ok"]


def test_ended_codes_count_as_wrong_codes(app, facilitator, session, sockets):
    facilitator.command(session["headers"], session["id"], "end")
    c = sockets()
    for _ in range(app.config["JOIN_WRONG_PER_CONNECTION"]):
        assert join(c, session["code"])["error"]["code"] == "session_ended"
    assert join(c, session["code"])["error"]["code"] == "too_many_requests"


def test_one_connection_creates_at_most_five_participants(app, session, sockets):
    c = sockets()
    tokens = []
    for _ in range(app.config["JOIN_CREATED_PER_CONNECTION"]):
        ack = join(c, session["code"])
        assert ack["ok"]
        tokens.append(ack["token"])
    assert join(c, session["code"])["error"]["code"] == "too_many_requests"
    # A made-up token does not get round it; a real one rejoins (creates nobody).
    assert join(c, session["code"], token="made-up")["error"]["code"] == "too_many_requests"
    assert join(c, session["code"], token=tokens[0])["ok"]
    assert len(set(tokens)) == 5


def test_many_connections_from_one_address_guessing_are_limited_by_address(app, session, sockets):
    app.config["JOIN_WRONG_PER_ADDRESS"] = 30
    phone = sockets()
    joined = join(phone, session["code"])
    assert joined["ok"]
    for _ in range(3):
        c = sockets()
        for _ in range(10):
            join(c, wrong_code(session["code"]))
    fresh = sockets()
    assert join(fresh, session["code"])["error"]["code"] == "too_many_requests"
    # A phone that had joined rejoins with its token (a reload on the venue's Wi-Fi).
    assert join(sockets(), session["code"], token=joined["token"])["ok"]


def test_two_hundred_phones_behind_one_address_all_join_even_with_some_typos(app, session, sockets):
    for i in range(200):
        c = sockets()
        if i % 10 == 0:  # one in ten mistypes once
            assert join(c, wrong_code(session["code"]))["error"]["code"] == "unknown_session"
        ack = join(c, session["code"])
        assert ack["ok"], (i, ack)
        c.disconnect()
    r = app.test_client().get(f"/api/sessions/{session['id']}", headers=session["headers"])
    assert r.get_json()["participants"] == 200


def test_a_flood_of_events_is_answered_too_many_requests_and_the_connection_recovers(
    app, session, sockets, monkeypatch
):
    c = sockets()
    answers = [c.emit("vote", {"dilemma": "x", "option": "a"}, callback=True)["error"]["code"] for _ in range(60)]
    burst = app.config["SOCKET_EVENT_BURST"]
    assert answers[:burst] == ["not_joined"] * burst
    assert answers[-1] == "too_many_requests"
    # Another client is untouched.
    assert join(sockets(), session["code"])["ok"]
    # Time refills the bucket.
    import workshop.limits as limits

    later = limits.time.monotonic() + 10
    monkeypatch.setattr(limits.time, "monotonic", lambda: later)
    assert join(c, session["code"])["ok"]


def test_a_connection_that_keeps_flooding_is_closed_and_nobody_else_is(app, session, sockets):
    c = sockets()
    other = sockets()
    assert join(other, session["code"])["ok"]
    sent = app.config["SOCKET_EVENT_BURST"] + app.config["SOCKET_EVENT_DISCONNECT"]
    for _ in range(sent):
        c.emit("vote", {"dilemma": "x", "option": "a"}, callback=True)
    assert not c.is_connected()
    assert other.is_connected()
    assert join(sockets(), session["code"])["ok"]


def test_a_token_from_another_session_does_not_get_round_the_participant_limit(app, facilitator, session, sockets):
    other = facilitator.session(session["headers"])
    token = join(sockets(), other["code"])["token"]  # a real token, of the other session
    c = sockets()
    for _ in range(app.config["JOIN_CREATED_PER_CONNECTION"]):
        assert join(c, session["code"], token=token)["ok"]
    assert join(c, session["code"], token=token)["error"]["code"] == "too_many_requests"


def test_a_room_rejoining_its_ended_session_does_not_lock_the_venue_out_of_the_next(app, facilitator, session, sockets):
    """After the end, phones that reconnect send the old code again: `session_ended` each. Behind
    one venue address that must not use up the address's budget for the follow-up session."""
    app.config["JOIN_WRONG_PER_ADDRESS"] = 30
    facilitator.command(session["headers"], session["id"], "end")
    for _ in range(40):  # more phones than the budget, each reconnecting once
        assert join(sockets(), session["code"])["error"]["code"] == "session_ended"
    following = facilitator.session(session["headers"])
    assert join(sockets(), following["code"])["ok"]
