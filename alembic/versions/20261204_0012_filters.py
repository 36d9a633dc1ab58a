"""filters: keyword filters (Mastodon v2 filters), their keywords and statuses

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 17:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN with a default: no table rebuild on SQLite.
    op.add_column('users', sa.Column('has_filters', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table('filters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('context', sa.JSON(), nullable=False),
    sa.Column('filter_action', sa.String(length=8), server_default='warn', nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_filters_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_filters')),
    sqlite_autoincrement=True,
    )
    op.create_index(op.f('ix_filters_user_id'), 'filters', ['user_id'], unique=False)
    op.create_table('filter_keywords',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filter_id', sa.Integer(), nullable=False),
    sa.Column('keyword', sa.String(length=100), nullable=False),
    sa.Column('whole_word', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.ForeignKeyConstraint(['filter_id'], ['filters.id'], name=op.f('fk_filter_keywords_filter_id_filters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_filter_keywords')),
    sqlite_autoincrement=True,
    )
    op.create_index(op.f('ix_filter_keywords_filter_id'), 'filter_keywords', ['filter_id'], unique=False)
    op.create_table('filter_statuses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filter_id', sa.Integer(), nullable=False),
    sa.Column('status_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['filter_id'], ['filters.id'], name=op.f('fk_filter_statuses_filter_id_filters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['status_id'], ['tweets.id'], name=op.f('fk_filter_statuses_status_id_tweets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_filter_statuses')),
    sa.UniqueConstraint('filter_id', 'status_id', name=op.f('uq_filter_statuses_filter_id_status_id')),
    sqlite_autoincrement=True,
    )
    op.create_index(op.f('ix_filter_statuses_status_id'), 'filter_statuses', ['status_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_filter_statuses_status_id'), table_name='filter_statuses')
    op.drop_table('filter_statuses')
    op.drop_index(op.f('ix_filter_keywords_filter_id'), table_name='filter_keywords')
    op.drop_table('filter_keywords')
    op.drop_index(op.f('ix_filters_user_id'), table_name='filters')
    op.drop_table('filters')
    op.drop_column('users', 'has_filters')
