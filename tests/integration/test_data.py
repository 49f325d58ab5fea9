"""Data (CONTRACT part 2, issue 10): no names stored that the session does not show; a session
can be deleted with everything in it; ended sessions expire; backups; file permissions."""

import sqlite3
import stat
import subprocess
import sys
from datetime import timedelta

import pytest
import requests
import socketio as sio_client

from tests.conftest import ROOT


@pytest.fixture
def room(facilitator, sockets):
    facilitator.create()
    headers = facilitator.token()
    s = facilitator.session(headers)
    return s | {"headers": headers}


def rows(app, model, **where):
    from workshop.store import db

    with app.app_context():
        return db.session.query(model).filter_by(**where).all()


def test_a_name_is_not_stored_when_the_session_does_not_show_names(app, room, sockets):
    from workshop.store import Participant

    ack = sockets().emit("join", {"code": room["code"], "name": "Anna Hansen"}, callback=True)
    assert ack["ok"] and ack["participant"]["name"] is None
    assert [p.name for p in rows(app, Participant, session_id=room["id"])] == [None]


def test_a_name_is_stored_when_the_session_shows_names(app, facilitator, room, sockets):
    from workshop.store import Participant

    s = facilitator.session(room["headers"], show_names=True)
    ack = sockets().emit("join", {"code": s["code"], "name": "Anna"}, callback=True)
    assert ack["participant"]["name"] == "Anna"
    assert [p.name for p in rows(app, Participant, session_id=s["id"])] == ["Anna"]


def test_deleting_a_session_removes_everything_in_it(app, client, facilitator, room, sockets):
    from workshop.store import Note, Participant, Vote, WorkshopSession

    phone = sockets()
    assert phone.emit("join", {"code": room["code"]}, callback=True)["ok"]
    view = facilitator.command(room["headers"], room["id"], "next").get_json()
    dilemma = view["dilemma"]
    assert phone.emit(
        "vote", {"dilemma": dilemma["id"], "option": dilemma["options"][0]["id"], "reason": "fordi"}, callback=True
    )["ok"]
    assert (
        client.put(
            f"/api/sessions/{room['id']}/notes/{dilemma['id']}", json={"text": "note"}, headers=room["headers"]
        ).status_code
        == 200
    )
    other = facilitator.session(room["headers"])

    r = client.delete(f"/api/sessions/{room['id']}", headers=room["headers"])
    assert r.status_code == 204
    for model in (Participant, Vote, Note):
        assert rows(app, model, session_id=room["id"]) == []
    assert rows(app, WorkshopSession, id=room["id"]) == []
    assert rows(app, WorkshopSession, id=other["id"])  # the other session stays
    for fmt in ("md", "csv", "json"):
        assert client.get(f"/api/sessions/{room['id']}/export?format={fmt}", headers=room["headers"]).status_code == 404
    assert client.get(f"/api/sessions/{room['id']}", headers=room["headers"]).status_code == 404
    assert client.delete(f"/api/sessions/{room['id']}", headers=room["headers"]).status_code == 404


def test_nobody_deletes_another_facilitators_session(client, facilitator, room):
    facilitator.create("other@example.org")
    other = facilitator.token("other@example.org")
    assert client.delete(f"/api/sessions/{room['id']}", headers=other).status_code == 404
    assert client.get(f"/api/sessions/{room['id']}", headers=room["headers"]).status_code == 200


def test_the_console_has_a_delete_button_that_asks_first(client, facilitator, room, csrf_from):
    facilitator.login()
    page = client.get(f"/f/sessions/{room['id']}").get_data(as_text=True)
    assert 'id="delete-form"' in page and "data-confirm=" in page
    js = (ROOT / "static" / "js" / "console.js").read_text()
    assert "delete-form" in js and "confirm(" in js
    r = client.post(f"/f/sessions/{room['id']}/delete", data={"csrf_token": csrf_from(page)})
    assert r.status_code == 302
    assert client.get(f"/api/sessions/{room['id']}", headers=room["headers"]).status_code == 404


