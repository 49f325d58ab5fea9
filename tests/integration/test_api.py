"""The facilitator's HTTP API against the real app and database."""

import pytest
import yaml

from tests.conftest import ROOT


@pytest.fixture
def headers(facilitator):
    facilitator.create()
    return facilitator.token()


def test_a_token_needs_the_right_password(client, facilitator):
    facilitator.create()
    r = client.post("/api/token", json={"email": "fac@example.org", "password": "wrong-password"})
    assert r.status_code == 401
    assert r.get_json()["error"]["code"] == "bad_credentials"


def test_repeated_failed_logins_are_throttled(app, client, facilitator):
    facilitator.create()
    codes = [
        client.post("/api/token", json={"email": "fac@example.org", "password": "nope-nope"}).status_code
        for _ in range(app.config["LOGIN_ATTEMPTS"] + 1)
    ]
    assert codes[:-1] == [401] * app.config["LOGIN_ATTEMPTS"]
    assert codes[-1] == 429
    r = client.post("/api/token", json={"email": "fac@example.org", "password": "nope-nope"})
    assert r.get_json()["error"] == {
        "code": "too_many_requests",
        "message": "For mange forsøg. Vent et par minutter, og prøv igen.",
    }


def test_the_api_needs_authentication(client):
    r = client.get("/api/decks")
    assert r.status_code == 401
    assert r.get_json()["error"]["code"] == "unauthorized"
    assert client.get("/api/decks", headers={"Authorization": "Bearer forged"}).status_code == 401


def test_decks_are_listed_as_the_contract_shapes_them(client, headers):
    decks = client.get("/api/decks", headers=headers).get_json()["decks"]
    ids = {d["id"] for d in decks}
    assert {"medarbejderrollen", "lederrollen", "sammenhaengskraften"} <= ids
    for d in decks:
        assert d["languages"] == ["da", "en"]
        assert d["dilemmas"] >= 8
        assert "respect" in d["values"]
        assert isinstance(d["title"], str)


def test_a_new_session_has_a_six_digit_code_and_its_links(client, facilitator, headers):
    s = facilitator.session(headers)
    assert len(s["code"]) == 6 and s["code"].isdigit()
    assert s["join_url"].endswith(f"/j/{s['code']}")
    assert s["screen_token"] in s["screen_url"]
    view = client.get(f"/api/sessions/{s['id']}", headers=headers).get_json()
    assert view["phase"] == "lobby" and view["participants"] == 0
    assert view["dilemma"] is None and view["results"] is None
    assert client.get(s["join_url"].split("localhost")[-1]).status_code == 200
    assert client.get(s["screen_url"].split("localhost")[-1]).status_code == 200


def test_a_session_in_english_shows_the_english_texts(client, facilitator, headers):


    deck = yaml.safe_load((ROOT / "content/decks/lederrollen.yaml").read_text(encoding="utf-8"))
    s = facilitator.session(headers, deck="lederrollen", language="en")
    view = facilitator.command(headers, s["id"], "next").get_json()
    assert view["dilemma"]["title"] == deck["dilemmas"][0]["title"]["en"] != deck["dilemmas"][0]["title"]["da"]
    assert view["title"] == deck["title"]["en"]


@pytest.mark.parametrize(
    "payload, status, code",
    [
        ({"deck": "nope"}, 404, "unknown_deck"),
        ({}, 400, "invalid_request"),
        ({"deck": "lederrollen", "language": "de"}, 400, "invalid_request"),
        ({"deck": "lederrollen", "title": "x" * 121}, 400, "invalid_request"),
    ],
)
def test_a_bad_session_request_gets_a_clear_error(client, headers, payload, status, code):
    r = client.post("/api/sessions", json=payload, headers=headers)
    assert r.status_code == status
    assert r.get_json()["error"]["code"] == code
    assert r.get_json()["error"]["message"]


def test_commands_walk_the_phases_and_refuse_what_does_not_fit(client, facilitator, headers):
    s = facilitator.session(headers)
    assert facilitator.command(headers, s["id"], "close").status_code == 409
    phases = [facilitator.command(headers, s["id"], c).get_json()["phase"] for c in ("next", "close", "reveal", "next", "previous", "end")]
    assert phases == ["voting", "closed", "revealed", "voting", "revealed", "ended"]
    r = facilitator.command(headers, s["id"], "next")
    assert r.status_code == 409
    assert r.get_json()["error"]["code"] == "invalid_transition"


