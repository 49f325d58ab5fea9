"""Load benchmark (a script, not a test): many phones join, vote at once, follow phase changes.

    .venv/bin/python bench/load.py --phones 500                 # starts its own server (SQLite, eventlet)
    .venv/bin/python bench/load.py --phones 500 --mode gevent
    .venv/bin/python bench/load.py --url http://127.0.0.1:5000 --email … --password …

Prints join, fan-out and vote latencies (median, p95, max), the time until the projector's
count is exact after the last vote, and the server's memory. Loopback only; it stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import socketio

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password-1"


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def line(name, values_ms):
    if not values_ms:
        return f"{name:<34} (none)"
    return (
        f"{name:<34} median {statistics.median(values_ms):7.1f} ms   p95 {pct(values_ms, .95):7.1f} ms"
        f"   max {max(values_ms):7.1f} ms"
    )


def start_server(mode: str, port: int):
    instance = Path(tempfile.mkdtemp(prefix="workshop-bench-"))
    env = {**os.environ, "WORKSHOP_INSTANCE_PATH": str(instance), "WORKSHOP_PORT": str(port),
           "WORKSHOP_HOST": "127.0.0.1", "WORKSHOP_ASYNC_MODE": mode}
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "facilitator", "create", "bench@example.org",
                    "--password", PASSWORD], cwd=ROOT, env=env, check=True, capture_output=True)
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if requests.get(url + "/healthz", timeout=1).ok:
                return proc, url
        except requests.RequestException:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


def cpu_s(pid: int | None) -> float:
    """CPU seconds (user + system) the server process has used so far."""
    if not pid:
        return float("nan")
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for row in Path(f"/proc/{pid}/status").read_text().splitlines():
        if row.startswith("VmRSS:"):
            return int(row.split()[1]) / 1024
    return float("nan")


class Phone:
    def __init__(self):
        self.client = socketio.AsyncClient(reconnection=False)
        self.states: list[tuple[float, dict]] = []
        self.client.on("state", self._on_state)

    async def _on_state(self, data):
        self.states.append((time.perf_counter(), data))

    async def wait_phase(self, phase, since, timeout=30):
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            for t, s in self.states:
                if t >= since and s["phase"] == phase:
                    return t
            await asyncio.sleep(0.01)
        return None


async def run(args, url, headers, pid=None):
    s = requests.post(f"{url}/api/sessions", json={"deck": "lederrollen"}, headers=headers, timeout=10).json()
    screen = socketio.AsyncClient(reconnection=False)
    counts: list[tuple[float, int]] = []
    screen.on("results", lambda r: counts.append((time.perf_counter(), r["total"])))
    await screen.connect(url, transports=["websocket"])
    await screen.call("watch", {"code": s["code"], "screen_token": s["screen_token"]})

    phones = [Phone() for _ in range(args.phones)]
    sem = asyncio.Semaphore(50)
    join_ms = []

    async def join(p):
        async with sem:
            t0 = time.perf_counter()
            await p.client.connect(url, transports=["websocket"])
            ack = await p.client.call("join", {"code": s["code"]}, timeout=30)
            assert ack["ok"], ack
            join_ms.append((time.perf_counter() - t0) * 1000)

    t0 = time.perf_counter()
    await asyncio.gather(*(join(p) for p in phones))
    joined_s = time.perf_counter() - t0

    def command(cmd):
        r = requests.post(f"{url}/api/sessions/{s['id']}/commands", json={"command": cmd}, headers=headers, timeout=30)
        r.raise_for_status()
        return r.json()

    t_cmd = time.perf_counter()
    d = await asyncio.to_thread(command, "next")
    d = d["dilemma"]
    arrivals = await asyncio.gather(*(p.wait_phase("voting", t_cmd) for p in phones))
    fanout_next = [(a - t_cmd) * 1000 for a in arrivals if a]

    vote_ms = []

    async def vote(i, p):
        t = time.perf_counter()
        ack = await p.client.call("vote", {"dilemma": d["id"], "option": d["options"][i % len(d["options"])]["id"]},
                                  timeout=30)
        assert ack["ok"], ack
        vote_ms.append((time.perf_counter() - t) * 1000)

    t_votes = time.perf_counter()
    cpu_before = cpu_s(pid)
    await asyncio.gather(*(vote(i, p) for i, p in enumerate(phones)))
    last_ack = time.perf_counter()
    server_cpu = cpu_s(pid) - cpu_before
    exact_at = None
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline:
        hit = [t for t, total in counts if total == args.phones]
        if hit:
            exact_at = hit[0]
            break
        await asyncio.sleep(0.01)
    broadcasts = len([1 for t, _ in counts if t >= t_votes])

    t_cmd = time.perf_counter()
    await asyncio.to_thread(command, "reveal")
    arrivals = await asyncio.gather(*(p.wait_phase("revealed", t_cmd) for p in phones))
    fanout_reveal = [(a - t_cmd) * 1000 for a in arrivals if a]

    for p in phones:
        await p.client.disconnect()
    await screen.disconnect()
    return {
        "joined_s": joined_s, "join_ms": join_ms, "fanout_next": fanout_next, "vote_ms": vote_ms,
        "votes_s": last_ack - t_votes, "server_cpu_s": server_cpu, "exact_after_last_ms": (exact_at - last_ack) * 1000 if exact_at else None,
        "broadcasts": broadcasts, "fanout_reveal": fanout_reveal,
        "missed_next": args.phones - len(fanout_next), "missed_reveal": args.phones - len(fanout_reveal),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--phones", type=int, default=300)
    ap.add_argument("--mode", default="eventlet", choices=["eventlet", "gevent", "threading"])
    ap.add_argument("--port", type=int, default=5099)
    ap.add_argument("--url")
    ap.add_argument("--email", default="bench@example.org")
    ap.add_argument("--password", default=PASSWORD)
    args = ap.parse_args()

    proc = None
    url = args.url
    if not url:
        proc, url = start_server(args.mode, args.port)
    try:
        token = requests.post(f"{url}/api/token", json={"email": args.email, "password": args.password}, timeout=10).json()["token"]
        rss_before = rss_mb(proc.pid) if proc else float("nan")
        r = asyncio.run(run(args, url, {"Authorization": f"Bearer {token}"}, proc.pid if proc else None))
        rss_after = rss_mb(proc.pid) if proc else float("nan")
    finally:
        if proc:
            proc.terminate()
            proc.wait(10)

    print(f"phones: {args.phones}   async mode: {args.mode if not args.url else 'external'}")
    print(f"{'all joined in':<34} {r['joined_s']:.2f} s")
    print(line("join (connect + join ack)", r["join_ms"]))
    print(line("'next' reaches every phone", r["fanout_next"]) + f"   missed {r['missed_next']}")
    print(line("vote acknowledged", r["vote_ms"]))
    print(f"{'all votes acknowledged in':<34} {r['votes_s']:.2f} s (server CPU meanwhile {r['server_cpu_s']:.2f} s)")
    exact = r["exact_after_last_ms"]
    print(f"{'screen exact after last ack':<34} {exact:.0f} ms" if exact is not None else "screen never exact!")
    print(f"{'results broadcasts during votes':<34} {r['broadcasts']}")
    print(line("'reveal' reaches every phone", r["fanout_reveal"]) + f"   missed {r['missed_reveal']}")
    if proc:
        print(f"{'server memory (RSS)':<34} {rss_before:.0f} MB idle -> {rss_after:.0f} MB with {args.phones} phones")


if __name__ == "__main__":
    main()