def test_the_delete_form_needs_the_csrf_token(client, facilitator, room):
    facilitator.login()
    assert client.post(f"/f/sessions/{room['id']}/delete").status_code == 400
    assert client.get(f"/api/sessions/{room['id']}", headers=room["headers"]).status_code == 200


def test_retention_deletes_ended_sessions_older_than_the_limit(app, facilitator, room):
    from workshop import data
    from workshop.store import WorkshopSession, db, now

    live = facilitator.session(room["headers"])
    recent = facilitator.session(room["headers"])
    for s in (room, recent):
        facilitator.command(room["headers"], s["id"], "end")
    with app.app_context():
        db.session.get(WorkshopSession, room["id"]).ended_at = now() - timedelta(days=91)
        db.session.commit()
        assert data.purge_expired(90) == 1
        assert db.session.get(WorkshopSession, room["id"]) is None
        assert db.session.get(WorkshopSession, recent["id"]) is not None
        assert data.purge_expired(0) == 1  # 0: every ended session
        assert db.session.get(WorkshopSession, recent["id"]) is None
        assert db.session.get(WorkshopSession, live["id"]) is not None  # never a live one


def test_the_running_server_applies_retention_at_start(live_server_factory, tmp_path):
    server = live_server_factory(env={"WORKSHOP_RETENTION_DAYS": "0"})
    server.create_facilitator()
    server.start()
    headers = server.token()
    s = requests.post(
        server.url + "/api/sessions", json={"deck": "medarbejderrollen"}, headers=headers, timeout=5
    ).json()
    requests.post(server.url + f"/api/sessions/{s['id']}/commands", json={"command": "end"}, headers=headers, timeout=5)
    server.stop()
    server.start()  # the sweep runs at start
    from tests.conftest import wait_for

    assert wait_for(
        lambda: (
            requests.get(server.url + f"/api/sessions/{s['id']}", headers=server.token(), timeout=5).status_code == 404
        )
    )


def test_backup_makes_a_consistent_copy_while_the_server_runs(live_server, tmp_path):
    headers = live_server.token()
    s = requests.post(
        live_server.url + "/api/sessions", json={"deck": "medarbejderrollen"}, headers=headers, timeout=5
    ).json()
    phone = sio_client.SimpleClient()
    phone.connect(live_server.url)
    phone.call("join", {"code": s["code"]})
    target = tmp_path / "copy.db"
    out = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "backup", str(target)],
        cwd=ROOT,
        env=live_server.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    phone.disconnect()
    assert out.returncode == 0, out.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    con = sqlite3.connect(target)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*) FROM workshop_session WHERE id = ?", (s["id"],)).fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM participant WHERE session_id = ?", (s["id"],)).fetchone()[0] == 1
    con.close()
    again = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "backup", str(target)],
        cwd=ROOT,
        env=live_server.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode != 0 and "exists" in again.stderr


def test_backup_of_postgresql_points_to_pg_dump():
    from workshop.data import backup

    with pytest.raises(ValueError, match="pg_dump"):
        backup("postgresql+psycopg://postgres@127.0.0.1/test", ROOT / "never.db")


def test_the_database_file_and_the_instance_folder_are_private(app, tmp_path):
    db_file = tmp_path / "test.db"
    assert stat.S_IMODE(db_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o700


@pytest.mark.parametrize("value", ["-1", "ninety", "1.5"])
def test_a_retention_setting_that_is_not_a_whole_number_stops_the_start_with_a_reason(monkeypatch, tmp_path, value):
    from workshop.config import from_environment

    monkeypatch.setenv("WORKSHOP_RETENTION_DAYS", value)
    with pytest.raises(SystemExit, match="WORKSHOP_RETENTION_DAYS"):
        from_environment(tmp_path)
