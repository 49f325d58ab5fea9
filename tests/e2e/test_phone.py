"""The participant's phone in a real browser: join, vote, change the vote, reload, lose the network."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import PHONE, SMALL_PHONE, eventually

REFUSED_WEBSOCKET = """
window.WebSocket = class RefusedWebSocket {
  constructor(url) {
    this.url = url; this.readyState = 0;
    setTimeout(() => {
      this.readyState = 3;
      if (this.onerror) this.onerror(new Event("error"));
      if (this.onclose) this.onclose({ code: 1006, reason: "", wasClean: false });
    }, 10);
  }
  send() {}
  close() {}
};
window.WebSocket.CONNECTING = 0; window.WebSocket.OPEN = 1; window.WebSocket.CLOSING = 2; window.WebSocket.CLOSED = 3;
"""


def option(page, index):
    return page.locator("#options button.option").nth(index)


def joined_phone(devices, api):
    """A new session and a phone (390 px) that joined it from the link and is online in the lobby."""
    s = api.session()
    phone = devices("phone", PHONE)
    phone.page.goto(s["join_url"])
    expect(phone.page.locator("#view-lobby")).to_be_visible()
    expect(phone.page.locator("#conn")).to_have_attribute("data-state", "online")
    return s, phone, phone.page


def test_a_phone_joins_by_the_link_votes_changes_its_vote_and_keeps_its_identity_after_a_reload(devices, api):
    # Joined straight from the link (the QR code): no login, no form.
    s, phone, page = joined_phone(devices, api)
    expect(page.locator("#view-lobby h1")).to_have_text("Du er med!")
    participant = page.locator("#phone").get_attribute("data-participant")
    assert participant
    assert eventually(lambda: api.get(s["id"])["participants"] == 1)
    phone.shot("phone-390-lobby")
    phone.axe("phone lobby")

    shown = api.command(s["id"], "next")["dilemma"]
    n = len(shown["options"])
    assert n >= 4, "this walk-through changes its answer to the third and the fourth option"
    expect(page.locator("#view-dilemma")).to_be_visible()
    expect(page.locator("#dilemma-progress")).to_have_text(f"Dilemma 1 af {shown['count']}")
    expect(page.locator("#options button.option")).to_have_count(n)
    phone.shot("phone-390-voting")
    phone.axe("phone voting")

    # Options are full-width buttons with big touch targets; nothing needs zooming.
    width = page.viewport_size["width"]
    for i in range(n):
        box = option(page, i).bounding_box()
        assert box["height"] >= 44 and box["width"] >= width - 2 * 20, box
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    option(page, 1).click()
    expect(option(page, 1)).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#saved-box")).to_have_attribute("data-state", "saved")
    expect(page.locator("#saved-text")).to_have_text("Dit svar B er gemt.")
    phone.shot("phone-390-voted", full_page=True)
    phone.axe("phone voted")

    dilemma = api.get(s["id"])["dilemma"]
    first, second = dilemma["options"][1]["id"], dilemma["options"][0]["id"]
    assert eventually(lambda: api.get(s["id"])["results"]["counts"].get(first) == 1)

    # Changing the answer while voting is open replaces it; the count stays one.
    option(page, 0).click()
    expect(option(page, 0)).to_have_attribute("aria-pressed", "true")
    expect(option(page, 1)).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#saved-text")).to_have_text("Dit svar A er gemt.")

    def changed():
        r = api.get(s["id"])["results"]
        return r["total"] == 1 and r["counts"].get(second) == 1 and not r["counts"].get(first)

    assert eventually(changed)

    # A reason is optional and saved with the answer.
    page.locator("#reason-box summary").click()
    page.fill("#reason", "Fordi hun vil selv")
    page.click("#reason-save")
    expect(page.locator("#saved-text")).to_have_text("Dit svar og din begrundelse er gemt.")

    # A reload (or a phone that restarts its browser) keeps the same participant and vote.
    page.reload()
    expect(page.locator("#view-dilemma")).to_be_visible()
    expect(option(page, 0)).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#phone")).to_have_attribute("data-participant", participant)
    expect(page.locator("#reason")).to_have_value("Fordi hun vil selv")
    assert api.get(s["id"])["participants"] == 1

    api.command(s["id"], "close")
    expect(page.locator("#phase-note")).to_be_visible()
    expect(option(page, 0)).to_be_disabled()
    expect(option(page, 0)).to_have_attribute("aria-pressed", "true")
    phone.shot("phone-390-closed", full_page=True)

    api.command(s["id"], "reveal")
    expect(page.locator("#results")).to_be_visible()
    expect(page.locator("#result-bars li.bar-mine .bar-num")).to_contain_text("100")
    expect(page.locator("#result-bars li.bar-mine .mine-tag")).to_be_visible()
    phone.shot("phone-390-revealed", full_page=True)
    phone.axe("phone revealed")

    api.command(s["id"], "end")
    expect(page.locator("#view-ended")).to_be_visible()
    phone.shot("phone-390-ended")
    phone.axe("phone ended")


def test_a_phone_joins_by_typing_the_code_on_a_320_px_screen(devices, api):
    s = api.session()
    phone = devices("small phone", SMALL_PHONE)
    page = phone.page
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Deltag i en workshop")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # 16 px or more in inputs: iOS does not zoom in on focus.
    assert page.evaluate("parseFloat(getComputedStyle(document.getElementById('code')).fontSize)") >= 16
    phone.shot("phone-320-enter-code")
    phone.axe("enter code")

    # A wrong length is explained next to the field.
    page.fill("#code", "123")
    page.click("form button[type=submit]")
    expect(page.locator("#code-error")).to_have_text("En deltagerkode har seks cifre.")
    expect(page.locator("#code")).to_have_attribute("aria-invalid", "true")
    phone.axe("enter code with an error")

    # A code that belongs to no workshop says so and offers to try again.
    page.fill("#code", "000000" if s["code"] != "000000" else "111111")
    page.click("form button[type=submit]")
    expect(page.locator("#view-unknown")).to_be_visible()
    expect(page.locator("#unknown-text")).to_contain_text("seks cifre")
    phone.shot("phone-320-unknown-code")
    phone.axe("unknown code")

    page.click("#view-unknown a")
    code = s["code"][:3] + " " + s["code"][3:]  # people type it the way the screen shows it
    page.fill("#code", code)
    page.click("form button[type=submit]")
    page.wait_for_url(f"**/j/{s['code']}")
    expect(page.locator("#view-lobby")).to_be_visible()
    assert eventually(lambda: api.get(s["id"])["participants"] == 1)

    options = api.command(s["id"], "next")["dilemma"]["options"]
    expect(page.locator("#options button.option")).to_have_count(len(options))
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    for i in range(len(options)):
        assert option(page, i).bounding_box()["height"] >= 44
    phone.shot("phone-320-voting", full_page=True)


def test_a_phone_recovers_by_itself_after_the_network_drops_and_resyncs(devices, api):
    s, phone, page = joined_phone(devices, api)

    # The network goes away (a phone that slept or walked out of the Wi-Fi). The browser logs the
    # requests that fail while offline, and the server answers 400 to a long-poll of the dropped
    # Engine.IO session that arrives after the network is back; those, and only those, are expected.
    offline_errors = (
        r"net::ERR_INTERNET_DISCONNECTED|net::ERR_NETWORK_CHANGED|net::ERR_NETWORK_IO_SUSPENDED|WebSocket connection"
        r"|status of 400 \(BAD REQUEST\) \(http://[^ ]+/socket\.io/\?EIO=4&transport=polling&[^ ]*sid="
    )
    with phone.expect_errors(offline_errors):
        page.context.set_offline(True)
        page.evaluate("Workshop.socket.io.engine.close()")
        expect(page.locator("#conn")).to_have_attribute("data-state", "offline")
        expect(page.locator("#conn")).to_have_text("Offline – forbinder igen…")
        phone.shot("phone-390-offline")

        # Meanwhile the facilitator moves on: the phone misses that broadcast.
        following = api.command(s["id"], "next")["dilemma"]  # answered once committed and sent
        expect(page.locator("#view-lobby")).to_be_visible()

        page.context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(page.locator("#conn")).to_have_attribute("data-state", "online")

        # Back online it rejoined with its token and shows the current dilemma.
        expect(page.locator("#view-dilemma")).to_be_visible()
        expect(page.locator("#options button.option")).to_have_count(len(following["options"]))
        assert api.get(s["id"])["participants"] == 1

        # A vote given while offline is kept and sent once the connection is back.
        page.context.set_offline(True)
        page.evaluate("Workshop.socket.io.engine.close()")
        expect(page.locator("#conn")).to_have_attribute("data-state", "offline")
        option(page, 3).click()
        expect(option(page, 3)).to_have_attribute("aria-pressed", "true")
        expect(page.locator("#saved-box")).to_have_attribute("data-state", "failed")
        phone.shot("phone-390-vote-queued", full_page=True)
        page.context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(page.locator("#saved-box")).to_have_attribute("data-state", "saved")
        # Still inside: reports of requests that failed while offline may arrive meanwhile.
        fourth = following["options"][3]["id"]
        assert eventually(lambda: api.get(s["id"])["results"]["counts"].get(fourth) == 1)


def test_a_phone_is_asked_for_an_optional_name_only_where_names_go_into_the_export(devices, api):
    s = api.session(show_names=True)
    phone = devices("phone", PHONE)
    page = phone.page
    page.goto(s["join_url"])
    expect(page.locator("#view-join")).to_be_visible()
    expect(page.locator("label[for=name]")).to_have_text("Dit navn (frivilligt)")
    phone.shot("phone-390-name")
    phone.axe("phone asking for a name")
    page.fill("#name", "Åse")
    page.click("#join-form button[type=submit]")
    expect(page.locator("#view-lobby")).to_be_visible()
    api.command(s["id"], "next")
    option(page, 0).click()
    expect(page.locator("#saved-box")).to_have_attribute("data-state", "saved")
    assert "Åse" in api.export(s["id"], "csv")

    # A reload rejoins with the stored token: no second question.
    page.reload()
    expect(page.locator("#view-dilemma")).to_be_visible()
    assert api.get(s["id"])["participants"] == 1


def test_a_phone_talks_over_a_websocket_from_the_start(devices, api):
    # Websocket first: one connection that a proxy may hand to any server process.
    s, phone, page = joined_phone(devices, api)
    assert page.evaluate("Workshop.socket.io.engine.transport.name") == "websocket"
    assert eventually(lambda: api.get(s["id"])["participants"] == 1)


def test_where_websockets_are_refused_the_phone_falls_back_to_long_polling_and_votes(devices, api):
    # A venue proxy that refuses websockets: the phone must still join and answer.
    s = api.session()
    phone = devices("phone", PHONE)
    page = phone.page
    # What the browser sees when a proxy refuses the upgrade: the handshake fails, "error" and
    # then "close" with 1006, and no connection.
    page.add_init_script(REFUSED_WEBSOCKET)
    page.goto(s["join_url"])
    expect(page.locator("#view-lobby")).to_be_visible()
    expect(page.locator("#conn")).to_have_attribute("data-state", "online")
    assert page.evaluate("Workshop.socket.io.engine.transport.name") == "polling"
    shown = api.command(s["id"], "next")["dilemma"]
    expect(page.locator("#options button.option")).to_have_count(len(shown["options"]))
    option(page, 0).click()
    expect(page.locator("#saved-box")).to_have_attribute("data-state", "saved")
    assert eventually(lambda: api.get(s["id"])["results"]["total"] == 1)
