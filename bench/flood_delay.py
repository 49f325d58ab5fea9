"""How much one client's flood delays another (issue 10; a script, not a test).

    .venv/bin/python bench/flood_delay.py                      # starts this checkout's server
    .venv/bin/python bench/flood_delay.py --root /tmp/old-tree # a server from another checkout
    .venv/bin/python bench/flood_delay.py --url http://127.0.0.1:5000 --email … --password …

A flooder opens a raw engine.io WebSocket and sends N `vote` events with acknowledgements in
one burst (no waiting): wrong-code joins by default, or cheap votes (--event vote); right after the burst an ordinary phone joins and answers, and the
script prints how long those two acknowledgements took (median of a few rounds), plus how many
of the flood's events were answered `too_many_requests`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import socketio
import websocket

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "flood-bench-password"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(root: Path, instance: Path):
    port = free_port()
    env = {
        **os.environ,
        "WORKSHOP_HOST": "127.0.0.1",
        "WORKSHOP_PORT": str(port),
        "WORKSHOP_INSTANCE_PATH": str(instance),
    }
    subprocess.run(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "app",
            "facilitator",
            "create",
            "flood@example.org",
            "--password",
            PASSWORD,
        ],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
    )
    proc = subprocess.Popen(
        [sys.executable, "app.py"], cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if requests.get(url + "/healthz", timeout=1).status_code == 200:
                return proc, url
        except requests.RequestException:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


FRAMES = {
    "vote": '42{}["vote",{{"dilemma":"x","option":"a"}}]',  # cheap for the server: not joined
    "join": '42{}["join",{{"code":"000000"}}]',  # a database query each: a wrong join code
}


def flood(url: str, n: int, event: str) -> websocket.WebSocket:
    ws = websocket.create_connection(url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket", timeout=30)
    ws.recv()  # engine.io open
    ws.send("40")
    while not ws.recv().startswith("40"):
        pass
    frame = FRAMES[event]
    for i in range(n):
        ws.send(frame.format(i))
    return ws


def drain(ws: websocket.WebSocket, n: int, timeout: float) -> dict:
    codes: dict[str, int] = {}
    ws.settimeout(timeout)
    got = 0
    try:
        while got < n:
            msg = ws.recv()
            if msg == "2":
                ws.send("3")
                continue
            if msg.startswith("41") or msg == "1":
                codes["(closed by the server)"] = n - got
                break
            if msg.startswith("43"):
                got += 1
                body = json.loads(msg[msg.index("[") :])[0]
                code = "ok" if body.get("ok") else body["error"]["code"]
                codes[code] = codes.get(code, 0) + 1
    except websocket.WebSocketTimeoutException:
        pass
    except (websocket.WebSocketConnectionClosedException, ConnectionError):
        codes["(closed by the server)"] = n - got
    return codes


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url")
    ap.add_argument("--root", type=Path, default=ROOT)
    ap.add_argument("--email", default="flood@example.org")
    ap.add_argument("--password", default=PASSWORD)
    ap.add_argument("-n", type=int, default=2000, help="events in one flood")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--event", choices=sorted(FRAMES), default="join")
    args = ap.parse_args()
    proc = None
    if args.url is None:
        proc, args.url = start_server(args.root, Path(tempfile.mkdtemp(prefix="flood-")))
    try:
        token = requests.post(
            args.url + "/api/token", json={"email": args.email, "password": args.password}, timeout=10
        ).json()["token"]
        session = requests.post(
            args.url + "/api/sessions",
            json={"deck": "medarbejderrollen"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        ).json()
        delays, answered, failures = [], {}, 0
        for _ in range(args.rounds):
            ws = flood(args.url, args.n, args.event)
            started = time.monotonic()
            while True:  # a connection refused or timed out under the flood is tried again
                phone = socketio.SimpleClient()
                try:
                    phone.connect(args.url, transports=["websocket"], wait_timeout=60)
                    break
                except socketio.exceptions.ConnectionError:
                    failures += 1
                    if time.monotonic() - started > 120:
                        raise
            phone.call("join", {"code": session["code"]}, timeout=60)
            phone.call("vote", {"dilemma": "x", "option": "a"}, timeout=60)
            delays.append(time.monotonic() - started)
            phone.disconnect()
            for code, k in drain(ws, args.n, 30).items():
                answered[code] = answered.get(code, 0) + k
            ws.close()
        print(f"server: {args.root if proc else args.url}")
        print(f"flood: {args.n} {args.event} events x {args.rounds} rounds; answers: {answered}")
        print(
            f"another phone's connect+join+vote during the flood: median {statistics.median(delays) * 1000:.0f} ms, max {max(delays) * 1000:.0f} ms; failed connects {failures}"
        )
    finally:
        if proc:
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    main()
