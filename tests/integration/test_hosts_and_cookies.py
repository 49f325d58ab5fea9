"""Cookies are Secure behind https; without WORKSHOP_PUBLIC_URL a forged Host header never
reaches join links or QR codes (issue 10)."""

import pytest


def make_app(tmp_path, monkeypatch, env: dict, config: dict | None = None):
    from workshop import create_app

    monkeypatch.setenv("WORKSHOP_INSTANCE_PATH", str(tmp_path))
    for key in ("WORKSHOP_PUBLIC_URL", "WORKSHOP_TRUSTED_HOSTS"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return create_app(
        {"TESTING": True, "ASYNC_MODE": "threading", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'h.db'}"}
        | (config or {})
    )


def login_cookies(app):
    from tests.conftest import Facilitators

    client = app.test_client()
    f = Facilitators(app, client)
    f.create()
    r = f.login()
    return r.headers.getlist("Set-Cookie")


def test_cookies_are_secure_when_the_public_url_is_https(tmp_path, monkeypatch):
    app = make_app(tmp_path, monkeypatch, {"WORKSHOP_PUBLIC_URL": "https://workshop.example.org"})
    cookies = login_cookies(app)
    assert cookies and all("Secure" in c for c in cookies), cookies
    lang = app.test_client().get("/?lang=en").headers.getlist("Set-Cookie")
    assert lang and all("Secure" in c for c in lang)


def test_cookies_are_not_secure_on_plain_http_in_the_room(tmp_path, monkeypatch):
    app = make_app(tmp_path, monkeypatch, {})
    assert not any("Secure" in c for c in login_cookies(app))


@pytest.mark.parametrize("path", ["/j/123456", "/qr/123456.svg", "/login"])
def test_a_forged_host_header_is_refused_without_a_public_url(tmp_path, monkeypatch, path):
    app = make_app(tmp_path, monkeypatch, {})
    client = app.test_client()
    r = client.get(path, headers={"Host": "evil.example"})
    assert r.status_code == 400
    assert b"evil.example" not in r.data


@pytest.mark.parametrize("host", ["localhost", "localhost:5000", "127.0.0.1:5000"])
def test_this_machines_own_names_work_without_a_public_url(tmp_path, monkeypatch, host):
    app = make_app(tmp_path, monkeypatch, {})
    r = app.test_client().get("/qr/123456.svg", headers={"Host": host})
    assert r.status_code == 200


def test_the_lan_address_works_without_a_public_url(tmp_path, monkeypatch):
    from workshop.config import local_hosts

    app = make_app(tmp_path, monkeypatch, {})
    lan = [h for h in local_hosts() if h[0].isdigit() and not h.startswith("127.")]
    for address in lan:
        assert app.test_client().get("/qr/123456.svg", headers={"Host": f"{address}:5000"}).status_code == 200


def test_trusted_hosts_can_be_set(tmp_path, monkeypatch):
    app = make_app(tmp_path, monkeypatch, {"WORKSHOP_TRUSTED_HOSTS": "workshop.lan, .example.org"})
    client = app.test_client()
    assert client.get("/qr/123456.svg", headers={"Host": "workshop.lan"}).status_code == 200
    assert client.get("/qr/123456.svg", headers={"Host": "a.example.org"}).status_code == 200
    assert client.get("/qr/123456.svg", headers={"Host": "localhost"}).status_code == 400
