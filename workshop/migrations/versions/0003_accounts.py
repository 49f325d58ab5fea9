"""accounts: per-login rows (logout ends one login) and a token epoch (revoke API tokens)

Revision ID: 0003_accounts
Revises: 0002
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa


revision = '0003_accounts'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN: a batch copy of facilitator would cascade-delete every session on SQLite.
    op.add_column('facilitator', sa.Column('token_epoch', sa.Integer(), nullable=False, server_default='0'))
    op.create_table('facilitator_login',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('facilitator_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['facilitator_id'], ['facilitator.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_facilitator_login_facilitator_id', 'facilitator_login', ['facilitator_id'])


def downgrade():
    op.drop_index('ix_facilitator_login_facilitator_id', table_name='facilitator_login')
    op.drop_table('facilitator_login')
    op.drop_column('facilitator', 'token_epoch')
