"""oauth apps and codes; auth_tokens gain app_id and scopes (the Mastodon client API)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('oauth_apps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('client_secret_hash', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('redirect_uris', sa.String(length=2000), nullable=False),
    sa.Column('scopes', sa.String(length=255), nullable=False),
    sa.Column('website', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oauth_apps')),
    sa.UniqueConstraint('client_id', name=op.f('uq_oauth_apps_client_id'))
    )
    op.create_table('oauth_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('app_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('redirect_uri', sa.String(length=2000), nullable=False),
    sa.Column('scopes', sa.String(length=255), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['app_id'], ['oauth_apps.id'], name=op.f('fk_oauth_codes_app_id_oauth_apps'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_oauth_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oauth_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_oauth_codes_code_hash'))
    )
    op.create_index('ix_oauth_codes_app_id', 'oauth_codes', ['app_id'])
    op.create_index('ix_oauth_codes_user_id', 'oauth_codes', ['user_id'])
    # Batch mode: SQLite rebuilds the table to add a foreign key; PostgreSQL alters in place.
    with op.batch_alter_table('auth_tokens') as batch_op:
        batch_op.add_column(sa.Column('app_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('scopes', sa.String(length=255), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_auth_tokens_app_id_oauth_apps'), 'oauth_apps', ['app_id'], ['id'], ondelete='CASCADE')
        batch_op.create_index('ix_auth_tokens_app_id', ['app_id'])


def downgrade() -> None:
    with op.batch_alter_table('auth_tokens') as batch_op:
        batch_op.drop_index('ix_auth_tokens_app_id')
        batch_op.drop_constraint(batch_op.f('fk_auth_tokens_app_id_oauth_apps'), type_='foreignkey')
        batch_op.drop_column('scopes')
        batch_op.drop_column('app_id')
    op.drop_index('ix_oauth_codes_user_id', table_name='oauth_codes')
    op.drop_index('ix_oauth_codes_app_id', table_name='oauth_codes')
    op.drop_table('oauth_codes')
    op.drop_table('oauth_apps')
