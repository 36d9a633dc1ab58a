"""extras: bookmarks, pins, posting options (content warning, sensitive, language), the app
a post came from, and Idempotency-Key for new statuses

Revision ID: 0013
Revises: 0015
Create Date: 2026-12-04 17:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, never batch: rebuilding tweets on SQLite would drop its FTS triggers.
    op.add_column('tweets', sa.Column('spoiler_text', sa.String(length=280), server_default='', nullable=False))
    op.add_column('tweets', sa.Column('sensitive', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('tweets', sa.Column('language', sa.String(length=8), nullable=True))
    op.add_column('tweets', sa.Column('pinned_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_tweets_pinned', 'tweets', ['owner_id'], unique=False,
                    postgresql_where=sa.text('pinned_at IS NOT NULL'),
                    sqlite_where=sa.text('pinned_at IS NOT NULL'))
    op.create_table('bookmarks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('tweet_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['tweet_id'], ['tweets.id'], name=op.f('fk_bookmarks_tweet_id_tweets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_bookmarks_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookmarks')),
    sa.UniqueConstraint('user_id', 'tweet_id', name=op.f('uq_bookmarks_user_id_tweet_id')),
    sqlite_autoincrement=True,
    )
    op.create_index('ix_bookmarks_user_id_id', 'bookmarks', ['user_id', 'id'], unique=False)
    op.create_index('ix_bookmarks_tweet_id', 'bookmarks', ['tweet_id'], unique=False)
    op.create_table('posted_with',
    sa.Column('tweet_id', sa.Integer(), nullable=False),
    sa.Column('app_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['app_id'], ['oauth_apps.id'], name=op.f('fk_posted_with_app_id_oauth_apps'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tweet_id'], ['tweets.id'], name=op.f('fk_posted_with_tweet_id_tweets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tweet_id', name=op.f('pk_posted_with'))
    )
    op.create_index(op.f('ix_posted_with_app_id'), 'posted_with', ['app_id'], unique=False)
    op.create_table('idempotency_keys',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('tweet_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['tweet_id'], ['tweets.id'], name=op.f('fk_idempotency_keys_tweet_id_tweets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_idempotency_keys_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'key', name=op.f('pk_idempotency_keys'))
    )
    op.create_index(op.f('ix_idempotency_keys_tweet_id'), 'idempotency_keys', ['tweet_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_idempotency_keys_tweet_id'), table_name='idempotency_keys')
    op.drop_table('idempotency_keys')
    op.drop_index(op.f('ix_posted_with_app_id'), table_name='posted_with')
    op.drop_table('posted_with')
    op.drop_index('ix_bookmarks_tweet_id', table_name='bookmarks')
    op.drop_index('ix_bookmarks_user_id_id', table_name='bookmarks')
    op.drop_table('bookmarks')
    op.drop_index('ix_tweets_pinned', table_name='tweets')
    # Plain DROP COLUMN (SQLite 3.35+), as 0007 does: no rebuild of tweets.
    op.drop_column('tweets', 'pinned_at')
    op.drop_column('tweets', 'language')
    op.drop_column('tweets', 'sensitive')
    op.drop_column('tweets', 'spoiler_text')
