"""account post counts: each account's statuses_count and last_status_at kept on users (as
Mastodon's account_stats), so a page of statuses no longer counts every post its authors
ever wrote

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 12:00:00

A status counts unless it is direct (Mastodon's rule); reposts count. From here on the crud
layer keeps both columns (webapp/crud/post_counts.py); this backfills them once.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, never batch: a rebuild of users on SQLite would lose its expression
    # indexes from 0005 (see 0016).
    op.add_column('users', sa.Column('statuses_count', sa.Integer(), server_default='0', nullable=False))
    op.add_column('users', sa.Column('last_status_at', sa.DateTime(timezone=True), nullable=True))
    # Correlated subqueries: one statement that SQLite and PostgreSQL both run, each an
    # index range on ix_tweets_owner_id_id per account.
    op.execute(
        "UPDATE users SET"
        " statuses_count = (SELECT count(*) FROM tweets t"
        "  WHERE t.owner_id = users.id AND t.visibility <> 'direct'),"
        " last_status_at = (SELECT max(t.created_at) FROM tweets t"
        "  WHERE t.owner_id = users.id AND t.visibility <> 'direct')"
    )


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+), as 0016 does: no rebuild.
    op.drop_column('users', 'last_status_at')
    op.drop_column('users', 'statuses_count')
