"""Question kinds, rounds, the timer, `add`, moderation, the anonymity minimum, roles and the value
profile on the phone and the projector, in a real browser.

Independent of the shipped decks: every test runs on tests/data/kinds-deck.yaml (one choice
dilemma with a required reason, one scale, one text), uploaded once, or on questions added live.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from tests.conftest import PASSWORD

from .conftest import PHONE, PROJECTOR, PROJECTOR_720, SMALL_PHONE, eventually

DECK = Path(__file__).resolve().parents[1] / "data" / "kinds-deck.yaml"
SUPPRESSED = "For få svar til at vise resultater – af hensyn til anonymiteten"
FITS = """() => {
  const stage = document.getElementById('stage');
  const cols = ['stage-text', 'stage-answers'].map(id => document.getElementById(id));
  return stage.scrollHeight <= stage.clientHeight + 1 &&
    cols.every(n => !n.offsetParent || n.scrollHeight <= n.clientHeight + 1) &&
    document.documentElement.scrollWidth <= window.innerWidth;
}"""


def _csrf(html: str) -> str:
    m = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert m, "no csrf token on the page"
    return m.group(1)


@pytest.fixture
def kinds_deck(live_server, account):
    """The test deck with every kind, uploaded through the deck page by the test's own facilitator."""
    web = requests.Session()
    page = web.get(f"{live_server.url}/login", timeout=5).text
    r = web.post(
        f"{live_server.url}/login",
        data={"email": account, "password": PASSWORD, "csrf_token": _csrf(page)},
        timeout=5,
    )
    assert r.status_code == 200 and "/f/" in r.url, r.url
    token = _csrf(web.get(f"{live_server.url}/f/decks", timeout=5).text)
    r = web.post(
        f"{live_server.url}/f/decks",
        data={"csrf_token": token},
        files={"file": ("alle.yaml", DECK.read_bytes(), "application/x-yaml")},
        timeout=10,
    )
    assert r.status_code == 200, r.text[:500]
    return "alle-slags"


@pytest.fixture
def room(api, kinds_deck, live_server):
    """Sessions on the test deck, commands with a body, other phones as Socket.IO clients."""

    class Room:
        def __init__(self):
            self.clients = []

        def session(self, **extra) -> dict:
            self.s = api.session(deck=kinds_deck, **extra)
            return self.s

        def do(self, command, **data) -> dict:
            r = requests.post(
                f"{api.url}/api/sessions/{self.s['id']}/commands",
                json={"command": command, **data},
                headers=api.headers,
                timeout=5,
            )
            assert r.status_code == 200, r.text
            return r.json()

        def view(self) -> dict:
            return api.get(self.s["id"])

        def phone(self, **join):
            import socketio

            c = socketio.Client(reconnection=False)
            c.connect(live_server.url, wait_timeout=5)
            ack = c.call("join", {"code": self.s["code"], **join}, timeout=5)
            assert ack["ok"], ack
            self.clients.append(c)
            return c

        def answer(self, client, **answer):
            ack = client.call("vote", {"dilemma": self.view()["dilemma"]["id"], **answer}, timeout=5)
            assert ack["ok"], ack

        def hide(self, text_id, hidden=True):
            r = requests.post(
                f"{api.url}/api/sessions/{self.s['id']}/texts/{text_id}",
                json={"hidden": hidden},
                headers=api.headers,
                timeout=5,
            )
            assert r.status_code == 200, r.text

    r = Room()
    yield r
    for c in r.clients:
        try:
            c.disconnect()
        except Exception:
            pass


def open_phone(devices, room, options=PHONE, name="phone"):
    phone = devices(name, options)
    phone.page.goto(room.s["join_url"])
    expect(phone.page.locator("#conn")).to_have_attribute("data-state", "online")
    return phone


def open_screens(devices, room, sizes=(1920, 1280)):
    screens = {}
    for size in sizes:
        d = devices(f"projector {size}", PROJECTOR if size == 1920 else PROJECTOR_720)
        d.page.goto(room.s["screen_url"])
        expect(d.page.locator("#conn")).to_have_attribute("data-state", "online")
        screens[size] = d
    return screens


