"""The server settles its heap at start: what start-up made is frozen out of the collector's
walks, and the youngest generation is collected less often (docs/performance.md)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

PROBE = """
import gc
from workshop.server import GC_GEN0, settle_heap
before = gc.get_freeze_count()
settle_heap()
print(before, gc.get_freeze_count(), gc.get_threshold()[0], GC_GEN0)
"""


def test_settle_heap_freezes_start_up_objects_and_raises_the_young_threshold():
    # In a child process: the collector's settings are process-wide, the test run's own stay put.
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True)
    before, frozen, threshold, wanted = map(int, out.stdout.split())
    assert before == 0 and frozen > 10_000  # the app's modules, SQLAlchemy, Flask: all frozen
    assert threshold == wanted >= 10_000