def test_a_facilitator_cannot_see_or_drive_anothers_session(client, facilitator, headers):
    s = facilitator.session(headers)
    facilitator.create("other@example.org")
    other = facilitator.token("other@example.org")
    for method, url, body in [
        ("get", f"/api/sessions/{s['id']}", None),
        ("post", f"/api/sessions/{s['id']}/commands", {"command": "next"}),
        ("put", f"/api/sessions/{s['id']}/notes/x", {"text": "hej"}),
        ("get", f"/api/sessions/{s['id']}/export?format=md", None),
    ]:
        r = getattr(client, method)(url, json=body, headers=other)
        assert r.status_code == 404, url
        assert r.get_json()["error"]["code"] == "not_found"
    assert client.get("/api/sessions", headers=other).get_json()["sessions"] == []


def test_a_note_replaces_the_earlier_one_and_keeps_danish_letters(client, facilitator, headers):
    s = facilitator.session(headers)
    did = facilitator.command(headers, s["id"], "next").get_json()["dilemma"]["id"]
    url = f"/api/sessions/{s['id']}/notes/{did}"
    assert client.put(url, json={"text": "første"}, headers=headers).status_code == 200
    r = client.put(url, json={"text": "Åben snak om ærlighed og tillid"}, headers=headers)
    assert r.get_json()["text"] == "Åben snak om ærlighed og tillid"
    assert client.get(f"/api/sessions/{s['id']}", headers=headers).get_json()["note"] == "Åben snak om ærlighed og tillid"
    assert client.put(url, json={"text": "x" * 10_001}, headers=headers).status_code == 413
    assert client.put(f"/api/sessions/{s['id']}/notes/nope", json={"text": "x"}, headers=headers).status_code == 404


def test_the_markdown_export_is_a_download_with_the_notes(client, facilitator, headers):
    s = facilitator.session(headers, title="Teamdag på Ærø")
    did = facilitator.command(headers, s["id"], "next").get_json()["dilemma"]["id"]
    client.put(f"/api/sessions/{s['id']}/notes/{did}", json={"text": "Vi talte om fejlkultur"}, headers=headers)
    r = client.get(f"/api/sessions/{s['id']}/export?format=md", headers=headers)
    assert r.status_code == 200
    assert r.headers["Content-Disposition"].startswith("attachment;")
    assert 'filename="teamdag-paa-aeroe-' in r.headers["Content-Disposition"]
    text = r.get_data(as_text=True)
    assert "# Teamdag på Ærø" in text and "Vi talte om fejlkultur" in text
    r = client.get(f"/api/sessions/{s['id']}/export?format=doc", headers=headers)
    assert r.status_code == 400
    assert r.get_json()["error"] == {"code": "unsupported_format", "message": "Det eksportformat understøttes ikke."}


def test_malformed_and_oversized_bodies_get_json_errors(client, headers):
    r = client.post("/api/sessions", data="{not json", headers={**headers, "Content-Type": "application/json"})
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "invalid_request"
    r = client.post("/api/sessions", data="x" * (600 * 1024), headers={**headers, "Content-Type": "application/json"})
    assert r.status_code == 413 and r.get_json()["error"]["code"] == "too_large"


def test_the_cookie_session_needs_the_csrf_token(client, facilitator, csrf_from):
    facilitator.create()
    facilitator.login()
    r = client.post("/api/sessions", json={"deck": "lederrollen"})
    assert r.status_code == 400
    assert r.get_json()["error"] == {
        "code": "csrf",
        "message": "Formularen var udløbet. Genindlæs siden, og prøv igen.",
    }
    token = csrf_from(client.get("/f/").get_data(as_text=True))
    r = client.post("/api/sessions", json={"deck": "lederrollen"}, headers={"X-CSRFToken": token})
    assert r.status_code == 201