def settle(page):
    """Wait until the bars and segments have finished growing (their CSS transitions)."""
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")


def test_a_required_reason_then_the_reasons_by_option_a_hidden_one_leaving_and_round_two(devices, room):
    room.session()
    phone = open_phone(devices, room)
    page = phone.page
    screens = open_screens(devices, room)
    room.do("next")
    expect(page.locator("#options button.option")).to_have_count(2)

    # The reason is asked for with the answer and marked as required.
    expect(page.locator("#reason-area")).to_be_visible()
    expect(page.locator("#reason-summary")).to_have_text("Din begrundelse (skal udfyldes)")
    expect(page.locator("#reason")).to_have_attribute("required", "")
    phone.shot("kinds-phone-choice-required")
    phone.axe("phone with a required reason")

    # Without one the server says so; the choice is kept while the reason is written.
    page.locator("#options button.option").nth(0).click()
    expect(page.locator("#reason-error")).to_have_text("Skriv en kort begrundelse for dit svar.")
    expect(page.locator("#reason")).to_be_focused()
    expect(page.locator("#options button.option").nth(0)).to_have_attribute("aria-pressed", "true")
    assert room.view()["results"]["total"] == 0
    page.fill("#reason", "Tillid kommer før alt")
    page.click("#reason-save")
    expect(page.locator("#saved-box")).to_have_attribute("data-state", "reason")
    expect(page.locator("#reason-error")).to_be_hidden()
    assert eventually(lambda: room.view()["results"]["total"] == 1)

    options = [o["id"] for o in room.view()["dilemma"]["options"]]
    others = [room.phone() for _ in range(3)]
    room.answer(others[0], option=options[1], reason="Lederen skal vide det")
    room.answer(others[1], option=options[1], reason="Ellers kan ingen hjælpe")
    room.answer(others[2], option=options[0], reason="Det er hendes sag")

    room.do("reveal")
    for size, d in screens.items():
        expect(d.page.locator("#wall-body .wall-group")).to_have_count(2)
        expect(d.page.locator("#wall-body .wall-card")).to_have_count(4)
        expect(d.page.locator("#wall-heading")).to_have_text("Begrundelser")
        first = d.page.locator("#wall-body .wall-group").nth(0)
        expect(first.locator("h3")).to_contain_text("Jeg holder det for mig selv")
        expect(first.locator(".wall-card")).to_have_count(2)
        settle(d.page)
        assert d.page.evaluate(FITS)
        d.shot(f"kinds-projector-{size}-choice-reasons")
    screens[1920].axe("projector with reasons")
    expect(page.locator("#result-bars li.bar-mine")).to_have_count(1)

    # The facilitator hides a reason: it leaves the projector within a second.
    texts = room.view()["texts"]
    hidden = next(x for x in texts if x["text"] == "Lederen skal vide det")
    room.hide(hidden["id"])
    for d in screens.values():
        expect(d.page.locator("#wall-body .wall-card")).to_have_count(3, timeout=1500)
        expect(d.page.locator("#wall-body")).not_to_contain_text("Lederen skal vide det")
    room.hide(hidden["id"], False)
    expect(screens[1920].page.locator("#wall-body .wall-card")).to_have_count(4, timeout=1500)

    # Round 2: the phone votes again from scratch; the projector shows round 1 beside round 2.
    room.do("revote")
    expect(page.locator("#round-note")).to_have_text("Runde 2: stem igen")
    expect(page.locator("#options button[aria-pressed=true]")).to_have_count(0)
    phone.shot("kinds-phone-round-2")
    page.fill("#reason", "Jeg har skiftet mening")
    page.locator("#options button.option").nth(1).click()
    expect(page.locator("#saved-box")).to_have_attribute("data-state", "saved")
    room.answer(others[0], option=options[1], reason="Stadig")
    room.answer(others[1], option=options[1], reason="Stadig det samme")
    room.answer(others[2], option=options[1], reason="Nu kan jeg se, hun har brug for hjælp")
    room.do("reveal")
    for size, d in screens.items():
        p = d.page
        expect(p.locator("#round-badge")).to_have_text("Runde 2")
        expect(p.locator("#d-bars .round-panel")).to_have_count(2)
        expect(p.locator("#d-bars .round-panel h2")).to_have_text(["Runde 1", "Runde 2"])
        expect(p.locator("#moved")).to_have_text("2 skiftede mening")
        settle(p)
        assert p.evaluate(FITS), f"round 2 overflows at {size}"
        d.shot(f"kinds-projector-{size}-round-2")
    screens[1920].axe("projector round 2")
    expect(page.locator("#result-moved")).to_have_text("2 skiftede mening")
    phone.shot("kinds-phone-round-2-revealed", full_page=True)


