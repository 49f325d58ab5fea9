"""The facilitator's summary page (GET /f/sessions/ID/summary) from the real app and database:
built from the same snapshot as GET /api/sessions/ID/summary, the minimum applied, only for the owner."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

DECK = (Path(__file__).resolve().parent.parent / "data" / "kinds-deck.yaml").read_text(encoding="utf-8")


@pytest.fixture
def ended(client, facilitator, sockets, csrf_from):
    """A session on the kinds deck: two rounds on the choice, a split scale, a text under the minimum."""
    facilitator.create()
    facilitator.login()
    token = csrf_from(client.get("/f/decks").get_data(as_text=True))
    r = client.post(
        "/f/decks",
        data={"csrf_token": token, "file": (io.BytesIO(DECK.encode("utf-8")), "alle.yaml")},
        content_type="multipart/form-data",
    )
    assert r.status_code in (200, 302)
    headers = facilitator.token()
    s = facilitator.session(headers, deck="alle-slags", min_answers=2)

    def do(cmd, **data):
        r = client.post(f"/api/sessions/{s['id']}/commands", json={"command": cmd, **data}, headers=headers)
        assert r.status_code == 200, r.get_json()
        return r.get_json()

    phones = []
    for _ in range(2):
        c = sockets()
        assert c.emit("join", {"code": s["code"]}, callback=True)["ok"]
        phones.append(c)

    def vote(phone, **answer):
        ack = phone.emit("vote", answer, callback=True)
        assert ack["ok"], ack

    do("next")
    vote(phones[0], dilemma="valget", option="a", reason="Fortroligt <b>")
    vote(phones[1], dilemma="valget", option="b", reason="Sig det")
    do("reveal")
    do("revote")
    vote(phones[0], dilemma="valget", option="b", reason="Overbevist")
    vote(phones[1], dilemma="valget", option="b", reason="Sig det")
    do("reveal")
    do("next")
    vote(phones[0], dilemma="skalaen", value=1)
    vote(phones[1], dilemma="skalaen", value=5)
    do("next")
    vote(phones[0], dilemma="teksten", text="Ærlighed")
    do("end")
    return s, headers


def test_the_summary_page_shows_the_api_summary_ranked_by_spread(client, ended):
    s, headers = ended
    data = client.get(f"/api/sessions/{s['id']}/summary", headers=headers).get_json()
    page = client.get(f"/f/sessions/{s['id']}/summary?lang=da")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert data["most_divided"][0] == "skalaen"
    # Ranked as the API ranks them; every dilemma in the overview.
    ranked = [html.index(f'<li data-dilemma="{i}">') for i in data["most_divided"]]
    assert ranked == sorted(ranked)
    for d in data["dilemmas"]:
        assert f'<tr data-dilemma="{d["id"]}">' in html
    # Round 1 beside round 2, and who moved.
    assert html.count('class="round-col" data-round=') >= 3
    assert "1 person skiftede mening mellem de to sidste runder" in html
    # The text dilemma is under the minimum of 2: only its total, no word.
    assert "Ærlighed" not in html and "ærlighed" not in html
    assert "færre end minimum på 2" in html
    assert "Hvad stod vi for i dag?" in html
    assert 'id="summary-agreements"' in html and "Der blev ikke noteret nogen aftaler." in html
    # No inline style (the CSP forbids it): bars are SVG.
    assert "style=" not in html


def test_the_summary_page_is_only_for_the_owner(client, ended, facilitator):
    s, _ = ended
    client.post("/logout", data={})
    facilitator.create("other@example.org")
    facilitator.login("other@example.org")
    assert client.get(f"/f/sessions/{s['id']}/summary").status_code == 404


def test_the_summary_page_lists_the_agreements(client, ended):
    s, headers = ended
    r = client.post(
        f"/api/sessions/{s['id']}/agreements",
        json={"text": "Vi siger det højt <i>på mødet</i>", "dilemma": "valget", "owner": "Mette", "due": "2026-12-01"},
        headers=headers,
    )
    assert r.status_code == 201, r.get_json()
    html = client.get(f"/f/sessions/{s['id']}/summary?lang=da").get_data(as_text=True)
    assert "Vi siger det højt &lt;i&gt;på mødet&lt;/i&gt;" in html
    assert "Dilemma: Valget ved kaffemaskinen · Ansvarlig: Mette · Frist: 2026-12-01" in html
