"""The dirty-session marks behind the results ticker: in memory, and shared through Redis so
that several processes give each session one results stream."""

from __future__ import annotations

import secrets

import pytest

from tests.conftest import need, wait_for
from tests.integration.test_postgres_redis import REDIS, _redis_ok
from workshop.dirty import LocalDirty, RedisDirty, for_config


def test_local_marks_are_taken_once():
    d = LocalDirty()
    d.mark("a")
    d.mark("a")
    d.mark("b")
    assert sorted(d.take()) == ["a", "b"]
    assert d.take() == []


def test_redis_is_used_only_with_a_redis_message_queue():
    base = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "RESULTS_INTERVAL": 0.25}
    assert type(for_config({**base, "MESSAGE_QUEUE": None})) is LocalDirty
    assert type(for_config({**base, "MESSAGE_QUEUE": "redis://127.0.0.1:6379/0"})) is RedisDirty


@pytest.fixture
def pair():
    """Two processes' marks on one deployment (same namespace), and a stranger on another."""
    ok, reason = _redis_ok()
    need(ok, reason)
    import redis

    client = redis.Redis.from_url(REDIS)
    ns = f"test-{secrets.token_hex(4)}"
    made = [RedisDirty(client, ns, 0.3), RedisDirty(client, ns, 0.3), RedisDirty(client, ns + "-other", 0.3)]
    yield made
    for key in client.scan_iter(f"workshop:{ns}*"):
        client.delete(key)


def test_two_processes_marking_one_session_give_one_flush_per_interval(pair):
    a, b, _ = pair
    a.mark("s1")
    b.mark("s1")
    b.mark("s2")
    assert a.take() == ["s1"]
    assert b.take() == ["s2"]  # s1's slot is A's for this interval: it waits in the set
    assert a.take() == []  # nor may A flush it twice within the interval
    # once the slot expires, exactly one process takes the waiting mark (the last update)
    got = wait_for(lambda: a.take() + b.take(), timeout=3)
    assert got == ["s1"]
    assert a.take() + b.take() == []


def test_another_deployment_never_takes_our_marks(pair):
    a, _, stranger = pair
    a.mark("s1")
    a.take()
    a.mark("s9")
    a.redis.sadd(a.key, "s9")  # as if pushed by a tick
    assert stranger.take() == []
    assert wait_for(lambda: a.take(), timeout=3) == ["s9"]


def test_marks_survive_a_failed_push(pair):
    a, _, _ = pair

    class Down:
        def sadd(self, *_):
            raise ConnectionError("redis down")

    live, a.redis = a.redis, Down()
    a.mark("s1")
    with pytest.raises(ConnectionError):
        a.take()
    a.redis = live
    assert a.take() == ["s1"]


def test_a_slow_flush_holds_the_slot_for_half_an_interval_from_its_end(pair):
    a, b, _ = pair
    a.mark("s1")
    assert a.take() == ["s1"]
    a.redis.pexpire(a.slot + "s1", 5)  # as if the flush took nearly the whole interval
    a._taken_at -= 0.28
    a.done(["s1"])
    assert 100 < a.redis.pttl(a.slot + "s1") <= 150  # of 300 ms: half of it, from the end of the flush
    b.mark("s1")
    assert b.take() == []


def test_a_quick_flush_leaves_the_slot_to_expire_within_the_interval(pair):
    """So the next tick (one interval on) finds it free: a steady cadence, not every other tick."""
    a, b, _ = pair
    a.mark("s1")
    assert a.take() == ["s1"]
    a.done(["s1"])
    assert 200 < a.redis.pttl(a.slot + "s1") <= 270  # 90 % of the 300 ms interval, from the take
    b.mark("s1")
    assert b.take() == []  # within the interval the slot is still A's


def test_marks_popped_from_redis_survive_a_failed_slot_election(pair):
    a, b, _ = pair
    b.mark("s1")
    b.take()  # b holds s1's slot for this interval
    a.mark("s2")

    class SlotsDown:  # the ids are popped, then the slot pipeline fails
        def __init__(self, live):
            self.live = live

        def sadd(self, *args):
            return self.live.sadd(*args)

        def spop(self, *args):
            return self.live.spop(*args)

        def pipeline(self, **_):
            raise ConnectionError("redis down")

    live, a.redis = a.redis, SlotsDown(a.redis)
    with pytest.raises(ConnectionError):
        a.take()
    a.redis = live
    assert wait_for(lambda: a.take(), timeout=3) == ["s2"]  # not lost with the failed tick