def test_scale_and_text_on_the_phone_and_the_projector(devices, room):
    room.session()
    phone = open_phone(devices, room)
    page = phone.page
    screens = open_screens(devices, room)
    room.do("next")
    room.do("next")  # the scale dilemma

    points = page.locator("#options button.scale-point")
    expect(points).to_have_count(5)
    expect(page.locator("#options .scale-ends")).to_contain_text("Helt uenig")
    width = page.viewport_size["width"]
    for i in range(5):
        box = points.nth(i).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    phone.shot("kinds-phone-scale")
    phone.axe("phone scale")
    points.nth(3).click()
    expect(points.nth(3)).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#saved-text")).to_have_text("Dit svar 4 er gemt.")

    for size, d in screens.items():
        expect(d.page.locator("#d-options .scale-preview .scale-point")).to_have_count(5)
        assert d.page.evaluate(FITS)
        d.shot(f"kinds-projector-{size}-scale-voting")

    for value in (1, 5, 4):
        room.answer(room.phone(), value=value, reason=f"Fordi {value}")
    room.do("reveal")
    for size, d in screens.items():
        p = d.page
        expect(p.locator("#d-bars .diverge")).to_be_visible()
        expect(p.locator("#d-bars .scale-mean")).to_have_text("3,5")
        expect(p.locator("#d-bars .scale-median")).to_have_text("4")
        # Disagreement grows to the left of the centre, agreement to the right.
        settle(p)
        left = p.locator(".diverge .half-low .seg[data-point='1']").bounding_box()
        right = p.locator(".diverge .half-high .seg[data-point='5']").bounding_box()
        centre = p.locator(".diverge-centre").bounding_box()
        assert left["x"] + left["width"] <= centre["x"] + 2 <= right["x"] + 4
        expect(p.locator("#wall-body .wall-card")).to_have_count(3)  # the phone gave no reason
        assert p.evaluate(FITS), f"scale results overflow at {size}"
        d.shot(f"kinds-projector-{size}-scale-revealed")
    screens[1920].axe("projector scale revealed")
    expect(page.locator("#result-bars .legend-mine .legend-point")).to_have_text("4")
    phone.shot("kinds-phone-scale-revealed", full_page=True)
    phone.axe("phone scale revealed")

    room.do("next")  # the text dilemma
    area = page.locator("#text-answer")
    expect(area).to_be_visible()
    expect(page.locator("#reason-area")).to_be_hidden()  # a text has no reason
    expect(page.locator("#text-count")).to_have_text("280 af 280 tegn tilbage")
    area.fill("Åbenhed om fejl skabte tillid")
    expect(page.locator("#text-count")).to_have_text("251 af 280 tegn tilbage")
    phone.shot("kinds-phone-text")
    phone.axe("phone text")
    page.click("#text-send")
    expect(page.locator("#saved-text")).to_have_text("Dit svar er gemt.")
    for words in ("Tillid kræver åbenhed", "Tavshed svækkede tilliden", "Åbenhed og ærlighed"):
        room.answer(room.phone(), text=words)
    for size, d in screens.items():
        # The cloud grows while the room answers; the most frequent word is the biggest.
        expect(d.page.locator("#d-options .cloud-word")).not_to_have_count(0)
        biggest = d.page.evaluate(
            "() => [...document.querySelectorAll('#d-options .cloud-word')]"
            ".sort((a, b) => parseFloat(getComputedStyle(b).fontSize) - parseFloat(getComputedStyle(a).fontSize))[0]"
            ".firstChild.textContent"
        )
        assert biggest == "åbenhed", biggest
        d.shot(f"kinds-projector-{size}-text-voting")
    room.do("reveal")
    for size, d in screens.items():
        p = d.page
        expect(p.locator("#wall-heading")).to_have_text("Svar")
        expect(p.locator("#wall-body .wall-card")).to_have_count(4)
        expect(p.locator("#wall-body .wall-card").first).to_have_text("Åbenhed og ærlighed")  # newest first
        settle(p)
        assert p.evaluate(FITS), f"the text wall overflows at {size}"
        d.shot(f"kinds-projector-{size}-text-revealed")
    screens[1920].axe("projector text revealed")
    expect(page.locator("#result-bars .cloud-word")).not_to_have_count(0)
    phone.shot("kinds-phone-text-revealed", full_page=True)

    # A second round on a text question starts from an empty field.
    room.do("revote")
    expect(page.locator("#round-note")).to_have_text("Runde 2: stem igen")
    expect(page.locator("#text-answer")).to_have_value("")
    expect(page.locator("#text-count")).to_have_text("280 af 280 tegn tilbage")


