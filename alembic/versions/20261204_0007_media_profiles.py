"""media attachments; users gain avatar, header, profile fields and bot; tweets gain media

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 14:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('media_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('tweet_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('original_key', sa.String(length=255), nullable=False),
    sa.Column('preview_key', sa.String(length=255), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('preview_width', sa.Integer(), nullable=False),
    sa.Column('preview_height', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=1500), server_default='', nullable=False),
    sa.Column('focus_x', sa.Float(), server_default='0', nullable=False),
    sa.Column('focus_y', sa.Float(), server_default='0', nullable=False),
    sa.Column('blurhash', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_media_attachments_owner_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tweet_id'], ['tweets.id'], name=op.f('fk_media_attachments_tweet_id_tweets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_attachments')),
    sqlite_autoincrement=True,
    )
    op.create_index('ix_media_attachments_owner_id', 'media_attachments', ['owner_id'])
    op.create_index('ix_media_attachments_tweet_id', 'media_attachments', ['tweet_id'])
    # Nullable or defaulted columns: existing rows need no rewrite, and SQLite ADDs them in
    # place (no batch copy, which would drop 0003's AUTOINCREMENT).
    op.add_column('users', sa.Column('avatar_key', sa.String(length=255), nullable=True))
    op.add_column('users', sa.Column('header_key', sa.String(length=255), nullable=True))
    op.add_column('users', sa.Column('profile_fields', sa.JSON(), nullable=True))
    op.add_column('users', sa.Column('bot', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('tweets', sa.Column('media', sa.JSON(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+ has it): a batch copy of the tables would lose 0003's
    # AUTOINCREMENT and the search triggers 0005 put on tweets.
    op.drop_column('tweets', 'media')
    for column in ('bot', 'profile_fields', 'header_key', 'avatar_key'):
        op.drop_column('users', column)
    op.drop_index('ix_media_attachments_tweet_id', table_name='media_attachments')
    op.drop_index('ix_media_attachments_owner_id', table_name='media_attachments')
    op.drop_table('media_attachments')
