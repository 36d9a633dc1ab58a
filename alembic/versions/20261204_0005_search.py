"""search: tags, tweet_tags, followed_tags; post full-text search; people-prefix indexes

Post search is engine-specific and kept by the database itself: on PostgreSQL a generated
tsvector column with a GIN index, on SQLite an external-content FTS5 table kept by triggers.
Neither is in the models (alembic/env.py leaves them out of autogenerate's comparison).

Revision ID: 0005
Revises: 0009
Create Date: 2026-12-04 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from webapp.text import hashtags

revision: str = "0005"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The 'simple' configuration (lower-case, no stemming, no stop words) and unicode61 without
# diacritics removal tokenize alike, so both engines find the same posts for a query.
PG_SEARCH = [
    "ALTER TABLE tweets ADD COLUMN search_vector tsvector"
    " GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, text)) STORED",
    "CREATE INDEX ix_tweets_search_vector ON tweets USING gin (search_vector)",
]
SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE tweets_fts USING fts5(text, content='tweets', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER tweets_fts_insert AFTER INSERT ON tweets BEGIN"
    " INSERT INTO tweets_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER tweets_fts_delete AFTER DELETE ON tweets BEGIN"
    " INSERT INTO tweets_fts(tweets_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER tweets_fts_update AFTER UPDATE OF text ON tweets BEGIN"
    " INSERT INTO tweets_fts(tweets_fts, rowid, text) VALUES ('delete', old.id, old.text);"
    " INSERT INTO tweets_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO tweets_fts(tweets_fts) VALUES ('rebuild')",
]
BATCH = 10_000


def upgrade() -> None:
    op.create_table(
        "tags",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_tags")),
    )
    op.create_index(
        "ix_tags_name_pattern", "tags", ["name"], postgresql_ops={"name": "varchar_pattern_ops"}
    )
    op.create_table(
        "tweet_tags",
        sa.Column("tag", sa.String(length=100), nullable=False),
        sa.Column("tweet_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["tweet_id"],
            ["tweets.id"],
            name=op.f("fk_tweet_tags_tweet_id_tweets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tag", "tweet_id", name=op.f("pk_tweet_tags")),
    )
    op.create_index("ix_tweet_tags_recent", "tweet_tags", ["created_at", "tag", "owner_id"])
    op.create_index("ix_tweet_tags_tweet_id", "tweet_tags", ["tweet_id"])
    op.create_table(
        "followed_tags",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=100), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_followed_tags_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "tag", name=op.f("pk_followed_tags")),
    )
    op.create_index(
        "ix_users_username_pattern",
        "users",
        ["username"],
        postgresql_ops={"username": "varchar_pattern_ops"},
    )
    op.create_index(
        "ix_users_display_name_lower",
        "users",
        [sa.text("lower(display_name)")],
        postgresql_ops={"lower(display_name)": "text_pattern_ops"},
    )
    for statement in PG_SEARCH if _postgres() else SQLITE_SEARCH:
        op.execute(statement)
    _backfill_tags()


def downgrade() -> None:
    if _postgres():
        op.drop_index("ix_tweets_search_vector", table_name="tweets")
        op.drop_column("tweets", "search_vector")
    else:
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER tweets_fts_{trigger}")
        op.execute("DROP TABLE tweets_fts")
    op.drop_index("ix_users_display_name_lower", table_name="users")
    op.drop_index("ix_users_username_pattern", table_name="users")
    op.drop_table("followed_tags")
    op.drop_index("ix_tweet_tags_tweet_id", table_name="tweet_tags")
    op.drop_index("ix_tweet_tags_recent", table_name="tweet_tags")
    op.drop_table("tweet_tags")
    op.drop_index("ix_tags_name_pattern", table_name="tags")
    op.drop_table("tags")


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _backfill_tags() -> None:
    """Existing tweets get their tag rows, read in id order batch by batch (the same parser
    as at post time: webapp.text.hashtags)."""
    bind = op.get_bind()
    tweets = sa.table(
        "tweets", sa.column("id"), sa.column("owner_id"), sa.column("text"), sa.column("created_at")
    )
    tweet_tags = sa.table(
        "tweet_tags",
        sa.column("tag"),
        sa.column("tweet_id"),
        sa.column("owner_id"),
        sa.column("created_at"),
    )
    tags = sa.table("tags", sa.column("name"))
    seen: set[str] = set()
    last = 0
    while True:
        query = sa.select(tweets).where(tweets.c.id > last).order_by(tweets.c.id).limit(BATCH)
        rows = bind.execute(query).all()
        if not rows:
            break
        last = rows[-1].id
        found = [(tag, row) for row in rows for tag in hashtags(row.text)]
        new = sorted({tag for tag, _ in found} - seen)
        seen.update(new)
        if new:
            bind.execute(tags.insert(), [{"name": tag} for tag in new])
        if found:
            values = [
                {"tag": tag, "tweet_id": r.id, "owner_id": r.owner_id, "created_at": r.created_at}
                for tag, r in found
            ]
            bind.execute(tweet_tags.insert(), values)
