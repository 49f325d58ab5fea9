"""Failed-login throttling per email and client address (per app, in this process): answers 429."""

from __future__ import annotations

import time
from collections import defaultdict, deque

from flask import current_app, request

from ..domain import WorkshopError


def _failures() -> dict[tuple[str, str], deque]:
    return current_app.extensions.setdefault("login_failures", defaultdict(deque))


def _key(email) -> tuple[str, str]:
    return (str(email or "").strip().lower()[:254], request.remote_addr or "")


def check(email) -> None:
    q = _failures().get(_key(email))
    if not q:
        return
    cutoff = time.monotonic() - current_app.config["LOGIN_WINDOW"]
    while q and q[0] < cutoff:
        q.popleft()
    if len(q) >= current_app.config["LOGIN_ATTEMPTS"]:
        raise WorkshopError("too_many_requests")


def failed(email) -> None:
    failures = _failures()
    if len(failures) > 10_000:  # bound the memory a flood of made-up emails can take
        failures.clear()
    failures[_key(email)].append(time.monotonic())
