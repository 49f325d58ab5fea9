"""Small guards bound in create_app: JSON bodies that cannot exhaust the stack, and a short,
rate-limited log line (never a traceback) for each malformed Socket.IO or engine.io frame."""

from __future__ import annotations

import logging
import threading
import time

from flask import jsonify, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import RequestEntityTooLarge, SecurityError

log = logging.getLogger("workshop")


class BoundedJSONProvider(DefaultJSONProvider):
    """json.loads, but a body nested deeper than the interpreter's stack is a ValueError (the
    request then answers 400 invalid_request) instead of a RecursionError (500)."""

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deep") from None


class FrameErrorFilter(logging.Filter):
    """On the engineio/socketio loggers: a handler error caused by a client's bad frame becomes
    one short line without the traceback, at most one per `interval` seconds (with a count of
    the ones left out in between)."""

    def __init__(self, interval: float = 10.0):
        super().__init__()
        self.interval = interval
        self.lock = threading.Lock()
        self.last = float("-inf")
        self.suppressed = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.exc_info or record.levelno < logging.ERROR:
            return True
        exc = record.exc_info[1]
        with self.lock:
            now = time.monotonic()
            if now - self.last < self.interval:
                self.suppressed += 1
                return False
            self.last, dropped, self.suppressed = now, self.suppressed, 0
        kind = type(exc).__name__ if exc else "error"
        record.msg = "malformed Socket.IO message from a client (%s)%s"
        record.args = (kind, f"; {dropped} more left out of the log" if dropped else "")
        record.exc_info = None
        record.exc_text = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


_filter = FrameErrorFilter()


class ChunkedInput:
    """WSGI middleware: a chunked request body (no Content-Length) is read, within
    MAX_CONTENT_LENGTH, instead of being taken as empty. eventlet's server decodes chunked input
    but does not say so (`wsgi.input_terminated`), so werkzeug ignored such bodies: an oversized
    one answered 400 instead of 413. werkzeug then stops reading at the limit;
    `limit_chunked_body` turns a body that reaches it into 413."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            environ["wsgi.input_terminated"] = True
        return self.app(environ, start_response)


def limit_chunked_body():
    """before_request: a chunked body that fills MAX_CONTENT_LENGTH is too large (413)."""
    limit = request.max_content_length
    if limit and "chunked" in request.headers.get("Transfer-Encoding", "").lower():
        if len(request.get_data(cache=True)) >= limit:
            raise RequestEntityTooLarge()


def untrusted_host(_exc):
    """A Host header outside TRUSTED_HOSTS: a bare 400 (no page: nothing may build a URL from it)."""
    from .messages import error_body

    return jsonify({"error": error_body("invalid_request", "unknown host")}), 400


def init_app(app) -> None:
    app.json = BoundedJSONProvider(app)
    app.wsgi_app = ChunkedInput(app.wsgi_app)
    app.before_request(limit_chunked_body)
    app.register_error_handler(SecurityError, untrusted_host)
    for name in ("engineio.server", "socketio.server"):
        logger = logging.getLogger(name)
        if _filter not in logger.filters:
            logger.addFilter(_filter)
