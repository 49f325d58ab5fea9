"""The bare reference server (a benchmark aid, not the product): plain Flask-SocketIO on the
same async server and library versions as the app, doing the same events with no storage.

    .venv/bin/python bench/bare_server.py --port 5098 [--mode eventlet|gevent] [--message-queue redis://…]

What it shares with the app, so that the difference is the app's own work:
- the Socket.IO settings (ping interval and timeout, message size limit, same-origin check);
- the web server and its connection cap (workshop.server.server_options);
- the events and payload shapes: `join` (answers a token, the participant and a full STATE),
  `vote` (acknowledged; marks the session dirty), `watch` (the projector's room), `state` to
  every phone on a command (grouped by answer, one emit per distinct payload to lists of 500
  rooms), `results` + `presence` to the watchers coalesced every 250 ms;
- the few HTTP routes the load generator drives (`/healthz`, `/api/token`, `/api/sessions`,
  `/api/sessions/ID/commands`), without authentication.
Everything lives in this process's memory; nothing is written anywhere.
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid
import warnings
from collections import Counter
from pathlib import Path

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

ROOT = Path(__file__).resolve().parent.parent
RESULTS_INTERVAL = 0.25
TEXT = (
    "Din leder beder dig holde en beslutning hemmelig for kollegerne, indtil den er endelig. "
    "En kollega spørger dig direkte, om der er fyringer på vej. Hvad gør du? "
) * 3


def make_app(mode: str, message_queue: str | None):
    from flask import Flask, jsonify, request
    from flask_socketio import SocketIO, join_room

    app = Flask(__name__)
    app.config["SECRET_KEY"] = "bare"
    socketio = SocketIO(
        app,
        async_mode=mode,
        message_queue=message_queue,
        cors_allowed_origins=None,
        max_http_buffer_size=16 * 1024,
        ping_interval=20,
        ping_timeout=20,
        logger=False,
        engineio_logger=False,
    )
    sessions: dict[str, dict] = {}
    by_code: dict[str, str] = {}
    connections: dict[str, tuple[str, str]] = {}
    dirty: set[str] = set()
    ticker = {"started": False}

    def dilemma(index: int) -> dict:
        options = [
            {"id": f"d{index}-o{i}", "label": f"Mulighed {i} " + TEXT[:60], "values": ["respect", "engagement"]}
            for i in range(4)
        ]
        return {
            "id": f"d{index}",
            "index": index,
            "count": 10,
            "kind": "choice",
            "title": f"Dilemma {index}",
            "text": TEXT,
            "question": "Hvad gør du?",
            "options": options,
        }

    def results(s):
        d = s["dilemma"]
        if d is None:
            return None
        counts = Counter(s["votes"].get(d["id"], {}).values())
        total = sum(counts.values())
        return {
            "dilemma": d["id"],
            "total": total,
            "counts": {o["id"]: counts.get(o["id"], 0) for o in d["options"]},
            "percentages": {o["id"]: round(100 * counts.get(o["id"], 0) / total) if total else 0 for o in d["options"]},
            "participants": len(s["participants"]),
        }

    def base_state(s, with_results):
        return {
            "phase": s["phase"],
            "session": {"code": s["code"], "title": "Bare"},
            "dilemma": s["dilemma"],
            "my_vote": None,
            "results": results(s) if with_results else None,
        }

    def phone_state(s, pid):
        state = base_state(s, s["phase"] == "revealed")
        d = s["dilemma"]
        option = s["votes"].get(d["id"], {}).get(pid) if d else None
        state["my_vote"] = {"option": option} if option else None
        return state

    def broadcast_state(s):
        socketio.emit("state", base_state(s, True), to=f"w:{s['id']}")
        base = base_state(s, s["phase"] == "revealed")
        d = s["dilemma"]
        votes = s["votes"].get(d["id"], {}) if d else {}
        groups: dict[str | None, list[str]] = {}
        for pid in s["participants"]:
            groups.setdefault(votes.get(pid), []).append(f"p:{pid}")
        for option, rooms in groups.items():
            state = dict(base, my_vote={"option": option} if option else None)
            for start in range(0, len(rooms), 500):
                socketio.emit("state", state, to=rooms[start : start + 500])

    def tick():
        while True:
            socketio.sleep(RESULTS_INTERVAL)
            ids = list(dirty)
            dirty.clear()
            for sid in ids:
                s = sessions[sid]
                r = results(s)
                if r is not None:
                    socketio.emit("results", r, to=f"w:{sid}")
                socketio.emit("presence", {"participants": len(s["participants"])}, to=f"w:{sid}")

    def ensure_ticker():
        if not ticker["started"]:
            ticker["started"] = True
            socketio.start_background_task(tick)

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.post("/api/token")
    def token():
        return {"token": "bare"}

    @app.post("/api/sessions")
    def create_session():
        sid = uuid.uuid4().hex
        code = f"{len(sessions) + 100000:06d}"
        sessions[sid] = {
            "id": sid,
            "code": code,
            "phase": "lobby",
            "index": -1,
            "dilemma": None,
            "participants": set(),
            "tokens": {},
            "votes": {},
        }
        by_code[code] = sid
        return {"id": sid, "code": code, "screen_token": "bare", "join_url": "", "screen_url": ""}, 201

    @app.post("/api/sessions/<sid>/commands")
    def command(sid):
        s = sessions[sid]
        cmd = (request.get_json(silent=True) or {}).get("command")
        if cmd == "next":
            s["index"] += 1
            s["dilemma"] = dilemma(s["index"])
            s["phase"] = "voting"
        elif cmd == "close":
            s["phase"] = "closed"
        elif cmd == "reveal":
            s["phase"] = "revealed"
        elif cmd == "end":
            s["phase"] = "ended"
        else:
            return jsonify(error={"code": "invalid_transition", "message": cmd}), 409
        broadcast_state(s)
        return {
            "id": sid,
            "code": s["code"],
            "phase": s["phase"],
            "participants": len(s["participants"]),
            "dilemma": s["dilemma"],
            "results": results(s),
        }

    @socketio.on("join")
    def on_join(data):
        ensure_ticker()
        sid = by_code.get((data or {}).get("code"))
        if sid is None:
            return {"ok": False, "error": {"code": "unknown_session", "message": ""}}
        s = sessions[sid]
        token = data.get("token")
        pid = s["tokens"].get(token) if token else None
        if pid is None:
            pid, token = uuid.uuid4().hex, uuid.uuid4().hex
            s["tokens"][token] = pid
            s["participants"].add(pid)
        join_room(f"p:{pid}")
        connections[request.sid] = (sid, pid)
        dirty.add(sid)
        return {"ok": True, "token": token, "participant": {"id": pid, "name": None}, "state": phone_state(s, pid)}

    @socketio.on("vote")
    def on_vote(data):
        ensure_ticker()
        conn = connections.get(request.sid)
        if conn is None:
            return {"ok": False, "error": {"code": "not_joined", "message": ""}}
        s = sessions[conn[0]]
        d = s["dilemma"]
        if s["phase"] != "voting" or d is None or (data or {}).get("dilemma") != d["id"]:
            return {"ok": False, "error": {"code": "voting_closed", "message": ""}}
        s["votes"].setdefault(d["id"], {})[conn[1]] = data.get("option")
        dirty.add(conn[0])
        return {"ok": True}

    @socketio.on("watch")
    def on_watch(data):
        ensure_ticker()
        sid = by_code.get((data or {}).get("code"))
        if sid is None:
            return {"ok": False, "error": {"code": "unknown_session", "message": ""}}
        join_room(f"w:{sid}")
        return {"ok": True, "state": base_state(sessions[sid], True)}

    @socketio.on("disconnect")
    def on_disconnect(*_):
        connections.pop(request.sid, None)

    return app, socketio


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=5098)
    ap.add_argument("--mode", default=os.environ.get("WORKSHOP_ASYNC_MODE", "eventlet"), choices=["eventlet", "gevent"])
    ap.add_argument("--message-queue", default=None)
    ap.add_argument("--max-connections", type=int, default=10000)
    ap.add_argument("--settle-heap", action="store_true", help="the app's garbage-collector settings")
    args = ap.parse_args()
    if args.mode == "eventlet":
        import eventlet

        eventlet.monkey_patch()
    else:
        from gevent import monkey

        monkey.patch_all()
    sys.path.insert(0, str(ROOT))
    from workshop.server import raise_open_files_limit, server_options, settle_heap

    raise_open_files_limit(args.max_connections)
    app, socketio = make_app(args.mode, args.message_queue)
    if args.settle_heap:
        settle_heap()
    socketio.run(
        app, host=args.host, port=args.port, log_output=False, **server_options(args.mode, args.max_connections)
    )


if __name__ == "__main__":
    main()
