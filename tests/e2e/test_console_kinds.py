"""The console with every question kind (tests/data/kinds-deck.yaml): the frame, the timer
(start, +30 s, stop, closing by itself), a divided room and a re-vote, hiding a reason, the
anonymity minimum and the role split, `add` of each kind, session start options and the
summary page. Other phones are python-socketio clients; the console is the browser."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from .conftest import ARTIFACTS, LAPTOP, PHONE, eventually

DECK = Path(__file__).resolve().parents[1] / "data" / "kinds-deck.yaml"
# A radio or checkbox is tapped through its label, so the label is what must be big enough.
TAPPABLE = """(root) => [...document.querySelectorAll(root + ' a, ' + root + ' button, ' + root + ' input, ' + root + ' summary')]
  .filter(n => n.offsetParent !== null && n.checkVisibility())
  .map(n => (n.closest('label') || n))
  .map(n => [n.id || n.textContent.trim().slice(0, 30), n.getBoundingClientRect().height])
  .filter(([, h]) => h < 44)"""


def upload_deck(device):
    page = device.page
    page.goto("/f/decks")
    page.set_input_files("input[type=file]", str(DECK))
    page.click("#main form[enctype] button[type=submit]")
    page.wait_for_url("**/f/decks/alle-slags")


def answer(client, **payload):
    ack = client.call("vote", payload, timeout=5)
    assert ack["ok"], ack
    return ack


def join(phones, code, role=None):
    import socketio

    c = socketio.Client(reconnection=False)
    c.connect(phones.url, wait_timeout=5)
    ack = c.call("join", {"code": code, **({"role": role} if role else {})}, timeout=5)
    assert ack["ok"], ack
    phones.clients.append(c)
    return c


def command(api, session_id, cmd, **data):
    r = requests.post(
        f"{api.url}/api/sessions/{session_id}/commands", json={"command": cmd, **data}, headers=api.headers, timeout=5
    )
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture
def console(devices, api):
    """A laptop logged in with the kinds deck uploaded; `open(**session options)` starts a session on it."""
    laptop = devices("console laptop", LAPTOP)
    laptop.login()
    upload_deck(laptop)

    def open_(device=laptop, **extra):
        s = api.session(deck="alle-slags", **extra)
        device.page.goto(f"/f/sessions/{s['id']}")
        expect(device.page.locator("#conn")).to_have_attribute("data-state", "online")
        return s

    laptop.open = open_
    return laptop


def test_timer_divided_room_revote_and_moderation_on_the_console(console, api, phones):
    page = console.page
    s = console.open()
    a, b = join(phones, s["code"]), join(phones, s["code"])
    expect(page.locator("#c-participants")).to_have_text("2")
    page.locator("#primary").click()
    expect(page.locator("#d-title")).to_have_text("Valget ved kaffemaskinen")
    expect(page.locator("#d-kind")).to_have_text("Valg")

    # The frame beside the tip, in the session's language.
    expect(page.locator("#d-frame")).to_contain_text("Tavshed om en betroet oplysning")
    expect(page.locator("#d-tip")).to_contain_text("Spørg til")

    # Timer: a preset, +30 s, stop.
    timer = page.locator("#timer-time")
    expect(page.locator("#timer")).to_be_visible()
    expect(timer).to_have_text("Ingen timer")
    expect(page.locator("#timer")).to_have_attribute("data-state", "off")
    page.locator("#timer-presets [data-seconds='60']").click()
    expect(timer).to_have_text(__import__("re").compile(r"^(1:00|0:59|0:58)$"))
    expect(page.locator("#timer")).to_have_attribute("data-state", "running")
    assert api.get(s["id"])["timer"]["seconds"] == 60
    page.locator("#timer-extend").click()
    expect(timer).to_have_text(__import__("re").compile(r"^1:(30|29|28)$"))
    assert api.get(s["id"])["timer"]["seconds"] == 90
    console.shot("console-1440-timer")
    page.locator("#timer-stop").click()
    expect(timer).to_have_text("Ingen timer")
    expect(page.locator("#timer")).to_have_attribute("data-state", "off")
    assert api.get(s["id"])["timer"] is None

    # Reasons arrive live in the moderation list; one is hidden and shown struck through.
    d = api.get(s["id"])["dilemma"]
    answer(a, dilemma=d["id"], option="a", reason="Tilliden kommer først")
    answer(b, dilemma=d["id"], option="b", reason="Lederen bør vide det – æøå")
    items = page.locator("#mod-list li")
    expect(items).to_have_count(2)
    expect(page.locator("#mod-count")).to_have_text("2")
    hide = items.filter(has_text="Lederen bør vide det").locator("button")
    expect(hide).to_have_text("Skjul")
    hide.click()
    expect(items.filter(has_text="Lederen bør vide det")).to_have_attribute("data-hidden", "true")
    expect(hide).to_have_text("Vis")
    texts = {t["text"]: t["hidden"] for t in api.get(s["id"])["texts"]}
    assert texts == {"Tilliden kommer først": False, "Lederen bør vide det – æøå": True}
    assert (
        page.evaluate(
            "getComputedStyle(document.querySelector('#mod-list li[data-hidden=true] .mod-text')).textDecorationLine"
        )
        == "line-through"
    )
    console.shot("console-1440-moderation", full_page=True)
    console.axe("console moderation and timer")

    # A custom length; at zero the server closes voting by itself and the console follows.
    page.fill("#timer-seconds", "5")
    page.locator("#timer-custom button").click()
    expect(page.locator("#console-error")).to_have_text("En timer kører fra 10 til 900 sekunder.")
    page.fill("#timer-seconds", "10")
    page.locator("#timer-custom button").click()
    expect(page.locator("#console-error")).to_be_hidden()
    expect(page.locator("#timer")).to_have_attribute("data-state", "ending")  # red from 10 s left
    expect(page.locator("#c-phase")).to_have_text("Lukket", timeout=16000)
    expect(page.locator("#timer")).to_be_hidden()
    assert api.get(s["id"])["phase"] == "closed"

    # Revealed, evenly split: the divided flag and the re-vote as the big button.
    page.locator("#primary").click()
    expect(page.locator("#c-phase")).to_have_text("Resultater vist")
    expect(page.locator("#d-divided")).to_be_visible()
    expect(page.locator("#d-divided")).to_contain_text("brug tid her")
    expect(page.locator("#primary")).to_have_text("Stem igen (runde 2)")
    expect(page.locator("#primary-hint")).to_have_text("Rummet er delt – tal om det, og stem igen.")
    expect(page.locator("#d-results .bars li")).to_have_count(2)
    console.shot("console-1440-revealed-divided", full_page=True)

    page.locator("#primary").click()
    expect(page.locator("#c-phase")).to_have_text("Afstemning")
    expect(page.locator("#c-round")).to_have_text("2")
    expect(page.locator("#d-round")).to_have_text("Runde 2")
    expect(page.locator("#mod-list li")).to_have_count(0)
    answer(a, dilemma=d["id"], option="b", reason="Jeg har skiftet mening")
    answer(b, dilemma=d["id"], option="b", reason="Stadig det samme")
    expect(page.locator("#c-answers")).to_have_text("2")
    page.locator("#primary").click()
    expect(page.locator("#c-phase")).to_have_text("Resultater vist")
    # Round 1 beside round 2, and how many moved.
    expect(page.locator("#d-before .round-title")).to_have_text("Runde 1")
    expect(page.locator("#d-now .round-title")).to_have_text("Runde 2")
    expect(page.locator("#d-before .bar-num").nth(0)).to_have_text("1 stemme · 50 %")
    expect(page.locator("#d-now .bar-num").nth(1)).to_have_text("2 stemmer · 100 %")
    expect(page.locator("#d-moved")).to_have_text("1 person skiftede mening")
    expect(page.locator("#d-divided")).to_be_hidden()
    console.shot("console-1440-round2", full_page=True)
    console.axe("console round 2")


def test_scale_and_text_results_on_the_console(console, api, phones):
    page = console.page
    s = console.open()
    room = [join(phones, s["code"]) for _ in range(3)]
    command(api, s["id"], "next")
    command(api, s["id"], "next")
    expect(page.locator("#d-kind")).to_have_text("Skala")
    d = api.get(s["id"])["dilemma"]
    for c, v in zip(room, (2, 4, 5), strict=True):
        answer(c, dilemma=d["id"], value=v)
    expect(page.locator("#d-results .bars li")).to_have_count(5)
    expect(page.locator("[data-stat=mean]")).to_have_text("3,7")
    expect(page.locator("[data-stat=median]")).to_have_text("4")
    expect(page.locator("#d-results .bar-label").first).to_have_text("Helt uenig")
    console.shot("console-1440-voting-scale", full_page=True)
    console.axe("console scale")

    command(api, s["id"], "next")
    expect(page.locator("#d-kind")).to_have_text("Åben tekst")
    d = api.get(s["id"])["dilemma"]
    for c, text in zip(room, ("Ærlighed og tid", "Tid sammen", "Ærlighed"), strict=True):
        answer(c, dilemma=d["id"], text=text)
    expect(page.locator("#mod-list li")).to_have_count(3)
    # Most frequent first, ties alphabetical (as the server sends them).
    expect(page.locator(".word-list li .word")).to_have_text(["tid", "ærlighed", "sammen"])
    expect(page.locator(".word-list li[data-word='ærlighed'] .word-n")).to_have_text("2")
    expect(page.locator("#c-answers")).to_have_text("3")
    console.shot("console-1440-voting-text", full_page=True)
    console.axe("console text")

    # In English: the same console, the interface in the user's language (the dilemma stays Danish).
    page.goto(f"/f/sessions/{s['id']}?lang=en")
    expect(page.locator("#d-kind")).to_have_text("Open text")
    expect(page.locator("#timer-time")).to_have_text("No timer")
    expect(page.locator("#moderation h2")).to_contain_text("Reasons and answers")
    expect(page.locator(".word-list li")).to_have_count(3)
    expect(page.locator("#c-answers")).to_have_text("3")
    console.shot("console-1440-english", full_page=True)
    page.goto(f"/f/sessions/{s['id']}?lang=da")


def test_under_the_minimum_only_the_total_and_no_texts_and_the_minimum_can_change(console, api, phones):
    page = console.page
    s = console.open(min_answers=3, ask_role=True)
    lead, staff = join(phones, s["code"], "leader"), join(phones, s["code"], "employee")
    page.locator("#primary").click()
    d = api.get(s["id"])["dilemma"]
    answer(lead, dilemma=d["id"], option="a", reason="Fortroligt")
    answer(staff, dilemma=d["id"], option="b", reason="Åbent")
    expect(page.locator("#c-answers")).to_have_text("2")
    expect(page.locator("#d-suppressed")).to_contain_text("fra 3 svar")
    expect(page.locator("#d-results .bars")).to_have_count(0)
    expect(page.locator("#mod-empty")).to_have_text("Skjult, indtil 3 har svaret, for at beskytte anonymiteten.")
    expect(page.locator("#mod-list li")).to_have_count(0)
    console.shot("console-1440-suppressed", full_page=True)

    page.fill("#minimum", "0")
    page.locator("#minimum-save").click()
    expect(page.locator("#console-error")).to_have_text("Minimum er et helt tal fra 1 til 50.")
    expect(page.locator("#minimum")).to_have_attribute("aria-invalid", "true")
    page.fill("#minimum", "1")
    page.locator("#minimum-save").click()
    expect(page.locator("#console-error")).to_be_hidden()
    expect(page.locator("#d-suppressed")).to_be_hidden()
    assert api.get(s["id"])["min_answers"] == 1
    expect(page.locator("#d-results .bars li")).to_have_count(2)
    expect(page.locator("#mod-list li")).to_have_count(2)
    # With one answer in each role and a minimum of 1, the role split is allowed.
    expect(page.locator("#d-roles")).to_be_visible()
    expect(page.locator("#d-roles-table tr[data-role=leader] td").nth(1)).to_have_text("1")
    expect(page.locator("#d-roles-table tr[data-role=employee] td").nth(2)).to_have_text("1")
    # The live value profile: option a served trustworthiness, b engagement and free expression.
    expect(page.locator("#profile li")).to_have_count(3)

    page.locator("#primary").click()
    expect(page.locator("#c-phase")).to_have_text("Resultater vist")
    expect(page.locator("#minimum")).to_be_disabled()
    expect(page.locator("#minimum-hint")).to_contain_text("Låst")
    console.axe("console minimum and roles")


def test_add_a_question_of_each_kind_live(console, api, phones):
    page = console.page
    s = console.open()
    page.locator("#add-details summary").click()
    expect(page.locator("#add-form")).to_be_visible()
    console.shot("console-1440-add-form", full_page=True)
    console.axe("console add form")

    # A choice with one option is refused in the user's language before it is sent.
    page.fill("#add-title-input", "Pausen")
    page.fill("#add-question", "Hvornår holder vi pause?")
    page.fill("#add-opt-1", "Kl. 10")
    page.locator("#add-submit").click()
    expect(page.locator("#add-error")).to_have_text("Skriv mindst to svarmuligheder.")
    page.fill("#add-opt-2", "Kl. 11")
    page.locator("#add-option").click()
    page.fill("#add-opt-3", "Når det passer – æøå")
    page.locator("#add-submit").click()
    expect(page.locator("#d-title")).to_have_text("Pausen")
    v = api.get(s["id"])
    assert v["phase"] == "voting" and v["dilemma"]["kind"] == "choice"
    assert [o["label"] for o in v["dilemma"]["options"]] == ["Kl. 10", "Kl. 11", "Når det passer – æøå"]
    expect(page.locator("#d-results .bars li")).to_have_count(3)

    page.locator("#add-details summary").click()
    page.check("input[name=kind][value=scale]")
    expect(page.locator("#add-options")).to_be_hidden()
    page.fill("#add-title-input", "Tempo")
    page.fill("#add-question", "Vi når det, vi skal.")
    page.check("input[name=points][value='7']")
    page.fill("#add-low", "Slet ikke")
    page.fill("#add-high", "Helt sikkert")
    page.locator("#add-submit").click()
    expect(page.locator("#d-title")).to_have_text("Tempo")
    scale = api.get(s["id"])["dilemma"]
    assert scale["kind"] == "scale" and scale["scale"] == {"points": 7, "low": "Slet ikke", "high": "Helt sikkert"}
    expect(page.locator("#d-results .bars li")).to_have_count(7)

    page.locator("#add-details summary").click()
    page.check("input[name=kind][value=text]")
    page.fill("#add-title-input", "Et ord")
    page.fill("#add-question", "Hvad tager du med hjem?")
    page.locator("#add-submit").click()
    expect(page.locator("#d-title")).to_have_text("Et ord")
    assert api.get(s["id"])["dilemma"]["kind"] == "text"
    expect(page.locator("#d-progress")).to_have_text("Dilemma 6 af 6")

    # The server's refusal comes back in the user's language too (the session has ended).
    command(api, s["id"], "end")
    expect(page.locator("#c-phase")).to_have_text("Afsluttet")
    page.locator("#add-details summary").click()
    page.fill("#add-title-input", "For sent")
    page.fill("#add-question", "Kan vi stadig spørge?")
    page.check("input[name=kind][value=text]")
    with console.expect_errors("status of 409"):
        page.locator("#add-submit").click()
        expect(page.locator("#add-error")).to_have_text("Det trin passer ikke til, hvor sessionen er nu.")


def test_start_with_a_route_a_minimum_and_roles_and_the_deck_page_shows_routes(console, api):
    page = console.page
    # The deck page: kinds, frames, minutes and the route with a suggested timing.
    page.goto("/f/decks/alle-slags")
    expect(page.locator(".kind-pill")).to_have_text(["Valg", "Skala", "Åben tekst"])
    expect(page.locator(".frame").first).to_contain_text("Tavshed om en betroet oplysning")
    route = page.locator(".route[data-route=kort]")
    expect(route.locator("h3")).to_have_text("Kort forløb · 60 min.")
    expect(route.locator(".route-steps li")).to_have_count(2)
    expect(route.locator(".route-steps li").first).to_contain_text("8 min")
    console.shot("deck-1440-routes", full_page=True)
    console.axe("deck page with routes")

    # Start from the home page: the route picks its deck.
    page.goto("/f/")
    page.select_option("#route", "alle-slags/kort")
    expect(page.locator("#deck")).to_have_value("alle-slags")
    page.fill("#min_answers", "3")
    page.check("#ask_role")
    page.fill("#title", "Kort workshop")
    console.shot("home-1440-start-options", full_page=True)
    console.axe("home with start options")
    page.click("#start-form button[type=submit]")
    page.wait_for_url("**/f/sessions/*")
    sid = page.locator("#console").get_attribute("data-session")
    v = api.get(sid)
    assert (v["route"], v["min_answers"], v["ask_role"], v["title"]) == ("kort", 3, True, "Kort workshop")
    expect(page.locator("#minimum")).to_have_value("3")
    page.locator("#primary").click()
    expect(page.locator("#d-progress")).to_have_text("Dilemma 1 af 2")

    # From the deck page, the whole deck, default minimum.
    page.goto("/f/decks/alle-slags")
    page.locator("#main form button[type=submit]").click()
    page.wait_for_url("**/f/sessions/*")
    v = api.get(page.locator("#console").get_attribute("data-session"))
    assert (v["route"], v["min_answers"], v["ask_role"]) == (None, 5, False)

    # A minimum out of range is refused with the reason, on the page it came from.
    page.goto("/f/decks/alle-slags")
    page.evaluate("document.getElementById('min_answers').removeAttribute('max')")
    page.fill("#min_answers", "51")
    page.locator("#main form button[type=submit]").click()
    page.wait_for_url("**/f/decks/alle-slags")
    expect(page.locator(".flash .alert-error")).to_contain_text("fra 1 til 50")


def test_the_summary_page_after_the_end(console, api, phones):
    page = console.page
    s = console.open()
    room = [join(phones, s["code"]) for _ in range(2)]
    page.locator("#primary").click()
    d = api.get(s["id"])["dilemma"]
    answer(room[0], dilemma=d["id"], option="a", reason="Fortroligt")
    answer(room[1], dilemma=d["id"], option="b", reason="Sig det")
    expect(page.locator("#c-answers")).to_have_text("2")
    command(api, s["id"], "reveal")
    command(api, s["id"], "revote")
    answer(room[0], dilemma=d["id"], option="b", reason="Overbevist")
    answer(room[1], dilemma=d["id"], option="b", reason="Sig det")
    command(api, s["id"], "reveal")
    command(api, s["id"], "next")
    d2 = api.get(s["id"])["dilemma"]
    answer(room[0], dilemma=d2["id"], value=1)
    answer(room[1], dilemma=d2["id"], value=5)
    command(api, s["id"], "reveal")
    page.locator("[data-command=end]").click()
    page.locator("[data-command=end]").click()
    expect(page.locator("#c-phase")).to_have_text("Afsluttet")
    link = page.locator("#summary-link")
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url(f"**/f/sessions/{s['id']}/summary")
    expect(page.locator("h1")).to_have_text(s.get("title") or page.locator("h1").inner_text())
    # Ranked by spread: the scale split 1 vs 5 (spread 0.43) above the choice's round 2 (all b: 0).
    expect(page.locator("#most-divided li")).to_have_count(2)
    expect(page.locator("#most-divided li").first).to_have_attribute("data-dilemma", "skalaen")
    expect(page.locator("#overview tbody tr")).to_have_count(3)
    expect(page.locator("#overview tr[data-dilemma=valget] td").nth(5)).to_have_text("2")
    expect(page.locator("#overview tr[data-dilemma=valget] td").nth(6)).to_have_text("1")
    expect(page.locator("#dilemma-valget .round-col")).to_have_count(2)
    expect(page.locator("#summary-profile li").first).to_be_visible()
    expect(page.locator("#summary-agreements")).to_be_visible()
    console.shot("summary-1440", full_page=True)
    console.axe("summary page")
    page.emulate_media(media="print")
    assert page.locator(".topbar").is_hidden() and page.locator("#print").is_hidden()
    console.shot("summary-1440-print", full_page=True)
    page.emulate_media(media="screen")

    # On a phone: no sideways scrolling.
    phone = console.page.context.browser.new_context(base_url=page.url.split("/f/")[0], locale="da-DK", **PHONE)
    try:
        p2 = phone.new_page()
        p2.context.add_cookies(page.context.cookies())
        p2.goto(f"/f/sessions/{s['id']}/summary")
        expect(p2.locator("#most-divided li")).to_have_count(2)
        assert p2.evaluate("document.documentElement.scrollWidth") <= 390
        p2.screenshot(path=str(ARTIFACTS / "summary-390.png"), animations="disabled")
    finally:
        phone.close()

    # The home list links to it.
    page.goto("/f/")
    expect(page.locator(f"a.summary-link[href$='/f/sessions/{s['id']}/summary']")).to_be_visible()


def test_the_console_on_a_phone_with_timer_moderation_and_add(devices, console, api, phones):
    phone = devices("console phone", PHONE)
    phone.login()
    page = phone.page
    s = console.open(device=phone)
    a, b = join(phones, s["code"]), join(phones, s["code"])
    page.locator("#primary").click()
    d = api.get(s["id"])["dilemma"]
    page.locator("#timer-presets [data-seconds='120']").click()
    expect(page.locator("#timer-stop")).to_be_visible()
    answer(a, dilemma=d["id"], option="a", reason="Fortroligt, for hun bad om det")
    answer(b, dilemma=d["id"], option="b", reason="Sig det til lederen")
    expect(page.locator("#mod-list li")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate(TAPPABLE, ".console") == []
    phone.shot("console-390-timer")
    page.locator("#moderation").scroll_into_view_if_needed()
    phone.shot("console-390-moderation")
    phone.axe("console on a phone, voting")
    page.locator("#add-details summary").click()
    page.locator("#add-form").scroll_into_view_if_needed()
    phone.shot("console-390-add-form")
    command(api, s["id"], "reveal")
    expect(page.locator("#primary")).to_have_text("Stem igen (runde 2)")
    expect(page.locator("#primary-hint")).to_be_visible()
    hint, button = page.locator("#primary-hint").bounding_box(), page.locator("#primary").bounding_box()
    assert hint["y"] >= button["y"] + button["height"] and hint["y"] + hint["height"] <= 844, (hint, button)
    phone.shot("console-390-revealed-top")
    page.locator("#d-results").scroll_into_view_if_needed()
    phone.shot("console-390-revealed")
    eventually(lambda: api.get(s["id"])["divided"])
