"""Run a server under yappi, CPU clock, one context per greenlet (a script, not a test).

    python bench/yappi_server.py OUT app.py
    python bench/yappi_server.py OUT bench/bare_server.py --port 5098

Used by `bench/profile.py --tool yappi`. py-spy samples the OS thread, and under eventlet that
thread runs every greenlet in turn, so its stacks mix in frames of suspended greenlets; yappi's
greenlet backend charges each greenlet's own CPU time to its own functions. Profiling runs from
SIGUSR1 to SIGUSR2; at SIGUSR2 the function table is written to OUT (tab-separated: total
seconds, own seconds, calls, function, file:line).
"""

from __future__ import annotations

import os
import runpy
import signal
import sys
import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()
os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")

import yappi  # noqa: E402

OUT = sys.argv[1]


def start(*_):
    yappi.clear_stats()
    yappi.start()


def stop(*_):
    yappi.stop()
    with open(OUT + ".part", "w") as f:
        for s in yappi.get_func_stats():
            f.write(f"{s.ttot:.6f}\t{s.tsub:.6f}\t{s.ncall}\t{s.name}\t{s.module}:{s.lineno}\n")
    os.replace(OUT + ".part", OUT)  # whole or absent: the caller waits for the name


yappi.set_clock_type("cpu")
yappi.set_context_backend("greenlet")
signal.signal(signal.SIGUSR1, start)
signal.signal(signal.SIGUSR2, stop)
target = sys.argv[2]
sys.argv = sys.argv[2:]
sys.path.insert(0, os.getcwd())
runpy.run_path(target, run_name="__main__")
