"""Live-session load (a script, not a test): the one place for the load logic of bench/.

    .venv/bin/python bench/load.py --phones 500                  # starts the app (SQLite, eventlet)
    .venv/bin/python bench/load.py --phones 500 --mode gevent
    .venv/bin/python bench/load.py --phones 500 --bare           # the bare reference server instead
    .venv/bin/python bench/load.py --url http://127.0.0.1:5000 --email … --password …
    .venv/bin/python bench/compare.py --phones 1000              # both, the same load, and the ratios

The phones are a small raw Socket.IO client (engine.io v4 over one websocket, on one aiohttp
session, one asyncio loop): a phone costs the generator a few kilobytes and no thread, so the
generator does not dominate the 2 cores it shares with the server. Its own CPU is measured and
printed. The scenario (`scenario`):

1. the projector watches; N phones connect and `join` (50 at a time): all joined in … s;
   the server's RSS before and after gives the memory per phone;
2. `next`: how long until each phone has the `voting` STATE (median / max);
3. every phone votes at the same instant: how long until the last acknowledgement, and until
   the projector's `results` first shows all N (both from the instant the burst began);
4. `next`, then a steady stream of answers (200/s by default, each phone once): p95 of the
   acknowledgements, and how far the projector lags behind the acknowledged count;
5. server CPU over the whole run and the generator's own CPU.

`kill9_burst` is the durability check: kill -9 the app in the middle of a vote burst, start it
again and check that every acknowledged vote is there (rejoin with the token: the same vote).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import requests

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password-1"
EMAIL = "bench@example.org"


# --- numbers ---------------------------------------------------------------------------------


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else float("nan")


def median(values):
    return statistics.median(values) if values else float("nan")


def cpu_s(pid: int | None) -> float:
    """CPU seconds (user + system) a process has used so far."""
    if not pid:
        return float("nan")
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int | None) -> float:
    if not pid:
        return float("nan")
    for row in Path(f"/proc/{pid}/status").read_text().splitlines():
        if row.startswith("VmRSS:"):
            return int(row.split()[1]) / 1024
    return float("nan")


def own_cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


# --- servers -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A server process the benchmark started (or an outside one: proc None)."""

    url: str
    proc: subprocess.Popen | None = None
    env: dict = field(default_factory=dict)
    cmd: list = field(default_factory=list)
    log: Path | None = None

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def start(self, timeout=60):
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL
        self.proc = subprocess.Popen(self.cmd, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited with {self.proc.returncode}: {' '.join(self.cmd)}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        raise SystemExit("server did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)


def app_server(mode="eventlet", port=None, instance: Path | None = None, env: dict | None = None) -> Server:
    """`python app.py` on a fresh SQLite file in a temp dir (or `instance`), with a facilitator."""
    port = port or free_port()
    instance = instance or Path(tempfile.mkdtemp(prefix="workshop-bench-"))
    e = {
        **os.environ,
        "WORKSHOP_INSTANCE_PATH": str(instance),
        "WORKSHOP_PORT": str(port),
        "WORKSHOP_HOST": "127.0.0.1",
        "WORKSHOP_ASYNC_MODE": mode,
        **(env or {}),
    }
    made = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "facilitator", "create", EMAIL, "--password", PASSWORD],
        cwd=ROOT,
        env=e,
        capture_output=True,
        text=True,
    )
    if made.returncode != 0 and "exists" not in made.stderr + made.stdout:
        raise SystemExit(f"facilitator create failed: {made.stderr or made.stdout}")
    return Server(f"http://127.0.0.1:{port}", env=e, cmd=[sys.executable, "app.py"], log=instance / "server.log")


def bare_server(mode="eventlet", port=None, message_queue=None, settle_heap=False) -> Server:
    port = port or free_port()
    cmd = [sys.executable, "bench/bare_server.py", "--port", str(port), "--mode", mode]
    if settle_heap:
        cmd += ["--settle-heap"]
    if message_queue:
        cmd += ["--message-queue", message_queue]
    return Server(f"http://127.0.0.1:{port}", env=dict(os.environ), cmd=cmd)


