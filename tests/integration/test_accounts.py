"""Accounts (CONTRACT part 2, issue 10): logout and password change really end logins and
tokens; the remember-me cookie differs per login; tokens carry nothing of the password hash."""

import base64
import json
import subprocess
import sys

from tests.conftest import PASSWORD, ROOT


def home(client):
    return client.get("/f/", follow_redirects=False).status_code


def cookie_jar(client) -> dict:
    return {c.key: c.value for c in client._cookies.values()}


def restore(client, jar: dict):
    client._cookies.clear()
    for key, value in jar.items():
        client.set_cookie(key, value)


def test_cookies_from_before_logout_no_longer_work_remember_me_included(app, facilitator, client, csrf_from):
    facilitator.create()
    facilitator.login()
    assert home(client) == 200
    jar = cookie_jar(client)
    assert "remember_token" in jar
    page = client.get("/f/").get_data(as_text=True)
    assert client.post("/logout", data={"csrf_token": csrf_from(page)}).status_code == 302
    assert home(client) == 302
    restore(client, jar)  # replay the old session and remember-me cookies
    assert home(client) == 302
    restore(client, {"remember_token": jar["remember_token"]})
    assert home(client) == 302


def test_logout_ends_only_that_login(app, facilitator, client, csrf_from):
    facilitator.create()
    other = app.test_client()
    facilitator.login()
    page = other.get("/login").get_data(as_text=True)
    other.post("/login", data={"email": "fac@example.org", "password": PASSWORD, "csrf_token": csrf_from(page)})
    assert home(other) == 200
    page = client.get("/f/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_from(page)})
    assert home(client) == 302
    assert home(other) == 200


def test_the_remember_me_cookie_differs_per_login_and_lasts_weeks_not_a_year(app, facilitator, client):
    facilitator.create()
    r1 = facilitator.login()
    first = cookie_jar(client)["remember_token"]
    client._cookies.clear()
    facilitator.login()
    second = cookie_jar(client)["remember_token"]
    assert first != second
    header = [h for h in r1.headers.getlist("Set-Cookie") if h.startswith("remember_token=")][0]
    assert app.config["REMEMBER_COOKIE_DURATION"].days <= 14
    assert "HttpOnly" in header


def test_an_api_token_does_not_carry_the_password_hash(app, facilitator):
    facilitator.create()
    token = facilitator.token()["Authorization"][7:]
    payload = token.split(".")[0]
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    from workshop.store import Facilitator, db

    with app.app_context():
        pw_hash = db.session.query(Facilitator).one().password_hash
    assert not any(isinstance(v, str) and v in pw_hash for v in data.values())


def test_password_change_revokes_every_token_and_every_login(app, facilitator, client, tmp_path):
    facilitator.create()
    headers = facilitator.token()
    facilitator.login()
    assert home(client) == 200
    runner = app.test_cli_runner()
    result = runner.invoke(args=["facilitator", "password", "fac@example.org", "--password", "nyt-kodeord-123"])
    assert result.exit_code == 0, result.output
    assert client.get("/api/decks", headers=headers).status_code == 401
    assert home(client) == 302
    assert client.post("/api/token", json={"email": "fac@example.org", "password": PASSWORD}).status_code == 401
    assert (
        client.post("/api/token", json={"email": "fac@example.org", "password": "nyt-kodeord-123"}).status_code == 200
    )


def test_password_change_refuses_a_short_password_and_an_unknown_email(app, facilitator):
    facilitator.create()
    runner = app.test_cli_runner()
    short = runner.invoke(args=["facilitator", "password", "fac@example.org", "--password", "kort"])
    assert short.exit_code != 0 and "8" in short.output
    unknown = runner.invoke(args=["facilitator", "password", "nobody@example.org", "--password", "langt-nok-1"])
    assert unknown.exit_code != 0


def test_tokens_can_be_revoked_through_the_api(app, facilitator, client):
    facilitator.create()
    headers = facilitator.token()
    other = facilitator.token()
    assert client.delete("/api/token", headers=headers).status_code == 204
    assert client.get("/api/decks", headers=headers).status_code == 401
    assert client.get("/api/decks", headers=other).status_code == 401
    assert client.get("/api/decks", headers=facilitator.token()).status_code == 200


def test_tokens_can_be_revoked_from_the_command_line(app, facilitator, client):
    facilitator.create()
    headers = facilitator.token()
    result = app.test_cli_runner().invoke(args=["facilitator", "revoke", "fac@example.org"])
    assert result.exit_code == 0, result.output
    assert client.get("/api/decks", headers=headers).status_code == 401


def test_the_cli_password_command_is_in_the_help(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "facilitator", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"WORKSHOP_INSTANCE_PATH": str(tmp_path), "PATH": ""},
    )
    assert "password" in out.stdout and "revoke" in out.stdout


def test_every_way_in_finds_the_account_whatever_the_case_and_spaces_of_the_email(app, facilitator, client):
    facilitator.create()
    runner = app.test_cli_runner()
    taken = runner.invoke(args=["facilitator", "create", " FAC@Example.org ", "--password", "langt-nok-1"])
    assert taken.exit_code != 0 and "exists already" in taken.output
    r = client.post("/api/token", json={"email": " Fac@EXAMPLE.org ", "password": PASSWORD})
    assert r.status_code == 200
    headers = {"Authorization": f"Bearer {r.get_json()['token']}"}
    changed = runner.invoke(args=["facilitator", "password", "FAC@example.org ", "--password", "nyt-kodeord-123"])
    assert changed.exit_code == 0, changed.output
    assert client.get("/api/decks", headers=headers).status_code == 401
    assert (
        client.post("/api/token", json={"email": "fac@example.org", "password": "nyt-kodeord-123"}).status_code == 200
    )
