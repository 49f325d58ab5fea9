"""kill -9 in the middle of a vote burst loses no acknowledged vote (the benchmark does the same
with 1,000 phones: bench/compare.py's last line). Uses the benchmark's own scenario and client."""

from __future__ import annotations

from bench.load import kill9_burst, run_sync


def test_a_kill_9_in_the_middle_of_a_burst_loses_no_acknowledged_vote(live_server_factory, tmp_path):
    server = live_server_factory(tmp_path / "kept")
    server.create_facilitator()
    server.start()
    phones = 300
    r = run_sync(kill9_burst(server, phones, phones // 2, server.token()))
    assert r["acked"] >= phones // 2 and r["phones_acked"] > phones // 4
    assert r["in_flight"] > 0, "no vote was in flight at the kill: not in the middle of the burst"
    assert r["lost"] == 0, r
