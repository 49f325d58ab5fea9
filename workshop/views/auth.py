"""Facilitator login and logout (CSRF-protected forms)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from .. import accounts, services
from ..domain import WorkshopError
from ..messages import message
from ..ratelimit import login_limited

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)])


def _safe_next(target: str | None) -> str:
    """A local path only: browsers drop tabs and newlines and read a backslash as a slash, so
    `/\t/evil` and `/\\evil` lead off-site; any of those (or a control character) is refused."""
    if (
        isinstance(target, str)
        and len(target) <= 2000
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()
        and not any(ch.isspace() for ch in target)
    ):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("facilitator.home")


@bp.route("/login", methods=["GET", "POST"])
@login_limited
def login():
    form = LoginForm()
    error = None
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
            if user is None:
                raise WorkshopError("bad_credentials")
            login_user(accounts.start_login(user), remember=True)
            return redirect(_safe_next(request.args.get("next")))
        except WorkshopError as exc:
            error = message(exc.code)
            status = 429 if exc.code == "too_many_requests" else 401
    elif request.method == "POST":
        status = 400
    return render_template("facilitator/login.html", form=form, error=error), status


@bp.post("/logout")
def logout():
    """Ends this login: its session and remember-me cookies stop working, copies included."""
    if current_user.is_authenticated:
        accounts.end_login(current_user)
    logout_user()
    return redirect(url_for("auth.login"))
