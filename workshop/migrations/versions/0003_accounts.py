"""accounts: per-login rows (logout ends one login) and a token epoch (revoke API tokens)

Revision ID: 0003_accounts
Revises: 0001
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa


revision = '0003_accounts'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('facilitator') as batch:
        batch.add_column(sa.Column('token_epoch', sa.Integer(), nullable=False, server_default='0'))
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
    with op.batch_alter_table('facilitator') as batch:
        batch.drop_column('token_epoch')
