"""Answers arriving together are written together: every one is committed before it is
acknowledged, a bad one fails alone, and a batch costs one transaction."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, func, select

from workshop import answers, services
from workshop.domain import WorkshopError
from workshop.store import Answer, db


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
    written, commits, errors = [], [], []
    writer = answers.writer(written.append)
    start = threading.Barrier(len(pids))

    def phone(i, pid):
        with app.app_context():
            start.wait()
            data = {"dilemma": dilemma_id, "option": options[i % len(options)]}
            if i == 7:
                data["option"] = "no-such-option"
            try:
                writer.submit(session_id, pid, data)
            except WorkshopError as exc:
                errors.append((i, exc.code))

    with app.app_context():
        engine = db.engine
    counter = lambda *_: commits.append(1)  # noqa: E731
    event.listen(engine, "commit", counter)
    try:
        threads = [threading.Thread(target=phone, args=(i, pid)) for i, pid in enumerate(pids)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        event.remove(engine, "commit", counter)
    assert errors == [(7, "invalid_option")]
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(Answer).where(Answer.session_id == session_id))
    assert n == len(pids) - 1
    assert set(written) == {session_id}
    assert len(commits) < len(pids)  # grouped: fewer transactions than answers


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
