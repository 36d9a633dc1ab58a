"""What autogenerate must not compare: post search, kept by the database per engine.

Migration 0005 makes PostgreSQL's generated tweets.search_vector with its GIN index, and
SQLite's FTS5 table tweets_fts (with the shadow tables FTS5 makes for it). None of them is
in the models, so without this filter `alembic check` would propose dropping them.
Nor are the job queue's tables (procrastinate_*, migration 0016): procrastinate owns them.
"""

SEARCH_ONLY = frozenset({"search_vector", "ix_tweets_search_vector"})


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    if type_ == "table" and name is not None and name.startswith(("tweets_fts", "procrastinate")):
        return False
    return name not in SEARCH_ONLY
