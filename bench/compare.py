"""The app against the bare reference server, the same load, one invocation (a script, not a test).

    .venv/bin/python bench/compare.py --phones 1000
    .venv/bin/python bench/compare.py --phones 4000 --processes 2     # the app on two processes, PostgreSQL + Redis
    .venv/bin/python bench/compare.py --phones 1000 --kill-phones 0   # without the kill -9 line

Starts the bare server (bench/bare_server.py), runs bench/load.py's scenario against it, stops it;
then the app (`python app.py` on a fresh SQLite file in a temp dir, a facilitator made with the
CLI; with --processes 2: two processes on a fresh PostgreSQL database and Redis, phones spread
over both, projector on the first, and no bare run: the bare server keeps its sessions in one
process's memory), the same scenario, stopped; prints both and the ratios (app / bare). Then the durability line: the app
killed (-9) in the middle of a burst of --kill-phones votes, started again, and the acknowledged
votes that are missing (must be 0). The two servers never run at the same time; the load
generator shares the machine with them and its own CPU is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402  (bench/load.py: the one place for the load logic)

PG = os.environ.get("WORKSHOP_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("WORKSHOP_TEST_REDIS", "redis://127.0.0.1:6379/0")


def run(servers, args, headers):
    for s in servers:
        s.start()
    try:
        return asyncio.run(
            load.scenario(
                [s.url for s in servers],
                args.phones,
                headers or load.api_token(servers[0].url),
                [s.pid for s in servers],
                rate=args.rate,
                steady_seconds=args.steady_seconds,
            )
        )
    finally:
        for s in servers:
            s.stop()


class Postgres:
    """A fresh database for the app's processes, dropped afterwards."""

    def __enter__(self):
        import psycopg

        self.name = f"workshop_bench_{secrets.token_hex(4)}"
        with psycopg.connect(PG, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        base = PG.rpartition("/")[0].replace("postgresql://", "postgresql+psycopg://", 1)
        return f"{base}/{self.name}"

    def __exit__(self, *_):
        import psycopg

        with psycopg.connect(PG, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--phones", type=int, default=1000)
    ap.add_argument("--mode", default="eventlet", choices=["eventlet", "gevent"])
    ap.add_argument("--processes", type=int, default=1, choices=[1, 2])
    ap.add_argument("--rate", type=int, default=200, help="steady answers per second")
    ap.add_argument("--steady-seconds", type=float, default=5.0)
    ap.add_argument("--kill-phones", type=int, default=1000, help="votes in the kill -9 burst (0: skip)")
    ap.add_argument(
        "--bare-settle-heap",
        action="store_true",
        help="give the bare server the app's garbage-collector settings too (workshop.server.settle_heap)",
    )
    args = ap.parse_args()

    started = time.time()
    if args.processes == 1:
        bare = run(
            [load.bare_server(args.mode, settle_heap=args.bare_settle_heap)], args, {"Authorization": "Bearer bare"}
        )
        app = run([load.app_server(args.mode)], args, None)
    else:
        # The bare server keeps its sessions in one process's memory, so it has no two-process
        # form; two app processes are measured against the goals alone (docs/performance.md).
        bare = None
        with Postgres() as database:
            env = {
                "WORKSHOP_DATABASE_URL": database,
                "WORKSHOP_MESSAGE_QUEUE": REDIS,
                "WORKSHOP_SECRET_KEY": secrets.token_hex(16),
            }
            app = run([load.app_server(args.mode, env=env) for _ in range(2)], args, None)

    kill = None
    if args.kill_phones:
        server = load.app_server(args.mode, instance=Path(tempfile.mkdtemp(prefix="workshop-kill-")))
        server.start()
        try:
            kill = asyncio.run(
                load.kill9_burst(server, args.kill_phones, args.kill_phones // 2, load.api_token(server.url))
            )
        finally:
            server.stop()

    print(
        f"\n{args.phones} phones, {args.processes} process(es), {args.mode}; "
        f"load average {os.getloadavg()[0]:.1f} at the end; {time.time() - started:.0f} s in all"
    )
    cols = [("bare", bare), ("app", app)] if bare else [("app", app)]
    print(f"{'':<42} " + " ".join(f"{n:>10}" for n, _ in cols) + (f" {'app/bare':>9}" if bare else ""))
    for name, key, unit in load.ROWS:
        row = f"{name:<42} " + " ".join(f"{load.fmt(r[key], unit):>10}" for _, r in cols)
        if bare:
            b, a = bare[key], app[key]
            ok = b and b == b and a == a and b != float("inf")
            row += f" {f'{a / b:.2f}×' if ok else '–':>9}"
        print(row)
    extra = [
        ("`next` missed by phones", "next_missed", "{:>10}"),
        ("burst: counted by the projector − acknowledged", "burst_overcount", "{:>10}"),
        ("results emits during the burst", "burst_results_emits", "{:>10}"),
        ("results emits < 125 ms after the previous", "results_close_pairs", "{:>10}"),
        ("steady answers per second (achieved)", "steady_rate", "{:>10.0f}"),
        ("errors", "errors", "{:>10}"),
    ]
    for name, key, f in extra:
        print(f"{name:<42} " + " ".join(f.format(r[key]) for _, r in cols))
    samples = [r["error_samples"] for _, r in cols if r["error_samples"]]
    if samples:
        print(f"{'error samples':<42} {samples}")
    print(f"{'load generator CPU':<42} " + " ".join(f"{load.fmt(r['generator_cpu_s'], 's'):>10}" for _, r in cols))
    for name, r in cols:
        print(f"{name}: {load.cpu_by_phase(r)}")
    if kill:
        print(
            f"kill -9 in a burst of {kill['phones']} phones' votes: {kill['acked']} acknowledged before the kill "
            f"({kill['in_flight']} in flight), {kill['lost']} acknowledged votes lost"
        )


if __name__ == "__main__":
    main()
