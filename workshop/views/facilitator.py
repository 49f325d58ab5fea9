"""The facilitator's pages: home (sessions), new session, decks (preview, upload), the console,
the session summary."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from .. import data, decks, exports, payloads, services
from ..content import MAX_DECK_BYTES, DeckError
from ..domain import MAX_TITLE, WorkshopError, pick
from ..messages import message
from .context import console_strings, kind_names
from .links import session_links

bp = Blueprint("facilitator", __name__, url_prefix="/f")


class NewSessionForm(FlaskForm):
    deck = SelectField(_l("Deck"), validators=[DataRequired()])
    title = StringField(_l("Title (optional)"), validators=[Optional(), Length(max=MAX_TITLE)])
    language = SelectField(_l("Language of the dilemmas"), choices=[("da", "Dansk"), ("en", "English")], default="da")
    show_names = BooleanField(_l("Put participants' names (if they give one) next to their answers in the export"))
    # "" is the whole deck; otherwise "DECK_ID/ROUTE_ID" (a route belongs to one deck).
    route = SelectField(_l("Route"), choices=[], default="", validate_choice=False)
    min_answers = IntegerField(
        _l("Minimum answers before results are shown"),
        default=5,  # as services.create_session
        validators=[NumberRange(*services.MIN_ANSWERS)],
    )
    ask_role = BooleanField(_l("Ask participants whether they are a leader, an employee or other"))
    # "" is none; otherwise the id of one of the facilitator's sessions that recorded agreements.
    follow_up = SelectField(_l("Follow up an earlier session"), choices=[], default="", validate_choice=False)


def _follow_up_choices(sessions) -> list[tuple[str, str]]:
    """Those of the facilitator's sessions (newest first, as given) with agreements to follow up."""
    from ..agreements import counts_by_session

    counts = counts_by_session(s.id for s in sessions)
    out = []
    for s in sessions:
        n = counts.get(s.id, 0)
        if n:
            count = ngettext("%(num)s agreement", "%(num)s agreements", n)
            out.append((s.id, f"{s.title} · {s.created_at:%d.%m.%Y} ({count})"))
    return out


class UploadForm(FlaskForm):
    file = FileField(_l("Deck file (YAML)"), validators=[FileRequired()])


def _deck_choices(deck_list, lang: str) -> list[tuple[str, str]]:
    return [(d.id, f"{pick(d.title, lang)} ({len(d.dilemmas)})") for d in deck_list]


def _route_label(route, lang: str) -> str:
    return _(
        "%(title)s · %(minutes)s min · %(n)s dilemmas",
        title=pick(route.title, lang),
        minutes=route.minutes,
        n=len(route.dilemmas),
    )


