"""Where the app's time goes under the live-session load (a script, not a test).

    .venv/bin/python bench/profile.py --phones 1000 [--out /tmp/app.collapsed]
    .venv/bin/python bench/profile.py --phones 2000 --tool yappi   # the app beside the bare server

Starts the app (fresh SQLite, eventlet) like bench/compare.py, attaches py-spy (`pip install
py-spy`, requirements-dev.txt) to it, runs bench/load.py's scenario, and prints the share of the
server's sampled CPU by phase of the scenario and, within it, by layer (inclusive: a sample
counts for every layer on its stack) and the functions with the most time of their own.
The collapsed stacks are kept for a flame graph (speedscope.app or flamegraph.pl read them).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402

# (layer, a substring of a frame "function (file:line)") in the order they are looked for
LAYERS = [
    ("handlers: join", "on_join (workshop/realtime.py"),
    ("handlers: vote", "on_vote (workshop/realtime.py"),
    ("broadcast: state to phones", "broadcast_state (workshop/realtime.py"),
    ("ticker: results to watchers", "flush (workshop/realtime.py"),
    ("HTTP API (commands, sessions)", "workshop/views/"),
    ("services.join", "join (workshop/services.py"),
    ("services.vote", "vote (workshop/services.py"),
    ("SQLAlchemy (ORM + core)", "sqlalchemy/"),
    ("sqlite3 driver (execute, commit)", "sqlite3/"),
    ("commit", "commit ("),
    ("Socket.IO emit (python-socketio)", "socketio/base_manager.py"),
    ("Socket.IO packets (encode/decode)", "socketio/packet.py"),
    ("engine.io websocket send/receive", "engineio/"),
    ("Flask request/app context", "flask/ctx.py"),
    ("json", "json/"),
    ("eventlet hub and green sockets", "eventlet/"),
]


def summarise(collapsed: Path, top: int = 25) -> str:
    total = 0
    layer = collections.Counter()
    own = collections.Counter()
    for row in collapsed.read_text().splitlines():
        stack, _, n = row.rpartition(" ")
        if not n.isdigit():
            continue
        n = int(n)
        total += n
        frames = stack.split(";")
        for name, needle in LAYERS:
            if any(needle in f for f in frames):
                layer[name] += n
        own[frames[-1]] += n
    lines = [f"{total} samples of server CPU", "", "by layer (inclusive; a sample counts in each layer on its stack):"]
    lines += [f"  {100 * n / total:5.1f} %  {name}" for name, n in layer.most_common()]
    lines += ["", f"top {top} functions by own time:"]
    lines += [f"  {100 * n / total:5.1f} %  {f[:150]}" for f, n in own.most_common(top)]
    return "\n".join(lines)


def yappi_run(server: load.Server, phones: int, rate: int, headers, out: Path) -> dict:
    """The scenario against `server` started under bench/yappi_server.py; the table in `out`."""
    server.cmd = [sys.executable, "bench/yappi_server.py", str(out), *server.cmd[1:]]
    server.start()
    try:
        headers = headers or load.api_token(server.url)
        os.kill(server.pid, signal.SIGUSR1)
        r = asyncio.run(load.scenario([server.url], phones, headers, [server.pid], rate=rate))
        os.kill(server.pid, signal.SIGUSR2)
        deadline = time.monotonic() + 60
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        server.stop()
    return r


def yappi_table(out: Path) -> tuple[float, dict[str, tuple[float, float, int]]]:
    """(own seconds in all, {function: (total s, own s, calls)}) from a yappi_server table."""
    rows: dict[str, tuple[float, float, int]] = {}
    for line in out.read_text().splitlines():
        ttot, tsub, n, name, where = line.split("\t")
        key = f"{name} ({where.split('site-packages/')[-1]})"
        t, o, c = rows.get(key, (0.0, 0.0, 0))
        rows[key] = (t + float(ttot), o + float(tsub), c + int(n))
    return sum(o for _, o, _ in rows.values()), rows


def yappi_compare(phones: int, rate: int, top: int = 40) -> str:
    """The app and the bare server under the same scenario and yappi; where the app spends more."""
    tmp = Path(tempfile.mkdtemp(prefix="workshop-yappi-"))
    yappi_run(load.bare_server(), phones, rate, {"Authorization": "Bearer bare"}, tmp / "bare.tsv")
    r = yappi_run(load.app_server(), phones, rate, None, tmp / "app.tsv")
    bare_total, bare = yappi_table(tmp / "bare.tsv")
    app_total, app = yappi_table(tmp / "app.tsv")
    lines = [
        load.cpu_by_phase(r),
        "",
        f"CPU seen by yappi (inflated by the profiler): app {app_total:.2f} s, bare {bare_total:.2f} s",
        f"functions by how much more total time (inclusive) the app spends in them than the bare server (top {top}):",
        f"{'app − bare':>10} {'app':>8} {'bare':>8} {'app calls':>10}  function",
    ]
    diff = sorted(((t - bare.get(k, (0, 0, 0))[0], k) for k, (t, _, _) in app.items()), reverse=True)
    for d, k in diff[:top]:
        t, _, n = app[k]
        lines.append(f"{d:10.3f} {t:8.3f} {bare.get(k, (0, 0, 0))[0]:8.3f} {n:10d}  {k[:140]}")
    lines += ["", f"tables: {tmp}/app.tsv, {tmp}/bare.tsv"]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--phones", type=int, default=1000)
    ap.add_argument("--mode", default="eventlet", choices=["eventlet", "gevent"])
    ap.add_argument("--rate", type=int, default=200)
    ap.add_argument("--out", default="/tmp/workshop-app.collapsed")
    ap.add_argument("--summarise", help="only summarise an existing collapsed file")
    ap.add_argument(
        "--tool",
        default="py-spy",
        choices=["py-spy", "yappi"],
        help="yappi: CPU per greenlet, the app beside the bare server, function by function (eventlet)",
    )
    args = ap.parse_args()
    if args.summarise:
        print(summarise(Path(args.summarise)))
        return
    if args.tool == "yappi":
        print(yappi_compare(args.phones, args.rate))
        return
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    server = load.app_server(args.mode).start()
    out = Path(args.out)
    rec = subprocess.Popen(
        [
            spy,
            "record",
            "--pid",
            str(server.pid),
            "--format",
            "raw",
            "--output",
            str(out),
            "--rate",
            "200",
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        r = asyncio.run(
            load.scenario([server.url], args.phones, load.api_token(server.url), [server.pid], rate=args.rate)
        )
    finally:
        rec.send_signal(subprocess.signal.SIGINT)
        rec.wait(30)
        server.stop()
    for name, key, unit in load.ROWS:
        print(f"{name:<42} {load.fmt(r[key], unit):>10}")
    print(load.cpu_by_phase(r))
    print()
    print(summarise(out))
    print(f"\ncollapsed stacks: {out}")


if __name__ == "__main__":
    main()
