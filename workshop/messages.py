"""Error codes -> messages in the user's language. The one place that words a WorkshopError."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from .domain import WorkshopError

MESSAGES = {
    "unknown_session": _l("No workshop has that code. Check the six digits on the screen."),
    "session_ended": _l("This workshop has ended. Thank you for taking part!"),
    "invalid_request": _l("The request was not understood."),
    "voting_closed": _l("Voting on this dilemma is closed."),
    "invalid_option": _l("That answer is not one of the options."),
    "reason_required": _l("Write a short reason for your answer."),
    "unknown_route": _l("There is no such route in this deck."),
    "not_joined": _l("Join the workshop with its code first."),
    "invalid_transition": _l("That step does not fit where the session is now."),
    "not_found": _l("Not found."),
    "unknown_deck": _l("There is no such deck."),
    "unauthorized": _l("Log in first."),
    "bad_credentials": _l("Wrong email or password."),
    "too_large": _l("That is too much text."),
    "too_many_requests": _l("Too many attempts. Wait a few minutes and try again."),
    "csrf": _l("The form had expired. Reload the page and try again."),
    "invalid_email": _l("That is not a valid email address."),
    "weak_password": _l("The password must have at least 8 characters."),
    "email_taken": _l("An account with that email exists already."),
    "busy": _l("The server is busy. Try again in a moment."),
    "unsupported_format": _l("That export format is not supported."),
    "invalid_deck": _l("The deck file has errors."),
    "internal_error": _l("Something went wrong on the server. Try again."),
}

STATUS = {
    "unknown_session": 404,
    "session_ended": 409,
    "invalid_request": 400,
    "voting_closed": 409,
    "invalid_option": 400,
    "reason_required": 400,
    "unknown_route": 404,
    "not_joined": 409,
    "invalid_transition": 409,
    "not_found": 404,
    "unknown_deck": 404,
    "unauthorized": 401,
    "bad_credentials": 401,
    "too_large": 413,
    "too_many_requests": 429,
    "csrf": 400,
    "invalid_email": 400,
    "weak_password": 400,
    "email_taken": 409,
    "busy": 503,
    "unsupported_format": 400,
    "invalid_deck": 400,
    "internal_error": 500,
}


def message(code: str, detail: str | None = None) -> str:
    text = str(MESSAGES.get(code) or gettext("Something went wrong."))
    # Details are technical English; add them only for the malformed-request family.
    if detail and code == "invalid_request":
        text = f"{text} ({detail})"
    return text


def error_body(code: str, detail: str | None = None) -> dict:
    return {"code": code, "message": message(code, detail)}


def from_exception(exc: WorkshopError) -> tuple[dict, int]:
    return {"error": error_body(exc.code, exc.detail)}, STATUS.get(exc.code, 400)