def test_healthz_answers_ok(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.get_json() == {"status": "ok"}


@pytest.mark.parametrize("fmt, content_type", [
    ("md", "text/markdown; charset=utf-8"),
    ("html", "text/html; charset=utf-8"),
    ("csv", "text/csv; charset=utf-8"),
    ("json", "application/json"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
])
def test_every_export_format_downloads_a_live_session_with_its_votes(app, client, facilitator, sockets, headers, fmt, content_type):
    import csv
    import io
    import json

    import openpyxl

    s = facilitator.session(headers, title="Sammenhængskraft i Ølstykke")
    d = facilitator.command(headers, s["id"], "next").get_json()["dilemma"]
    for i in range(3):
        phone = sockets()
        assert phone.emit("join", {"code": s["code"]}, callback=True)["ok"]
        vote = {"dilemma": d["id"], "option": d["options"][0]["id"], "reason": f"Ærlighed nummer {i}"}
        assert phone.emit("vote", vote, callback=True)["ok"]
    r = client.get(f"/api/sessions/{s['id']}/export?format={fmt}", headers=headers)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == content_type
    assert r.headers["Content-Disposition"].startswith("attachment;")
    assert f".{fmt}" in r.headers["Content-Disposition"]
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig")), delimiter=";"))  # a Danish session
        assert sum("Ærlighed nummer" in " ".join(row) for row in rows) == 3
    elif fmt == "json":
        doc = json.loads(r.data)
        assert sorted(doc_reasons(doc)) == ["Ærlighed nummer 0", "Ærlighed nummer 1", "Ærlighed nummer 2"]
    elif fmt == "xlsx":
        wb = openpyxl.load_workbook(io.BytesIO(r.data))
        cells = [str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
        assert sum("Ærlighed nummer" in c for c in cells) >= 3
    else:
        text = r.data.decode("utf-8")
        assert "Sammenhængskraft i Ølstykke" in text and "Ærlighed nummer 2" in text


def doc_reasons(doc) -> list[str]:
    """Every reason string anywhere in the JSON export (the deck's own `reason` modes aside)."""
    found = []
    doc = {k: v for k, v in doc.items() if k != "deck"}

    def walk(x):
        if isinstance(x, dict):
            for k, v in x.items():
                if k == "reason" and isinstance(v, str):
                    found.append(v)
                else:
                    walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(doc)
    return sorted(set(found))


def test_names_reach_the_export_only_when_the_session_shows_them(client, facilitator, sockets, headers):
    for show, expected in [(False, False), (True, True)]:
        s = facilitator.session(headers, show_names=show)
        assert client.get(f"/api/sessions/{s['id']}", headers=headers).get_json()["show_names"] is show
        d = facilitator.command(headers, s["id"], "next").get_json()["dilemma"]
        phone = sockets()
        assert phone.emit("join", {"code": s["code"], "name": "Åse Ørnebjerg"}, callback=True)["ok"]
        assert phone.emit("vote", {"dilemma": d["id"], "option": d["options"][0]["id"]}, callback=True)["ok"]
        csv_text = client.get(f"/api/sessions/{s['id']}/export?format=csv", headers=headers).data.decode("utf-8-sig")
        assert ("Åse Ørnebjerg" in csv_text) is expected
        assert "P001" in csv_text


def test_phone_and_projector_speak_the_sessions_language_unless_the_user_chose(client, facilitator, headers):
    s = facilitator.session(headers, language="en")
    join_path = "/j/" + s["code"]
    screen_path = s["screen_url"].split("localhost", 1)[1]
    assert '<html lang="en"' in client.get(join_path).get_data(as_text=True)
    assert '<html lang="en"' in client.get(screen_path).get_data(as_text=True)
    assert '<html lang="da"' in client.get(join_path + "?lang=da").get_data(as_text=True)
    assert '<html lang="da"' in client.get(join_path).get_data(as_text=True)  # the choice is remembered
    danish = facilitator.session(headers)
    client.delete_cookie("lang")
    assert '<html lang="da"' in client.get("/j/" + danish["code"]).get_data(as_text=True)


def test_links_and_the_qr_code_use_the_public_url_behind_a_proxy(app, client, facilitator, headers):
    app.config["PUBLIC_URL"] = "https://workshop.example.org"
    s = facilitator.session(headers)
    assert s["join_url"] == f"https://workshop.example.org/j/{s['code']}"
    assert s["screen_url"].startswith(f"https://workshop.example.org/s/{s['id']}?t=")
    svg = client.get(f"/qr/{s['code']}.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    import io

    import segno

    def qr_of(url):
        out = io.BytesIO()
        segno.make(url, error="m").save(out, kind="svg", scale=10, border=2, dark="#111", light="#fff", xmldecl=False)
        return out.getvalue()

    assert svg.data == qr_of(f"https://workshop.example.org/j/{s['code']}")  # the public link, not localhost
    assert svg.data != qr_of(f"http://localhost/j/{s['code']}")
    assert client.get("/qr/12.svg").status_code == 404


def test_the_console_offers_every_export_format(app):
    from workshop.exports import FORMATS
    from workshop.views.context import export_formats

    with app.test_request_context("/"):
        assert sorted(f for f, _ in export_formats()) == sorted(FORMATS)
