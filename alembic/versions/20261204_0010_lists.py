"""lists: a person's lists of accounts and their members

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-04 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('lists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('replies_policy', sa.String(length=16), server_default='list', nullable=False),
    sa.Column('exclusive', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_lists_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lists')),
    sqlite_autoincrement=True,
    )
    op.create_index(op.f('ix_lists_owner_id'), 'lists', ['owner_id'], unique=False)
    op.create_table('list_members',
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['list_id'], ['lists.id'], name=op.f('fk_list_members_list_id_lists'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_list_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('list_id', 'user_id', name=op.f('pk_list_members'))
    )
    op.create_index('ix_list_members_user_id', 'list_members', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_list_members_user_id', table_name='list_members')
    op.drop_table('list_members')
    op.drop_index(op.f('ix_lists_owner_id'), table_name='lists')
    op.drop_table('lists')
