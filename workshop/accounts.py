"""Facilitator logins and API tokens that can really be ended (CONTRACT part 2, "Accounts").

- Every web login is a row (`facilitator_login`); its random id travels in the session and the
  remember-me cookie (Facilitator.get_id). Logout deletes that row, so copies of the old
  cookies stop working; a password change deletes every row of the account.
- An API token is signed and names the account and its `token_epoch`; revoking bumps the epoch,
  so every earlier token stops working. Tokens carry nothing of the password hash.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import ForeignKey, String, delete
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import generate_password_hash

from . import services
from .domain import WorkshopError
from .store import Facilitator, db, now


class Login(db.Model):
    __tablename__ = "facilitator_login"
    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=lambda: secrets.token_urlsafe(32))
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("facilitator.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now)


# --- web logins ------------------------------------------------------------------------------


def start_login(user: Facilitator) -> Facilitator:
    """A new login row for `user`; call before flask_login.login_user."""
    login = Login(facilitator_id=user.id)
    db.session.add(login)
    db.session.commit()
    user.login_id = login.id
    return user


def load_user(key) -> Facilitator | None:
    """Flask-Login's user loader: "ID:LOGIN" of a login that still exists and is not too old."""
    if not isinstance(key, str) or ":" not in key or len(key) > 100:
        return None
    user_id, login_id = key.split(":", 1)
    if not user_id.isdigit():
        return None
    login = db.session.get(Login, login_id)
    oldest = now() - current_app.config["REMEMBER_COOKIE_DURATION"]
    if login is None or login.facilitator_id != int(user_id) or login.created_at < oldest:
        return None
    user = db.session.get(Facilitator, int(user_id))
    if user is not None:
        user.login_id = login_id
    return user


def end_login(user) -> None:
    """Logout: this login only."""
    login_id = getattr(user, "login_id", None)
    if login_id:
        db.session.execute(delete(Login).where(Login.id == login_id))
        db.session.commit()


def end_all_logins(user: Facilitator) -> None:
    db.session.execute(delete(Login).where(Login.facilitator_id == user.id))


def prune_logins() -> int:
    """Delete logins older than the remember-me cookie (run with the retention task)."""
    oldest = now() - current_app.config["REMEMBER_COOKIE_DURATION"]
    n = db.session.execute(delete(Login).where(Login.created_at < oldest)).rowcount
    db.session.commit()
    return n


# --- API tokens ------------------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="api-token")


def issue_token(user: Facilitator) -> str:
    return _serializer().dumps({"f": user.id, "e": user.token_epoch})


def token_user(token: str) -> Facilitator | None:
    try:
        data = _serializer().loads(token, max_age=current_app.config["TOKEN_MAX_AGE"])
        user = db.session.get(Facilitator, int(data["f"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    return user if user is not None and data.get("e") == user.token_epoch else None


def revoke_tokens(user: Facilitator) -> None:
    user.token_epoch += 1
    db.session.commit()


# --- the command line ------------------------------------------------------------------------


def find(email) -> Facilitator:
    user = services.facilitator_by_email(email)
    if user is None:
        raise WorkshopError("not_found", f"no account for {email}")
    return user


def change_password(email, password: str) -> Facilitator:
    """New password; every API token and every login of the account ends."""
    user = find(email)
    services.check_new_password(password)
    user.password_hash = generate_password_hash(password)
    user.token_epoch += 1
    end_all_logins(user)
    db.session.commit()
    return user


def revoke_all(email) -> Facilitator:
    """Every API token and every login of the account ends; the password stays."""
    user = find(email)
    user.token_epoch += 1
    end_all_logins(user)
    db.session.commit()
    return user
