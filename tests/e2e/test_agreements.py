"""The console's agreements register in the browser (laptop and phone), and the HTML report."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from .conftest import ARTIFACTS, LAPTOP, PHONE


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_agreements_are_recorded_listed_and_deleted_on_the_console(devices, api, live_server, size):
    s = api.session(title="Aftaler i hjemmeplejen")
    device = devices(f"agreements {size['viewport']['width']}", size)
    page = device.page
    device.login()
    page.goto(f"/f/sessions/{s['id']}")
    section = page.locator("#agreements")
    expect(section.locator("h2")).to_have_text("Aftaler")
    expect(page.locator("#agreement-empty")).to_be_visible()

    # Refused without a text: the server's message, in Danish.
    with device.expect_errors(r"status of 400"):
        page.click("#agreement-add")
        expect(page.locator("#agreement-error")).to_contain_text("Skriv aftalen.")

    hostile = "<b>Vi</b> siger det højt, når vi er uenige"
    page.fill("#agreement-text", hostile)
    page.select_option("#agreement-dilemma", index=1)
    checks = page.locator("#agreement-form input[name=values]")
    for i in range(3):
        checks.nth(i).check()
    expect(checks.nth(3)).to_be_disabled()  # at most three values
    page.fill("#agreement-owner", "Søren Ærø")
    page.fill("#agreement-due", "2027-01-15")
    page.click("#agreement-add")
    item = page.locator("#agreement-list li")
    expect(item).to_have_count(1)
    expect(item.locator(".a-text")).to_have_text(hostile)  # shown as text, not markup
    expect(item.locator(".a-meta")).to_contain_text("Søren Ærø")
    expect(item.locator(".a-meta")).to_contain_text("Frist: 2027-01-15")
    expect(page.locator("#agreement-empty")).to_be_hidden()
    expect(page.locator("#agreement-text")).to_have_value("")
    expect(checks.nth(3)).to_be_enabled()

    page.fill("#agreement-text", "Vi evaluerer på næste personalemøde")
    page.click("#agreement-add")
    expect(item).to_have_count(2)
    section.scroll_into_view_if_needed()
    device.shot(f"console-{size['viewport']['width']}-agreements", full_page=True)
    device.axe("console agreements")

    stored = requests.get(f"{live_server.url}/api/sessions/{s['id']}/agreements", headers=api.headers, timeout=5).json()
    assert [a["text"] for a in stored["agreements"]] == [hostile, "Vi evaluerer på næste personalemøde"]
    assert len(stored["agreements"][0]["values"]) == 3 and stored["agreements"][0]["owner"] == "Søren Ærø"

    item.nth(0).locator(".a-delete").click()
    expect(item).to_have_count(1)
    expect(item.locator(".a-text")).to_have_text("Vi evaluerer på næste personalemøde")

    # After the session has ended the register is still there to fill in.
    api.command(s["id"], "end")
    page.reload()
    expect(page.locator("#agreement-list li")).to_have_count(1)
    page.fill("#agreement-text", "Opfølgning om tre måneder")
    page.click("#agreement-add")
    expect(page.locator("#agreement-list li")).to_have_count(2)
    assert "Opfølgning om tre måneder" in api.export(s["id"], "md")


def test_the_html_report_looks_right_in_a_browser(devices, api, phones, live_server):
    s = api.session(title="Rapport <med> & tegn")
    room = [phones.join(s["code"]) for _ in range(3)]
    d = api.command(s["id"], "next")["dilemma"]
    for i, phone in enumerate(room):
        phones.vote(phone, d["id"], d["options"][i % 2]["id"])
    api.command(s["id"], "reveal")
    requests.post(
        f"{live_server.url}/api/sessions/{s['id']}/agreements",
        json={
            "text": "<script>alert(1)</script> Vi tager det op igen",
            "dilemma": d["id"],
            "values": ["respect"],
            "owner": "Mette",
            "due": "2027-02-01",
        },
        headers=api.headers,
        timeout=5,
    ).raise_for_status()
    html = api.export(s["id"], "html")
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "report.html"
    path.write_text(html, encoding="utf-8")
    device = devices("report", LAPTOP)
    page = device.page
    page.goto(path.as_uri())
    expect(page.locator("h1")).to_have_text("Rapport <med> & tegn")
    expect(page.locator("section.agreements td.text")).to_have_text("<script>alert(1)</script> Vi tager det op igen")
    assert page.evaluate("document.scripts.length") == 0
    device.shot("report-1440-top")
    device.shot("report-1440", full_page=True)
    page.locator("section.agreements").scroll_into_view_if_needed()
    device.shot("report-1440-agreements")


def test_two_consoles_of_one_session_show_the_same_agreements_without_a_reload(devices, api):
    # Two facilitators run the workshop together, each with the console open on a laptop.
    s = api.session(title="To facilitatorer")
    first, second = devices("console A", LAPTOP), devices("console B", LAPTOP)
    for d in (first, second):
        d.login()
        d.page.goto(f"/f/sessions/{s['id']}")
        expect(d.page.locator("#agreement-empty")).to_be_visible()
        expect(d.page.locator("#conn")).to_have_attribute("data-state", "online")

    first.page.fill("#agreement-text", "Vi melder tilbage inden fredag")
    first.page.click("#agreement-add")
    theirs = second.page.locator("#agreement-list li .a-text")
    expect(theirs).to_have_text(["Vi melder tilbage inden fredag"])  # no reload on the other laptop

    second.page.locator("#agreement-list li .a-delete").first.click()
    expect(first.page.locator("#agreement-list li")).to_have_count(0)
    expect(first.page.locator("#agreement-empty")).to_be_visible()
