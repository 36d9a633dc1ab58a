"""home feed: per-person home timelines written at post time; the job queue's schema

Revision ID: 0016
Revises: 0012
Create Date: 2026-12-04 18:00:00

On PostgreSQL this also installs procrastinate's tables and functions (the job queue that
fans big accounts' posts out after the reply, webapp/jobs.py), from the pinned release's own
schema file. SQLite keeps the simple home query and runs no queue: nothing to install there.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('users', sa.Column('feed_floor', sa.Integer(), nullable=True))
    op.create_table('home_feed',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('tweet_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_home_feed_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'tweet_id', name=op.f('pk_home_feed'))
    )
    if op.get_bind().dialect.name == 'postgresql':
        from procrastinate.schema import SchemaManager

        op.execute(SchemaManager.get_schema())


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(_DROP_PROCRASTINATE)
    op.drop_table('home_feed')
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch rebuild would lose the users
    # table's expression indexes from 0005.
    op.drop_column('users', 'feed_floor')


# Everything procrastinate's schema file creates is named procrastinate_*.
_DROP_PROCRASTINATE = """
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT tablename FROM pg_tables
             WHERE schemaname = current_schema() AND tablename LIKE 'procrastinate%' LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', r.tablename);
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS f FROM pg_proc p
             JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%' LOOP
        EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', r.f);
    END LOOP;
    FOR r IN SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
             WHERE n.nspname = current_schema() AND t.typname LIKE 'procrastinate%'
               AND t.typtype IN ('e', 'c') LOOP
        EXECUTE format('DROP TYPE IF EXISTS %I CASCADE', r.typname);
    END LOOP;
END $$;
"""
