"""Absolute links for a session: WORKSHOP_PUBLIC_URL when set, else the request's own host."""

from __future__ import annotations

from flask import current_app, request, url_for


def base_url() -> str:
    return current_app.config.get("PUBLIC_URL") or request.host_url.rstrip("/")


def absolute(endpoint: str, **values) -> str:
    return base_url() + url_for(endpoint, **values)


def session_links(session) -> dict:
    return {
        "join_url": absolute("participant.join", code=session.code),
        "screen_url": absolute("screen.show", session_id=session.id, t=session.screen_token),
        "screen_token": session.screen_token,
    }