def api_token(url, email=EMAIL, password=PASSWORD) -> dict:
    r = requests.post(f"{url}/api/token", json={"email": email, "password": password}, timeout=10)
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['token']}"}


# --- a cheap Socket.IO client ---------------------------------------------------------------


class Phone:
    """Socket.IO v5 over an engine.io v4 websocket, nothing else: connect, call with an
    acknowledgement, remember when each STATE (phase, dilemma) first arrived."""

    ids = itertools.count(1)

    def __init__(self, http: aiohttp.ClientSession):
        self.http = http
        self.ws = None
        self.acks: dict[int, asyncio.Future] = {}
        self.seen: dict[tuple, float] = {}  # (phase, dilemma id) -> first arrival
        self.on_results = None
        self.reader = None
        self.closed = asyncio.Event()

    async def connect(self, url: str, timeout=30):
        ws_url = url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        self.ws = await asyncio.wait_for(
            self.http.ws_connect(ws_url, timeout=aiohttp.ClientWSTimeout(ws_close=10), autoping=False, max_msg_size=0),
            timeout,
        )
        first = await asyncio.wait_for(self.ws.receive_str(), timeout)  # "0{sid, pingInterval…}"
        if not first.startswith("0"):
            raise ConnectionError(first)
        await self.ws.send_str("40")
        connected = await asyncio.wait_for(self.ws.receive_str(), timeout)
        if not connected.startswith("40"):
            raise ConnectionError(connected)
        self.reader = asyncio.create_task(self._read())

    async def _read(self):
        try:
            async for msg in self.ws:
                if msg.type != aiohttp.WSMsgType.TEXT:
                    break
                data = msg.data
                if data == "2":
                    await self.ws.send_str("3")
                elif data.startswith("43"):
                    i = 2
                    while data[i].isdigit():
                        i += 1
                    fut = self.acks.pop(int(data[2:i]), None)
                    if fut and not fut.done():
                        fut.set_result(json.loads(data[i:])[0])
                elif data.startswith("42"):
                    now = time.perf_counter()
                    event, payload = json.loads(data[2:])
                    if event == "state":
                        key = (payload["phase"], (payload.get("dilemma") or {}).get("id"))
                        self.seen.setdefault(key, now)
                    elif event == "results" and self.on_results:
                        self.on_results(now, payload)
        except Exception:
            pass
        finally:
            self.closed.set()
            for fut in self.acks.values():
                if not fut.done():
                    fut.set_exception(ConnectionError("connection closed"))
            self.acks.clear()

    async def call(self, event: str, data: dict, timeout=30):
        n = next(self.ids)
        fut = asyncio.get_running_loop().create_future()
        self.acks[n] = fut
        await self.ws.send_str(f"42{n}" + json.dumps([event, data], separators=(",", ":")))
        return await asyncio.wait_for(fut, timeout)

    async def close(self):
        if self.ws is not None and not self.ws.closed:
            await self.ws.close()
        if self.reader:
            await self.reader


async def wait_until(predicate, timeout):
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.005)
    return predicate()


