"""Several server processes on PostgreSQL with Redis as the Socket.IO message queue.

Needs PostgreSQL (WORKSHOP_TEST_POSTGRES, default postgresql://postgres@127.0.0.1:5432/test)
and Redis (WORKSHOP_TEST_REDIS, default redis://127.0.0.1:6379/0). Skipped with the reason
on a machine that has neither; with CI=true a missing service fails the run.
"""

from __future__ import annotations

import os
import secrets
import time

import pytest
import requests
import socketio

from tests.conftest import need, wait_for

PG = os.environ.get("WORKSHOP_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("WORKSHOP_TEST_REDIS", "redis://127.0.0.1:6379/0")


def _postgres_ok() -> tuple[bool, str]:
    try:
        import psycopg

        psycopg.connect(PG, connect_timeout=3).close()
        return True, ""
    except Exception as exc:  # any reason: not installed, not running, refused
        return False, f"PostgreSQL is not reachable at {PG} ({exc.__class__.__name__})"


def _redis_ok() -> tuple[bool, str]:
    try:
        import redis

        redis.Redis.from_url(REDIS, socket_connect_timeout=3).ping()
        return True, ""
    except Exception as exc:
        return False, f"Redis is not reachable at {REDIS} ({exc.__class__.__name__})"


@pytest.fixture
def database():
    ok, reason = _postgres_ok()
    need(ok, reason)
    import psycopg

    name = f"workshop_test_{secrets.token_hex(4)}"
    with psycopg.connect(PG, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = PG.rpartition("/")
    yield base.replace("postgresql://", "postgresql+psycopg://", 1) + "/" + name
    with psycopg.connect(PG, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def queue():
    ok, reason = _redis_ok()
    need(ok, reason)
    return REDIS


def two_processes(live_server_factory, tmp_path, database, queue, start=True):
    """Two app processes on one PostgreSQL database and one Redis; started, with a facilitator."""
    env = {"WORKSHOP_DATABASE_URL": database, "WORKSHOP_MESSAGE_QUEUE": queue, "WORKSHOP_SECRET_KEY": "shared-secret"}
    a = live_server_factory(tmp_path / "a", env=env)
    b = live_server_factory(tmp_path / "b", env=env)
    if start:
        a.create_facilitator()
        a.start()
        b.start()
    return a, b


def test_two_processes_share_rooms_and_truth(live_server_factory, tmp_path, database, queue):
    a, b = two_processes(live_server_factory, tmp_path, database, queue)
    headers = a.token()
    s = requests.post(
        f"{a.url}/api/sessions", json={"deck": "lederrollen", "min_answers": 1}, headers=headers, timeout=10
    ).json()

    screen = socketio.Client(reconnection=False)  # the projector on process A
    results, presence = [], []
    screen.on("results", results.append)
    screen.on("presence", presence.append)
    screen.connect(a.url, wait_timeout=10)
    assert screen.call("watch", {"code": s["code"], "screen_token": s["screen_token"]}, timeout=10)["ok"]

    phones = []
    for _ in range(4):  # the phones on process B
        p = socketio.Client(reconnection=False)
        got = []
        p.on("state", got.append)
        p.connect(b.url, wait_timeout=10)
        assert p.call("join", {"code": s["code"]}, timeout=10)["ok"]
        phones.append((p, got))
    assert wait_for(lambda: presence and presence[-1]["participants"] == 4, timeout=5)

    # a command on B reaches the phones on B and the screen on A; votes on B reach the screen on A
    d = requests.post(
        f"{b.url}/api/sessions/{s['id']}/commands", json={"command": "next"}, headers=headers, timeout=10
    ).json()["dilemma"]
    assert wait_for(lambda: all(got and got[-1]["phase"] == "voting" for _, got in phones))
    for i, (p, _) in enumerate(phones):
        assert p.call("vote", {"dilemma": d["id"], "option": d["options"][i % 2]["id"]}, timeout=10)["ok"]
    assert wait_for(lambda: results and results[-1]["total"] == 4, timeout=5)

    # a command on A reaches the phones on B
    requests.post(f"{a.url}/api/sessions/{s['id']}/commands", json={"command": "reveal"}, headers=headers, timeout=10)
    assert wait_for(lambda: all(got[-1]["phase"] == "revealed" for _, got in phones))
    view = requests.get(f"{a.url}/api/sessions/{s['id']}", headers=headers, timeout=10).json()
    assert view["results"]["total"] == 4 and view["participants"] == 4
    for p, _ in phones:
        p.disconnect()
    screen.disconnect()


def test_two_processes_give_the_projector_one_results_stream(live_server_factory, tmp_path, database, queue):
    """Votes arrive on both processes for seconds; the screen gets at most one `results` per
    interval (one elected flusher per session), not one stream per process, and ends exact."""
    a, b = two_processes(live_server_factory, tmp_path, database, queue)
    headers = a.token()
    s = requests.post(f"{a.url}/api/sessions", json={"deck": "lederrollen"}, headers=headers, timeout=10).json()

    screen = socketio.Client(reconnection=False)
    results = []
    screen.on("results", lambda r: results.append((time.monotonic(), r)))
    screen.connect(a.url, wait_timeout=10)
    assert screen.call("watch", {"code": s["code"], "screen_token": s["screen_token"]}, timeout=10)["ok"]
    phones = []
    for url in (a.url, b.url, a.url, b.url):
        p = socketio.Client(reconnection=False)
        p.connect(url, wait_timeout=10)
        assert p.call("join", {"code": s["code"]}, timeout=10)["ok"]
        phones.append(p)
    d = requests.post(
        f"{a.url}/api/sessions/{s['id']}/commands", json={"command": "next"}, headers=headers, timeout=10
    ).json()["dilemma"]
    options = [o["id"] for o in d["options"]]

    # Votes (changed answers) on A and B in turn for about 3 seconds: every tick of both
    # processes sees activity on this session.
    start = time.monotonic()
    n = 0
    while time.monotonic() - start < 3:
        ack = phones[n % 4].call("vote", {"dilemma": d["id"], "option": options[n % len(options)]}, timeout=10)
        assert ack["ok"], ack
        n += 1
        time.sleep(0.04)  # 25 votes a second in all: each phone under its event limit (docs/protocol.md)
    assert wait_for(lambda: results and results[-1][0] > start and results[-1][1]["total"] == 4, timeout=5)
    stream = [t for t, _ in results if t > start]
    elapsed = stream[-1] - stream[0]
    interval = 0.25
    assert len(stream) <= elapsed / interval + 2, (len(stream), elapsed)
    assert len(stream) >= 4  # it streamed during the votes, not once at the end
    for p in phones:
        p.disconnect()
    screen.disconnect()


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_a_waiting_database_call_does_not_stall_the_process(live_server_factory, tmp_path, database, mode):
    """psycopg's C wait is not cooperative: under eventlet one slow PostgreSQL call would freeze
    every connection of the process. A join held by a table lock must leave /healthz answering."""
    import psycopg

    server = live_server_factory(tmp_path / "a", env={"WORKSHOP_DATABASE_URL": database, "WORKSHOP_ASYNC_MODE": mode})
    server.create_facilitator()
    server.start()
    s = requests.post(
        f"{server.url}/api/sessions", json={"deck": "lederrollen"}, headers=server.token(), timeout=10
    ).json()
    phone = socketio.Client(reconnection=False)
    phone.connect(server.url, wait_timeout=10)
    acks = []
    with psycopg.connect(database.replace("postgresql+psycopg://", "postgresql://", 1)) as locker:
        locker.execute("LOCK TABLE participant IN ACCESS EXCLUSIVE MODE")
        phone.emit("join", {"code": s["code"]}, callback=acks.append)
        waiting = "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'participant'::regclass"
        with psycopg.connect(database.replace("postgresql+psycopg://", "postgresql://", 1), autocommit=True) as watch:
            assert wait_for(lambda: watch.execute(waiting).fetchone()[0] > 0, timeout=10)
        assert requests.get(f"{server.url}/healthz", timeout=5).status_code == 200
        assert not acks
        locker.rollback()
    assert wait_for(lambda: acks, timeout=10) and acks[0]["ok"]
    phone.disconnect()


def test_a_crowd_joining_two_processes_at_once_all_get_in(live_server_factory, tmp_path, database, queue):
    """Joins wait for PostgreSQL cooperatively, so many run at once in each process: the
    participant numbers must not collide into `busy` refusals."""
    import asyncio

    from bench.load import Phone, http_session, run_sync

    a, b = two_processes(live_server_factory, tmp_path, database, queue)
    s = requests.post(f"{a.url}/api/sessions", json={"deck": "lederrollen"}, headers=a.token(), timeout=10).json()

    async def crowd(n):
        async with http_session() as http:
            phones = [Phone(http) for _ in range(n)]
            await asyncio.gather(*(p.connect((a.url, b.url)[i % 2]) for i, p in enumerate(phones)))
            acks = await asyncio.gather(*(p.call("join", {"code": s["code"]}) for p in phones))
            await asyncio.gather(*(p.close() for p in phones))
            return acks

    acks = run_sync(crowd(120))
    assert [a.get("error") for a in acks if not a["ok"]] == []
    names = {ack["participant"]["id"] for ack in acks}
    assert len(names) == 120


def test_an_address_has_one_wrong_code_budget_across_processes(queue):
    """Phones start on the websocket and a proxy spreads them over the processes, so an
    address's wrong codes must be counted together (in Redis), not once per process."""
    from workshop.limits import Limits

    secret = secrets.token_hex(8)
    config = {"MESSAGE_QUEUE": queue, "SECRET_KEY": secret, "JOIN_WRONG_PER_ADDRESS": 3, "JOIN_ADDRESS_WINDOW": 60}
    first, second = Limits(dict(config)), Limits(dict(config))
    other_deployment = Limits(dict(config, SECRET_KEY=secrets.token_hex(8)))
    address = f"198.51.100.{secrets.randbelow(250)}"
    first.count_wrong(address)
    second.count_wrong(address)
    assert not first.address_limited(address) and not second.address_limited(address)
    first.count_wrong(address)
    assert first.address_limited(address) and second.address_limited(address)
    assert not other_deployment.address_limited(address)  # another deployment on the same Redis
    assert not second.address_limited("198.51.100.251")  # another address
