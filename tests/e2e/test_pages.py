"""Language, styling, error pages, accessibility and the Content Security Policy across pages."""

from __future__ import annotations

import re

import requests
from playwright.sync_api import expect

from tests.conftest import ROOT

from .conftest import LAPTOP, PHONE, PROJECTOR_720

STYLED = """() => {
  const body = getComputedStyle(document.body);
  return document.styleSheets.length > 0 && body.fontFamily.includes('system-ui') &&
    body.backgroundColor !== 'rgba(0, 0, 0, 0)';
}"""


def test_danish_is_the_default_and_english_is_one_click_away_and_remembered(devices, api):
    s = api.session()  # Danish dilemmas
    phone = devices("phone", PHONE)
    page = phone.page
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.locator("h1")).to_have_text("Deltag i en workshop")

    page.click(".lang-switch a[hreflang=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Join a workshop")
    expect(page.locator(".lang-switch [aria-current]")).to_have_text("English")

    # Remembered on the next page without ?lang.
    page.goto("/login")
    expect(page.locator("h1")).to_have_text("Facilitator login")
    page.goto(s["join_url"])
    expect(page.locator("#view-lobby h1")).to_have_text("You are in!")
    expect(page.locator("#conn")).to_have_text("Connected")

    # The interface follows the participant; the dilemma follows the session's language.
    count = api.command(s["id"], "next")["dilemma"]["count"]
    expect(page.locator("#dilemma-progress")).to_have_text(f"Dilemma 1 of {count}")
    expect(page.locator("#phase-pill")).to_have_text("Voting is open")
    expect(page.locator("#dilemma-content")).to_have_attribute("lang", "da")
    expect(page.locator("#dilemma-title")).to_have_text(api.get(s["id"])["dilemma"]["title"])
    page.locator("#options button").nth(0).click()
    expect(page.locator("#saved-text")).to_have_text("Your answer A is saved.")
    phone.shot("phone-390-english-ui-danish-session", full_page=True)
    phone.axe("phone in English")

    # And back: the switch on the phone page itself, which keeps the participant.
    participant = page.locator("#phone").get_attribute("data-participant")
    page.click(".lang-switch a[hreflang=da]")
    expect(page.locator("#phase-pill")).to_have_text("Afstemningen er åben")
    expect(page.locator("#phone")).to_have_attribute("data-participant", participant)
    expect(page.locator("#options button").nth(0)).to_have_attribute("aria-pressed", "true")


def test_an_english_session_shows_the_decks_english_texts(devices, api):
    s = api.session(language="en")
    screen = devices("projector 1280", PROJECTOR_720)
    phone = devices("phone", PHONE)
    dane = devices("phone with Danish chosen", PHONE)
    screen.page.goto(s["screen_url"])  # the session's language is the default interface language
    expect(screen.page.locator("#lobby-heading")).to_have_text("Join on your phone at")
    phone.page.goto(s["join_url"])
    dane.page.goto(s["join_url"] + "?lang=da")  # the user's own choice wins
    expect(phone.page.locator("#view-lobby")).to_be_visible()
    expect(dane.page.locator("#view-lobby")).to_be_visible()
    d = api.command(s["id"], "next")["dilemma"]  # the English texts, as the deck has them
    expect(phone.page.locator("#dilemma-title")).to_have_text(d["title"])
    expect(phone.page.locator("#dilemma-progress")).to_have_text(f"Dilemma 1 of {d['count']}")
    expect(dane.page.locator("#dilemma-title")).to_have_text(d["title"])
    expect(dane.page.locator("#dilemma-progress")).to_have_text(f"Dilemma 1 af {d['count']}")  # Danish interface
    expect(screen.page.locator("#d-title")).to_have_text(d["title"])
    expect(screen.page.locator("#phase-banner")).to_have_text("Voting is open")
    screen.shot("projector-1280-english")