def run_sync(coro):
    """asyncio.run() in a thread of its own: works where an event loop already runs in this one
    (a test after Playwright's sync API, for instance)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def http_session():
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0, force_close=True))


# --- the scenario ---------------------------------------------------------------------------


async def scenario(
    urls, phones: int, headers: dict, pids=(), rate=200, steady_seconds=5.0, join_concurrency=50, deck="lederrollen"
) -> dict:
    """Run the live-session load against one server (or several: phones spread round-robin over
    `urls`; the projector and the commands go to the first). Returns the measurements."""
    url = urls[0]
    pids = [p for p in pids if p]
    post = lambda path, body: requests.post(url + path, json=body, headers=headers, timeout=60)  # noqa: E731
    s = post("/api/sessions", {"deck": deck}).json()
    cpu0, gen0 = sum(cpu_s(p) for p in pids), own_cpu_s()
    laps = [(cpu0, gen0)]

    def lap(name):  # server and generator CPU spent in this phase of the scenario
        laps.append((sum(cpu_s(p) for p in pids), own_cpu_s()))
        out[f"cpu_{name}_s"] = laps[-1][0] - laps[-2][0]
        out[f"gen_{name}_s"] = laps[-1][1] - laps[-2][1]

    errors = []
    out: dict = {"phones": phones}

    async with http_session() as http:
        screen = Phone(http)
        counts: list[tuple[float, str, int]] = []
        screen.on_results = lambda t, r: counts.append((t, r["dilemma"], r["total"]))
        await screen.connect(url)
        assert (await screen.call("watch", {"code": s["code"], "screen_token": s["screen_token"]}))["ok"]

        # 1. join
        rss0 = sum(rss_mb(p) for p in pids)
        crowd = [Phone(http) for _ in range(phones)]
        sem = asyncio.Semaphore(join_concurrency)

        async def join(i, p):
            async with sem:
                try:
                    await p.connect(urls[i % len(urls)])
                    ack = await p.call("join", {"code": s["code"]})
                    if not ack.get("ok"):
                        errors.append(("join", ack))
                except Exception as exc:  # timeouts, refused connections
                    errors.append(("join", repr(exc)))

        lap("setup")
        t0 = time.perf_counter()
        await asyncio.gather(*(join(i, p) for i, p in enumerate(crowd)))
        out["join_s"] = time.perf_counter() - t0
        lap("join")
        out["rss_before_mb"], out["rss_after_mb"] = rss0, sum(rss_mb(p) for p in pids)
        out["rss_per_phone_kb"] = (out["rss_after_mb"] - rss0) * 1024 / phones if pids else float("nan")
        live = [p for p in crowd if p.reader and not p.closed.is_set()]

        # 2. next reaches every phone
        t_cmd = time.perf_counter()
        d = (await asyncio.to_thread(post, f"/api/sessions/{s['id']}/commands", {"command": "next"})).json()["dilemma"]
        key = ("voting", d["id"])
        await wait_until(lambda: all(key in p.seen for p in live), 30)
        fan = [(p.seen[key] - t_cmd) * 1000 for p in live if key in p.seen]
        out["next_median_ms"], out["next_max_ms"] = median(fan), max(fan, default=float("nan"))
        out["next_missed"] = len(live) - len(fan)
        lap("next")

        # 3. the burst: every phone at one instant
        options = [o["id"] for o in d["options"]]
        acked: list[float] = []

        async def vote(i, p, dilemma_id):
            try:
                ack = await p.call("vote", {"dilemma": dilemma_id, "option": options[i % len(options)]})
                if ack.get("ok"):
                    acked.append(time.perf_counter())
                else:
                    errors.append(("vote", ack))
            except Exception as exc:
                errors.append(("vote", repr(exc)))

        t_burst = time.perf_counter()
        await asyncio.gather(*(vote(i, p, d["id"]) for i, p in enumerate(live)))
        out["burst_s"] = time.perf_counter() - t_burst
        lap("burst")
        n_acked = len(acked)
        await wait_until(lambda: any(dd == d["id"] and total >= n_acked for _, dd, total in counts), 15)
        exact = [t for t, dd, total in counts if dd == d["id"] and total >= n_acked]
        out["exact_s"] = (exact[0] - t_burst) if exact else float("nan")
        out["burst_results_emits"] = len([1 for t, dd, _ in counts if dd == d["id"] and t >= t_burst])
        # every answer counted once: a moment later, the projector's count less the acknowledged
        await asyncio.sleep(0.6)
        out["burst_overcount"] = max((total for _, dd, total in counts if dd == d["id"]), default=0) - n_acked

        # 4. steady answers on the next dilemma: `rate` per second, each phone once
        d2 = (await asyncio.to_thread(post, f"/api/sessions/{s['id']}/commands", {"command": "next"})).json()["dilemma"]
        key2 = ("voting", d2["id"])
        await wait_until(lambda: all(key2 in p.seen for p in live), 30)
        options = [o["id"] for o in d2["options"]]
        n_steady = min(len(live), int(rate * steady_seconds))
        lat: list[float] = []
        acks_at: list[float] = []

        async def steady_vote(i, p):
            t = time.perf_counter()
            try:
                ack = await p.call("vote", {"dilemma": d2["id"], "option": options[i % len(options)]})
                if ack.get("ok"):
                    now = time.perf_counter()
                    lat.append((now - t) * 1000)
                    acks_at.append(now)
                else:
                    errors.append(("steady", ack))
            except Exception as exc:
                errors.append(("steady", repr(exc)))

        tasks = []
        t_steady = time.perf_counter()
        for i, p in enumerate(live[:n_steady]):
            delay = t_steady + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(steady_vote(i, p)))
        await asyncio.gather(*tasks)
        await wait_until(lambda: any(dd == d2["id"] and total >= len(acks_at) for _, dd, total in counts), 15)
        out["steady_rate"] = n_steady / max(1e-9, time.perf_counter() - t_steady)
        out["steady_p95_ms"], out["steady_median_ms"] = pct(lat, 0.95), median(lat)
        # lag: the k-th acknowledged answer is on the projector when a `results` first counts >= k
        shown = sorted((t, total) for t, dd, total in counts if dd == d2["id"])
        lags, j, best = [], 0, 0
        for k, a in enumerate(sorted(acks_at), start=1):
            while j < len(shown) and best < k:
                best = max(best, shown[j][1])
                j += 1
            lags.append(max(0.0, shown[j - 1][0] - a) * 1000 if best >= k and j else float("inf"))
        out["steady_lag_p95_ms"], out["steady_lag_max_ms"] = pct(lags, 0.95), max(lags, default=float("nan"))

        lap("steady")
        out["server_cpu_s"] = sum(cpu_s(p) for p in pids) - cpu0
        # one results stream per session: consecutive emits for a dilemma come >= 250 ms apart
        # (less only by delivery jitter); two streams would show many pairs close together
        close = 0
        for dilemma_id in (d["id"], d2["id"]):
            times = [t for t, dd, _ in counts if dd == dilemma_id]
            close += sum(1 for x, y in zip(times, times[1:], strict=False) if y - x < 0.125)
        out["results_close_pairs"] = close
        out["generator_cpu_s"] = own_cpu_s() - gen0
        out["errors"] = len(errors)
        out["error_samples"] = errors[:3]
        await asyncio.gather(*(p.close() for p in crowd), screen.close(), return_exceptions=True)
    return out


async def kill9_burst(server, phones: int, kill_after: int, headers: dict, deck="lederrollen") -> dict:
    """Every phone votes at one instant and, once acknowledged, changes its vote again and again,
    so votes are always in flight; the server is killed (-9) once `kill_after` votes are
    acknowledged, then started again. A phone's stored vote must be its last acknowledged one
    (or the one it had sent and not yet had acknowledged: committed, not answered); anything
    else is an acknowledged vote lost. `server` is a bench Server or the tests' LiveServer."""
    url = server.url
    s = requests.post(f"{url}/api/sessions", json={"deck": deck}, headers=headers, timeout=30).json()
    d = requests.post(
        f"{url}/api/sessions/{s['id']}/commands", json={"command": "next"}, headers=headers, timeout=30
    ).json()["dilemma"]
    options = [o["id"] for o in d["options"]]
    last: dict[str, str] = {}  # token -> last acknowledged option
    pending: dict[str, str] = {}  # token -> option last sent
    acks = 0
    async with http_session() as http:
        crowd = [Phone(http) for _ in range(phones)]
        tokens = {}
        sem = asyncio.Semaphore(50)

        async def join(p):
            async with sem:
                await p.connect(url)
                tokens[p] = (await p.call("join", {"code": s["code"]}))["token"]

        await asyncio.gather(*(join(p) for p in crowd))
        killed = asyncio.Event()

        async def voter(i, p):
            nonlocal acks
            token, k = tokens[p], i
            while not killed.is_set():
                pending[token] = options[k % len(options)]
                try:
                    ack = await p.call("vote", {"dilemma": d["id"], "option": pending[token]}, timeout=15)
                except Exception:
                    return
                if not ack.get("ok"):
                    return
                last[token] = pending[token]
                acks += 1
                if acks >= kill_after and not killed.is_set():
                    killed.set()
                    server.kill9()
                k += 1

        await asyncio.gather(*(voter(i, p) for i, p in enumerate(crowd)))
        if not killed.is_set():
            server.kill9()
        in_flight = sum(1 for t in tokens.values() if t in pending and pending[t] != last.get(t))
        await asyncio.gather(*(p.close() for p in crowd), return_exceptions=True)

        server.start()
        lost = []

        async def check(token, option):
            async with sem:
                p = Phone(http)
                await p.connect(url)
                state = (await p.call("join", {"code": s["code"], "token": token}))["state"]
                if (state.get("my_vote") or {}).get("option") not in (option, pending[token]):
                    lost.append(token)
                await p.close()

        await asyncio.gather(*(check(t, o) for t, o in last.items()))
    return {"phones": phones, "acked": acks, "phones_acked": len(last), "in_flight": in_flight, "lost": len(lost)}


