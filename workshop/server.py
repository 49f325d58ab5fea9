"""Run the server: one port for HTTP and Socket.IO; SIGTERM and SIGINT stop it cleanly."""

from __future__ import annotations

import gc
import logging
import os
import resource
import signal
import socket
import sys

from . import data, services
from .realtime import socketio
from .store import db

log = logging.getLogger("workshop")
GC_GEN0 = 10_000  # allocations between collections of the youngest generation (Python's default: 700)


def raise_open_files_limit(wanted: int) -> tuple[int, int]:
    """Lift the soft open-files limit to the hard one: each connection is a file descriptor.

    Returns (soft, hard) after the change; an unprivileged process cannot go past the hard limit
    (raise that with systemd's LimitNOFILE= or /etc/security/limits.conf, see docs/deployment.md).
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, wanted + 256)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    if soft != resource.RLIM_INFINITY and soft < wanted + 64:
        log.warning(
            "Open-files limit %s is below WORKSHOP_MAX_CONNECTIONS (%s): raise it (LimitNOFILE=) or lower the cap.",
            soft,
            wanted,
        )
    return soft, hard


def server_options(async_mode: str, max_connections: int) -> dict:
    """The web server's connection cap, in each server's own terms.

    Flask-SocketIO's run() hands extra keywords to the server: eventlet.wsgi.server takes
    `max_size` (its default is 1,024 connections: the rest wait in the backlog and time out);
    gevent's WSGIServer takes `spawn` (an integer makes a pool of that size; its default has
    no cap). The threading server (development only) takes neither.
    """
    if async_mode == "eventlet":
        return {"max_size": max_connections}
    if async_mode == "gevent":
        return {"spawn": max_connections}
    return {}


def port_free(host: str, port: int) -> bool:
    """Whether nothing listens on the port yet. eventlet binds with SO_REUSEPORT, so a second
    server started on a taken port would share it silently (each answering part of the
    requests, with its own rooms): this bind, without SO_REUSEPORT, fails instead."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def settle_heap() -> None:
    """Keep the collector off what lives as long as the process. Everything made at start-up
    (the app, SQLAlchemy's mappers and caches, the decks, the templates) is moved out of the
    collector's sight (gc.freeze), and the youngest generation is collected less often. A full
    collection otherwise walks all of it, again and again, while a room votes: in a 2,000-phone
    vote burst that cost more than writing the votes."""
    gc.collect()
    gc.freeze()
    gen0, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(max(gen0, GC_GEN0), gen1, gen2)


def serve(app) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    host, port = app.config["HOST"], app.config["PORT"]
    cap = app.config["MAX_CONNECTIONS"]
    if port and not port_free(host, port):
        log.error(
            "Port %s: address already in use. Is the workshop server already running? "
            "Stop it, or choose another port with WORKSHOP_PORT.",
            port,
        )
        sys.exit(1)
    raise_open_files_limit(cap)
    with app.app_context():
        if not services.has_facilitators():
            log.warning(
                "No facilitator account yet. In %s, create one with:  %s -m flask --app app facilitator create YOU@EXAMPLE.ORG",
                os.getcwd(),
                sys.executable,
            )
        db.engine.dispose()  # connections opened before the server forks or patches are not reused

    def stop(signum, _frame):
        # Every acknowledged vote is already committed; closing the pool is all that is left.
        log.info("Stopping (signal %s).", signum)
        with app.app_context():
            db.engine.dispose()
        sys.exit(0)

    data.start_sweeper(app, socketio)  # retention: at start, then hourly
    settle_heap()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    mode = app.config["ASYNC_MODE"]
    log.info("Workshop server on http://%s:%s (async mode %s, at most %s connections)", host, port, mode, cap)
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, log_output=False, **server_options(mode, cap))
