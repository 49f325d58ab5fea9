"""A follow-up session, started from the facilitator's home page: it opens with one scale
question per agreement of the earlier session ("we kept this agreement"), then the deck."""

from __future__ import annotations

import requests
from playwright.sync_api import expect

from .conftest import LAPTOP


def test_a_follow_up_session_opens_with_the_agreements_of_the_earlier_one(devices, api, live_server):
    earlier = api.session(title="Teamdag i foråret")
    texts = ["Vi siger det højt, når vi er uenige", "Vi holder pauserne – også i travle uger"]
    for text in texts:
        r = requests.post(
            f"{live_server.url}/api/sessions/{earlier['id']}/agreements",
            json={"text": text},
            headers=api.headers,
            timeout=5,
        )
        assert r.status_code == 201, r.text
    api.session(title="Uden aftaler")  # not offered: nothing to follow up

    laptop = devices("laptop", LAPTOP)
    laptop.login()
    page = laptop.page
    options = page.locator("#follow_up option")
    expect(options).to_have_count(2)  # "no follow-up" and the one session with agreements
    expect(options.nth(1)).to_contain_text("Teamdag i foråret")
    expect(options.nth(1)).to_contain_text("2 aftaler")
    page.select_option("#follow_up", earlier["id"])
    page.fill("#title", "Opfølgning")
    deck = page.locator("#deck").input_value()
    laptop.axe("home with a follow-up to choose")
    page.click("#start-form button[type=submit]")
    page.wait_for_url("**/f/sessions/*")
    sid = page.locator("#console").get_attribute("data-session")

    page.locator("#primary").click()
    first = api.get(sid)["dilemma"]
    assert (first["kind"], first["text"], first["question"]) == ("scale", texts[0], "Vi har holdt denne aftale")
    expect(page.locator("#d-title")).to_have_text(first["title"])
    laptop.shot("console-1440-follow-up")
    assert first["count"] == api.deck_size(deck) + 2  # the two agreements, then the whole deck