def test_every_page_is_styled_accessible_and_in_danish_errors_included(devices, api, live_server):
    s = api.session()
    visitor = devices("visitor", LAPTOP)
    page = visitor.page
    pages = [
        ("/", 200, "Deltag i en workshop"),
        ("/?code=12", 200, "Deltag i en workshop"),
        ("/login", 200, "Log ind som facilitator"),
        ("/findes-ikke", 404, "Siden findes ikke"),
        (f"/s/{s['id']}?t=forkert", 404, "Siden findes ikke"),
        ("/f/", 200, "Log ind som facilitator"),  # redirected to the login form
    ]
    for path, status, heading in pages:
        with visitor.expect_errors(r"status of (404|405)"):
            response = page.goto(path)
        assert response.status == status, path
        expect(page.locator("h1")).to_have_text(heading)
        assert page.evaluate(STYLED), f"{path} is not styled"
        visitor.axe(path)
        if status == 404 and path.startswith("/findes"):
            visitor.shot("page-1440-not-found")

    # A form posted without its CSRF token (an expired page) gets a styled, Danish answer.
    r = requests.post(live_server.url + "/login", data={"email": "x@example.org", "password": "y"}, timeout=5)
    assert r.status_code == 400 and "Formularen var udløbet" in r.text and "app.css" in r.text

    # Wrong credentials: the message is next to the form, the fields keep their labels.
    page.goto("/login")
    page.fill("#email", visitor.email)
    page.fill("#password", "forkert-kodeord")
    with visitor.expect_errors(r"status of 401"):
        page.click("#main form button[type=submit]")
        expect(page.locator("#login-error")).to_have_text("Forkert e-mail eller adgangskode.")
    visitor.axe("login with an error")
    page.fill("#email", "")
    page.fill("#password", "")
    with visitor.expect_errors(r"status of 400"):
        page.click("#main form button[type=submit]")
        expect(page.locator("#email-error")).to_have_text("Skriv din e-mailadresse.")
    visitor.shot("page-1440-login-errors")
    visitor.axe("login with empty fields")

    visitor.login()
    titles = next(d["titles"] for d in api.decks() if d["id"] == "medarbejderrollen")
    for path, heading in [
        ("/f/", "Start en session"),
        ("/f/decks", "Dilemmasæt"),
        ("/f/decks/medarbejderrollen", titles["da"]),
        ("/f/decks/medarbejderrollen?deck_lang=en", titles["en"]),
    ]:
        page.goto(path)
        expect(page.locator("h1")).to_have_text(heading)
        assert page.evaluate(STYLED), f"{path} is not styled"
        visitor.axe(path)
    visitor.shot("page-1440-decks", full_page=False)
    with visitor.expect_errors(r"status of 404"):
        page.goto("/f/decks/findes-ikke")
    expect(page.locator("h1")).to_have_text("Siden findes ikke")
    expect(page.locator(".error-card a")).to_have_text("Gå til dine sessioner")
    visitor.shot("page-1440-error-logged-in")
    visitor.axe("an error page, logged in")


def test_reduced_motion_is_respected(devices, api):
    s = api.session()
    phone = devices("phone, reduced motion", {**PHONE, "reduced_motion": "reduce"})
    page = phone.page
    page.goto(s["join_url"])
    expect(page.locator("#view-lobby")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('#view-lobby .pulse')).animationName") == "none"
    options = api.command(s["id"], "next")["dilemma"]["options"]
    api.command(s["id"], "reveal")
    expect(page.locator("#result-bars li")).to_have_count(len(options))
    assert page.evaluate("getComputedStyle(document.querySelector('.bar-fill')).transitionDuration") == "0s"


def test_templates_have_no_inline_scripts_or_style_attributes():
    """The Content Security Policy (script-src 'self'; style-src 'self') would block them."""
    for path in (ROOT / "templates").rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, f"{path}: inline script {tag}"
        assert not re.search(r"\sstyle\s*=", html), f"{path}: a style attribute"
        assert not re.search(r"\son[a-z]+\s*=", html), f"{path}: an inline event handler"
