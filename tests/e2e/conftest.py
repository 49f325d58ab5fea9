"""Browser tests: Playwright for Python driving Debian's Chromium against a live server.

Every page opened through `devices` collects the browser console; a test fails on any console
error or uncaught exception it did not announce beforehand (see `Device.expect_errors`).
Screenshots go to test-artifacts/ (gitignored) so a person can look at every view.
"""

from __future__ import annotations

import contextlib
import re
import sys
from pathlib import Path

import pytest
import requests
import yaml

if str(Path(__file__).resolve().parents[2]) not in sys.path:  # `pytest` without `python -m`
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.conftest import PASSWORD, ROOT, need, wait_for  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The deck the e2e sessions run on, and its size as the views count it ("Dilemma 1 af N").
DECK = "medarbejderrollen"
DECK_SIZE = len(yaml.safe_load((ROOT / "content/decks" / f"{DECK}.yaml").read_text(encoding="utf-8"))["dilemmas"])
ARTIFACTS = ROOT / "test-artifacts"

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
SMALL_PHONE = {
    "viewport": {"width": 320, "height": 640},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
LAPTOP = {"viewport": {"width": 1440, "height": 900}}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}
PROJECTOR_720 = {"viewport": {"width": 1280, "height": 720}}


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: browser tests (Playwright + Debian's Chromium, a live server)")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    need(CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install chromium)")
    need(AXE.exists(), "node_modules/axe-core is missing (npm ci)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - requirements-dev.txt has it
        need(False, "playwright is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


class Device:
    """One browser context (a phone, a laptop, a projector) with its console watched."""

    def __init__(self, browser, name: str, options: dict, base_url: str):
        self.name = name
        self.context = browser.new_context(base_url=base_url, locale="da-DK", **options)
        self.context.set_default_timeout(8000)
        self.email = "fac@example.org"  # the test's own facilitator (set by the devices fixture)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self._allowed: list[re.Pattern] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"{self.name}: uncaught {exc}"))

    def _console(self, msg):
        if msg.type not in ("error", "assert"):
            return
        text = f"{msg.text} ({msg.location.get('url', '')})"
        if any(p.search(text) for p in self._allowed):
            return
        self.errors.append(f"{self.name}: console {msg.type}: {text}")

    @contextlib.contextmanager
    def expect_errors(self, pattern: str):
        """Console errors that this block causes on purpose (e.g. the network is cut)."""
        compiled = re.compile(pattern)
        self._allowed.append(compiled)
        try:
            yield
        finally:
            self._allowed.remove(compiled)

    def shot(self, name: str, full_page: bool = False):
        ARTIFACTS.mkdir(exist_ok=True)
        if full_page:  # sticky and fixed bars are drawn where the viewport is: start at the top
            self.page.evaluate("window.scrollTo(0, 0)")
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page, animations="disabled")

    def axe(self, label: str) -> None:
        """Run axe-core on the page as it is now; fail on any serious or critical violation."""
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            # page.add_script_tag(path=...) inlines the file into a <script>, which the app's
            # Content Security Policy (script-src 'self') rightly refuses. Evaluating the same
            # file through the DevTools protocol is not subject to the page's CSP, so the CSP
            # stays on for every test and still catches an inline script of our own.
            self.page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
        result = self.page.evaluate(
            """async () => {
                const r = await axe.run(document, {resultTypes: ['violations']});
                return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                  .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' -> ' +
                       v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
            }"""
        )
        assert not result, f"axe on {label}:\n" + "\n".join(result)

    def login(self, email=None, password=PASSWORD):
        self.page.goto("/login")
        self.page.fill("#email", email or self.email)
        self.page.fill("#password", password)
        self.page.click("#main form button[type=submit]")
        self.page.wait_for_url("**/f/")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """tests/conftest.py's live server, started once for all browser tests (each test makes its
    own workshop session, so they do not see each other's state); saves a start per test."""
    from tests.conftest import LiveServer

    server = LiveServer(tmp_path_factory.mktemp("e2e") / "instance")
    server.create_facilitator()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def accounts(live_server):
    """Makes facilitator accounts in the live server's database, in this process (a CLI call
    per test would cost a second each)."""
    from workshop import create_app, realtime, services

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WORKSHOP_INSTANCE_PATH", str(live_server.instance))
        app = create_app({"ASYNC_MODE": "threading", "TESTING": True})
    made = []

    def make(name: str) -> str:
        email = f"{re.sub(r'[^a-z0-9]+', '-', name.lower())[:40]}-{len(made)}@example.org"
        with app.app_context():
            services.create_facilitator(email, PASSWORD)
        made.append(email)
        return email

    yield make
    realtime.stop(app)


@pytest.fixture
def account(accounts, request):
    """Every browser test has a facilitator of its own: no login throttle or session list shared."""
    return accounts(request.node.name)


@pytest.fixture
def devices(browser, live_server, account):
    made: list[Device] = []
    log_start = live_server.log.stat().st_size

    def make(name: str, options: dict) -> Device:
        d = Device(browser, name, options, live_server.url)
        d.email = account
        made.append(d)
        return d

    yield make
    errors = [e for d in made for e in d.errors]
    for d in made:
        d.context.close()
    assert not errors, "browser console errors:\n" + "\n".join(errors)
    with open(live_server.log, "rb") as f:
        f.seek(log_start)
        server_log = f.read().decode("utf-8", "replace")
    assert "Traceback" not in server_log, "the server logged an exception:\n" + server_log


class Api:
    """The facilitator's HTTP API against the live server (bearer token)."""

    def __init__(self, server, email="fac@example.org"):
        self.url = server.url
        self.headers = server.token(email)

    def session(self, deck=DECK, **extra) -> dict:
        r = requests.post(f"{self.url}/api/sessions", json={"deck": deck, "min_answers": 1, **extra}, headers=self.headers, timeout=5)
        assert r.status_code == 201, r.text
        return r.json()

    def get(self, session_id) -> dict:
        r = requests.get(f"{self.url}/api/sessions/{session_id}", headers=self.headers, timeout=5)
        assert r.status_code == 200, r.text
        return r.json()

    def command(self, session_id, command) -> dict:
        r = requests.post(
            f"{self.url}/api/sessions/{session_id}/commands", json={"command": command}, headers=self.headers, timeout=5
        )
        assert r.status_code == 200, r.text
        return r.json()

    def decks(self) -> list[dict]:
        r = requests.get(f"{self.url}/api/decks", headers=self.headers, timeout=5)
        assert r.status_code == 200, r.text
        return r.json()["decks"]

    def deck_size(self, deck="medarbejderrollen") -> int:
        return next(d["dilemmas"] for d in self.decks() if d["id"] == deck)

    def export(self, session_id, fmt="md") -> str:
        r = requests.get(f"{self.url}/api/sessions/{session_id}/export?format={fmt}", headers=self.headers, timeout=5)
        assert r.status_code == 200, r.text
        return r.text


@pytest.fixture
def api(live_server, account):
    return Api(live_server, account)


class Phones:
    """Extra participants as python-socketio clients (the room's other phones)."""

    def __init__(self, url):
        self.url = url
        self.clients = []

    def join(self, code) -> socketio.Client:  # noqa: F821
        import socketio

        c = socketio.Client(reconnection=False)
        c.connect(self.url, wait_timeout=5)
        ack = c.call("join", {"code": code}, timeout=5)
        assert ack["ok"], ack
        c.state = ack["state"]
        self.clients.append(c)
        return c

    def vote(self, client, dilemma, option):
        ack = client.call("vote", {"dilemma": dilemma, "option": option}, timeout=5)
        assert ack["ok"], ack

    def close(self):
        for c in self.clients:
            with contextlib.suppress(Exception):
                c.disconnect()


@pytest.fixture
def phones(live_server):
    p = Phones(live_server.url)
    yield p
    p.close()


def eventually(predicate, timeout=6.0, interval=0.05):
    """wait_for with the browser's more patient defaults."""
    return wait_for(predicate, timeout=timeout, interval=interval)
