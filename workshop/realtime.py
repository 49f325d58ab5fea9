"""Socket.IO: thin handlers plus the coalescing results broadcaster.

Rooms: `p:<participant id>` (each phone), `w:<session id>` (the projector and the console).
Phase changes go to everyone; counts go only to watchers, at most every RESULTS_INTERVAL.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections import Counter

from flask import current_app, request
from flask_login import current_user
from flask_socketio import SocketIO, join_room, leave_room

from . import dirty, services
from .domain import WorkshopError
from .messages import error_body
from .store import WorkshopSession, db, participant_count
from .tally import results as tally_results

log = logging.getLogger(__name__)
socketio = SocketIO()

# sid -> (session id, participant id): which phone a connection speaks for, in this process.
_connections: dict[str, tuple[str, str]] = {}


class _Broadcaster:
    """Per app: the sessions whose counts changed since the last tick, and the ticker's flag."""

    def __init__(self, marks: dirty.LocalDirty):
        self.dirty = marks  # mark(id) / take() -> ids; shared through Redis across processes
        self.lock = threading.Lock()
        self.started = False


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
    joined = services.join(data.get("code"), data.get("token"), data.get("name"))
    sid = request.sid
    previous = _connections.get(sid)
    if previous and previous[1] != joined.participant.id:
        leave_room(f"p:{previous[1]}")
    join_room(f"p:{joined.participant.id}")
    _connections[sid] = (joined.session.id, joined.participant.id)
    return _ok(
        token=joined.participant.token,
        participant={"id": joined.participant.id, "name": joined.participant.name},
        state=services.participant_state(joined.session, joined.participant.id),
    )


@handler("vote")
def on_vote(data):
    """A phone answers the open dilemma: acknowledged to the voter; counts follow to watchers."""
    conn = _connections.get(request.sid)
    if conn is None:
        raise WorkshopError("not_joined")
    services.vote(conn[0], conn[1], data.get("dilemma"), data.get("option"), data.get("reason"))
    return _ok()


@handler("watch")
def on_watch(data):
    """The projector (code + screen token) or the logged-in console (session id) starts watching."""
    if "screen_token" in data:
        session = services.screen_session(data.get("code"), data.get("screen_token"))
    elif current_user.is_authenticated:
        session = services.owned_session(current_user, data.get("session"))
    else:
        raise WorkshopError("unauthorized")
    join_room(f"w:{session.id}")
    return _ok(state=services.screen_state(session))


@socketio.on("disconnect")
def on_disconnect(*_args):
    """A connection went away; its participant stays joined (the database keeps them)."""
    _connections.pop(request.sid, None)


# --- broadcasts ----------------------------------------------------------------------------


def broadcast_state(session_id: str) -> None:
    """After a phase change: the watchers' state, then each phone's own state.

    Phones are grouped by their vote on the current dilemma, so a room of hundreds costs a
    handful of emits (one per distinct payload, each to a list of rooms), not one per phone.
    """
    session = db.session.get(WorkshopSession, session_id)
    if session is None:
        return
    # Two queries for the whole room: who joined, and who voted what on the dilemma on show.
    pids = services.participant_ids(session_id)
    dilemma = session.dilemma
    votes = services.votes_on(session_id, dilemma.id) if dilemma else {}
    results = tally_results(dilemma, Counter(votes.values()), len(pids)) if dilemma else None
    socketio.emit("state", services.screen_state(session, results, len(pids)), to=f"w:{session_id}")
    base = services.participant_state(session, None, results)
    groups: dict[str | None, list[str]] = {}
    for pid in pids:
        groups.setdefault(votes.get(pid), []).append(f"p:{pid}")
    for option, rooms in groups.items():
        state = dict(base, my_vote={"option": option} if option else None)
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
                results = services.current_results(session)
                room = f"w:{session_id}"
                if results is not None:
                    socketio.emit("results", results, to=room)
                    socketio.emit("presence", {"participants": results["participants"]}, to=room)
                else:
                    socketio.emit("presence", {"participants": participant_count(session_id)}, to=room)
            except Exception:
                log.exception("results broadcast for %s failed", session_id)
                db.session.rollback()
    _broadcaster(app).dirty.done(ids)


def _ticker(app) -> None:
    interval = app.config["RESULTS_INTERVAL"]
    while True:
        socketio.sleep(interval)
        try:
            flush(app)
        except Exception:  # never let the broadcaster die
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


def init_app(app) -> None:
    app.extensions["workshop_broadcaster"] = _Broadcaster(dirty.for_config(app.config))
    config = app.config
    origins = [config["PUBLIC_URL"]] if config.get("PUBLIC_URL") else None
    socketio.init_app(
        app,
        async_mode=config["ASYNC_MODE"],
        message_queue=config.get("MESSAGE_QUEUE"),
        # Same origin by default (the Host header); the public URL too when behind a proxy.
        cors_allowed_origins=origins,
        max_http_buffer_size=config["SOCKET_MAX_BUFFER"],
        ping_interval=20,
        ping_timeout=20,
        logger=False,
        engineio_logger=False,
    )


@services.phase_changed.connect
def _on_phase_changed(session_id):
    broadcast_state(session_id)


@services.activity.connect
def _on_activity(session_id):
    mark_dirty(session_id)
