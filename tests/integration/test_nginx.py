"""The shipped nginx site (deploy/nginx/workshop.conf, ports substituted) in front of two app
processes on PostgreSQL + Redis: a whole session through it with real python-socketio clients
on every transport (polling then upgrade, websocket only, polling only).

Runs where Debian's nginx is installed (`.ci/run` installs it); skips with the reason elsewhere,
and with CI=true a missing nginx fails the run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import requests
import socketio

from tests.conftest import ROOT, free_port, need, wait_for
from tests.integration.test_postgres_redis import database, queue, two_processes  # noqa: F401  (fixtures)

SITE = ROOT / "deploy" / "nginx" / "workshop.conf"
LOG_FORMAT = "$upstream_addr|$arg_transport|$arg_sid|$status|$request_method $uri"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def site_for(port: int, upstreams: list[int]) -> str:
    """The shipped site with its ports replaced: nothing else changes."""
    text = SITE.read_text()
    text = text.replace("listen [::]:80;", "")
    text = text.replace("listen 80;", f"listen 127.0.0.1:{port};")
    for shipped, ours in zip(("127.0.0.1:5001", "127.0.0.1:5002"), upstreams, strict=True):
        text = text.replace(shipped, f"127.0.0.1:{ours}")
    assert f"127.0.0.1:{port}" in text and "5001" not in text and "5002" not in text
    return text


@pytest.fixture
def nginx(tmp_path):
    binary = nginx_binary()
    need(binary is not None, "nginx is not installed (apt-get install nginx-light)")
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    procs = []

    def start(upstreams: list[int]):
        port = free_port()
        user = "user root;" if os.geteuid() == 0 else ""
        temps = " ".join(f"{k}_temp_path {prefix / k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (prefix / "nginx.conf").write_text(
            f"""{user}
worker_processes 1;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    log_format workshop '{LOG_FORMAT}';
    access_log {prefix / "access.log"} workshop;
    {temps}
{site_for(port, upstreams)}
}}
"""
        )
        check = subprocess.run(
            [binary, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")], capture_output=True, text=True
        )
        assert check.returncode == 0, check.stderr
        proc = subprocess.Popen(
            [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        procs.append(proc)
        return port, prefix / "access.log"

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(10)


def access_lines(log: Path) -> list[list[str]]:
    """The access log's fields; nginx writes "-" for an empty variable."""
    rows = log.read_text().splitlines() if log.exists() else []
    return [["" if f == "-" else f for f in row.split("|")] for row in rows]


def test_a_whole_session_through_nginx_in_front_of_two_processes(live_server_factory, tmp_path, nginx, database, queue):  # noqa: F811
    a, b = two_processes(live_server_factory, tmp_path, database, queue, start=False)
    port, log = nginx([a.port, b.port])
    url = f"http://127.0.0.1:{port}"
    for server in (a, b):  # the public URL is the proxy's: join links, QR codes and the origin check
        server.env["WORKSHOP_PUBLIC_URL"] = url
    a.create_facilitator()
    a.start()
    b.start()
    assert wait_for(lambda: requests.get(url + "/healthz", timeout=2).status_code == 200, timeout=10)

    token = requests.post(
        f"{url}/api/token", json={"email": "fac@example.org", "password": "korrekt-hest-batteri"}, timeout=10
    )
    headers = {"Authorization": f"Bearer {token.json()['token']}"}
    s = requests.post(f"{url}/api/sessions", json={"deck": "lederrollen"}, headers=headers, timeout=10).json()
    assert s["join_url"].startswith(url)

    screen = socketio.Client(reconnection=False)
    results = []
    screen.on("results", results.append)
    screen.connect(url, wait_timeout=10)
    assert screen.call("watch", {"code": s["code"], "screen_token": s["screen_token"]}, timeout=10)["ok"]

    transports = [None, None, ["websocket"], ["websocket"], ["websocket"], ["websocket"], ["polling"], ["polling"]]
    phones = []
    for t in transports:
        p = socketio.Client(reconnection=False)
        got = []
        p.on("state", got.append)
        # As a browser, every request carries the page's origin; websocket-client adds its own
        # Origin header to a websocket (a second one would be refused as "a, b"), requests does not.
        origin = {"Origin": url} if t == ["polling"] else {}
        p.connect(url, headers=origin, transports=t, wait_timeout=10)
        assert p.call("join", {"code": s["code"]}, timeout=10)["ok"]
        phones.append((p, got))

    def command(cmd):
        r = requests.post(f"{url}/api/sessions/{s['id']}/commands", json={"command": cmd}, headers=headers, timeout=10)
        assert r.status_code == 200, r.text
        return r.json()

    d = command("next")["dilemma"]
    assert wait_for(lambda: all(got and got[-1]["phase"] == "voting" for _, got in phones), timeout=10)
    for i, (p, _) in enumerate(phones):
        vote = {"dilemma": d["id"], "option": d["options"][i % 2]["id"], "reason": f"Ærlighed først ({i})"}
        assert p.call("vote", vote, timeout=10) == {"ok": True}
    assert wait_for(lambda: results and results[-1]["total"] == len(phones), timeout=10)

    assert command("reveal")["results"]["total"] == len(phones)
    assert wait_for(lambda: all(got[-1]["phase"] == "revealed" and got[-1]["results"] for _, got in phones), timeout=10)
    export = requests.get(f"{url}/api/sessions/{s['id']}/export?format=md", headers=headers, timeout=10)
    assert export.status_code == 200 and "Ærlighed først (7)" in export.text

    for p, _ in phones:
        p.disconnect()
    screen.disconnect()

    # The routing did what the site says: direct websockets spread over both processes, and
    # every request of a polling connection (and its upgrade) reached one process.
    ws = lambda: [r for r in access_lines(log) if r[1] == "websocket" and not r[2]]  # noqa: E731
    assert wait_for(lambda: len(ws()) >= 4, timeout=10), access_lines(log)
    assert {r[0] for r in ws()} == {f"127.0.0.1:{a.port}", f"127.0.0.1:{b.port}"}
    by_sid: dict[str, set] = {}
    for upstream, _transport, sid, _status, _request in access_lines(log):
        if sid:
            by_sid.setdefault(sid, set()).add(upstream)
    assert by_sid and all(len(v) == 1 for v in by_sid.values()), by_sid
    assert not [r for r in access_lines(log) if re.match(r"[45]\d\d", r[3])], "refused or failed requests"
    assert [r for r in access_lines(log) if r[1] == "websocket" and r[2] and r[3] == "101"], (
        "no polling connection upgraded"
    )
