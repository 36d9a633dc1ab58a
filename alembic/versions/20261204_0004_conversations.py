"""conversations: replies, reposts, quotes, visibility on tweets; the mentions table

Revision ID: 0004
Revises: 0009
Create Date: 2026-12-04 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode: SQLite rebuilds the table to add foreign keys; PostgreSQL alters in place.
    # Existing tweets become public posts with no replies or reposts (the server defaults).
    # table_kwargs: the rebuilt SQLite table keeps AUTOINCREMENT (0003): ids never reused.
    with op.batch_alter_table('tweets', table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.add_column(sa.Column('in_reply_to_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('in_reply_to_user_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reply_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('repost_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('repost_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('quote_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('visibility', sa.String(length=16), server_default='public', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_tweets_in_reply_to_id_tweets'), 'tweets', ['in_reply_to_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_tweets_in_reply_to_user_id_users'), 'users', ['in_reply_to_user_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_tweets_repost_of_id_tweets'), 'tweets', ['repost_of_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_tweets_quote_of_id_tweets'), 'tweets', ['quote_of_id'], ['id'], ondelete='SET NULL')
        batch_op.create_unique_constraint(batch_op.f('uq_tweets_repost_of_id_owner_id'), ['repost_of_id', 'owner_id'])
        batch_op.create_check_constraint('visibility', "visibility IN ('public', 'unlisted', 'private', 'direct')")
        batch_op.create_index('ix_tweets_in_reply_to_id_id', ['in_reply_to_id', 'id'])
        batch_op.create_index('ix_tweets_quote_of_id', ['quote_of_id'])
    op.create_table('mentions',
    sa.Column('tweet_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tweet_id'], ['tweets.id'], name=op.f('fk_mentions_tweet_id_tweets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mentions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tweet_id', 'user_id', name=op.f('pk_mentions'))
    )
    op.create_index('ix_mentions_user_id_tweet_id', 'mentions', ['user_id', 'tweet_id'])


def downgrade() -> None:
    op.drop_index('ix_mentions_user_id_tweet_id', table_name='mentions')
    op.drop_table('mentions')
    # table_kwargs: the rebuilt SQLite table keeps AUTOINCREMENT (0003): ids never reused.
    with op.batch_alter_table('tweets', table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.drop_index('ix_tweets_quote_of_id')
        batch_op.drop_index('ix_tweets_in_reply_to_id_id')
        batch_op.drop_constraint(batch_op.f('ck_tweets_visibility'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_tweets_repost_of_id_owner_id'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_tweets_quote_of_id_tweets'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_tweets_repost_of_id_tweets'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_tweets_in_reply_to_user_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_tweets_in_reply_to_id_tweets'), type_='foreignkey')
        batch_op.drop_column('visibility')
        batch_op.drop_column('quote_of_id')
        batch_op.drop_column('repost_count')
        batch_op.drop_column('repost_of_id')
        batch_op.drop_column('reply_count')
        batch_op.drop_column('in_reply_to_user_id')
        batch_op.drop_column('in_reply_to_id')
