"""scheduled statuses: posts to publish later (Mastodon's scheduled_at), and the uploads
reserved for them

Revision ID: 0017
Revises: 0013
Create Date: 2026-12-05 04:56:45

Two new tables only: nothing existing is altered (no rebuild of tweets or media_attachments
on SQLite). BIGINT ids on PostgreSQL; SQLite keeps INTEGER PRIMARY KEY, its rowid.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('scheduled_statuses',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('scheduled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_scheduled_statuses_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheduled_statuses')),
    sqlite_autoincrement=True
    )
    op.create_index(op.f('ix_scheduled_statuses_scheduled_at'), 'scheduled_statuses', ['scheduled_at'], unique=False)
    op.create_index('ix_scheduled_statuses_user_id_id', 'scheduled_statuses', ['user_id', 'id'], unique=False)
    op.create_table('scheduled_media',
    sa.Column('media_id', sa.BigInteger(), nullable=False),
    sa.Column('scheduled_status_id', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['media_id'], ['media_attachments.id'], name=op.f('fk_scheduled_media_media_id_media_attachments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scheduled_status_id'], ['scheduled_statuses.id'], name=op.f('fk_scheduled_media_scheduled_status_id_scheduled_statuses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('media_id', name=op.f('pk_scheduled_media'))
    )
    op.create_index(op.f('ix_scheduled_media_scheduled_status_id'), 'scheduled_media', ['scheduled_status_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_scheduled_media_scheduled_status_id'), table_name='scheduled_media')
    op.drop_table('scheduled_media')
    op.drop_index('ix_scheduled_statuses_user_id_id', table_name='scheduled_statuses')
    op.drop_index(op.f('ix_scheduled_statuses_scheduled_at'), table_name='scheduled_statuses')
    op.drop_table('scheduled_statuses')
