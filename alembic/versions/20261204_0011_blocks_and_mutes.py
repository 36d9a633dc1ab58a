"""blocks and mutes (issue 17)

Revision ID: 0011
Revises: 0014
Create Date: 2026-12-04 17:32:12
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('blocks',
    sa.Column('blocker_id', sa.Integer(), nullable=False),
    sa.Column('blocked_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint('blocker_id <> blocked_id', name=op.f('ck_blocks_no_self_block')),
    sa.ForeignKeyConstraint(['blocked_id'], ['users.id'], name=op.f('fk_blocks_blocked_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['blocker_id'], ['users.id'], name=op.f('fk_blocks_blocker_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('blocker_id', 'blocked_id', name=op.f('pk_blocks'))
    )
    op.create_index('ix_blocks_blocked_id_blocker_id', 'blocks', ['blocked_id', 'blocker_id'], unique=False)
    op.create_table('mutes',
    sa.Column('muter_id', sa.Integer(), nullable=False),
    sa.Column('muted_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('notifications', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.CheckConstraint('muter_id <> muted_id', name=op.f('ck_mutes_no_self_mute')),
    sa.ForeignKeyConstraint(['muted_id'], ['users.id'], name=op.f('fk_mutes_muted_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['muter_id'], ['users.id'], name=op.f('fk_mutes_muter_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('muter_id', 'muted_id', name=op.f('pk_mutes'))
    )
    op.create_index('ix_mutes_muted_id', 'mutes', ['muted_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_mutes_muted_id', table_name='mutes')
    op.drop_table('mutes')
    op.drop_index('ix_blocks_blocked_id_blocker_id', table_name='blocks')
    op.drop_table('blocks')
