"""SQLite tables get AUTOINCREMENT, so a deleted row's id is never given out again

Without it SQLite hands the next row max(id) + 1: delete the newest tweet, post again, and
the old /t/<id> link shows the new post. PostgreSQL sequences never go back: nothing to do.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 15:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every table with a single integer id (follows has a composite key: no id to reuse).
TABLES = ('users', 'tweets', 'likes', 'auth_tokens', 'oauth_apps', 'oauth_codes')


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    # SQLite cannot add AUTOINCREMENT in place: batch mode copies each table into a new one
    # (rows, indexes and constraints kept). Alembic's connection has foreign keys off, so
    # dropping the old table cascades nothing.
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate='always', table_kwargs={'sqlite_autoincrement': autoincrement}
        ):
            pass


def upgrade() -> None:
    _rebuild(True)


def downgrade() -> None:
    _rebuild(False)
