"""Socket.IO: thin handlers plus the coalescing results broadcaster.

Rooms: `p:<participant id>` (each phone), `s:<session id>` (every phone of a session),
`w:<session id>` (the projector and the console), `c:<session id>` (the session's consoles).
Phase changes go to everyone; counts go only to watchers, at most every RESULTS_INTERVAL.
"""

from __future__ import annotations

import functools
import logging
import threading
import time

from flask import current_app, request
from flask_login import current_user
from flask_socketio import SocketIO, join_room, leave_room

from . import agreements, dirty, limits, payloads, services
from .domain import WorkshopError
from .messages import error_body
from .store import WorkshopSession, db

log = logging.getLogger(__name__)
socketio = SocketIO()

# sid -> (session id, participant id): which phone a connection speaks for, in this process.
_connections: dict[str, tuple[str, str]] = {}
TIMER_CHECK = 1.0  # seconds between checks for timers that ran out


class _Broadcaster:
    """Per app: the sessions whose counts changed since the last tick, and the ticker's flag."""

    def __init__(self, marks: dirty.LocalDirty):
        self.dirty = marks  # mark(id) / take() -> ids; shared through Redis across processes
        self.lock = threading.Lock()
        self.started = False
        self.stopped = False  # set by stop(app): the ticker ends at its next tick


def _broadcaster(app=None) -> _Broadcaster:
    return (app or current_app).extensions["workshop_broadcaster"]


def _ok(**fields) -> dict:
    return {"ok": True, **fields}


def handler(event: str):
    """Register a client event: payload must be an object; every outcome is an acknowledgement."""

    def wrap(fn):
        @functools.wraps(fn)
        def run(payload=None, *_extra):
            _ensure_ticker()
            if not isinstance(payload, dict):
                return {"ok": False, "error": error_body("invalid_request", "the payload must be an object")}
            try:
                return fn(payload)
            except WorkshopError as exc:
                db.session.rollback()
                return {"ok": False, "error": error_body(exc.code, exc.detail)}
            except Exception:
                db.session.rollback()
                log.exception("socket event %s failed", event)
                return {"ok": False, "error": error_body("internal_error")}

        socketio.on_event(event, run)
        return fn

    return wrap


@handler("join")
def on_join(data):
    """A phone joins (or rejoins with its token): answers its token, identity and full state."""
    joined = limits.guarded_join(services.join, data)
    me = joined.participant
    sid = request.sid
    previous = _connections.get(sid)
    if previous and previous[1] != me.id:
        leave_room(f"p:{previous[1]}")
        leave_room(f"s:{previous[0]}")
    join_room(f"p:{me.id}")
    join_room(f"s:{joined.session_id}")
    _connections[sid] = (joined.session_id, me.id)
    return _ok(token=me.token, participant={"id": me.id, "name": me.name, "role": me.role}, state=joined.state)


@handler("vote")
def on_vote(data):
    """A phone answers the open dilemma: acknowledged to the voter; counts follow to watchers."""
    conn = _connections.get(request.sid)
    if conn is None:
        raise WorkshopError("not_joined")
    services.vote(conn[0], conn[1], data)
    return _ok()


@handler("watch")
def on_watch(data):
    """The projector (code + screen token) or the logged-in console (session id) starts watching."""
    if "screen_token" in data:
        session = services.screen_session(data.get("code"), data.get("screen_token"))
    elif current_user.is_authenticated:
        session = services.owned_session(current_user, data.get("session"))
        join_room(f"c:{session.id}")
    else:
        raise WorkshopError("unauthorized")
    join_room(f"w:{session.id}")
    return _ok(state=payloads.screen_state(payloads.Round.read(session)))


@socketio.on("disconnect")
def on_disconnect(*_args):
    """A connection went away; its participant stays joined (the database keeps them)."""
    _connections.pop(request.sid, None)
    limits.forget()


# --- broadcasts ----------------------------------------------------------------------------


def broadcast_state(session_id: str) -> None:
    """After a phase change: the watchers' state, then each phone's own state (grouped by answer)."""
    session = db.session.get(WorkshopSession, session_id)
    if session is None:
        return
    pids = payloads.participant_ids(session_id)
    view = payloads.Round.read(session, participants=len(pids))
    socketio.emit("state", payloads.screen_state(view), to=f"w:{session_id}")
    groups = payloads.phone_states(view, pids)
    if len(groups) == 1 and groups[0][0]["my_vote"] is None:
        # Nobody has answered (always so right after `next`): one message for the room. Not when
        # everyone gave the same answer: a phone joining meanwhile would be shown it as its own.
        socketio.emit("state", groups[0][0], to=f"s:{session_id}")
        return
    for state, pids in groups:
        rooms = [f"p:{pid}" for pid in pids]
        for start in range(0, len(rooms), 500):
            socketio.emit("state", state, to=rooms[start : start + 500])


