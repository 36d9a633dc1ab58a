"""social: locked accounts and follow requests, direct conversations, featured tags, endorsements

Revision ID: 0015
Revises: 0016
Create Date: 2026-12-04 17:31:31.601803
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('conversations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversations')),
    sqlite_autoincrement=True
    )
    op.create_table('endorsements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['target_id'], ['users.id'], name=op.f('fk_endorsements_target_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_endorsements_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_endorsements')),
    sa.UniqueConstraint('user_id', 'target_id', name=op.f('uq_endorsements_user_id_target_id')),
    sqlite_autoincrement=True
    )
    op.create_index(op.f('ix_endorsements_target_id'), 'endorsements', ['target_id'], unique=False)
    op.create_index('ix_endorsements_user_id_id', 'endorsements', ['user_id', 'id'], unique=False)
    op.create_table('featured_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_featured_tags_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_featured_tags')),
    sa.UniqueConstraint('user_id', 'name', name=op.f('uq_featured_tags_user_id_name')),
    sqlite_autoincrement=True
    )
    op.create_table('follow_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('follower_id', sa.Integer(), nullable=False),
    sa.Column('followee_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['followee_id'], ['users.id'], name=op.f('fk_follow_requests_followee_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['follower_id'], ['users.id'], name=op.f('fk_follow_requests_follower_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_requests')),
    sa.UniqueConstraint('follower_id', 'followee_id', name=op.f('uq_follow_requests_follower_id_followee_id')),
    sqlite_autoincrement=True
    )
    op.create_index('ix_follow_requests_followee_id_id', 'follow_requests', ['followee_id', 'id'], unique=False)
    op.create_table('conversation_members',
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('last_status_id', sa.Integer(), nullable=True),
    sa.Column('sort_id', sa.Integer(), nullable=False),
    sa.Column('unread', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('hidden', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_conversation_members_conversation_id_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['last_status_id'], ['tweets.id'], name=op.f('fk_conversation_members_last_status_id_tweets'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_conversation_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('conversation_id', 'user_id', name=op.f('pk_conversation_members'))
    )
    op.create_index(op.f('ix_conversation_members_last_status_id'), 'conversation_members', ['last_status_id'], unique=False)
    op.create_index('ix_conversation_members_user_id_sort_id', 'conversation_members', ['user_id', 'sort_id'], unique=False)
    op.create_table('conversation_posts',
    sa.Column('tweet_id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_conversation_posts_conversation_id_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tweet_id'], ['tweets.id'], name=op.f('fk_conversation_posts_tweet_id_tweets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tweet_id', name=op.f('pk_conversation_posts'))
    )
    op.create_index('ix_conversation_posts_conversation_id', 'conversation_posts', ['conversation_id'], unique=False)
    op.add_column('users', sa.Column('locked', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    op.drop_column('users', 'locked')
    op.drop_index('ix_conversation_posts_conversation_id', table_name='conversation_posts')
    op.drop_table('conversation_posts')
    op.drop_index('ix_conversation_members_user_id_sort_id', table_name='conversation_members')
    op.drop_index(op.f('ix_conversation_members_last_status_id'), table_name='conversation_members')
    op.drop_table('conversation_members')
    op.drop_index('ix_follow_requests_followee_id_id', table_name='follow_requests')
    op.drop_table('follow_requests')
    op.drop_table('featured_tags')
    op.drop_index('ix_endorsements_user_id_id', table_name='endorsements')
    op.drop_index(op.f('ix_endorsements_target_id'), table_name='endorsements')
    op.drop_table('endorsements')
    op.drop_table('conversations')
