"""agreements register

Revision ID: 0004_agreements
Revises: 0003_accounts
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_agreements"
down_revision = "0003_accounts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("dilemma_id", sa.String(length=80), nullable=True),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("owner", sa.String(length=80), nullable=True),
        sa.Column("due", sa.String(length=10), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["workshop_session.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreement_session_id"), ["session_id"], unique=False)


def downgrade():
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_session_id"))
    op.drop_table("agreement")