# --- one server from the command line ---------------------------------------------------------

ROWS = [
    ("all phones connected and joined", "join_s", "s"),
    ("`next` reaches every phone, median", "next_median_ms", "ms"),
    ("`next` reaches every phone, max", "next_max_ms", "ms"),
    ("all votes at one instant acknowledged", "burst_s", "s"),
    ("projector exact after the burst began", "exact_s", "s"),
    ("steady answers: p95 acknowledgement", "steady_p95_ms", "ms"),
    ("steady answers: projector lag, max", "steady_lag_max_ms", "ms"),
    ("server RSS per phone", "rss_per_phone_kb", "KB"),
    ("server CPU for the run", "server_cpu_s", "s"),
]


def fmt(value, unit):
    if value is None or value != value:
        return "–"
    if value == float("inf"):
        return "never"
    return f"{value:.0f} {unit}" if unit in ("ms", "KB") else f"{value:.2f} {unit}"


def cpu_by_phase(r) -> str:
    """CPU seconds per phase: the server's, and the generator's own in brackets."""
    phases = [k[4:-2] for k in r if k.startswith("cpu_")]
    return "CPU by phase, server (generator): " + ", ".join(
        f"{p} {r[f'cpu_{p}_s']:.2f} ({r[f'gen_{p}_s']:.2f}) s" for p in phases
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--phones", type=int, default=300)
    ap.add_argument("--mode", default="eventlet", choices=["eventlet", "gevent", "threading"])
    ap.add_argument("--bare", action="store_true", help="the bare reference server instead of the app")
    ap.add_argument("--rate", type=int, default=200, help="steady answers per second")
    ap.add_argument("--url")
    ap.add_argument("--email", default=EMAIL)
    ap.add_argument("--password", default=PASSWORD)
    args = ap.parse_args()

    server = None
    if args.url:
        url, pid = args.url, None
    else:
        server = (bare_server(args.mode) if args.bare else app_server(args.mode)).start()
        url, pid = server.url, server.pid
    try:
        headers = api_token(url, args.email, args.password)
        r = asyncio.run(scenario([url], args.phones, headers, [pid], rate=args.rate))
    finally:
        if server:
            server.stop()
    print(f"phones: {args.phones}   server: {'bare' if args.bare else 'app'} ({args.mode})")
    for name, key, unit in ROWS:
        print(f"{name:<42} {fmt(r[key], unit):>10}")
    print(f"{'errors':<42} {r['errors']:>10}   {r['error_samples'] or ''}")
    print(f"{'load generator CPU':<42} {fmt(r['generator_cpu_s'], 's'):>10}")
    print(cpu_by_phase(r))


if __name__ == "__main__":
    main()
