"""Environment -> settings (see docs/deployment.md and CONTRACT.md)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASYNC_MODES = ("eventlet", "gevent", "threading")


def _secret_key(instance: Path) -> str:
    """WORKSHOP_SECRET_KEY, or one generated on first start and kept under instance/."""
    key = os.environ.get("WORKSHOP_SECRET_KEY")
    if key:
        return key
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()


def _max_connections() -> int:
    """WORKSHOP_MAX_CONNECTIONS: simultaneous connections one process serves (eventlet's own default is 1,024)."""
    raw = os.environ.get("WORKSHOP_MAX_CONNECTIONS", "10000")
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= 1_000_000:
        raise SystemExit(f"WORKSHOP_MAX_CONNECTIONS must be a whole number from 1 to 1000000, not {raw!r}")
    return value


def from_environment(instance: Path | None = None) -> dict:
    instance = Path(os.environ.get("WORKSHOP_INSTANCE_PATH") or instance or ROOT / "instance")
    instance.mkdir(parents=True, exist_ok=True)
    async_mode = os.environ.get("WORKSHOP_ASYNC_MODE", "eventlet")
    if async_mode not in ASYNC_MODES:
        raise SystemExit(f"WORKSHOP_ASYNC_MODE must be one of {', '.join(ASYNC_MODES)}, not {async_mode!r}")
    return {
        "HOST": os.environ.get("WORKSHOP_HOST", "0.0.0.0"),
        "PORT": int(os.environ.get("WORKSHOP_PORT", "5000")),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("WORKSHOP_DATABASE_URL")
        or f"sqlite:///{instance / 'workshop.db'}",
        "SECRET_KEY": _secret_key(instance),
        "MESSAGE_QUEUE": os.environ.get("WORKSHOP_MESSAGE_QUEUE") or None,
        "ASYNC_MODE": async_mode,
        "MAX_CONNECTIONS": _max_connections(),
        "PUBLIC_URL": (os.environ.get("WORKSHOP_PUBLIC_URL") or "").rstrip("/") or None,
        "CONTENT_PATH": Path(os.environ.get("WORKSHOP_CONTENT_PATH") or ROOT / "content"),
        "INSTANCE_PATH": instance,
    }


DEFAULTS = {
    "MAX_CONTENT_LENGTH": 512 * 1024,  # HTTP bodies, deck uploads included
    "SOCKET_MAX_BUFFER": 16 * 1024,  # one Socket.IO message
    "RESULTS_INTERVAL": 0.25,  # seconds between coalesced results broadcasts
    "TOKEN_MAX_AGE": 30 * 24 * 3600,  # API bearer tokens, seconds
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,  # a console left open through a long workshop keeps working
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    "BABEL_DEFAULT_LOCALE": "da",
    "LOGIN_ATTEMPTS": 10,  # failed logins per email and address within LOGIN_WINDOW before 429
    "LOGIN_WINDOW": 300,
}
