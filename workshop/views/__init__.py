"""Blueprints per role, plus the error pages and the JSON error shape."""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..domain import WorkshopError
from ..messages import error_body, from_exception
from ..store import db

HTTP_CODES = {
    400: "invalid_request",
    401: "unauthorized",
    404: "not_found",
    405: "invalid_request",
    413: "too_large",
    429: "too_many_requests",
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.is_json


def register(app) -> None:
    from . import agreements, api, auth, context, facilitator, participant, screen  # noqa: F401 (agreements: routes on api.bp)

    context.register(app)

    from .. import csrf

    # The API checks CSRF itself, and only where the cookie (not a bearer token) authenticates.
    csrf.exempt(api.bp)
    for bp in (auth.bp, facilitator.bp, participant.bp, screen.bp, api.bp):
        app.register_blueprint(bp)

    @app.errorhandler(WorkshopError)
    def workshop_error(exc):
        body, status = from_exception(exc)
        if wants_json():
            return jsonify(body), status
        return render_template("error.html", status=status, message=body["error"]["message"]), status

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        if wants_json():
            return jsonify({"error": error_body("csrf")}), 400
        return render_template("error.html", status=400, message=error_body("csrf")["message"]), 400

    @app.errorhandler(HTTPException)
    def http_error(exc):
        code = HTTP_CODES.get(exc.code, "invalid_request" if exc.code < 500 else "internal_error")
        body = error_body(code)
        if wants_json():
            return jsonify({"error": body}), exc.code
        return render_template("error.html", status=exc.code, message=body["message"]), exc.code

    @app.errorhandler(Exception)
    def unexpected(exc):
        app.logger.exception("unhandled error")
        db.session.rollback()
        body = error_body("internal_error")
        if wants_json():
            return jsonify({"error": body}), 500
        return render_template("error.html", status=500, message=body["message"]), 500
