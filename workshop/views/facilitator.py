"""The facilitator's pages: home (sessions), new session, decks (preview, upload), the console."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from .. import data, decks, payloads, services
from ..content import MAX_DECK_BYTES, DeckError
from ..domain import MAX_TITLE, WorkshopError, pick
from ..messages import message
from .links import session_links

bp = Blueprint("facilitator", __name__, url_prefix="/f")


class NewSessionForm(FlaskForm):
    deck = SelectField(_l("Deck"), validators=[DataRequired()])
    title = StringField(_l("Title (optional)"), validators=[Optional(), Length(max=MAX_TITLE)])
    language = SelectField(_l("Language of the dilemmas"), choices=[("da", "Dansk"), ("en", "English")], default="da")
    show_names = BooleanField(_l("Put participants' names (if they give one) next to their answers in the export"))


class UploadForm(FlaskForm):
    file = FileField(_l("Deck file (YAML)"), validators=[FileRequired()])


def _deck_choices(lang: str) -> list[tuple[str, str]]:
    return [(d.id, f"{pick(d.title, lang)} ({len(d.dilemmas)})") for d in decks.listing(current_user.id)]


@bp.get("/")
@login_required
def home():
    form = NewSessionForm()
    form.deck.choices = _deck_choices(str(get_locale()))
    return render_template("facilitator/home.html", sessions=services.sessions_of(current_user), form=form)


@bp.post("/sessions")
@login_required
def create_session():
    form = NewSessionForm()
    form.deck.choices = _deck_choices("da")
    if not form.validate_on_submit():
        flash(_("Choose a deck to start a session."), "error")
        return redirect(url_for("facilitator.home"))
    try:
        session = services.create_session(
            current_user, form.deck.data, form.title.data, form.language.data, show_names=form.show_names.data
        )
    except WorkshopError as exc:
        flash(message(exc.code), "error")
        return redirect(url_for("facilitator.home"))
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
    return render_template("facilitator/deck.html", deck=deck, lang=lang, pick=pick, form=form)