def test_the_timer_counts_down_from_the_servers_clock_and_closes_voting(devices, room):
    room.session()
    phone = devices("phone with a wrong clock", PHONE)
    # This phone's clock is an hour fast: it must count from the server's time, not its own.
    phone.context.add_init_script("(() => { const real = Date.now; Date.now = () => real() + 3600000; })()")
    phone.page.goto(room.s["join_url"])
    page = phone.page
    screens = open_screens(devices, room, sizes=(1280,))
    room.do("next")
    expect(page.locator("#timer")).to_be_hidden()
    room.do("timer", seconds=10)
    expect(page.locator("#timer")).to_have_text(re.compile(r"0:(10|09|08|07)"))
    screen = screens[1280].page
    expect(screen.locator("#timer-clock")).to_have_text(re.compile(r"0:(10|09|08|07)"))
    phone.shot("kinds-phone-timer")
    screens[1280].shot("kinds-projector-1280-timer")
    screens[1280].axe("projector with a timer")
    # It counts down ...
    first = page.locator("#timer").text_content()
    expect(page.locator("#timer")).not_to_have_text(first)
    # ... and at zero voting closes by itself, everywhere.
    expect(screen.locator("#phase-banner")).to_have_text("Afstemningen er lukket", timeout=15000)
    expect(page.locator("#phase-note")).to_be_visible()
    expect(page.locator("#options button.option").first).to_be_disabled()
    expect(page.locator("#timer")).to_be_hidden()
    assert room.view()["phase"] == "closed"


def test_questions_added_live_reach_the_phone(devices, room):
    room.session()
    phone = open_phone(devices, room, SMALL_PHONE, "small phone")
    page = phone.page
    expect(page.locator("#view-lobby")).to_be_visible()
    room.do(
        "add",
        dilemma={
            "title": "Hurtigt spørgsmål",
            "question": "Vi lytter til hinanden.",
            "kind": "scale",
            "scale": {"points": 7},
        },
    )
    expect(page.locator("#dilemma-title")).to_have_text("Hurtigt spørgsmål")
    expect(page.locator("#options button.scale-point")).to_have_count(7)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    for i in range(7):
        assert page.locator("#options button.scale-point").nth(i).bounding_box()["height"] >= 44
    phone.shot("kinds-phone-320-scale-7")
    phone.axe("phone 7-point scale at 320 px")
    page.locator("#options button.scale-point").nth(6).click()
    expect(page.locator("#saved-text")).to_have_text("Dit svar 7 er gemt.")

    room.do("add", dilemma={"title": "Et ord", "question": "Hvad tager du med?", "kind": "text"})
    expect(page.locator("#text-answer")).to_be_visible()
    room.do(
        "add",
        dilemma={
            "title": "Kaffe eller te",
            "question": "Hvad drikker du?",
            "kind": "choice",
            "options": ["Kaffe", "Te", "Vand"],
        },
    )
    expect(page.locator("#options button.option")).to_have_count(3)
    expect(page.locator("#options button.option").nth(2)).to_contain_text("Vand")


