"""Where the app's time goes under the live-session load (a script, not a test).

    .venv/bin/python bench/profile.py --phones 1000 [--out /tmp/app.collapsed]

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
import shutil
import subprocess
import sys
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--phones", type=int, default=1000)
    ap.add_argument("--mode", default="eventlet", choices=["eventlet", "gevent"])
    ap.add_argument("--rate", type=int, default=200)
    ap.add_argument("--out", default="/tmp/workshop-app.collapsed")
    ap.add_argument("--summarise", help="only summarise an existing collapsed file")
    args = ap.parse_args()
    if args.summarise:
        print(summarise(Path(args.summarise)))
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
