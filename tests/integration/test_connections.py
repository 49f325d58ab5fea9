"""The connection cap: one process serves WORKSHOP_MAX_CONNECTIONS connections, not the web
server's own default (eventlet's is 1,024, after which connections wait and time out)."""

from __future__ import annotations

import resource
import socket
import subprocess
import sys

import pytest
import requests

from tests.conftest import ROOT


def idle_connections(port: int, n: int) -> list[socket.socket]:
    """Open n TCP connections that never send a request: each holds one of the server's slots."""
    conns = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        conns.append(s)
    return conns


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_one_process_serves_more_than_1024_connections(live_server_factory, mode):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1200 <= hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (1200, hard))  # for this test's own sockets
    elif soft < 1200:
        pytest.skip(f"this test process may open only {hard} files")
    server = live_server_factory(env={"WORKSHOP_ASYNC_MODE": mode}).start()
    conns = idle_connections(server.port, 1100)
    try:
        # With eventlet's default (max_size 1,024) this request is never accepted.
        assert requests.get(server.url + "/healthz", timeout=10).status_code == 200
    finally:
        for s in conns:
            s.close()


def test_the_cap_is_configurable_and_a_freed_slot_is_reused(live_server_factory):
    server = live_server_factory(env={"WORKSHOP_MAX_CONNECTIONS": "5"}).start()
    conns = idle_connections(server.port, 5)
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(server.url + "/healthz", timeout=1)  # the 6th connection waits in the backlog
    conns.pop().close()
    assert requests.get(server.url + "/healthz", timeout=10).status_code == 200
    for s in conns:
        s.close()
    assert "at most 5 connections" in server.log.read_text()


@pytest.mark.parametrize("value", ["0", "many", "-3"])
def test_a_wrong_cap_is_refused_at_start(tmp_path, value):
    env = {"WORKSHOP_INSTANCE_PATH": str(tmp_path), "WORKSHOP_MAX_CONNECTIONS": value, "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode != 0
    assert "WORKSHOP_MAX_CONNECTIONS must be a whole number" in r.stderr


def test_the_open_files_limit_is_raised_to_the_hard_limit():
    from workshop.server import raise_open_files_limit

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(256, hard), hard))
        got, _ = raise_open_files_limit(100)
        assert got == hard == resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
