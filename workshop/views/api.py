"""The JSON API for facilitators (see docs/protocol.md). Bearer token or the logged-in cookie."""

from __future__ import annotations

import functools

from flask import Blueprint, Response, current_app, g, jsonify, request
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .. import decks, exports, payloads, services
from ..domain import WorkshopError
from ..store import Facilitator, db
from . import throttle
from .links import session_links

bp = Blueprint("api", __name__, url_prefix="/api")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="api-token")


def issue_token(user: Facilitator) -> str:
    # The password hash's tail is in the token, so a password change revokes old tokens.
    return _serializer().dumps({"f": user.id, "p": user.password_hash[-10:]})


def _bearer_user() -> Facilitator | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    try:
        data = _serializer().loads(header[7:].strip(), max_age=current_app.config["TOKEN_MAX_AGE"])
        user = db.session.get(Facilitator, int(data["f"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    return user if user and user.password_hash[-10:] == data.get("p") else None


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
def token():
    data = body()
    email = data.get("email")
    throttle.check(email)
    user = services.authenticate(email, data.get("password"))
    if user is None:
        throttle.failed(email)
        raise WorkshopError("bad_credentials")
    return jsonify({"token": issue_token(user)})


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
