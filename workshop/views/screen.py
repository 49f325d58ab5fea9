"""The projector view: opened by its screen URL (the token is the key)."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, g, render_template, request
from flask_login import current_user

from ..store import WorkshopSession, db
from .links import absolute

bp = Blueprint("screen", __name__)


@bp.get("/s/<session_id>")
def show(session_id):
    session = db.session.get(WorkshopSession, session_id)
    token = request.args.get("t", "")
    if session is None or not secrets.compare_digest(session.screen_token, token):
        abort(404)
    g.session_language = session.language  # the projector speaks the session's language by default
    owner = current_user.is_authenticated and current_user.id == session.owner_id
    return render_template(
        "screen/screen.html",
        session=session,
        join_url=absolute("participant.join", code=session.code),
        host_url=absolute("participant.enter_code"),
        owner=owner,
    )
