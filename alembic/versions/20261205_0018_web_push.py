"""web push: Mastodon apps' push subscriptions (one per access token) and the server's
own key pairs (the VAPID pair, when the settings give none)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('server_keys',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('private_key', sa.String(length=255), nullable=False),
    sa.Column('public_key', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_server_keys'))
    )
    op.create_table('web_push_subscriptions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('token_id', sa.BigInteger(), nullable=False),
    sa.Column('endpoint', sa.String(length=2000), nullable=False),
    sa.Column('key_p256dh', sa.String(length=100), nullable=False),
    sa.Column('key_auth', sa.String(length=50), nullable=False),
    sa.Column('alerts', sa.JSON(), nullable=False),
    sa.Column('policy', sa.String(length=16), server_default='all', nullable=False),
    sa.Column('access_token_sealed', sa.String(length=255), nullable=False),
    sa.Column('server_url', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['token_id'], ['auth_tokens.id'], name=op.f('fk_web_push_subscriptions_token_id_auth_tokens'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_web_push_subscriptions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_web_push_subscriptions')),
    sa.UniqueConstraint('token_id', name=op.f('uq_web_push_subscriptions_token_id')),
    sqlite_autoincrement=True
    )
    op.create_index(op.f('ix_web_push_subscriptions_user_id'), 'web_push_subscriptions', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_web_push_subscriptions_user_id'), table_name='web_push_subscriptions')
    op.drop_table('web_push_subscriptions')
    op.drop_table('server_keys')
