"""edit warnings: each earlier version of an edited post keeps its own content warning and
sensitive flag, so an edit may change them and the history still shows what each version said

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, never batch (as 0013).
    op.add_column('tweet_edits', sa.Column('spoiler_text', sa.String(length=280), server_default='', nullable=False))
    op.add_column('tweet_edits', sa.Column('sensitive', sa.Boolean(), server_default=sa.false(), nullable=False))
    # Until now an edit could not change the warning, so every kept version had the post's
    # own; its sensitive flag is the best guess there is (the history showed it so).
    op.execute(
        "UPDATE tweet_edits SET"
        " spoiler_text = (SELECT t.spoiler_text FROM tweets t WHERE t.id = tweet_edits.tweet_id),"
        " sensitive = (SELECT t.sensitive FROM tweets t WHERE t.id = tweet_edits.tweet_id)"
    )


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+), as 0013 does: no rebuild.
    op.drop_column('tweet_edits', 'sensitive')
    op.drop_column('tweet_edits', 'spoiler_text')
