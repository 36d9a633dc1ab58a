"""edits and polls: tweets.edited_at and has_poll, tweet_edits, polls, poll_options, poll_votes

The two tweets columns are plain ADD COLUMNs (nullable, or with a constant default): the
tweets table is never rebuilt on SQLite, where that would drop its search triggers.

Revision ID: 0014
Revises: 0010
Create Date: 2026-12-04 17:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _created_at() -> sa.Column[sa.DateTime]:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )


def upgrade() -> None:
    op.add_column("tweets", sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "tweets", sa.Column("has_poll", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.create_table(
        "tweet_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tweet_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=280), nullable=False),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["tweet_id"], ["tweets.id"], name=op.f("fk_tweet_edits_tweet_id_tweets"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tweet_edits")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_tweet_edits_tweet_id_id", "tweet_edits", ["tweet_id", "id"])
    op.create_table(
        "polls",
        sa.Column("tweet_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("multiple", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("hide_totals", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("votes_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("voters_count", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["tweet_id"], ["tweets.id"], name=op.f("fk_polls_tweet_id_tweets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tweet_id", name=op.f("pk_polls")),
    )
    op.create_table(
        "poll_options",
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=50), nullable=False),
        sa.Column("votes_count", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["poll_id"], ["polls.tweet_id"], name=op.f("fk_poll_options_poll_id_polls"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("poll_id", "position", name=op.f("pk_poll_options")),
    )
    op.create_table(
        "poll_votes",
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["poll_id"], ["polls.tweet_id"], name=op.f("fk_poll_votes_poll_id_polls"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_poll_votes_user_id_users"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("poll_id", "user_id", "position", name=op.f("pk_poll_votes")),
    )
    op.create_index("ix_poll_votes_user_id", "poll_votes", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_poll_votes_user_id", table_name="poll_votes")
    op.drop_table("poll_votes")
    op.drop_table("poll_options")
    op.drop_table("polls")
    op.drop_index("ix_tweet_edits_tweet_id_id", table_name="tweet_edits")
    op.drop_table("tweet_edits")
    # Plain DROP COLUMN (SQLite 3.35+), as 0007 does: no rebuild of tweets.
    op.drop_column("tweets", "has_poll")
    op.drop_column("tweets", "edited_at")
