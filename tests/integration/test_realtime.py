"""Socket.IO with several clients at once: who did and who did not receive each message."""

import pytest
import yaml

from tests.conftest import ROOT, wait_for


@pytest.fixture
def room(facilitator, sockets):
    """A session with a projector watching; helpers to add phones and drive it."""
    facilitator.create()
    headers = facilitator.token()
    s = facilitator.session(headers)

    class Room:
        session = s

        def phone(self, **join):
            c = sockets()
            ack = c.emit("join", {"code": s["code"], **join}, callback=True)
            assert ack["ok"], ack
            c.get_received()
            return c, ack

        def command(self, cmd):
            r = facilitator.command(headers, s["id"], cmd)
            assert r.status_code == 200, r.get_json()
            return r.get_json()

        def view(self):
            return facilitator.client.get(f"/api/sessions/{s['id']}", headers=headers).get_json()

    r = Room()
    r.screen = sockets()
    ack = r.screen.emit("watch", {"code": s["code"], "screen_token": s["screen_token"]}, callback=True)
    assert ack["ok"] and ack["state"]["phase"] == "lobby"
    r.headers = headers
    return r


def events(client, name):
    return [m["args"][0] for m in client.get_received() if m["name"] == name]


def test_joining_with_a_wrong_code_says_so(sockets):
    c = sockets()
    for code, expected in [("000000", "unknown_session"), ("12ab56", "unknown_session"), (123456, "unknown_session")]:
        ack = c.emit("join", {"code": code}, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == expected
        assert ack["error"]["message"]


def test_joining_an_ended_session_says_it_has_ended(room, sockets):
    room.command("end")
    ack = sockets().emit("join", {"code": room.session["code"]}, callback=True)
    assert ack["error"]["code"] == "session_ended"


@pytest.mark.parametrize(
    "payload, code",
    [
        ("text", "invalid_request"),
        (42, "invalid_request"),
        (None, "invalid_request"),
        (["a"], "invalid_request"),
        ({"code": {"x": 1}}, "unknown_session"),
        ({"name": "x" * 41}, "invalid_request"),  # the session's real code is filled in below
        ({"name": 42}, "invalid_request"),
        ({"token": "t" * 101}, "invalid_request"),
    ],
)
def test_a_malformed_join_is_answered_with_its_code_and_keeps_the_connection(room, sockets, payload, code):
    if isinstance(payload, dict) and "code" not in payload:
        payload = {"code": room.session["code"], **payload}
    c = sockets()
    ack = c.emit("join", payload, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == code, ack
    assert c.is_connected()
    assert c.emit("join", {"code": room.session["code"]}, callback=True)["ok"]


def test_a_join_answers_token_identity_and_a_full_state(room):
    _, ack = room.phone(name="Anna")
    assert ack["participant"]["name"] is None  # a name is kept only where the session shows names
    state = ack["state"]
    assert state["phase"] == "lobby" and state["dilemma"] is None and state["my_vote"] is None
    deck = yaml.safe_load((ROOT / "content/decks/medarbejderrollen.yaml").read_text(encoding="utf-8"))
    assert state["session"] == {"code": room.session["code"], "title": deck["title"]["da"]}  # untitled: the deck's
    assert ack["token"]


def test_a_vote_before_joining_is_refused(room, sockets):
    room.command("next")
    ack = sockets().emit("vote", {"dilemma": "x", "option": "a"}, callback=True)
    assert ack["error"]["code"] == "not_joined"


def test_votes_are_checked_against_the_open_dilemma(room):
    phone, _ = room.phone()
    d = room.command("next")["dilemma"]
    cases = [
        ({"dilemma": "another", "option": d["options"][0]["id"]}, "voting_closed"),
        ({"dilemma": d["id"], "option": "zz"}, "invalid_option"),
        ({"dilemma": d["id"]}, "invalid_request"),
        ({"dilemma": d["id"], "option": d["options"][0]["id"], "reason": "x" * 501}, "invalid_request"),
        ("not an object", "invalid_request"),
    ]
    for payload, code in cases:
        ack = phone.emit("vote", payload, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == code, payload
    room.command("close")
    ack = phone.emit("vote", {"dilemma": d["id"], "option": d["options"][0]["id"]}, callback=True)
    assert ack["error"]["code"] == "voting_closed"


def test_a_second_vote_replaces_the_first_and_counts_once(room):
    phone, _ = room.phone()
    d = room.command("next")["dilemma"]
    a, b = d["options"][0]["id"], d["options"][1]["id"]
    for option in (a, a, b):  # a double tap, then a change of mind
        assert phone.emit("vote", {"dilemma": d["id"], "option": option}, callback=True) == {"ok": True}
    results = room.view()["results"]
    assert results["total"] == 1 and results["counts"][b] == 1 and results["counts"][a] == 0


def test_a_phase_change_reaches_every_phone_with_its_own_vote(room):
    p1, _ = room.phone()
    p2, _ = room.phone()
    d = room.command("next")["dilemma"]
    a = d["options"][0]["id"]
    p1.emit("vote", {"dilemma": d["id"], "option": a}, callback=True)
    p1.get_received(), p2.get_received()
    room.command("reveal")
    s1, s2 = events(p1, "state")[-1], events(p2, "state")[-1]
    assert s1["phase"] == s2["phase"] == "revealed"
    assert s1["my_vote"] == {"option": a} and s2["my_vote"] is None
    assert s1["results"]["counts"][a] == 1 == s2["results"]["counts"][a]


def test_phones_never_get_counts_before_the_reveal(room):
    p1, _ = room.phone()
    p2, _ = room.phone()
    d = room.command("next")["dilemma"]
    room.screen.get_received()
    p1.emit("vote", {"dilemma": d["id"], "option": d["options"][0]["id"]}, callback=True)
    # Read the phones only once the broadcaster has ticked: the screen has had its results.
    seen = []
    assert wait_for(lambda: seen.extend(events(room.screen, "results")) or (seen and seen[-1]["total"] == 1))
    room.command("close")
    for phone in (p1, p2):
        received = phone.get_received()
        assert not [m for m in received if m["name"] == "results"]
        assert all(m["args"][0]["results"] is None for m in received if m["name"] == "state")


def test_the_screen_gets_coalesced_results_that_end_exact(room, sockets):
    d = room.command("next")["dilemma"]
    phones = [room.phone()[0] for _ in range(12)]
    room.screen.get_received()
    for i, phone in enumerate(phones):
        option = d["options"][i % 2]["id"]
        assert phone.emit("vote", {"dilemma": d["id"], "option": option}, callback=True)["ok"]

    def final():
        got = [m["args"][0] for m in room.screen.get_received() if m["name"] == "results"]
        final.seen += got
        return final.seen and final.seen[-1]["total"] == 12

    final.seen = []
    assert wait_for(final, timeout=5)
    assert len(final.seen) < 12  # coalesced, not one broadcast per vote
    last = final.seen[-1]
    assert last["counts"] == {**{o["id"]: 0 for o in d["options"]}, d["options"][0]["id"]: 6, d["options"][1]["id"]: 6}
    assert last["percentages"] == {**{o["id"]: 0 for o in d["options"]}, d["options"][0]["id"]: 50, d["options"][1]["id"]: 50}
    assert last["participants"] == 12


def test_the_screen_needs_the_right_token(room, sockets):
    ack = sockets().emit("watch", {"code": room.session["code"], "screen_token": "guess"}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "unknown_session"


def test_the_console_watches_with_the_login_cookie(room, facilitator, sockets):
    anonymous = sockets()
    assert anonymous.emit("watch", {"session": room.session["id"]}, callback=True)["error"]["code"] == "unauthorized"
    facilitator.login()
    console = sockets(with_cookies=True)
    ack = console.emit("watch", {"session": room.session["id"]}, callback=True)
    assert ack["ok"] and ack["state"]["phase"] == "lobby"
    room.command("next")
    assert events(console, "state")[-1]["phase"] == "voting"


def test_a_rejoin_with_the_token_is_the_same_participant_with_the_same_vote(room, sockets):
    phone, ack = room.phone()
    d = room.command("next")["dilemma"]
    b = d["options"][1]["id"]
    phone.emit("vote", {"dilemma": d["id"], "option": b, "reason": "Fordi ærlighed betyder noget"}, callback=True)
    phone.disconnect()
    again = sockets().emit("join", {"code": room.session["code"], "token": ack["token"]}, callback=True)
    assert again["participant"]["id"] == ack["participant"]["id"]
    assert again["state"]["my_vote"]["option"] == b
    assert room.view()["participants"] == 1


def test_the_lobby_count_goes_to_the_screen_as_people_join(room):
    room.screen.get_received()
    room.phone()
    room.phone()
    seen = []
    assert wait_for(lambda: seen.extend(events(room.screen, "presence")) or (seen and seen[-1]["participants"] == 2))
