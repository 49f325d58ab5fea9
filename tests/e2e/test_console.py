"""The facilitator's console on a laptop and on a phone: a whole session, live counts, notes."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import LAPTOP, PHONE

TAPPABLE = """(root) => [...document.querySelectorAll(root + ' a, ' + root + ' button, ' + root + ' textarea, ' + root + ' summary')]
  .filter(n => n.offsetParent !== null)
  .map(n => [n.id || n.textContent.trim().slice(0, 30), n.getBoundingClientRect().height])
  .filter(([, h]) => h < 44)"""


def test_the_console_drives_a_whole_session_on_a_laptop(devices, api, phones):
    laptop = devices("console laptop", LAPTOP)
    page = laptop.page
    laptop.login()
    expect(page.locator("h1")).to_have_text("Start en session")
    laptop.shot("console-1440-home", full_page=True)
    laptop.axe("facilitator home")

    page.select_option("#deck", "medarbejderrollen")
    page.fill("#title", "Teamdag i hjemmeplejen")
    page.select_option("#language", "da")
    page.fill("#min_answers", "1")  # two phones in this room
    page.click("#start-form button[type=submit]")
    page.wait_for_url("**/f/sessions/*")
    session_id = page.locator("#console").get_attribute("data-session")
    code = page.locator("#console").get_attribute("data-code")
    expect(page.locator("#session-title")).to_have_text("Teamdag i hjemmeplejen")
    expect(page.locator("#conn")).to_have_attribute("data-state", "online")
    primary = page.locator("#primary")
    expect(primary).to_have_text("Vis det første dilemma")
    expect(page.locator("#note")).to_be_disabled()

    # The next step is the biggest button on the page.
    heights = page.evaluate(
        "[...document.querySelectorAll('#controls button')].filter(b => b.offsetParent).map(b => [b.id, b.getBoundingClientRect().height * b.getBoundingClientRect().width])"
    )
    assert max(heights, key=lambda x: x[1])[0] == "primary", heights

    room = [phones.join(code) for _ in range(2)]
    expect(page.locator("#c-participants")).to_have_text("2")
    laptop.shot("console-1440-lobby")
    laptop.axe("console lobby")

    primary.click()
    expect(page.locator("#c-phase")).to_have_text("Afstemning")  # the command's effect, before reading
    view = api.get(session_id)
    dilemma = view["dilemma"]
    expect(page.locator("#d-title")).to_have_text(dilemma["title"])
    expect(primary).to_have_text("Vis resultaterne")
    expect(page.locator("#d-live")).to_be_visible()
    expect(page.locator("[data-command=previous]")).to_be_disabled()

    phones.vote(room[0], dilemma["id"], dilemma["options"][0]["id"])
    phones.vote(room[1], dilemma["id"], dilemma["options"][2]["id"])
    expect(page.locator("#c-answers")).to_have_text("2")
    expect(page.locator("#c-answers-of")).to_have_text("af 2")
    expect(page.locator("#d-results .bars li").nth(0).locator(".bar-num")).to_have_text("1 stemme · 50 %")

    # Notes are saved as you type.
    page.fill("#note", "Gode pointer om tid og ansvar – æøå")
    expect(page.locator("#note-status")).to_have_text("Gemt")
    assert api.get(session_id)["note"] == "Gode pointer om tid og ansvar – æøå"
    laptop.shot("console-1440-voting", full_page=True)
    laptop.axe("console voting")

    primary.click()
    expect(page.locator("#c-phase")).to_have_text("Resultater vist")
    expect(primary).to_have_text("Næste dilemma")
    expect(page.locator("#d-live")).to_be_hidden()
    laptop.shot("console-1440-revealed")

    # A reload keeps the note where it belongs.
    page.reload()
    expect(page.locator("#note")).to_have_value("Gode pointer om tid og ansvar – æøå")

    # Follow the big button to the end: it always knows the next step.
    for n in range(2, dilemma["count"] + 1):
        primary.click()
        expect(page.locator("#d-progress")).to_have_text(f"Dilemma {n} af {dilemma['count']}")
        expect(primary).to_have_text("Vis resultaterne")
        primary.click()
        expect(page.locator("#c-phase")).to_have_text("Resultater vist")
    expect(primary).to_have_text("Afslut sessionen")
    primary.click()
    expect(page.locator("#c-phase")).to_have_text("Afsluttet")
    expect(primary).to_be_hidden()
    expect(page.locator("#d-title")).to_have_text("Sessionen er afsluttet")
    expect(page.locator("#exports a").first).to_be_visible()
    laptop.shot("console-1440-ended")
    laptop.axe("console ended")
    assert "Gode pointer om tid og ansvar – æøå" in api.export(session_id, "md")


def test_the_console_works_on_a_phone_with_the_next_step_under_the_thumb(devices, api, phones):
    s = api.session()
    phone = devices("console phone", PHONE)
    page = phone.page
    phone.login()
    page.goto(f"/f/sessions/{s['id']}")
    expect(page.locator("#conn")).to_have_attribute("data-state", "online")
    primary = page.locator("#primary")
    expect(primary).to_have_text("Vis det første dilemma")

    # Fixed at the bottom, full width, big; no sideways scrolling; every target 44 px or more.
    box = primary.bounding_box()
    assert box["y"] + box["height"] <= 844 and box["width"] >= 390 - 40 and box["height"] >= 56, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate(TAPPABLE, ".console") == []
    assert page.evaluate(TAPPABLE, ".topbar") == []
    phone.shot("console-390-lobby")
    phone.axe("console on a phone")

    phones.join(s["code"])
    expect(page.locator("#c-participants")).to_have_text("1")
    primary.click()
    expect(page.locator("#c-phase")).to_have_text("Afstemning")
    expect(primary).to_have_text("Vis resultaterne")
    page.fill("#note", "Skrevet på telefonen")
    expect(page.locator("#note-status")).to_have_text("Gemt")
    phone.shot("console-390-voting")
    page.evaluate("window.scrollTo(0, 600)")
    phone.shot("console-390-voting-scrolled")

    # Ending in the middle asks for a second press.
    end = page.locator("[data-command=end]")
    end.click()
    expect(end).to_have_text("Tryk igen for at afslutte")
    assert api.get(s["id"])["phase"] == "voting"
    end.click()
    expect(page.locator("#c-phase")).to_have_text("Afsluttet")
    expect(primary).to_be_hidden()
    phone.shot("console-390-ended")


def test_deleting_a_session_from_the_console_asks_first(devices, api, live_server):
    import requests

    s = api.session(title="Slettes")
    laptop = devices("console delete", LAPTOP)
    page = laptop.page
    laptop.login()
    page.goto(f"/f/sessions/{s['id']}")
    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.click("#delete-session")
    expect(page.locator("#session-title")).to_have_text("Slettes")  # "Cancel" keeps it
    assert api.get(s["id"])["id"] == s["id"]
    page.once("dialog", lambda d: answer(d, True))
    page.click("#delete-session")
    page.wait_for_url("**/f/")
    expect(page.locator(".flash, [role=status], .alert").first).to_contain_text("Slettes")
    assert asked == ["Slet denne session med alle dens svar og noter for altid?"] * 2
    r = requests.get(f"{live_server.url}/api/sessions/{s['id']}", headers=api.headers, timeout=5)
    assert r.status_code == 404
