"""The participant's pages (enter a code, the phone view), the QR code, health and the client library."""

from __future__ import annotations

import io

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from sqlalchemy import text

from .. import services
from ..config import ROOT
from ..domain import WorkshopError
from ..store import db
from .links import absolute

bp = Blueprint("participant", __name__)
SOCKET_IO_DIST = ROOT / "node_modules" / "socket.io-client" / "dist"


@bp.get("/")
def enter_code():
    code = "".join(ch for ch in request.args.get("code", "") if ch.isdigit())[:6]
    if len(code) == 6:
        return redirect(url_for("participant.join", code=code))
    return render_template("participant/enter.html", code=code, bad=bool(request.args.get("code")))


@bp.get("/j/<code>")
def join(code):
    if not (len(code) == 6 and code.isdigit()):
        return redirect(url_for("participant.enter_code", code=code))
    # A name is asked for only where the facilitator chose to show names in the export.
    try:
        session = services.session_by_code(code)
        ask_name = bool(session.show_names)
        g.session_language = session.language  # the phone speaks the session's language by default
    except WorkshopError:
        ask_name = False  # the page itself explains an unknown or ended session
    return render_template("participant/phone.html", code=code, ask_name=ask_name)


@bp.get("/qr/<code>.svg")
def qr(code):
    if not (len(code) == 6 and code.isdigit()):
        abort(404)
    out = io.BytesIO()
    segno.make(absolute("participant.join", code=code), error="m").save(
        out, kind="svg", scale=10, border=2, dark="#111", light="#fff", xmldecl=False
    )
    return Response(out.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "public, max-age=300"})


@bp.get("/healthz")
def healthz():
    db.session.execute(text("SELECT 1"))
    return jsonify({"status": "ok"})


@bp.get("/vendor/socket.io.min.js")
def socket_io_client():
    """The Socket.IO client from npm (node_modules), served by us: no CDN in the room."""
    if not (SOCKET_IO_DIST / "socket.io.min.js").exists():
        abort(503, "socket.io-client is not installed: run npm ci")
    return send_from_directory(SOCKET_IO_DIST, "socket.io.min.js", max_age=3600)