def test_an_empty_text_after_a_choice_clears_the_projectors_options(devices, room):
    """The projector's options box is shared by every kind: a text question without answers
    (its cloud empty, as after an earlier empty text) must not leave a choice's options up."""
    room.session()
    screens = open_screens(devices, room, sizes=(1920,))
    p = screens[1920].page
    room.do("add", dilemma={"title": "Første ord", "question": "Hvad tager du med?", "kind": "text"})
    expect(p.locator("#d-options .cloud-empty")).to_be_visible()
    room.do(
        "add",
        dilemma={
            "title": "Kaffe eller te",
            "question": "Hvad drikker du?",
            "kind": "choice",
            "options": ["Kaffe", "Te", "Vand"],
        },
    )
    expect(p.locator("#d-options .screen-options li")).to_have_count(3)
    room.do("add", dilemma={"title": "Andet ord", "question": "Hvad lader du blive?", "kind": "text"})
    expect(p.locator("#d-title")).to_have_text("Andet ord")
    expect(p.locator("#d-options .cloud-empty")).to_be_visible()
    expect(p.locator("#d-options .screen-options")).to_have_count(0)
    expect(p.locator("#d-options")).not_to_contain_text("Kaffe")


def test_the_role_question_and_the_role_split(devices, room):
    room.session(ask_role=True, min_answers=2)
    phone = open_phone(devices, room)
    page = phone.page
    expect(page.locator("#view-role")).to_be_visible()
    expect(page.locator("#role-heading")).to_have_text("Er du leder, medarbejder eller andet?")
    phone.shot("kinds-phone-role")
    phone.axe("phone role question")
    page.click("#view-role button[data-role=leader]")
    expect(page.locator("#view-lobby")).to_be_visible()
    # Asked once: a reload remembers the answer.
    page.reload()
    expect(page.locator("#view-lobby")).to_be_visible()
    expect(page.locator("#view-role")).to_be_hidden()

    # Another phone skips the question, politely.
    skipper = open_phone(devices, room, name="skipping phone")
    skipper.page.click("#role-skip")
    expect(skipper.page.locator("#view-lobby")).to_be_visible()

    screens = open_screens(devices, room)
    room.do("next")
    options = [o["id"] for o in room.view()["dilemma"]["options"]]
    page.fill("#reason", "Som leder")
    page.locator("#options button.option").nth(0).click()
    expect(page.locator("#saved-box")).to_have_attribute("data-state", "saved")
    room.answer(room.phone(role="leader"), option=options[0], reason="Også leder")
    room.answer(room.phone(role="employee"), option=options[1], reason="Medarbejder")
    room.answer(room.phone(role="employee"), option=options[1], reason="Også medarbejder")
    room.do("reveal")
    for size, d in screens.items():
        p = d.page
        expect(p.locator("#d-roles")).to_be_visible()
        expect(p.locator("#role-columns .role-column h3")).to_have_count(2)
        expect(p.locator("#role-columns .role-column").nth(0)).to_contain_text("Ledere")
        expect(p.locator("#role-columns .role-column").nth(1)).to_contain_text("Medarbejdere")
        expect(p.locator("#role-columns .role-column[data-role=leader] .mini-num")).to_have_text(["2", "0"])
        settle(p)
        assert p.evaluate(FITS), f"the role split overflows at {size}"
        d.shot(f"kinds-projector-{size}-roles")
    screens[1920].axe("projector role split")


