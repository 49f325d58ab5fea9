"""The JSON API for facilitators (see docs/protocol.md). Bearer token or the logged-in cookie."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml
from flask import Blueprint, Response, g, jsonify, request
from flask_login import current_user

from .. import accounts, data, decks, exports, payloads, services
from ..domain import WorkshopError
from ..ratelimit import login_limited
from .links import session_links

bp = Blueprint("api", __name__, url_prefix="/api")


def _bearer_user():
    header = request.headers.get("Authorization", "")
    return accounts.token_user(header[7:].strip()) if header.startswith("Bearer ") else None


def authenticated(fn):
    """Bearer token (no CSRF: no cookie involved) or the web session (CSRF checked)."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        if request.headers.get("Authorization", "").startswith("Bearer "):
            user = _bearer_user()
            if user is None:
                raise WorkshopError("unauthorized")
        elif current_user.is_authenticated:
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                from .. import csrf

                csrf.protect()
            user = current_user
        else:
            raise WorkshopError("unauthorized")
        g.user = user
        return fn(*args, **kwargs)

    return run


def body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise WorkshopError("invalid_request", "the body must be a JSON object")
    return data


@bp.post("/token")
@login_limited
def token():
    data = body()
    user = services.authenticate(data.get("email"), data.get("password"))
    if user is None:
        raise WorkshopError("bad_credentials")
    return jsonify({"token": accounts.issue_token(user)})


@bp.delete("/token")
@authenticated
def revoke_tokens():
    """Every API token of the account stops working (the web logins stay)."""
    accounts.revoke_tokens(g.user)
    return "", 204


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI document of this API (workshop/openapi.yaml)."""
    return jsonify(openapi_document())


@functools.cache
def openapi_document() -> dict:
    return yaml.safe_load((Path(__file__).resolve().parent.parent / "openapi.yaml").read_text(encoding="utf-8"))


@bp.get("/decks")
@authenticated
def list_decks():
    return jsonify(
        {
            "decks": [
                {
                    "id": d.id,
                    "title": d.title.get("da"),
                    "titles": d.title,
                    "languages": d.languages,
                    "values": sorted({v for dl in d.dilemmas for v in dl.all_values}),
                    "dilemmas": len(d.dilemmas),
                    "kinds": sorted({dl.kind for dl in d.dilemmas}),
                    "routes": [
                        {
                            "id": r.id,
                            "title": r.title.get("da"),
                            "titles": r.title,
                            "minutes": r.minutes,
                            "dilemmas": len(r.dilemmas),
                        }
                        for r in d.routes
                    ],
                }
                for d in decks.listing(g.user.id)
            ]
        }
    )


@bp.post("/sessions")
@authenticated
def create_session():
    data = body()
    session = services.create_session(
        g.user,
        data.get("deck"),
        data.get("title"),
        data.get("language"),
        show_names=data.get("show_names", False),
        route=data.get("route"),
        min_answers=data.get("min_answers", 5),
        ask_role=data.get("ask_role", False),
        follow_up=data.get("follow_up"),
    )
    return jsonify({"id": session.id, "code": session.code, **session_links(session)}), 201


@bp.get("/sessions")
@authenticated
def list_sessions():
    return jsonify(
        {
            "sessions": [
                {"id": s.id, "code": s.code, "title": s.title, "phase": s.phase} for s in services.sessions_of(g.user)
            ]
        }
    )


@bp.get("/sessions/<session_id>")
@authenticated
def get_session(session_id):
    session = services.owned_session(g.user, session_id)
    return jsonify({**payloads.facilitator_view(session), **session_links(session)})


@bp.delete("/sessions/<session_id>")
@authenticated
def delete_session(session_id):
    """The session and everything in it (participants, answers, notes, agreements) is gone."""
    data.delete_session(services.owned_session(g.user, session_id))
    return "", 204


@bp.post("/sessions/<session_id>/commands")
@authenticated
def command(session_id):
    session = services.owned_session(g.user, session_id)
    data = body()
    services.command(session, data.get("command"), data)
    return jsonify({**payloads.facilitator_view(session), **session_links(session)})


@bp.get("/sessions/<session_id>/summary")
@authenticated
def summary(session_id):
    session = services.owned_session(g.user, session_id)
    return jsonify(exports.snapshot(session).summary())


@bp.post("/sessions/<session_id>/texts/<text_id>")
@authenticated
def moderate(session_id, text_id):
    session = services.owned_session(g.user, session_id)
    return jsonify(services.set_hidden(session, text_id, body().get("hidden")))


@bp.put("/sessions/<session_id>/notes/<dilemma_id>")
@authenticated
def put_note(session_id, dilemma_id):
    session = services.owned_session(g.user, session_id)
    note = services.set_note(session, dilemma_id, body().get("text"))
    return jsonify({"dilemma": note.dilemma_id, "text": note.text, "updated_at": note.updated_at.isoformat() + "Z"})


@bp.get("/sessions/<session_id>/export")
@authenticated
def export(session_id):
    session = services.owned_session(g.user, session_id)
    fmt = request.args.get("format", "md")
    data, mimetype, filename = exports.render(session, fmt)
    return Response(
        data,
        content_type=mimetype,
        headers={"Content-Disposition": exports.content_disposition(filename)},
    )
