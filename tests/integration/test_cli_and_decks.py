"""The command line (facilitator create, content check), deck preview and upload, start-up checks."""

import shutil
from pathlib import Path

import pytest
import yaml
from markupsafe import escape

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_facilitator_create_makes_an_account_that_can_log_in(runner, client):
    result = runner.invoke(args=["facilitator", "create", "Ny@Example.org", "--password", "langt-nok-1"])
    assert result.exit_code == 0, result.output
    r = client.post("/api/token", json={"email": "ny@example.org", "password": "langt-nok-1"})
    assert r.status_code == 200


@pytest.mark.parametrize(
    "args, reason",
    [
        (["facilitator", "create", "a@example.org", "--password", "kort"], "at least 8"),
        (["facilitator", "create", "not-an-email", "--password", "langt-nok-1"], "not a valid email"),
    ],
)
def test_facilitator_create_refuses_with_a_one_line_reason(runner, args, reason):
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert reason in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_an_existing_email_is_refused(runner):
    assert runner.invoke(args=["facilitator", "create", "a@example.org", "--password", "langt-nok-1"]).exit_code == 0
    result = runner.invoke(args=["facilitator", "create", "a@example.org", "--password", "langt-nok-2"])
    assert result.exit_code != 0 and "exists already" in result.output


def test_facilitator_create_prompts_for_the_password(runner, client):
    result = runner.invoke(args=["facilitator", "create", "p@example.org"], input="hemmeligt-ord\nhemmeligt-ord\n")
    assert result.exit_code == 0, result.output
    assert client.post("/api/token", json={"email": "p@example.org", "password": "hemmeligt-ord"}).status_code == 200


def test_content_check_lists_every_shipped_deck(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    size = len(yaml.safe_load((ROOT / "content/decks/lederrollen.yaml").read_text(encoding="utf-8"))["dilemmas"])
    assert any(line.startswith(f"lederrollen: {size} dilemmas, languages da, en") for line in lines)
    assert len(lines) >= 3


def test_content_check_names_file_dilemma_and_field_and_exits_1(runner, tmp_path):
    deck = yaml.safe_load((ROOT / "content/decks/lederrollen.yaml").read_text(encoding="utf-8"))
    first = deck["dilemmas"][0]
    first["options"][0]["values"] = ["kindness"]
    del first["question"]["en"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(deck, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(args=["content", "check", str(bad)])
    assert result.exit_code == 1
    assert f"{bad} · {first['id']} · options[0].values: unknown value 'kindness'" in result.output
    assert f"{bad} · {first['id']} · question.en: is missing or empty" in result.output


def test_the_server_refuses_to_start_with_an_invalid_shipped_deck(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    path = content / "decks" / "lederrollen.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: effekt-eller-ydelser", "id: Effekt Eller"), encoding="utf-8")
    monkeypatch.setenv("WORKSHOP_INSTANCE_PATH", str(tmp_path))
    from workshop import create_app

    with pytest.raises(SystemExit) as err:
        create_app({"ASYNC_MODE": "threading", "CONTENT_PATH": content,
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    assert "lederrollen.yaml" in str(err.value) and "must be an id" in str(err.value)


def test_a_deck_preview_shows_every_dilemma_with_values_debrief_and_tip(client, facilitator):
    facilitator.create()
    facilitator.login()
    page = client.get("/f/decks/sammenhaengskraften").get_data(as_text=True)
    deck = yaml.safe_load((ROOT / "content/decks/sammenhaengskraften.yaml").read_text(encoding="utf-8"))
    for d in deck["dilemmas"]:
        last = d["options"][-1]["label"] if d.get("options") else d["question"]  # scale and text have no options
        for text in (d["title"]["da"], d["debrief"][-1]["da"], d["tip"]["da"], last["da"]):
            assert str(escape(" ".join(text.split()))) in page
    english = client.get("/f/decks/sammenhaengskraften?deck_lang=en").get_data(as_text=True)
    assert deck["dilemmas"][0]["title"]["en"] in english


def _upload(client, csrf_from, text, name="min.yaml"):
    import io

    token = csrf_from(client.get("/f/decks").get_data(as_text=True))
    return client.post(
        "/f/decks",
        data={"csrf_token": token, "file": (io.BytesIO(text.encode("utf-8")), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_an_invalid_upload_shows_the_checkers_messages(client, facilitator, csrf_from):
    facilitator.create()
    facilitator.login()
    r = _upload(client, csrf_from, "id: min-bunke\ntitle: {da: Min, en: Mine}\ndilemmas: []\n")
    assert r.status_code == 400
    page = r.get_data(as_text=True)
    assert "min.yaml · dilemmas: has 0 items" in page


def test_a_valid_upload_is_the_uploaders_own_deck(client, facilitator, csrf_from):
    deck = yaml.safe_load((ROOT / "content/decks/lederrollen.yaml").read_text(encoding="utf-8"))
    deck["id"] = "vores-egen"
    deck["title"] = {"da": "Vores egen bunke", "en": "Our own deck"}
    facilitator.create()
    facilitator.login()
    r = _upload(client, csrf_from, yaml.safe_dump(deck, allow_unicode=True))
    assert r.status_code == 200 and "Vores egen bunke" in r.get_data(as_text=True)
    mine = facilitator.token()
    assert "vores-egen" in {d["id"] for d in client.get("/api/decks", headers=mine).get_json()["decks"]}
    assert client.post("/api/sessions", json={"deck": "vores-egen"}, headers=mine).status_code == 201
    facilitator.create("other@example.org")
    other = facilitator.token("other@example.org")
    assert "vores-egen" not in {d["id"] for d in client.get("/api/decks", headers=other).get_json()["decks"]}
    assert client.post("/api/sessions", json={"deck": "vores-egen"}, headers=other).status_code == 404


SHIPPED_ROUTES = [
    (p.stem, r)
    for p in sorted((ROOT / "content/decks").glob("*.yaml"))
    for r in yaml.safe_load(p.read_text(encoding="utf-8")).get("routes", [])
]


@pytest.mark.parametrize("deck_id, route", SHIPPED_ROUTES, ids=[f"{d}/{r['id']}" for d, r in SHIPPED_ROUTES])
def test_every_shipped_route_is_listed_and_starts_a_session_with_just_its_dilemmas(client, facilitator, deck_id, route):
    facilitator.create()
    headers = facilitator.token()
    decks = client.get("/api/decks", headers=headers).get_json()["decks"]
    listed = next(r for d in decks if d["id"] == deck_id for r in d["routes"] if r["id"] == route["id"])
    assert (listed["minutes"], listed["dilemmas"]) == (route["minutes"], len(route["dilemmas"]))
    s = facilitator.session(headers, deck=deck_id, route=route["id"])
    shown = [facilitator.command(headers, s["id"], "next").get_json()["dilemma"] for _ in route["dilemmas"]]
    assert [d["id"] for d in shown] == route["dilemmas"]
    assert {d["count"] for d in shown} == {len(route["dilemmas"])}
    assert shown[0]["kind"] == "choice"
