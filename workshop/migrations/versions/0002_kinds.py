"""question kinds and rounds: a generic answer table (votes carried over), rounds, timer, roles

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("participant_id", sa.String(length=32), nullable=False),
        sa.Column("dilemma_id", sa.String(length=80), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["participant_id"], ["participant.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["workshop_session.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("participant_id", "dilemma_id", "round"),
    )
    op.create_index("ix_answer_session_dilemma_round", "answer", ["session_id", "dilemma_id", "round"])
    # Today's votes become round-1 answers of the choice kind: the option id as a JSON string.
    # Option ids are checked to be [a-z0-9-], so quoting them is enough to make them JSON.
    op.execute(
        "INSERT INTO answer (session_id, participant_id, dilemma_id, round, value, reason, hidden,"
        " created_at, updated_at)"
        " SELECT session_id, participant_id, dilemma_id, 1, '\"' || option_id || '\"', reason, false,"
        " created_at, updated_at FROM vote"
    )
    op.drop_index("ix_vote_session_dilemma", table_name="vote")
    op.drop_table("vote")

    # Plain ALTER TABLE ADD COLUMN, never a batch copy: on SQLite a batch copy drops the old
    # table, and with foreign keys on, that cascades to every participant and answer.
    for column in (
        sa.Column("round", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("rounds_json", sa.Text(), nullable=False, server_default="{}"),
        sa.Column("timer_ends_at", sa.DateTime(), nullable=True),
        sa.Column("timer_seconds", sa.Integer(), nullable=True),
        sa.Column("deck_version", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("route_id", sa.String(length=80), nullable=True),
        sa.Column("min_answers", sa.Integer(), nullable=False, server_default="5"),
        sa.Column("ask_role", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("follow_up_of", sa.String(length=32), nullable=True),
    ):
        op.add_column("workshop_session", column)
    op.add_column("participant", sa.Column("role", sa.String(length=16), nullable=True))
    # Sessions from before the minimum showed every result; they keep doing so (new ones get 5).
    op.execute("UPDATE workshop_session SET min_answers = 1")


def downgrade():
    op.drop_column("participant", "role")
    for column in (
        "follow_up_of", "ask_role", "min_answers", "route_id", "deck_version",
        "timer_seconds", "timer_ends_at", "rounds_json", "round",
    ):
        op.drop_column("workshop_session", column)
    op.create_table(
        "vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("participant_id", sa.String(length=32), nullable=False),
        sa.Column("dilemma_id", sa.String(length=80), nullable=False),
        sa.Column("option_id", sa.String(length=80), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["participant_id"], ["participant.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["workshop_session.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("participant_id", "dilemma_id"),
    )
    op.create_index("ix_vote_session_dilemma", "vote", ["session_id", "dilemma_id"])
    # Only round 1 of choice dilemmas fits the old table; the rest is lost on the way down.
    op.execute(
        "INSERT INTO vote (session_id, participant_id, dilemma_id, option_id, reason, created_at, updated_at)"
        " SELECT session_id, participant_id, dilemma_id, substr(value, 2, length(value) - 2), reason,"
        " created_at, updated_at FROM answer WHERE round = 1 AND substr(value, 1, 1) = '\"'"
    )
    op.drop_index("ix_answer_session_dilemma_round", table_name="answer")
    op.drop_table("answer")
