"""The agreements register over the real API and database, and in every export of the session."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

HOSTILE = "<script>alert(1)</script> =cmd|' /C calc'!A0 [klik](javascript:alert(1))\n# Overskrift"


@pytest.fixture
def headers(facilitator):
    facilitator.create()
    return facilitator.token()


@pytest.fixture
def session(facilitator, headers):
    return facilitator.session(headers, title="Aftaler på Ærø")


def url(s, tail=""):
    return f"/api/sessions/{s['id']}/agreements{tail}"


def test_an_agreement_is_recorded_listed_and_deleted(client, headers, session, facilitator):
    did = facilitator.command(headers, session["id"], "next").get_json()["dilemma"]["id"]
    body = {
        "text": "Vi siger det højt, når vi er uenige – også til ledelsen.",
        "dilemma": did,
        "values": ["honesty", "free-expression"],
        "owner": "Søren Ærø",
        "due": "2026-12-31",
    }
    r = client.post(url(session), json=body, headers=headers)
    assert r.status_code == 201, r.get_json()
    made = r.get_json()
    assert isinstance(made["id"], int)
    assert {k: made[k] for k in body} == body
    assert made["created_at"].endswith("Z")
    second = client.post(url(session), json={"text": "  Kun tekst  "}, headers=headers).get_json()
    assert (second["text"], second["dilemma"], second["values"], second["owner"], second["due"]) == (
        "Kun tekst",
        None,
        [],
        None,
        None,
    )

    listed = client.get(url(session), headers=headers)
    assert listed.status_code == 200
    assert listed.get_json()["agreements"] == [made, second]

    r = client.delete(url(session, f"/{made['id']}"), headers=headers)
    assert r.status_code == 204 and r.data == b""
    assert client.get(url(session), headers=headers).get_json()["agreements"] == [second]
    again = client.delete(url(session, f"/{made['id']}"), headers=headers)
    assert again.status_code == 404 and again.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "body, danish",
    [
        ({}, "Skriv aftalen"),
        ({"text": "   "}, "Skriv aftalen"),
        ({"text": 42}, "Skriv aftalen"),
        ({"text": "x" * 501}, "højst 500 tegn"),
        ({"text": "ok", "dilemma": "findes-ikke"}, "ikke en del af denne session"),
        ({"text": "ok", "dilemma": 7}, "ikke en del af denne session"),
        ({"text": "ok", "values": ["ikke-en-vaerdi"]}, "dilemmasættets værdier"),
        ({"text": "ok", "values": "honesty"}, "dilemmasættets værdier"),
        ({"text": "ok", "values": ["honesty", "respect", "trust", "decency"]}, "højst 3 værdier"),
        ({"text": "ok", "owner": "o" * 81}, "højst 80 tegn"),
        ({"text": "ok", "owner": ["Søren"]}, "navn"),
        ({"text": "ok", "due": "31-12-2026"}, "ÅÅÅÅ-MM-DD"),
        ({"text": "ok", "due": "2026-02-30"}, "ÅÅÅÅ-MM-DD"),
        ({"text": "ok", "due": 20261231}, "ÅÅÅÅ-MM-DD"),
    ],
)
def test_a_bad_agreement_is_refused_in_the_users_language(client, headers, session, body, danish):
    r = client.post(url(session), json=body, headers=headers)
    assert r.status_code == 400
    error = r.get_json()["error"]
    assert error["code"] == "invalid_request"
    assert danish in error["message"], error["message"]
    english = client.post(url(session), json=body, headers={**headers, "Accept-Language": "en"})
    assert english.get_json()["error"]["code"] == "invalid_request"
    assert client.get(url(session), headers=headers).get_json()["agreements"] == []


def test_the_errors_are_english_for_an_english_user(client, headers, session):
    r = client.post(url(session) + "?lang=en", json={"text": "ok", "due": "i morgen"}, headers=headers)
    assert "The due date must be a date (YYYY-MM-DD)." in r.get_json()["error"]["message"]


def test_a_body_that_is_not_an_object_is_refused(client, headers, session):
    r = client.post(url(session), data="[1]", headers={**headers, "Content-Type": "application/json"})
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "invalid_request"


def test_another_facilitator_finds_no_agreements(client, facilitator, headers, session):
    made = client.post(url(session), json={"text": "Vores aftale"}, headers=headers).get_json()
    facilitator.create("other@example.org")
    other = facilitator.token("other@example.org")
    for method, path, body in [
        ("get", url(session), None),
        ("post", url(session), {"text": "Fremmed"}),
        ("delete", url(session, f"/{made['id']}"), None),
    ]:
        r = getattr(client, method)(path, json=body, headers=other)
        assert r.status_code == 404, (method, path)
        assert r.get_json()["error"]["code"] == "not_found"
    # And an agreement of another session cannot be deleted through one's own session.
    own = facilitator.session(other)
    assert client.delete(url(own, f"/{made['id']}"), headers=other).status_code == 404
    assert client.get(url(session), headers=headers).get_json()["agreements"] == [made]


def test_the_start_form_offers_to_follow_up_the_own_sessions_with_agreements_and_counts_them(
    client, facilitator, headers, session
):
    import re

    for text in ("Første aftale", "Anden aftale", "Tredje aftale"):
        assert client.post(url(session), json={"text": text}, headers=headers).status_code == 201
    one = facilitator.session(headers, title="Én aftale")
    assert client.post(url(one), json={"text": "Kun denne"}, headers=headers).status_code == 201
    facilitator.session(headers, title="Ingen aftaler")
    facilitator.create("other@example.org")
    other = facilitator.token("other@example.org")
    theirs = facilitator.session(other, title="Fremmed")
    assert client.post(url(theirs), json={"text": "Fremmed aftale"}, headers=other).status_code == 201

    facilitator.login()
    for page in ("/f/", "/f/decks/medarbejderrollen"):
        html = client.get(page).get_data(as_text=True)
        select = html[html.index('<select id="follow_up"') : html.index("</select>", html.index('id="follow_up"'))]
        offered = re.findall(r'<option value="([^"]+)">([^<]*)</option>', select)
        assert [v for v, _label in offered] == [one["id"], session["id"]], page  # newest first
        assert "(1 aftale)" in offered[0][1] and "(3 aftaler)" in offered[1][1], page


def test_the_api_needs_a_login_and_the_cookie_needs_the_csrf_token(client, facilitator, session, csrf_from):
    anonymous = client.application.test_client()
    assert anonymous.get(url(session)).status_code == 401
    facilitator.login()
    assert client.post(url(session), json={"text": "uden token"}).status_code == 400  # CSRF
    token = csrf_from(client.get("/").get_data(as_text=True))
    r = client.post(url(session), json={"text": "med token"}, headers={"X-CSRFToken": token})
    assert r.status_code == 201


def export(client, headers, s, fmt):
    r = client.get(f"/api/sessions/{s['id']}/export?format={fmt}", headers=headers)
    assert r.status_code == 200
    return r.data


def test_every_export_carries_the_agreements(client, facilitator, headers, session):
    did = facilitator.command(headers, session["id"], "next").get_json()["dilemma"]
    body = {
        "text": HOSTILE,
        "dilemma": did["id"],
        "values": ["honesty"],
        "owner": '=HYPERLINK("x")',
        "due": "2027-01-15",
    }
    assert client.post(url(session), json=body, headers=headers).status_code == 201
    assert client.post(url(session), json={"text": "Anden aftale: ærlighed først"}, headers=headers).status_code == 201

    doc = json.loads(export(client, headers, session, "json"))
    got = [{k: a[k] for k in ("text", "dilemma", "values", "owner", "due")} for a in doc["agreements"]]
    assert got == [
        body,
        {"text": "Anden aftale: ærlighed først", "dilemma": None, "values": [], "owner": None, "due": None},
    ]

    rows = list(csv.reader(io.StringIO(export(client, headers, session, "csv").decode("utf-8-sig")), delimiter=";"))
    start = rows.index(["Aftale", "Dilemma-id", "Dilemma", "Værdier", "Ansvarlig", "Frist"])
    assert rows[start + 1] == [HOSTILE, did["id"], did["title"], "ærlighed", '\'=HYPERLINK("x")', "2027-01-15"]
    assert rows[start + 2][0] == "Anden aftale: ærlighed først"

    wb = openpyxl.load_workbook(io.BytesIO(export(client, headers, session, "xlsx")))
    sheet = [row for row in wb["Aftaler"].iter_rows(values_only=True)]
    assert (1, HOSTILE, did["title"], "ærlighed", '=HYPERLINK("x")', "2027-01-15") in sheet
    assert not [c for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]

    html = export(client, headers, session, "html").decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "Aftaler" in html and "Anden aftale: ærlighed først" in html

    md = export(client, headers, session, "md").decode()
    assert "## Aftaler" in md and "\\<script\\>" in md and "\n# Overskrift" not in md


def test_the_console_has_the_agreements_section(client, facilitator, session):
    facilitator.login()
    html = client.get(f"/f/sessions/{session['id']}").get_data(as_text=True)
    assert 'id="agreements"' in html and "Tilføj aftale" in html
    assert 'name="values" value="honesty"' in html  # the deck's vocabulary to choose from
    assert "js/agreements.js" in html


def test_every_open_console_hears_of_a_new_or_deleted_agreement_and_nobody_else(
    client, facilitator, headers, session, sockets
):
    facilitator.login()
    console = sockets(with_cookies=True)
    assert console.emit("watch", {"session": session["id"]}, callback=True)["ok"]
    screen = sockets()
    assert screen.emit("watch", {"code": session["code"], "screen_token": session["screen_token"]}, callback=True)["ok"]
    phone = sockets()
    assert phone.emit("join", {"code": session["code"]}, callback=True)["ok"]
    for c in (console, screen, phone):
        c.get_received()

    made = client.post(url(session), json={"text": "Vi siger det, når vi er uenige"}, headers=headers).get_json()
    client.delete(url(session, f"/{made['id']}"), headers=headers)

    nudges = [m["args"][0] for m in console.get_received() if m["name"] == "agreements"]
    assert nudges == [{"session": session["id"]}] * 2  # recorded, then deleted
    for other in (screen, phone):  # the projector and the phones never hear of agreements
        assert all(m["name"] != "agreements" for m in other.get_received())
