"""Group commit: the requests that arrive together are written in one transaction, and each
caller returns only after that commit, so nothing acknowledged can be lost.

The first request to arrive leads: it yields once (so the requests that arrived with it can
queue), takes the queue, writes it and wakes the others. If more queued meanwhile, the first
of those leads the next batch, so nobody waits behind more than one batch. One request alone
costs what it always did: a batch of one. Works the same under eventlet, gevent (both patch
`threading` and `time`) and plain threads.

Answers (workshop/answers.py) and new participants (workshop/joins.py) are written this way.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from .domain import WorkshopError
from .store import db

log = logging.getLogger(__name__)


@dataclass(eq=False)
class Item:
    """One request in a batch: `write` reads `args` and sets `result` or `error`."""

    args: tuple
    result: object = None
    error: WorkshopError | None = None
    written: bool = False  # committed (set by the group commit, never by `write`)


class _Batch:
    """The requests written together. Its first request leads it; the others wait on `done`,
    one event for the whole batch (an event and a timed wait per request cost more, under
    eventlet, than writing the request)."""

    __slots__ = ("items", "done", "turn")

    def __init__(self):
        self.items: list[Item] = []
        self.done = threading.Event()  # written: every item has its result or error
        self.turn = threading.Event()  # the batch before is written: this one's leader may start


class GroupCommit:
    def __init__(self, write: Callable[[list[Item]], list[str]], on_written: Callable[[str], None]):
        """`write(batch)` checks and writes every item in one transaction, commits, and returns
        the session ids that got rows; an item it refuses gets `error`. If it raises, each item
        is written again on its own, so one bad request cannot sink the rest. After the commit,
        `on_written(session_id)` announces each session once; its failure (a Redis hiccup) is
        logged and never taken for a failed write, which would write the batch again."""
        self._write = write
        self._on_written = on_written
        self._lock = threading.Lock()
        self._pending = _Batch()
        self._busy = False  # a batch is being written

    def submit(self, *args):
        """Queue one request; return its result once it is committed, or raise its WorkshopError."""
        item = Item(args)
        with self._lock:
            batch = self._pending
            leads = not batch.items
            batch.items.append(item)
            now = leads and not self._busy
            if now:
                self._busy = True
        if leads:
            if not now:
                batch.turn.wait()  # the batch before hands over when it is written
            self._lead(batch)
        else:
            batch.done.wait()
        if item.error:
            raise item.error
        if not item.written:  # the leader was stopped before its commit
            raise WorkshopError("busy", "the request was not saved; send it again")
        return item.result

    def _lead(self, batch: _Batch) -> None:
        time.sleep(0)  # let the requests that arrived together join this batch
        with self._lock:
            self._pending = _Batch()  # later arrivals form the next batch
        try:
            written = self._write_all(batch.items)
        finally:
            with self._lock:
                nxt = self._pending if self._pending.items else None
                if nxt is None:
                    self._busy = False
            batch.done.set()
            if nxt is not None:
                nxt.turn.set()
        for session_id in dict.fromkeys(written):
            try:
                self._on_written(session_id)
            except Exception:
                log.exception("announcing the writes of session %s failed", session_id)

    def _write_all(self, items: list[Item]) -> list[str]:
        try:
            written = list(self._write(items))
            for it in items:
                it.written = it.error is None
            return written
        except Exception:
            db.session.rollback()
        written = []
        for it in items:
            it.error = it.result = None
            try:
                written += self._write([it])
                it.written = it.error is None
            except WorkshopError as exc:
                it.error = exc
            except Exception:
                db.session.rollback()
                it.error = WorkshopError("internal_error")
        return written
