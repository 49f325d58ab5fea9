"""What every template gets: the language, its switch links and the strings the scripts need."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from ..kinds import KINDS
from ..messages import MESSAGES


def lang_url(lang: str) -> str:
    args = request.args.to_dict()
    args["lang"] = lang
    return url_for(request.endpoint, **(request.view_args or {}), **args) if request.endpoint else f"?lang={lang}"


# Plural strings go to the scripts as [one, other] with %(n)s kept for them to fill (Danish and
# English both have one form for 1 and another for everything else).
N = "%(n)s"


def js_strings() -> dict:
    return {
        "errors": {code: str(text) for code, text in MESSAGES.items()},
        # connection
        "connecting": _("Connecting…"),
        "online": _("Connected"),
        "offline": _("Offline – reconnecting…"),
        # shared
        "dilemma_of": _("Dilemma %(n)s of %(count)s"),
        "voting_open": _("Voting is open"),
        "voting_closed": _("Voting is closed"),
        "revealed": _("Results"),
        "your_answer": _("Your answer"),
        "votes": [ngettext("%(n)s vote", "%(n)s votes", k, n=N) for k in (1, 2)],
        "answers": [ngettext("%(n)s answer", "%(n)s answers", k, n=N) for k in (1, 2)],
        "new_dilemma": _("New dilemma: %(title)s"),
        "results_shown": _("The results are shown."),
        # phone
        "saving": _("Saving your answer…"),
        "saved": _("Your answer %(option)s is saved."),
        "change_hint": _("You can change it while voting is open."),
        "vote_queued": _("Not saved yet – it is sent as soon as the connection is back."),
        "reason_saved": _("Your answer and your reason are saved."),
        "closed_note": _("Voting is closed. The results come in a moment."),
        "closed_not_voted": _("Voting is closed. You did not answer this one."),
        "not_voted": _("You did not answer this one."),
        # projector
        "joined_label": [ngettext("person has joined", "people have joined", k) for k in (1, 2)],
        "answers_label": [ngettext("answer", "answers", k) for k in (1, 2)],
        "answers_of": _("of %(n)s have answered"),
        # console
        "of_n": _("of %(n)s"),
        "primary_first": _("Show the first dilemma"),
        "primary_next": _("Next dilemma"),
        "primary_reveal": _("Reveal results"),
        "primary_end": _("End the session"),
        "hint_voting": _("Reveal when most have answered – it closes voting."),
        "hint_ended": _("The session has ended."),
        "commands": command_names(),
        "note_typing": _("Typing…"),
        "note_saving": _("Saving…"),
        "note_saved": _("Saved"),
        "note_failed": _("Not saved – trying again…"),
        "lobby_title": _("Lobby: waiting for participants"),
        "lobby_text": _("When everyone has joined, press “Show the first dilemma”."),
        "ended_title": _("The session has ended"),
        "ended_text": _("Thank you. Download the notes and results below."),
        "phases": phase_names(),
        **kind_strings(),
        **console_strings(),
    }


def kind_strings() -> dict:
    """The phone's and the projector's strings for the question kinds, rounds, the timer and insight."""
    return {
        # answering
        "saved_plain": _("Your answer is saved."),
        "text_send": _("Send answer"),
        "chars_left": _("%(n)s of %(max)s characters left"),
        "reason_optional": _("Add a reason (optional)"),
        "reason_save": _("Save reason"),
        "reason_required_label": _("Your reason (required)"),
        "reason_send": _("Send answer"),
        "answer_first": _("Choose an answer first."),
        # rounds and the timer
        "round_n": _("Round %(n)s"),
        "round_vote_again": _("Round %(n)s: vote again"),
        "vote_again": _("Vote again"),
        "time_up": _("Time is up"),
        "moved": [ngettext("%(n)s changed their mind", "%(n)s changed their mind", k, n=N) for k in (1, 2)],
        # results
        "suppressed": _("Too few answers to show results, to protect anonymity"),
        "scale_mean": _("Mean"),
        "scale_median": _("Median"),
        "cloud_empty": _("The words appear here as the answers come in."),
        "wall_reasons": _("Reasons"),
        "wall_texts": _("Answers"),
        "role_groups": {"leader": _("Leaders"), "employee": _("Employees"), "other": _("Others")},
        "choices": [ngettext("%(n)s choice", "%(n)s choices", k, n=N) for k in (1, 2)],
    }


def console_strings() -> dict:
    """The console's rounds, timer, moderation, minimum, profile, results per kind and `add`."""
    return {
        "primary_revote": _("Vote again (round %(n)s)"),
        "hint_revote": _("The room is divided – talk about it, then vote again."),
        "kinds": kind_names(),
        "roles": {"leader": _("Leaders"), "employee": _("Employees"), "other": _("Other"), "none": _("No role given")},
        "role": _("Role"),
        "answers_total": _("Answers"),
        "c_round": _("Round %(n)s"),
        "c_moved": [
            ngettext("%(n)s person changed their answer", "%(n)s people changed their answer", k, n=N) for k in (1, 2)
        ],
        "c_suppressed": _(
            "%(n)s answered. Results are shown from %(min)s answers on, to protect anonymity: only the total for now."
        ),
        "mean": _("Mean"),
        "median": _("Median"),
        "no_words": _("No words yet."),
        "words_title": _("The most frequent words"),
        "timer_off": _("No timer"),
        "timer_range": _("A timer runs from 10 to 900 seconds."),
        "mod_waiting": _("Reasons and text answers appear here as they arrive."),
        "mod_suppressed": _("Hidden until %(min)s have answered, to protect anonymity."),
        "mod_none": _("No reasons or text answers yet."),
        "mod_hidden": _("Hidden"),
        "mod_shown": _("Shown again"),
        "mod_hide": _("Hide"),
        "mod_show": _("Show"),
        "minimum_hint": _("Can be changed until the results are revealed."),
        "minimum_locked": _("Locked once results are revealed: lowering it would show hidden results."),
        "minimum_range": _("The minimum is a whole number from 1 to 50."),
        "minimum_saved": _("The minimum is now %(n)s answers."),
        "option_n": _("Option %(n)s"),
        "remove_option": _("Remove option %(n)s"),
        "add_need_title": _("Give the question a title."),
        "add_need_question": _("Write the question."),
        "add_need_options": _("Write at least two options."),
        "add_done": _("The question is open for answers."),
    }


