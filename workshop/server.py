"""Run the server: one port for HTTP and Socket.IO; SIGTERM and SIGINT stop it cleanly."""

from __future__ import annotations

import logging
import os
import signal
import sys

from . import data, services
from .realtime import socketio
from .store import db

log = logging.getLogger("workshop")


def serve(app) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    host, port = app.config["HOST"], app.config["PORT"]
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
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("Workshop server on http://%s:%s (async mode %s)", host, port, app.config["ASYNC_MODE"])
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, log_output=False)