def _route_groups(deck_list, lang: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The route select's option groups: (deck id, deck title, [(value, label)]) for decks with routes."""
    return [
        (d.id, pick(d.title, lang), [(f"{d.id}/{r.id}", _route_label(r, lang)) for r in d.routes])
        for d in deck_list
        if d.routes
    ]


def _route_of(deck_id: str, value: str | None) -> str | None:
    """The route id from the form's "DECK_ID/ROUTE_ID" (None: the whole deck); another deck's route is unknown."""
    if not value:
        return None
    owner, _sep, route = value.partition("/")
    if owner != deck_id or not route:
        raise WorkshopError("unknown_route")
    return route


@bp.get("/")
@login_required
def home():
    form = NewSessionForm()
    lang = str(get_locale())
    deck_list = decks.listing(current_user.id)  # once: it parses every uploaded deck
    form.deck.choices = _deck_choices(deck_list, lang)
    sessions = services.sessions_of(current_user)
    return render_template(
        "facilitator/home.html",
        sessions=sessions,
        form=form,
        route_groups=_route_groups(deck_list, lang),
        follow_ups=_follow_up_choices(sessions),
    )


@bp.post("/sessions")
@login_required
def create_session():
    form = NewSessionForm()
    form.deck.choices = _deck_choices(decks.listing(current_user.id), "da")
    back = request.form.get("back") == "deck" and form.deck.data
    again = url_for("facilitator.deck_preview", deck_id=form.deck.data) if back else url_for("facilitator.home")
    if not form.validate_on_submit():
        if form.min_answers.errors:
            lo, hi = services.MIN_ANSWERS
            flash(_("The minimum of answers must be a whole number from %(lo)s to %(hi)s.", lo=lo, hi=hi), "error")
        else:
            flash(_("Choose a deck to start a session."), "error")
        return redirect(again)
    try:
        session = services.create_session(
            current_user,
            form.deck.data,
            form.title.data,
            form.language.data,
            show_names=form.show_names.data,
            route=_route_of(form.deck.data, form.route.data),
            min_answers=form.min_answers.data,
            ask_role=form.ask_role.data,
            follow_up=form.follow_up.data or None,
        )
    except WorkshopError as exc:
        flash(message(exc.code), "error")
        return redirect(again)
    return redirect(url_for("facilitator.console", session_id=session.id))


@bp.get("/sessions/<session_id>")
@login_required
def console(session_id):
    session = services.owned_session(current_user, session_id)
    return render_template(
        "facilitator/console.html",
        session=session,
        view=payloads.facilitator_view(session),
        links=session_links(session),
        notes=services.notes_of(session.id),
    )


@bp.post("/sessions/<session_id>/delete")
@login_required
def delete_session(session_id):
    """The console's delete button (confirmed in the browser): the session and all in it go."""
    session = services.owned_session(current_user, session_id)
    title = session.title
    data.delete_session(session)
    flash(_("The session “%(title)s” was deleted.", title=title), "ok")
    return redirect(url_for("facilitator.home"))


@bp.get("/sessions/<session_id>/summary")
@login_required
def summary(session_id):
    """The session at a glance for the facilitator (printable): from the same snapshot as the exports."""
    session = services.owned_session(current_user, session_id)
    snap = exports.snapshot(session)
    overview = snap.summary()
    by_id = {d.id: d for d in snap.deck.dilemmas}
    for item in overview["dilemmas"]:
        d = by_id[item["id"]]
        item["question"] = pick(d.question, snap.language)
        item["rows"] = [snap.rows(d, r["round"]) for r in item["rounds"]]
        item["labels"] = {row.key: row.label for row in item["rows"][-1]}
    return render_template(
        "facilitator/summary.html",
        session=session,
        summary=overview,
        participants=snap.participants,
        dilemmas={x["id"]: x for x in overview["dilemmas"]},
        agreements=snap.agreements,
        value_label=snap.value_label,
        kind_names=kind_names(),
        role_labels=console_strings()["roles"],
    )


@bp.route("/decks", methods=["GET", "POST"])
@login_required
def deck_list():
    form = UploadForm()
    problems = []
    if form.validate_on_submit():
        raw = form.file.data.read(MAX_DECK_BYTES + 1)
        name = form.file.data.filename or "deck.yaml"
        try:
            text = raw.decode("utf-8")
            deck = decks.upload(current_user.id, text, name)
        except UnicodeDecodeError:
            problems = [_("The file is not UTF-8 text.")]
        except DeckError as exc:
            problems = [str(p) for p in exc.problems]
        else:
            flash(_("The deck “%(title)s” was added.", title=pick(deck.title, "da")), "ok")
            return redirect(url_for("facilitator.deck_preview", deck_id=deck.id))
    status = 400 if problems else 200
    return render_template(
        "facilitator/decks.html", decks=decks.listing(current_user.id), form=form, problems=problems
    ), status


@bp.get("/decks/<deck_id>")
@login_required
def deck_preview(deck_id):
    deck = decks.get(deck_id, current_user.id)
    if deck is None:
        raise WorkshopError("unknown_deck")
    lang = request.args.get("deck_lang") if request.args.get("deck_lang") in ("da", "en") else "da"
    form = NewSessionForm()
    form.deck.choices = [(deck.id, pick(deck.title, lang))]
    form.deck.data = deck.id
    form.language.data = lang
    form.route.choices = [("", _("The whole deck"))] + [
        (f"{deck.id}/{r.id}", _route_label(r, lang)) for r in deck.routes
    ]
    routes = [
        {
            "route": r,
            "steps": [deck.dilemma(i) for i in r.dilemmas],
            "planned": sum(deck.dilemma(i).minutes or 0 for i in r.dilemmas),
        }
        for r in deck.routes
    ]
    return render_template(
        "facilitator/deck.html",
        deck=deck,
        lang=lang,
        pick=pick,
        form=form,
        routes=routes,
        kind_names=kind_names(),
        follow_ups=_follow_up_choices(services.sessions_of(current_user)),
    )