def kind_names() -> dict:
    """Every registered question kind's name for people: its catalogue label, translated."""
    return {name: _(kind.label) for name, kind in KINDS.items()}


def command_names() -> dict:
    return {
        "next": _("Next dilemma"),
        "close": _("Close voting"),
        "reveal": _("Reveal results"),
        "previous": _("Previous"),
        "end": _("End session"),
        "revote": _("Vote again"),
    }


def phase_names() -> dict:
    return {
        "lobby": _("Lobby"),
        "voting": _("Voting"),
        "closed": _("Closed"),
        "revealed": _("Revealed"),
        "ended": _("Ended"),
    }


def export_formats() -> list[tuple[str, str]]:
    """The console's download buttons, the printable report first (a test keeps them in step
    with workshop.exports.FORMATS)."""
    return [("html", _("Report (print/PDF)")), ("xlsx", "Excel"), ("md", "Markdown"), ("csv", "CSV"), ("json", "JSON")]


def register(app) -> None:
    @app.context_processor
    def inject():
        return {
            "current_lang": str(get_locale() or "da"),
            "lang_url": lang_url,
            "js_strings": js_strings(),
            "phase_names": phase_names(),
            "role_names": {
                "employee": _("Employee role"),
                "leader": _("Leader role"),
                "both": _("Leader and employee"),
            },
            "focus_names": {
                "relations": _("Relations and the core task"),
                "patterns": _("Own patterns and attitudes"),
            },
            "export_formats": export_formats(),
            "kind_names": list(KINDS),  # templates/_kinds.html loads each kind's renderer
        }