def test_the_projector_says_why_it_shows_no_results_under_the_minimum(devices, room):
    room.session(min_answers=3)
    phone = open_phone(devices, room)
    page = phone.page
    screens = open_screens(devices, room)
    room.do("next")
    room.do("next")  # the scale
    page.locator("#options button.scale-point").nth(1).click()
    expect(page.locator("#saved-box")).to_have_attribute("data-state", "saved")
    room.answer(room.phone(), value=5)
    room.do("reveal")
    for size, d in screens.items():
        p = d.page
        expect(p.locator("#d-bars .suppressed")).to_have_text(SUPPRESSED)
        expect(p.locator("#d-bars .diverge")).to_have_count(0)
        expect(p.locator("#d-wall")).to_be_hidden()
        expect(p.locator("#answer-count")).to_have_text("2")
        d.shot(f"kinds-projector-{size}-suppressed")
    screens[1920].axe("projector suppressed")
    expect(page.locator("#result-suppressed")).to_have_text(SUPPRESSED)
    expect(page.locator("#result-bars")).to_be_hidden()
    phone.shot("kinds-phone-suppressed", full_page=True)


def test_the_value_profile_at_the_end(devices, room):
    room.session()
    screens = open_screens(devices, room)
    room.do("next")
    options = [o["id"] for o in room.view()["dilemma"]["options"]]
    for option in (options[0], options[1], options[1]):
        room.answer(room.phone(), option=option, reason="Derfor")
    room.do("next")
    for value in (2, 4):
        room.answer(room.phone(), value=value)
    room.do("end")
    profile = room.view()["profile"]
    assert profile
    for size, d in screens.items():
        p = d.page
        expect(p.locator("#profile")).to_be_visible()
        expect(p.locator("#profile-heading")).to_have_text("Hvad stod vi for i dag?")
        expect(p.locator("#profile-bars li .profile-label")).to_have_text([x["label"] for x in profile])
        d.shot(f"kinds-projector-{size}-profile")
    screens[1920].axe("projector profile")


def test_the_fullest_reveal_still_fits_both_projector_sizes(devices, room):
    """Six long options, round 2 beside round 1, leaders beside employees and a wall of long
    reasons: the projector shrinks the type and shows fewer reasons (the newest, or none where even
    one would not fit) rather than scroll or cut the numbers."""
    room.session(ask_role=True, min_answers=2)
    screens = open_screens(devices, room)
    labels = [
        f"Mulighed {i}: " + "en lang formulering af et svar, der fylder godt på skærmen " * 2 for i in range(1, 7)
    ]
    room.do(
        "add",
        dilemma={
            "title": "Et langt spørgsmål",
            "question": "Hvad vælger du?",
            "kind": "choice",
            "options": [x[:120] for x in labels],
        },
    )
    options = [o["id"] for o in room.view()["dilemma"]["options"]]
    clients = [room.phone(role="leader" if i % 2 else "employee") for i in range(12)]
    reason = (
        "Fordi det er vigtigt for os at tale åbent om, hvad vi gør, og hvorfor vi gør det, også når det er svært. " * 2
    )
    for i, c in enumerate(clients):
        room.answer(c, option=options[i % 6], reason=f"{i}: {reason}"[:400])
    room.do("close")
    room.do("revote")
    for i, c in enumerate(clients):
        room.answer(c, option=options[(i + i % 3) % 6], reason=f"Runde 2, {i}: {reason}"[:400])
    room.do("reveal")
    for size, d in screens.items():
        p = d.page
        expect(p.locator("#d-bars .round-panel")).to_have_count(2)
        expect(p.locator("#d-roles")).to_be_visible()
        settle(p)
        d.shot(f"kinds-projector-{size}-fullest")
        assert eventually(lambda p=p: p.evaluate(FITS)), f"the fullest reveal overflows at {size}"
        # the numbers always show; the wall keeps what fits (here, at most, less than all 12)
        assert p.locator("#wall-body .wall-card").count() < 12
        d.shot(f"kinds-projector-{size}-fullest")
