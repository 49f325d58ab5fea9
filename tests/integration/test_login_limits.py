"""Login limits with Flask-Limiter (issue 10): per email and per address, behind the proxy per
client, shared through Redis between processes, and no account enumeration by timing."""

import uuid

from tests.conftest import need


def fail(client, email, headers=None):
    return client.post("/api/token", json={"email": email, "password": "wrong-password"}, headers=headers or {})


def test_many_emails_from_one_address_are_limited(app, client):
    limit = app.config["LOGIN_ADDRESS_ATTEMPTS"]
    codes = [fail(client, f"junk{i}@example.org").status_code for i in range(limit + 1)]
    assert codes[:-1] == [401] * limit
    assert codes[-1] == 429
    assert fail(client, "fresh@example.org").get_json()["error"]["code"] == "too_many_requests"


def test_one_email_is_limited_whatever_address_tries_it(app, facilitator):
    facilitator.create()
    app.config["PROXY_COUNT"] = 1
    client = app.test_client()
    limit = app.config["LOGIN_ATTEMPTS"]
    codes = [fail(client, "fac@example.org", {"X-Forwarded-For": f"10.0.0.{i}"}).status_code for i in range(limit + 1)]
    assert codes[-1] == 429 and codes[:-1] == [401] * limit


def test_behind_the_proxy_each_client_address_has_its_own_budget(tmp_path, monkeypatch, facilitator):
    from workshop import create_app

    monkeypatch.setenv("WORKSHOP_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("WORKSHOP_PROXY_COUNT", "1")
    app = create_app(
        {"TESTING": True, "ASYNC_MODE": "threading", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}"}
    )
    client = app.test_client()
    limit = app.config["LOGIN_ADDRESS_ATTEMPTS"]
    for i in range(limit):
        assert fail(client, f"a{i}@example.org", {"X-Forwarded-For": "203.0.113.1"}).status_code == 401
    assert fail(client, "b@example.org", {"X-Forwarded-For": "203.0.113.1"}).status_code == 429
    # Another participant's address behind the same proxy is not limited.
    assert fail(client, "b@example.org", {"X-Forwarded-For": "203.0.113.2"}).status_code == 401


def test_without_the_proxy_setting_a_forwarded_header_is_ignored(app, client):
    limit = app.config["LOGIN_ADDRESS_ATTEMPTS"]
    for i in range(limit):
        fail(client, f"a{i}@example.org", {"X-Forwarded-For": f"198.51.100.{i}"})
    assert fail(client, "b@example.org", {"X-Forwarded-For": "198.51.100.250"}).status_code == 429


def test_the_login_form_is_limited_too(app, client, facilitator, csrf_from):
    facilitator.create()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    codes = [
        client.post(
            "/login", data={"email": "fac@example.org", "password": "wrong-pass", "csrf_token": token}
        ).status_code
        for _ in range(app.config["LOGIN_ATTEMPTS"] + 1)
    ]
    assert codes[-1] == 429 and 401 in codes
    assert client.get("/login").status_code == 200  # looking at the form is never limited


def test_an_unknown_email_costs_a_password_check_like_a_wrong_password(app, client, facilitator, monkeypatch):
    facilitator.create()
    from workshop import services

    checked = []
    real = services.check_password_hash
    monkeypatch.setattr(services, "check_password_hash", lambda h, p: checked.append(h) or real(h, p))
    fail(client, "fac@example.org")
    fail(client, "nobody@example.org")
    assert len(checked) == 2
    assert checked[0].split("$")[0] == checked[1].split("$")[0]  # the same method and cost


def test_the_message_queue_setting_selects_redis_storage():
    from workshop.ratelimit import storage_uri

    assert storage_uri({"MESSAGE_QUEUE": "redis://127.0.0.1:6379/0"}) == "redis://127.0.0.1:6379/0"
    assert storage_uri({"MESSAGE_QUEUE": None}) == "memory://"


def test_failed_logins_are_counted_across_processes_through_redis(tmp_path, monkeypatch):
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0").ping()
        up = True
    except redis.RedisError:
        up = False
    need(up, "Redis is not running on 127.0.0.1:6379")
    from workshop import create_app

    monkeypatch.setenv("WORKSHOP_INSTANCE_PATH", str(tmp_path))
    # Fresh keys in the shared Redis: an email and a client address of this run only.
    email = f"{uuid.uuid4().hex}@example.org"
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"

    def make_app():
        # What WORKSHOP_MESSAGE_QUEUE=redis://… selects (see the test above); the message
        # queue itself stays off: the Socket.IO test client cannot use one.
        app = create_app(
            {
                "TESTING": True,
                "ASYNC_MODE": "threading",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'r.db'}",
                "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
            }
        )
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        return app, client

    first_app, first = make_app()
    for _ in range(first_app.config["LOGIN_ATTEMPTS"]):
        assert fail(first, email).status_code == 401
    # A second process: a new app whose limiter opens its own connection to the storage (with
    # memory storage it would start from nothing and answer 401).
    _, second = make_app()
    assert fail(second, email).status_code == 429
