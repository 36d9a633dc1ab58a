"""notifications (one row per cause) and markers (where each person stopped reading)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('tweet_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_notifications_actor_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_notifications_recipient_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tweet_id'], ['tweets.id'], name=op.f('fk_notifications_tweet_id_tweets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('recipient_id', 'kind', 'actor_id', 'tweet_id', name=op.f('uq_notifications_recipient_id_kind_actor_id_tweet_id')),
    sqlite_autoincrement=True,
    )
    op.create_index('ix_notifications_actor_id', 'notifications', ['actor_id'])
    op.create_index('ix_notifications_recipient_id_id', 'notifications', ['recipient_id', 'id'])
    op.create_index('ix_notifications_tweet_id', 'notifications', ['tweet_id'])
    # A follow has no tweet, and NULLs never collide in the unique key above.
    op.create_index('uq_notifications_no_tweet', 'notifications', ['recipient_id', 'kind', 'actor_id'], unique=True,
                    sqlite_where=sa.text('tweet_id IS NULL'), postgresql_where=sa.text('tweet_id IS NULL'))
    op.create_table('markers',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('timeline', sa.String(length=16), nullable=False),
    sa.Column('last_read_id', sa.Integer(), server_default='0', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_markers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'timeline', name=op.f('pk_markers'))
    )


def downgrade() -> None:
    op.drop_table('markers')
    op.drop_index('uq_notifications_no_tweet', table_name='notifications')
    op.drop_index('ix_notifications_tweet_id', table_name='notifications')
    op.drop_index('ix_notifications_recipient_id_id', table_name='notifications')
    op.drop_index('ix_notifications_actor_id', table_name='notifications')
    op.drop_table('notifications')
