"""Environment -> settings (see docs/deployment.md and CONTRACT.md)."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
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


def local_hosts() -> list[str]:
    """The names this machine answers to on the room's network: localhost, its host name (and
    NAME.local), and its addresses (the LAN address phones use included)."""
    import socket

    hosts = {"localhost", "127.0.0.1", "::1"}
    try:
        name = socket.gethostname()
        hosts |= {name, f"{name}.local"}
        hosts |= {info[4][0] for info in socket.getaddrinfo(name, None)}
    except OSError:
        pass
    try:  # the address of the interface that routes outwards (no packet is sent)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))
            hosts.add(s.getsockname()[0])
    except OSError:
        pass
    return sorted(hosts)


def trusted_hosts(public_url: str | None) -> list[str] | None:
    """Host headers the app accepts (others answer 400). WORKSHOP_TRUSTED_HOSTS (comma-separated,
    `*` for any) wins; with WORKSHOP_PUBLIC_URL links never use the Host header, so any is fine;
    otherwise only this machine's own names and addresses, so a forged Host header cannot
    end up in join links and QR codes."""
    raw = os.environ.get("WORKSHOP_TRUSTED_HOSTS")
    if raw:
        hosts = [h.strip() for h in raw.split(",") if h.strip()]
        return None if "*" in hosts else hosts
    return None if public_url else local_hosts()


def cookie_settings(config) -> dict:
    """Cookies marked Secure when the public URL is https (behind a TLS proxy)."""
    secure = str(config.get("PUBLIC_URL") or "").startswith("https://")
    return {"SESSION_COOKIE_SECURE": secure, "REMEMBER_COOKIE_SECURE": secure}


def _count(name: str, default: int) -> int:
    """A whole number >= 0 from the environment; anything else stops the start with a reason."""
    raw = os.environ.get(name) or str(default)
    if not raw.isdigit():
        raise SystemExit(f"{name} must be a whole number of 0 or more, not {raw!r}")
    return int(raw)


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
    instance.mkdir(mode=0o700, parents=True, exist_ok=True)
    async_mode = os.environ.get("WORKSHOP_ASYNC_MODE", "eventlet")
    if async_mode not in ASYNC_MODES:
        raise SystemExit(f"WORKSHOP_ASYNC_MODE must be one of {', '.join(ASYNC_MODES)}, not {async_mode!r}")
    return {
        "HOST": os.environ.get("WORKSHOP_HOST", "0.0.0.0"),
        "PORT": int(os.environ.get("WORKSHOP_PORT", "5000")),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("WORKSHOP_DATABASE_URL") or f"sqlite:///{instance / 'workshop.db'}",
        "SECRET_KEY": _secret_key(instance),
        "MESSAGE_QUEUE": os.environ.get("WORKSHOP_MESSAGE_QUEUE") or None,
        "ASYNC_MODE": async_mode,
        "MAX_CONNECTIONS": _max_connections(),
        "PUBLIC_URL": (os.environ.get("WORKSHOP_PUBLIC_URL") or "").rstrip("/") or None,
        "TRUSTED_HOSTS": trusted_hosts(os.environ.get("WORKSHOP_PUBLIC_URL")),
        "CONTENT_PATH": Path(os.environ.get("WORKSHOP_CONTENT_PATH") or ROOT / "content"),
        "INSTANCE_PATH": instance,
        # Proxies in front that set X-Forwarded-For/-Proto/-Host (docs/deployment.md); 0: none
        "PROXY_COUNT": _count("WORKSHOP_PROXY_COUNT", 0),
        # Ended sessions older than this many days are deleted (at start, then hourly); 0: all ended
        "RETENTION_DAYS": _count("WORKSHOP_RETENTION_DAYS", 90),
        "RETENTION_INTERVAL": 3600,  # seconds between retention checks
    }


DEFAULTS = {
    "MAX_CONTENT_LENGTH": 512 * 1024,  # HTTP bodies, deck uploads included
    "SOCKET_MAX_BUFFER": 16 * 1024,  # one Socket.IO message
    "RESULTS_INTERVAL": 0.25,  # seconds between coalesced results broadcasts
    "TOKEN_MAX_AGE": 30 * 24 * 3600,  # API bearer tokens, seconds
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_DURATION": timedelta(days=14),  # each login its own cookie; logout ends it
    "WTF_CSRF_TIME_LIMIT": None,  # a console left open through a long workshop keeps working
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    "BABEL_DEFAULT_LOCALE": "da",
    "LOGIN_ATTEMPTS": 10,  # failed logins per email and address within LOGIN_WINDOW before 429
    "LOGIN_WINDOW": 300,
    "LOGIN_ADDRESS_ATTEMPTS": 30,  # failed logins from one address (any emails) within LOGIN_WINDOW
    # Abuse limits (docs/security.md lists them all; workshop/limits.py applies them)
    "JOIN_WRONG_PER_CONNECTION": 20,  # joins with a wrong code on one connection
    "JOIN_CREATED_PER_CONNECTION": 5,  # participants one connection may create
    "JOIN_WRONG_PER_ADDRESS": 120,  # wrong codes from one address within JOIN_ADDRESS_WINDOW
    "JOIN_ADDRESS_WINDOW": 600,
    "SOCKET_EVENT_RATE": 10,  # events a second one connection may send, on average
    "SOCKET_EVENT_BURST": 30,  # … and at once
    "SOCKET_EVENT_DISCONNECT": 200,  # refused events in a row before the connection is closed
}


def redis_queue(config) -> str | None:
    """The message queue's URL when it is Redis (shared counters and the results stream live
    there too); None for one process or another broker. Flask-SocketIO, redis-py and the limits
    library all read redis:// and rediss:// alike."""
    queue = config.get("MESSAGE_QUEUE") or ""
    return queue if queue.startswith(("redis://", "rediss://")) else None
