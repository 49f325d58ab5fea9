"""HTTP rate limits with Flask-Limiter: failed logins (web form and API token) per email and per
client address. Storage: Redis when WORKSHOP_MESSAGE_QUEUE is set (every process counts
together), memory otherwise. Behind a proxy, WORKSHOP_PROXY_COUNT lets ProxyFix give each
client its own address (workshop/__init__.py); without it forwarded headers are ignored."""

from __future__ import annotations

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from .config import redis_queue

limiter = Limiter(get_remote_address, strategy="moving-window", headers_enabled=False, key_prefix="workshop")


def _email() -> str:
    email = request.form.get("email") if request.form else None
    if email is None:
        data = request.get_json(silent=True)
        email = data.get("email") if isinstance(data, dict) else None
    return "email:" + (email.strip().lower()[:254] if isinstance(email, str) else "")


def _failed(response) -> bool:
    return response.status_code == 401


def _per_email() -> str:
    c = current_app.config
    return f"{c['LOGIN_ATTEMPTS']} per {c['LOGIN_WINDOW']} seconds"


def _per_address() -> str:
    c = current_app.config
    return f"{c['LOGIN_ADDRESS_ATTEMPTS']} per {c['LOGIN_WINDOW']} seconds"


def login_limited(view):
    """Failed attempts (answers 401) count; past either limit the answer is 429."""
    view = limiter.limit(_per_email, key_func=_email, methods=["POST"], deduct_when=_failed, scope="login-email")(view)
    return limiter.limit(_per_address, methods=["POST"], deduct_when=_failed, scope="login-address")(view)


def storage_uri(config) -> str:
    """Redis (the message queue's) when several processes share the work, else this process's memory."""
    return redis_queue(config) or "memory://"


def init_app(app) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", storage_uri(app.config))
    limiter.init_app(app)
