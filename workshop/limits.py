"""Abuse limits on the Socket.IO side (CONTRACT part 2, "Abuse limits"; docs/security.md).

- Per connection: at most JOIN_WRONG_PER_CONNECTION joins with a wrong code (unknown or
  ended) and at most JOIN_CREATED_PER_CONNECTION participants created; after that every join
  on that connection answers `too_many_requests`, a right code included.
- Per address: at most JOIN_WRONG_PER_ADDRESS unknown codes within JOIN_ADDRESS_WINDOW seconds,
  from any number of connections; then joins from that address without a valid participant
  token answer `too_many_requests` (phones that already joined rejoin with their token).
  A room of 200 phones behind one venue address makes a few dozen typos at most.
- Per connection: at most SOCKET_EVENT_BURST events at once, refilled at SOCKET_EVENT_RATE a
  second; events past that answer `too_many_requests` at once, before any Flask work, so one
  client's flood costs the others next to nothing; after SOCKET_EVENT_DISCONNECT refusals in a
  row the connection is closed (a real client reconnects and rejoins with its token).

A connection's counters live in its process (a connection lives in one process). An address's
wrong codes are counted by the `limits` library (as Flask-Limiter counts failed logins): in Redis
when WORKSHOP_MESSAGE_QUEUE is set, so behind several processes (phones spread over them by the
proxy) an address has one budget, not one per process; in this process's memory otherwise. If
that store cannot be reached the join is let through (the address budget fails open, the
per-connection ones still hold). Tables are bounded: the oldest entries go first.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from flask import current_app, request
from limits import RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import select

from .domain import MAX_TOKEN, Phase, WorkshopError
from .store import Participant, WorkshopSession, db

log = logging.getLogger(__name__)
MAX_TRACKED = 50_000  # connections and addresses remembered at once (LRU)
WRONG_CODES = ("unknown_session", "session_ended")


@dataclass
class _Connection:
    wrong: int = 0
    created: int = 0
    tokens: float = -1.0  # event bucket; -1: not filled yet
    refused: int = 0  # events refused since the last one let through
    stamp: float = field(default_factory=time.monotonic)


class Limits:
    def __init__(self, config):
        self.config = config
        self.lock = threading.Lock()
        self.connections: OrderedDict[str, _Connection] = OrderedDict()
        self._addresses: MovingWindowRateLimiter | None = None  # made on first use (the store may be Redis)
        # One deployment's processes share the secret key: its hash keeps other deployments (and
        # test apps) on the same Redis apart.
        self._namespace = "workshop-join-" + hashlib.sha256(str(config.get("SECRET_KEY")).encode()).hexdigest()[:12]

    def _conn(self, sid: str) -> _Connection:
        conn = self.connections.get(sid)
        if conn is None:
            conn = self.connections[sid] = _Connection()
            while len(self.connections) > MAX_TRACKED:
                self.connections.popitem(last=False)
        else:
            self.connections.move_to_end(sid)
        return conn

    def _address_window(self) -> tuple[MovingWindowRateLimiter, RateLimitItemPerSecond]:
        if self._addresses is None:
            from .ratelimit import storage_uri

            self._addresses = MovingWindowRateLimiter(storage_from_string(storage_uri(self.config)))
        cfg = self.config
        item = RateLimitItemPerSecond(cfg["JOIN_WRONG_PER_ADDRESS"], cfg["JOIN_ADDRESS_WINDOW"], self._namespace)
        return self._addresses, item

    def address_limited(self, address: str) -> bool:
        """The address has used its wrong codes for the window (across processes with Redis)."""
        try:
            window, item = self._address_window()
            return not window.test(item, address)
        except Exception:  # the store is down: fail open, the per-connection limits still hold
            log.warning("join limit store unreachable; the per-address budget is not applied")
            return False

    def count_wrong(self, address: str) -> None:
        try:
            window, item = self._address_window()
            window.hit(item, address)
        except Exception:
            log.warning("join limit store unreachable; a wrong code from %s was not counted", address)

    # --- events -------------------------------------------------------------------------

    def allow_event(self, sid: str) -> bool:
        """Token bucket per connection: False once the client sends faster than allowed."""
        rate, burst = self.config["SOCKET_EVENT_RATE"], self.config["SOCKET_EVENT_BURST"]
        now = time.monotonic()
        with self.lock:
            conn = self._conn(sid)
            if conn.tokens < 0:
                conn.tokens = burst
            else:
                conn.tokens = min(burst, conn.tokens + (now - conn.stamp) * rate)
            conn.stamp = now
            if conn.tokens < 1:
                conn.refused += 1
                return False
            conn.tokens -= 1
            conn.refused = 0
            return True

    def flooding(self, sid: str) -> bool:
        """True once a connection kept sending after SOCKET_EVENT_DISCONNECT refusals in a row."""
        conn = self.connections.get(sid)
        return conn is not None and conn.refused >= self.config["SOCKET_EVENT_DISCONNECT"]

    # --- joins --------------------------------------------------------------------------

    def join(self, sid: str, address: str, do_join, code, token):
        """Run `do_join()` (services.join) within the limits; count its wrong codes and new
        participants. Raises WorkshopError("too_many_requests") while limited."""
        cfg = self.config
        with self.lock:
            conn = self._conn(sid)
            conn_limited = conn.wrong >= cfg["JOIN_WRONG_PER_CONNECTION"]
            may_create = conn.created < cfg["JOIN_CREATED_PER_CONNECTION"]
        address_limited = not conn_limited and self.address_limited(address)
        if conn_limited:
            raise WorkshopError("too_many_requests", "too many wrong codes on this connection")
        if (address_limited or not may_create) and not _rejoins(code, token):
            raise WorkshopError(
                "too_many_requests",
                "too many wrong codes from this address"
                if address_limited
                else "too many participants on this connection",
            )
        try:
            joined = do_join()
        except WorkshopError as exc:
            if exc.code in WRONG_CODES:
                with self.lock:
                    conn.wrong += 1
            if exc.code == "unknown_session":
                # Only a code nobody ever had is a guess. A room of phones still showing an
                # ended workshop rejoins its code after every Wi-Fi blip; counted against the
                # venue's one address, that would lock the room out of the next session.
                self.count_wrong(address)
            raise
        if joined.new:
            with self.lock:
                conn.created += 1
        return joined

    def forget(self, sid: str) -> None:
        with self.lock:
            self.connections.pop(sid, None)


def _rejoins(code, token) -> bool:
    """The token is a participant's of the live session with this code: the join creates nobody.
    (A token from another session would start a new participant there, so it does not count.)"""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN or not isinstance(code, str):
        return False
    found = db.session.scalar(
        select(Participant.id)
        .join(WorkshopSession, WorkshopSession.id == Participant.session_id)
        .where(
            Participant.token == token,
            WorkshopSession.code == code.strip(),
            WorkshopSession.phase != Phase.ENDED.value,
        )
    )
    return found is not None


def limits() -> Limits:
    return current_app.extensions["workshop_limits"]


def guarded_join(services_join, data: dict):
    """on_join's one call: services.join within this connection's and address's limits."""
    return limits().join(
        request.sid,
        request.remote_addr or "",
        lambda: services_join(data.get("code"), data.get("token"), data.get("name"), data.get("role")),
        data.get("code"),
        data.get("token"),
    )


def guard_events(server, app) -> None:
    """Put the per-connection event bucket in front of every client event, at the python-socketio
    layer: a refused event costs a dictionary look-up, not a Flask request context, a session
    cookie and a handler (those cost ~0.7 ms an event, so 2,000 queued events held everyone else
    up for seconds). The refusal's message is the default language's; clients word errors by code."""
    from .messages import error_body

    state = app.extensions["workshop_limits"]
    refusal: dict = {}

    def refuse() -> dict:
        if not refusal:
            with app.test_request_context():
                refusal.update(ok=False, error=error_body("too_many_requests"))
        return refusal

    for event, inner in list(server.handlers.get("/", {}).items()):
        if event in ("connect", "disconnect"):
            continue

        def guarded(sid, *args, _inner=inner):
            if state.allow_event(sid):
                return _inner(sid, *args)
            if state.flooding(sid):  # what it still has queued is dropped with the connection
                server.disconnect(sid, namespace="/")
            return refuse()

        server.on(event, guarded, namespace="/")


def forget() -> None:
    limits().forget(request.sid)


def init_app(app) -> None:
    app.extensions["workshop_limits"] = Limits(app.config)
