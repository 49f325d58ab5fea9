"""Fixtures: the app on a fresh SQLite file, HTTP and Socket.IO test clients, action helpers,
and a live server (`python app.py` as a subprocess) for real clients and the browser."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"
PASSWORD = "korrekt-hest-batteri"


def need(condition: bool, reason: str):
    """Skip with a clear reason on a user's machine; in CI a missing service is a failure."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


@pytest.fixture
def make_app(tmp_path, monkeypatch):
    """A factory of apps on a fresh SQLite file; keyword arguments override the test config.
    Every app's results ticker is stopped at teardown, so no background task outlives its test."""
    monkeypatch.setenv("WORKSHOP_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("WORKSHOP_DATABASE_URL", raising=False)
    monkeypatch.delenv("WORKSHOP_MESSAGE_QUEUE", raising=False)
    from workshop import create_app, realtime

    made = []

    def make(**config):
        app = create_app(
            {
                "TESTING": True,
                "ASYNC_MODE": "threading",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.db'}",
                "RESULTS_INTERVAL": 0.05,
                **config,
            }
        )
        made.append(app)
        return app

    yield make
    for app in made:
        realtime.stop(app)


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


class Facilitators:
    """Action helpers in the flaskr AuthActions style."""

    def __init__(self, app, client):
        self.app = app
        self.client = client

    def create(self, email="fac@example.org", password=PASSWORD):
        from workshop import services

        with self.app.app_context():
            services.create_facilitator(email, password)
        return email

    def token(self, email="fac@example.org", password=PASSWORD) -> dict:
        r = self.client.post("/api/token", json={"email": email, "password": password})
        assert r.status_code == 200, r.get_json()
        return {"Authorization": f"Bearer {r.get_json()['token']}"}

    def login(self, email="fac@example.org", password=PASSWORD):
        page = self.client.get("/login")
        token = _csrf_from(page.get_data(as_text=True))
        return self.client.post("/login", data={"email": email, "password": password, "csrf_token": token})

    def session(self, headers, deck="medarbejderrollen", **extra) -> dict:
        """A session; tests about other things than anonymity show results from the first answer."""
        extra.setdefault("min_answers", 1)
        r = self.client.post("/api/sessions", json={"deck": deck, **extra}, headers=headers)
        assert r.status_code == 201, r.get_json()
        return r.get_json()

    def command(self, headers, session_id, command):
        return self.client.post(f"/api/sessions/{session_id}/commands", json={"command": command}, headers=headers)


def _csrf_from(html: str) -> str:
    import re

    m = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf-token" content="([^"]+)"', html
    )
    assert m, "no CSRF token on the page"
    return m.group(1)


@pytest.fixture
def csrf_from():
    return _csrf_from


@pytest.fixture
def facilitator(app, client):
    return Facilitators(app, client)


@pytest.fixture
def sockets(app, client):
    """A factory of Socket.IO test clients; each shares cookies with `client` when asked."""
    from workshop.realtime import socketio

    made = []

    def make(with_cookies=False):
        c = socketio.test_client(app, flask_test_client=client if with_cookies else None)
        made.append(c)
        return c

    yield make
    for c in made:
        if c.is_connected():
            c.disconnect()


def wait_for(predicate, timeout=5.0, interval=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


# --- a live server --------------------------------------------------------------------------


def free_port() -> int:
    """A port nobody listens on now. The kernel hands out ephemeral ports in turn, so a port just
    released is not handed out again soon; the server's own bind is retried by LiveServer.start
    should another process take it in between."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PortTaken(Exception):
    pass


def listens(pid: int, port: int) -> bool:
    """Whether process `pid` has a socket listening on `port` (Linux /proc; elsewhere: assume so)."""
    try:
        inodes = set()
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            with open(table) as f:
                for line in f.readlines()[1:]:
                    cols = line.split()
                    if cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port and cols[9] in inodes:
                        return True
    except OSError:
        return Path("/proc/net/tcp").exists() is False
    return False


class LiveServer:
    def __init__(self, instance: Path, env: dict | None = None):
        self.instance = instance
        self.pinned = dict(env or {})
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "WORKSHOP_HOST": "127.0.0.1",
            "WORKSHOP_PORT": str(self.port),
            "WORKSHOP_INSTANCE_PATH": str(instance),
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.proc: subprocess.Popen | None = None
        self.log = instance / f"server-{self.port}.log"

    def start(self, timeout=20.0, tries=3):
        """Start `python app.py` and wait for /healthz. Should another process have taken the port
        between free_port() and the server's bind, start again on a new port (unless the port
        was chosen on purpose, as for a restart on the same address)."""
        for _ in range(tries):
            try:
                return self._start(timeout)
            except PortTaken:
                if "WORKSHOP_PORT" in self.pinned:
                    raise
                self.port = free_port()
                self.url = f"http://127.0.0.1:{self.port}"
                self.env["WORKSHOP_PORT"] = str(self.port)
        raise RuntimeError(f"no free port after {tries} tries")

    def _start(self, timeout):
        self.instance.mkdir(parents=True, exist_ok=True)
        out = open(self.log, "ab")
        start = self.log.stat().st_size
        self.proc = subprocess.Popen(
            [sys.executable, "app.py"], cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                log = self.log.read_bytes()[start:].decode("utf-8", "replace")
                if "already in use" in log.lower():
                    raise PortTaken(self.port)
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{log}")
            # Our process, not another that took the port, must be the one listening.
            if listens(self.proc.pid, self.port):
                try:
                    if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                        return self
                except requests.RequestException:
                    pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not start:\n{self.log.read_text()}")

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def create_facilitator(self, email="fac@example.org", password=PASSWORD):
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "app", "facilitator", "create", email, "--password", password],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
        )
        return email

    def token(self, email="fac@example.org", password=PASSWORD) -> dict:
        r = requests.post(self.url + "/api/token", json={"email": email, "password": password}, timeout=5)
        r.raise_for_status()
        return {"Authorization": f"Bearer {r.json()['token']}"}


@pytest.fixture
def live_server_factory(tmp_path):
    servers: list[LiveServer] = []

    def make(instance: Path | None = None, env: dict | None = None) -> LiveServer:
        server = LiveServer(instance or tmp_path / "instance", env)
        servers.append(server)
        return server

    yield make
    for s in servers:
        s.stop()


@pytest.fixture
def live_server(live_server_factory):
    server = live_server_factory()
    server.create_facilitator()
    return server.start()
