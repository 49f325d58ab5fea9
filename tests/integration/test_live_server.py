"""`python app.py` as a subprocess, real python-socketio clients, under eventlet and gevent.

Includes a kill -9 in the middle of a session: every acknowledged vote is still there after
the restart, and a rejoin with the token gets the same participant and vote.
"""

from __future__ import annotations

import pytest
import requests
import socketio

from tests.conftest import wait_for

ASYNC_MODES = ["eventlet", "gevent"]


def phone(url):
    c = socketio.Client(reconnection=False)
    c.connect(url, wait_timeout=10)
    return c


def command(server, headers, sid, cmd):
    r = requests.post(f"{server.url}/api/sessions/{sid}/commands", json={"command": cmd}, headers=headers, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize("mode", ASYNC_MODES)
def test_a_whole_session_over_real_sockets(live_server_factory, mode):
    server = live_server_factory(env={"WORKSHOP_ASYNC_MODE": mode})
    server.create_facilitator()
    server.start()
    headers = server.token()
    s = requests.post(
        f"{server.url}/api/sessions",
        json={"deck": "sammenhaengskraften", "min_answers": 1},
        headers=headers,
        timeout=10,
    ).json()

    screen = socketio.Client(reconnection=False)
    results = []
    screen.on("results", results.append)
    screen.connect(server.url, wait_timeout=10)
    assert screen.call("watch", {"code": s["code"], "screen_token": s["screen_token"]}, timeout=10)["ok"]

    phones, states = [], []
    for i in range(5):
        p = phone(server.url)
        got = []
        p.on("state", got.append)
        ack = p.call("join", {"code": s["code"], "name": f"Deltager {i}"}, timeout=10)
        assert ack["ok"]
        phones.append(p)
        states.append(got)

    d = command(server, headers, s["id"], "next")["dilemma"]
    assert wait_for(lambda: all(st and st[-1]["phase"] == "voting" for st in states))
    for i, p in enumerate(phones):
        assert p.call(
            "vote", {"dilemma": d["id"], "option": d["options"][i % 3]["id"], "reason": "Det er ærligt"}, timeout=10
        ) == {"ok": True}
    assert wait_for(lambda: results and results[-1]["total"] == 5, timeout=5)

    # a malformed event is refused and nobody is disconnected
    assert phones[0].call("vote", "rubbish", timeout=10)["error"]["code"] == "invalid_request"
    assert all(p.connected for p in phones) and screen.connected

    revealed = command(server, headers, s["id"], "reveal")
    assert revealed["results"]["total"] == 5
    assert wait_for(lambda: all(st[-1]["phase"] == "revealed" and st[-1]["results"] for st in states))
    mine = [st[-1]["my_vote"]["option"] for st in states]
    assert mine == [d["options"][i % 3]["id"] for i in range(5)]

    export = requests.get(f"{server.url}/api/sessions/{s['id']}/export?format=md", headers=headers, timeout=10)
    assert "Det er ærligt" in export.text
    for c in (*phones, screen):
        c.disconnect()


@pytest.mark.parametrize("mode", ASYNC_MODES)
def test_a_kill_9_loses_no_acknowledged_vote(live_server_factory, tmp_path, mode):
    instance = tmp_path / "kept"
    server = live_server_factory(instance, env={"WORKSHOP_ASYNC_MODE": mode})
    server.create_facilitator()
    server.start()
    headers = server.token()
    s = requests.post(
        f"{server.url}/api/sessions", json={"deck": "lederrollen", "min_answers": 1}, headers=headers, timeout=10
    ).json()
    d = command(server, headers, s["id"], "next")["dilemma"]

    acked = {}
    for i in range(8):
        p = phone(server.url)
        join = p.call("join", {"code": s["code"]}, timeout=10)
        option = d["options"][i % len(d["options"])]["id"]
        if p.call("vote", {"dilemma": d["id"], "option": option}, timeout=10)["ok"]:
            acked[join["token"]] = (join["participant"]["id"], option)
        p.disconnect()
    assert len(acked) == 8

    server.kill9()
    again = live_server_factory(instance, env={"WORKSHOP_ASYNC_MODE": mode, "WORKSHOP_PORT": str(server.port)})
    again.port, again.url = server.port, server.url
    again.start()

    view = requests.get(f"{again.url}/api/sessions/{s['id']}", headers=headers, timeout=10).json()
    assert view["phase"] == "voting" and view["results"]["total"] == 8
    for token, (pid, option) in acked.items():
        p = phone(again.url)
        ack = p.call("join", {"code": s["code"], "token": token}, timeout=10)
        assert ack["participant"]["id"] == pid
        assert ack["state"]["my_vote"]["option"] == option
        p.disconnect()
    assert requests.get(f"{again.url}/api/sessions/{s['id']}", headers=headers, timeout=10).json()["participants"] == 8


def test_sigterm_stops_the_server_cleanly(live_server):
    live_server.proc.terminate()
    assert live_server.proc.wait(10) == 0


def test_a_phone_that_reconnects_is_resynced_with_a_snapshot(live_server):
    headers = live_server.token()
    s = requests.post(
        f"{live_server.url}/api/sessions",
        json={"deck": "medarbejderrollen", "min_answers": 1},
        headers=headers,
        timeout=10,
    ).json()
    p = phone(live_server.url)
    ack = p.call("join", {"code": s["code"]}, timeout=10)
    p.disconnect()  # the phone sleeps; the session moves on meanwhile
    command(live_server, headers, s["id"], "next")
    command(live_server, headers, s["id"], "close")  # answered after the commit: no wait needed
    p2 = phone(live_server.url)
    again = p2.call("join", {"code": s["code"], "token": ack["token"]}, timeout=10)
    assert again["state"]["phase"] == "closed" and again["state"]["dilemma"]["index"] == 0
    p2.disconnect()


def test_socket_io_refuses_another_origin(live_server):
    evil = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        evil.connect(live_server.url, headers={"Origin": "http://evil.example"}, transports=["polling"], wait_timeout=5)
    same = socketio.Client(reconnection=False)
    same.connect(live_server.url, headers={"Origin": live_server.url}, transports=["polling"], wait_timeout=5)
    assert same.connected
    same.disconnect()


def test_a_first_start_says_exactly_how_to_create_a_facilitator(live_server_factory):
    import subprocess

    server = live_server_factory().start()
    log = server.log.read_text()
    line = next(row for row in log.splitlines() if "No facilitator account yet" in row)
    folder, command = line.split("No facilitator account yet. In ", 1)[1].split(", create one with:", 1)
    command = command.split()
    command[-1] = "first@example.org"  # the placeholder the hint asks the user to replace
    done = subprocess.run(
        [*command, "--password", "langt-nok-1"], cwd=folder, env=server.env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert (
        requests.post(
            server.url + "/api/token", json={"email": "first@example.org", "password": "langt-nok-1"}, timeout=5
        ).status_code
        == 200
    )


def test_an_oversized_message_costs_only_its_sender_its_connection(live_server):
    headers = live_server.token()
    s = requests.post(
        f"{live_server.url}/api/sessions", json={"deck": "lederrollen", "min_answers": 1}, headers=headers, timeout=10
    ).json()
    d = command(live_server, headers, s["id"], "next")["dilemma"]
    calm, rude = phone(live_server.url), phone(live_server.url)
    assert calm.call("join", {"code": s["code"]}, timeout=10)["ok"]
    assert rude.call("join", {"code": s["code"]}, timeout=10)["ok"]
    rude.emit("vote", {"dilemma": d["id"], "option": "a", "reason": "æ" * 40_000})  # over the 16 KB limit
    assert wait_for(lambda: not rude.connected, timeout=10)
    assert calm.connected
    assert calm.call("vote", {"dilemma": d["id"], "option": d["options"][0]["id"]}, timeout=10) == {"ok": True}
    view = requests.get(f"{live_server.url}/api/sessions/{s['id']}", headers=headers, timeout=10).json()
    assert view["results"]["total"] == 1
    calm.disconnect()


def test_a_second_server_on_a_taken_port_refuses_to_start_instead_of_sharing_it(live_server_factory, tmp_path):
    """eventlet binds with SO_REUSEPORT: without the check, a second `scripts/run.sh` would share
    the port silently, each process answering part of the requests with rooms of its own."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    first = live_server_factory().start()
    second = subprocess.run(
        [sys.executable, "app.py"],
        cwd=ROOT,
        env={**first.env, "WORKSHOP_INSTANCE_PATH": str(tmp_path / "second")},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert second.returncode == 1
    assert "address already in use" in second.stdout + second.stderr
    assert requests.get(first.url + "/healthz", timeout=5).status_code == 200