def mark_dirty(session_id: str) -> None:
    _broadcaster().dirty.mark(session_id)


def flush(app) -> None:
    """Send the current counts of every session that changed since the last flush."""
    ids = _broadcaster(app).dirty.take()
    if not ids:
        return
    with app.app_context():
        for session_id in ids:
            try:
                session = db.session.get(WorkshopSession, session_id)
                if session is None:
                    continue
                view = payloads.Round.read(session)
                results = view.results(watcher=True)
                room = f"w:{session_id}"
                if results is not None:
                    socketio.emit("results", results, to=room)
                socketio.emit("presence", {"participants": view.participants}, to=room)
            except Exception:
                log.exception("results broadcast for %s failed", session_id)
                db.session.rollback()
    _broadcaster(app).dirty.done(ids)


def _ticker(app) -> None:
    interval = app.config["RESULTS_INTERVAL"]
    timer_every = max(1, round(TIMER_CHECK / interval))  # ticks between timer checks
    b = _broadcaster(app)
    due = time.monotonic()
    ticks = 0
    while True:
        # A steady cadence: the tick's own work does not stretch the interval (the projector's
        # lag behind an answer stays within one interval plus one flush).
        now = time.monotonic()
        due = max(due + interval, now)
        socketio.sleep(due - now)  # never negative (threading's sleep refuses that)
        if b.stopped:
            return
        ticks += 1
        if ticks % timer_every == 0:
            # A timer that ran out closes voting here (answers after it are refused at once by
            # check_open, so once a second is enough to turn the screens).
            try:
                with app.app_context():
                    services.expire_timers()
            except Exception:  # never let the broadcaster die, nor a timer cost the results
                log.exception("timer check failed")
        try:
            flush(app)
        except Exception:
            log.exception("results ticker failed")


def _ensure_ticker() -> None:
    b = _broadcaster()
    if b.started:
        return
    with b.lock:
        if b.started:
            return
        b.started = True
    socketio.start_background_task(_ticker, current_app._get_current_object())


def stop(app) -> None:
    """Let the results ticker of `app` end (tests call it between apps)."""
    _broadcaster(app).stopped = True


def init_app(app) -> None:
    app.extensions["workshop_broadcaster"] = _Broadcaster(dirty.for_config(app.config))
    config = app.config
    public = config.get("PUBLIC_URL")

    def same_origin_or_public(origin, environ):
        """The page's own origin (as Engine.IO's default computes it), plus the public URL."""
        scheme = environ.get("HTTP_X_FORWARDED_PROTO", environ.get("wsgi.url_scheme", "")).split(",")[0].strip()
        host = environ.get("HTTP_X_FORWARDED_HOST", environ.get("HTTP_HOST", "")).split(",")[0].strip()
        own = {f"{environ.get('wsgi.url_scheme')}://{environ.get('HTTP_HOST')}", f"{scheme}://{host}"}
        return origin == public or origin in own

    # Same origin by default (the Host header); the public URL too when behind a proxy.
    origins = same_origin_or_public if public else None
    socketio.init_app(
        app,
        async_mode=config["ASYNC_MODE"],
        message_queue=config.get("MESSAGE_QUEUE"),
        cors_allowed_origins=origins,
        max_http_buffer_size=config["SOCKET_MAX_BUFFER"],
        ping_interval=20,
        ping_timeout=20,
        logger=False,
        engineio_logger=False,
    )
    limits.guard_events(socketio.server, app)  # a flood is refused before any work is done


@services.phase_changed.connect
def _on_phase_changed(session_id):
    _ensure_ticker()  # a timer set over HTTP must close voting even before any socket event
    broadcast_state(session_id)


@services.activity.connect
def _on_activity(session_id):
    mark_dirty(session_id)


@agreements.changed.connect
def _on_agreements_changed(session_id):
    socketio.emit("agreements", {"session": session_id}, to=f"c:{session_id}")  # a nudge: consoles reload
