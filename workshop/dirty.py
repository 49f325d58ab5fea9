"""Which sessions' counts to send now: one results stream per session, however many processes.

The realtime layer calls `mark(session_id)` after an answer or a join is committed, and its
ticker calls `take()` every RESULTS_INTERVAL for the ids to flush now, then `done(ids)` once
they are flushed.

- `LocalDirty` (one process): a set, emptied by each take().
- `RedisDirty` (several processes, WORKSHOP_MESSAGE_QUEUE set): mark() stays in memory (no
  network call on the answer path); take() moves this process's marks into a Redis set shared
  by every process of the deployment, pops a batch of ids from it (SPOP: each id goes to one
  process) and keeps an id only when it also wins that session's flush slot (SET NX PX, 90 % of
  the interval from the take, so the next tick after it, this process's or another's, finds it
  free: a steady cadence of one interval, not two). An id whose slot is taken goes back into the
  set for a later tick. So each session is flushed by one process at a time, about once per
  interval, and always once more after its last mark: the projector gets one stream that ends
  exact. A flush slower than half an interval holds its slot for another half interval from its
  end, so two emits never come closer than that.

Keys are namespaced by the database URL, so deployments (or test runs) sharing a Redis never
take each other's ids.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time

from .config import redis_queue

log = logging.getLogger(__name__)

BATCH = 1000  # ids popped per tick; more stay in the set for the next tick
HOLD = 0.9  # a won flush slot lasts this share of the interval from the take


class LocalDirty:
    def __init__(self):
        self._ids: set[str] = set()
        self._lock = threading.Lock()

    def mark(self, session_id: str) -> None:
        with self._lock:
            self._ids.add(session_id)

    def _swap(self) -> set[str]:
        with self._lock:
            ids, self._ids = self._ids, set()
        return ids

    def _restore(self, ids) -> None:
        with self._lock:
            self._ids.update(ids)

    def take(self) -> list[str]:
        return list(self._swap())

    def done(self, session_ids) -> None:
        """The ticker has flushed these: nothing to do in one process (its ticks are spaced)."""


class RedisDirty(LocalDirty):
    def __init__(self, client, namespace: str, interval: float):
        super().__init__()
        self.redis = client
        self.key = f"workshop:{namespace}:dirty"
        self.slot = f"workshop:{namespace}:flush:"
        self.interval = interval
        self.slot_ms = max(1, int(interval * 1000 * HOLD))
        self._taken_at = 0.0

    @classmethod
    def from_url(cls, url: str, database_url: str, interval: float) -> RedisDirty:
        import redis

        namespace = hashlib.sha256(database_url.encode()).hexdigest()[:16]
        return cls(redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5), namespace, interval)

    def take(self) -> list[str]:
        mine = self._swap()
        try:
            if mine:
                self.redis.sadd(self.key, *mine)
        except Exception:
            self._restore(mine)  # keep them for the next tick rather than lose the last update
            raise
        self._taken_at = time.monotonic()
        popped = [i.decode() if isinstance(i, bytes) else i for i in self.redis.spop(self.key, BATCH) or []]
        if not popped:
            return []
        try:
            pipe = self.redis.pipeline(transaction=False)
            for session_id in popped:
                pipe.set(self.slot + session_id, b"1", nx=True, px=self.slot_ms)
            won = pipe.execute()
            take = [sid for sid, ok in zip(popped, won, strict=True) if ok]
            later = [sid for sid, ok in zip(popped, won, strict=True) if not ok]
            if later:
                self.redis.sadd(self.key, *later)
        except Exception:
            self._restore(popped)  # popped from Redis but not flushed: pushed again next tick
            raise
        return take

    def done(self, session_ids) -> None:
        """A flush that took more than half an interval (queries under load) holds each slot for
        another half interval from its end, so that it and the next process's flush never emit
        close together; a quick one leaves the slot to expire as set at the take."""
        if not session_ids or time.monotonic() - self._taken_at < self.interval / 2:
            return
        pipe = self.redis.pipeline(transaction=False)
        for session_id in session_ids:
            pipe.set(self.slot + session_id, b"1", px=max(1, int(self.interval * 500)))
        pipe.execute()


def for_config(config) -> LocalDirty:
    """Redis when the processes share a message queue on Redis; in memory otherwise."""
    queue = redis_queue(config)
    if queue:
        return RedisDirty.from_url(queue, config["SQLALCHEMY_DATABASE_URI"], config["RESULTS_INTERVAL"])
    return LocalDirty()
