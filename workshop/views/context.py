"""What every template gets: the language, its switch links and the strings the scripts need."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from ..messages import MESSAGES


def lang_url(lang: str) -> str:
    args = request.args.to_dict()
    args["lang"] = lang
    return url_for(request.endpoint, **(request.view_args or {}), **args) if request.endpoint else f"?lang={lang}"


def js_strings() -> dict:
    return {
        "errors": {code: str(text) for code, text in MESSAGES.items()},
        "connecting": _("Connecting…"),
        "online": _("Connected"),
        "offline": _("Offline – reconnecting…"),
        "dilemma_of": _("Dilemma %(n)s of %(count)s"),
        "answers_of": _("of %(n)s have answered"),
        "answers": _("%(n)s answers"),
        "votes": _("%(n)s votes"),
        "voting_open": _("Voting is open"),
        "voting_closed": _("Voting is closed"),
        "revealed": _("Results"),
        "closed_note": _("Voting is closed. Wait for the results."),
        "saved": _("Your answer is saved. You can change it while voting is open."),
        "reason_saved": _("Your reason is saved."),
        "you_chose": _("You chose this"),
        "not_voted": _("You did not answer this one."),
        "note_saving": _("Saving…"),
        "note_saved": _("Saved"),
        "note_failed": _("Not saved – check the connection"),
        "lobby_title": _("Lobby: waiting for participants"),
        "ended_title": _("The session has ended"),
        "ended_text": _("Download the notes below."),
        "phases": phase_names(),
    }


def phase_names() -> dict:
    return {
        "lobby": _("Lobby"),
        "voting": _("Voting"),
        "closed": _("Closed"),
        "revealed": _("Revealed"),
        "ended": _("Ended"),
    }


def register(app) -> None:
    @app.context_processor
    def inject():
        return {
            "current_lang": str(get_locale() or "da"),
            "lang_url": lang_url,
            "js_strings": js_strings(),
            "phase_names": phase_names(),
            "role_names": {"employee": _("Employee role"), "leader": _("Leader role"), "both": _("Leader and employee")},
            "focus_names": {
                "relations": _("Relations and the core task"),
                "patterns": _("Own patterns and attitudes"),
            },
            "export_formats": [
                ("md", "Markdown"),
                ("html", _("Report (print/PDF)")),
                ("xlsx", "Excel"),
                ("csv", "CSV"),
                ("json", "JSON"),
            ],
        }
