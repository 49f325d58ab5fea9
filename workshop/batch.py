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

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .domain import WorkshopError
from .store import db

WAIT = 15.0  # seconds a queued request waits for its batch before it gives up (busy)


@dataclass(eq=False)
class Item:
    """One request in a batch: `write` reads `args` and sets `result` or `error`."""

    args: tuple
    done: threading.Event = field(default_factory=threading.Event)
    result: object = None
    error: WorkshopError | None = None
    lead: bool = False


class GroupCommit:
    def __init__(self, write: Callable[[list[Item]], None]):
        """`write(batch)` checks and writes every item in one transaction and commits; an
        item it refuses gets `error`. If it raises, each item is written again on its own, so
        one bad request cannot sink the rest."""
        self._write = write
        self._lock = threading.Lock()
        self._queue: list[Item] = []
        self._busy = False

    def submit(self, *args):
        """Queue one request; return its result once it is committed, or raise its WorkshopError."""
        item = Item(args)
        with self._lock:
            self._queue.append(item)
            if not self._busy:
                self._busy = item.lead = True
        while not item.lead:
            if item.done.wait(WAIT):
                break
            with self._lock:
                if item in self._queue:  # never taken into a batch: give up cleanly
                    self._queue.remove(item)
                    raise WorkshopError("busy", "the request was not saved in time; send it again")
        if item.lead:  # the first to arrive, or woken to lead the next batch
            self._lead()
        if item.error:
            raise item.error
        return item.result

    def _lead(self) -> None:
        time.sleep(0)  # let the requests that arrived together join this batch
        with self._lock:
            batch, self._queue = self._queue, []
        try:
            self._write(batch)
        except Exception:
            db.session.rollback()
            for it in batch:
                it.error = it.result = None
                try:
                    self._write([it])
                except WorkshopError as exc:
                    it.error = exc
                except Exception:
                    db.session.rollback()
                    it.error = WorkshopError("internal_error")
        with self._lock:
            nxt = self._queue[0] if self._queue else None
            if nxt is None:
                self._busy = False
            else:
                nxt.lead = True
        for it in batch:
            it.lead = False
            it.done.set()
        if nxt is not None:
            nxt.done.set()  # wakes it to lead the next batch
