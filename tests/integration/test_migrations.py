"""The schema migrates forward with the data in it: votes made under the first schema become
round-1 answers of the choice kind, and the app reads them as before."""

from __future__ import annotations

import json

from alembic import command
from sqlalchemy import create_engine, text

from workshop.schema import alembic_config


def test_votes_of_the_old_schema_become_round_one_answers(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
        deck = {
            "id": "d",
            "title": {"da": "Bunke"},
            "dilemmas": [
                {
                    "id": "kaffe",
                    "title": {"da": "Kaffen"},
                    "text": {"da": "Tekst"},
                    "question": {"da": "Hvad gør du?"},
                    "options": [
                        {"id": "a", "label": {"da": "A"}, "values": []},
                        {"id": "b-2", "label": {"da": "B"}, "values": []},
                    ],
                }
            ],
        }
        conn.execute(
            text(
                "INSERT INTO facilitator (id, email, password_hash, created_at) VALUES (1, 'a@b.dk', 'x', '2026-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO workshop_session (id, owner_id, code, title, language, deck_id, deck_json, phase,"
                " current_index, version, screen_token, show_names, created_at)"
                " VALUES ('s1', 1, '123456', 'Ærø', 'da', 'd', :deck, 'revealed', 0, 3, 't', 0, '2026-01-01')"
            ),
            {"deck": json.dumps(deck)},
        )
        for pid, number in (("p1", 1), ("p2", 2)):
            conn.execute(
                text(
                    "INSERT INTO participant (id, session_id, token, number, joined_at)"
                    " VALUES (:id, 's1', :id, :n, '2026-01-01')"
                ),
                {"id": pid, "n": number},
            )
        conn.execute(
            text(
                "INSERT INTO vote (session_id, participant_id, dilemma_id, option_id, reason, created_at, updated_at) VALUES"
                " ('s1', 'p1', 'kaffe', 'a', 'Fordi æ', '2026-01-01', '2026-01-01'),"
                " ('s1', 'p2', 'kaffe', 'b-2', NULL, '2026-01-01', '2026-01-02')"
            )
        )
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
        rows = conn.execute(
            text("SELECT participant_id, dilemma_id, round, value, reason, hidden FROM answer ORDER BY participant_id")
        ).all()
        session = conn.execute(text("SELECT round, min_answers, ask_role, deck_version FROM workshop_session")).one()
        tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
    assert [tuple(r) for r in rows] == [("p1", "kaffe", 1, '"a"', "Fordi æ", 0), ("p2", "kaffe", 1, '"b-2"', None, 0)]
    assert [json.loads(r[3]) for r in rows] == ["a", "b-2"]
    assert tuple(session) == (1, 1, 0, 0)  # old sessions showed every result, and still do
    assert "vote" not in tables

    # The app reads the carried-over session as it was: its results and its export.
    monkeypatch.setenv("WORKSHOP_INSTANCE_PATH", str(tmp_path))
    from workshop import create_app, exports, payloads
    from workshop.store import WorkshopSession, db

    app = create_app({"TESTING": True, "ASYNC_MODE": "threading", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context(), app.test_request_context():
        s = db.session.get(WorkshopSession, "s1")
        view = payloads.facilitator_view(s)
        assert view["results"]["counts"] == {"a": 1, "b-2": 1} and view["round"] == 1
        data, _, _ = exports.render(s, "md")
        assert "Fordi æ" in data.decode("utf-8")


def test_the_migration_goes_down_again_with_round_one_choices(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
        command.downgrade(alembic_config(conn), "0001")
        tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
    assert "vote" in tables and "answer" not in tables
