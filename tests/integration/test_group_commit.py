"""Answers arriving together are written together: every one is committed before it is
acknowledged, a bad one fails alone, and a batch costs one transaction."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, func, select

from workshop import answers, batch, joins, services
from workshop.domain import WorkshopError
from workshop.store import Answer, Participant, WorkshopSession, db


def all_at_once(app, crowd: int, phone) -> int:
    """Run phone(i) for i in range(crowd) in threads released together (each in an app context);
    returns how many transactions were committed meanwhile."""
    start = threading.Barrier(crowd)
    commits = []

    def run(i):
        with app.app_context():
            start.wait()
            phone(i)

    with app.app_context():
        engine = db.engine
    counter = lambda *_: commits.append(1)  # noqa: E731
    event.listen(engine, "commit", counter)
    try:
        threads = [threading.Thread(target=run, args=(i,)) for i in range(crowd)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        event.remove(engine, "commit", counter)
    return len(commits)


@pytest.fixture
def open_dilemma(app):
    with app.app_context():
        owner = services.create_facilitator("gc@example.org", "korrekt-hest-batteri")
        s = services.create_session(owner, "lederrollen", min_answers=1)
        pids = [services.join(s.code).participant.id for _ in range(40)]
        services.command(s, "next")
        d = s.dilemma
        return s.id, d.id, [o.id for o in d.options], pids


def test_answers_sent_at_one_instant_are_all_committed_in_few_transactions(app, open_dilemma):
    session_id, dilemma_id, options, pids = open_dilemma
    written, errors = [], []
    writer = answers.writer(written.append)

    def phone(i):
        data = {"dilemma": dilemma_id, "option": options[i % len(options)]}
        if i == 7:
            data["option"] = "no-such-option"
        try:
            writer.submit(session_id, pids[i], data)
        except WorkshopError as exc:
            errors.append((i, exc.code))

    commits = all_at_once(app, len(pids), phone)
    assert errors == [(7, "invalid_option")]
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(Answer).where(Answer.session_id == session_id))
    assert n == len(pids) - 1
    assert set(written) == {session_id}
    assert commits < len(pids)  # grouped: fewer transactions than answers


def test_a_lone_answer_is_a_batch_of_one_and_a_repeat_replaces_it(app, open_dilemma):
    session_id, dilemma_id, options, pids = open_dilemma
    written = []
    writer = answers.writer(written.append)
    with app.app_context():
        writer.submit(session_id, pids[0], {"dilemma": dilemma_id, "option": options[0]})
        writer.submit(session_id, pids[0], {"dilemma": dilemma_id, "option": options[1]})
        rows = db.session.execute(select(Answer.value).where(Answer.participant_id == pids[0])).scalars().all()
        with pytest.raises(WorkshopError) as err:
            writer.submit(session_id, pids[1], {"dilemma": "another", "option": options[0]})
    assert rows == [f'"{options[1]}"'] and written == [session_id, session_id]
    assert err.value.code == "voting_closed"


# --- joins -------------------------------------------------------------------------------------


@pytest.fixture
def two_sessions(app):
    with app.app_context():
        owner = services.create_facilitator("gcj@example.org", "korrekt-hest-batteri")
        live = services.create_session(owner, "lederrollen", min_answers=1)
        ended = services.create_session(owner, "lederrollen", min_answers=1)
        services.command(ended, "end")
        return live.code, live.id, ended.code


def test_a_crowd_joining_at_once_gets_distinct_numbers_in_few_transactions_and_a_bad_code_fails_alone(
    app, two_sessions
):
    code, session_id, ended_code = two_sessions
    writer = joins.writer(lambda _sid: None)
    crowd = 40
    joined, errors = [], []

    def phone(i):
        wanted = {7: ended_code, 8: "999999"}.get(i, code)
        try:
            joined.append(writer.submit(wanted, None, None))
        except WorkshopError as exc:
            errors.append((i, exc.code))

    commits = all_at_once(app, crowd, phone)
    assert sorted(errors) == [(7, "session_ended"), (8, "unknown_session")]
    assert len(joined) == crowd - 2 and commits < crowd - 2
    with app.app_context():
        rows = db.session.execute(
            select(Participant.id, Participant.token, Participant.number).where(Participant.session_id == session_id)
        ).all()
    # every acknowledged newcomer is in the database under the id and token it was given
    assert {(j.participant.id, j.participant.token) for j in joined} == {(pid, tok) for pid, tok, _ in rows}
    assert sorted(n for _, _, n in rows) == list(range(1, crowd - 1))
    assert all(j.new and j.session_id == session_id for j in joined)
    assert {j.state["phase"] for j in joined} == {"lobby"} and all(j.state["my_vote"] is None for j in joined)


def test_a_newcomer_after_the_reveal_gets_the_results_in_its_first_state(app, two_sessions):
    code, session_id, _ = two_sessions
    with app.app_context():
        s = db.session.get(WorkshopSession, session_id)
        first = services.join(code)
        services.command(s, "next")
        d = s.dilemma
        services.vote(session_id, first.participant.id, {"dilemma": d.id, "option": d.options[0].id})
        services.command(s, "close")
        services.command(s, "reveal")
        late = services.join(code)
    assert late.state["phase"] == "revealed" and late.state["my_vote"] is None
    assert late.state["results"]["counts"][d.options[0].id] == 1


def test_a_leader_stopped_before_its_commit_leaves_nobody_acknowledged():
    """If the leader of a batch is stopped (a killed greenlet) before its commit, the requests
    that waited in its batch get `busy`, never a false acknowledgement."""

    class Stopped(BaseException):
        pass

    def write(batch):
        raise Stopped

    commit = batch.GroupCommit(write, lambda _session_id: None)
    second_queued = threading.Event()
    results = {}

    def follower():
        try:
            results["follower"] = commit.submit("b")
        except WorkshopError as exc:
            results["follower"] = exc.code

    real_sleep = batch.time.sleep

    def leader_yields(_seconds):  # the leader's one yield: wait until the follower is in its batch
        threading.Thread(target=follower).start()
        for _ in range(500):
            if len(commit._pending.items) == 2:
                second_queued.set()
                return
            real_sleep(0.01)

    batch.time = type("T", (), {"sleep": staticmethod(leader_yields)})
    try:
        with pytest.raises(Stopped):
            commit.submit("a")
    finally:
        batch.time = __import__("time")
    assert second_queued.is_set()
    for _ in range(500):
        if "follower" in results:
            break
        real_sleep(0.01)
    assert results == {"follower": "busy"}


def test_a_failed_announcement_after_the_commit_never_writes_the_batch_again(app, two_sessions):
    """Announcing (marking the session for the projector, through Redis with several processes)
    happens after the commit; if it fails, the newcomers are not written a second time."""
    code, session_id, _ = two_sessions

    def announce(_session_id):
        raise ConnectionError("redis down")

    writer = joins.writer(announce)
    with app.app_context():
        joined = writer.submit(code, None, None)
        rows = db.session.scalars(select(Participant.id).where(Participant.session_id == session_id)).all()
    assert rows == [joined.participant.id]
