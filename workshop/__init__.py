"""The app factory: settings, extensions bound late, schema, decks, blueprints."""

from __future__ import annotations

import logging

from flask import Flask, g, request
from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from . import accounts, data, decks, hardening, limits, ratelimit, realtime, schema
from .config import DEFAULTS, ROOT, cookie_settings, from_environment
from .content import DeckError
from .domain import LANGUAGES
from .store import db

log = logging.getLogger("workshop")
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


def select_locale() -> str:
    """The user's choice (?lang=, then the cookie); else the session's language on a phone or
    projector page (set by the view in g.session_language); else Danish."""
    for lang in (request.args.get("lang"), request.cookies.get("lang"), g.get("session_language")):
        if lang in LANGUAGES:
            return lang
    return "da"


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        root_path=str(ROOT / "workshop"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(DEFAULTS)
    app.config.update(from_environment())
    app.config.update(config or {})
    app.config.update(cookie_settings(app.config))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(ROOT / "workshop" / "translations")

    hardening.init_app(app)
    data.protect_files(app.config)
    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None

    login_manager.user_loader(accounts.load_user)

    with app.app_context():
        schema.upgrade(db.engine)
        try:
            decks.load_shipped(app.config["CONTENT_PATH"])
        except DeckError as exc:
            raise SystemExit(f"A shipped deck is invalid; fix it before starting:\n{exc}") from None

    limits.init_app(app)
    realtime.init_app(app)
    ratelimit.init_app(app)
    if app.config.get("PROXY_COUNT"):  # outermost, so Socket.IO sees the client's address too
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    from .views import register

    register(app)

    from . import cli

    cli.register(app)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        lang = request.args.get("lang")
        if lang in LANGUAGES:
            response.set_cookie(
                "lang", lang, max_age=365 * 24 * 3600, samesite="Lax", secure=app.config["SESSION_COOKIE_SECURE"]
            )
        return response

    return app
