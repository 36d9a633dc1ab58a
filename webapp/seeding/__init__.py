"""Fill a database with a realistic data set: `python -m webapp.cli seed` (see data.py)."""

import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from webapp.crud import post_counts
from webapp.models import Base, Follow, Like, Mention, Tag, Tweet, TweetTag, User
from webapp.security import hash_password
from webapp.seeding import data as gen
from webapp.seeding.load import Loader, loader_for
from webapp.text import hashtags

# Every seeded account logs in with this password (hashing 10k passwords would take minutes).
PASSWORD = "chirp-seeded-password"


class NotEmpty(Exception):
    """The database already has users; seeding it needs --reset."""


@dataclass(frozen=True)
class Counts:
    users: int
    follows: int
    tweets: int
    likes: int


def seed(
    engine: Engine,
    *,
    users: int,
    tweets: int,
    likes: int | None = None,
    reset: bool = False,
    rng_seed: int = 42,
    progress: bool = True,
) -> Counts:
    _check_empty(engine, reset)
    nlikes = tweets // 2 if likes is None else likes
    data = gen.DataSet(users, tweets, nlikes, random.Random(rng_seed))
    report = Progress(enabled=progress)
    with loader_for(engine) as load:
        if reset:
            load.empty(list(reversed(Base.metadata.sorted_tables)))
        load.rows(User, gen.user_rows(data, hash_password(PASSWORD)), users, report)
        nfollows = load.rows(Follow, gen.follow_rows(data), None, report)
        pairs, like_counts = gen.like_pairs(data)
        authors, plan = gen.tweet_authors(data)
        load.rows(Tweet, gen.tweet_rows(data, like_counts, authors, plan), tweets, report)
        load.rows(Mention, gen.mention_rows(authors, plan), None, report)
        load.rows(Like, gen.like_rows(data, pairs), len(pairs), report)
        _load_tags(load, report)
        load.finish([User, Tweet, Like])
        # The posts went in without crud. After finish's ANALYZE: the planner then knows
        # tweets' size and probes ix_tweets_owner_id_id per account.
        post_counts.recount_posts(load.connection)
    return Counts(users, nfollows, tweets, len(pairs))


def _load_tags(load: Loader, report: "Progress") -> None:
    """The tag index for the tweets just written, parsed by the same function as at post time
    (read back in id batches: the generated texts are never all held in memory)."""
    names: set[str] = set()

    def tweet_tags() -> Iterator[tuple[object, ...]]:
        for batch in load.batches(TAGGED_TWEETS, 20_000):
            for tweet_id, owner_id, text, created_at in batch:
                for tag in sorted(hashtags(text)):
                    names.add(tag)
                    yield (tag, tweet_id, owner_id, created_at)

    load.rows(TweetTag, tweet_tags(), None, report)
    load.rows(Tag, ((name,) for name in sorted(names)), len(names), report)


TAGGED_TWEETS = (
    "SELECT id, owner_id, text, created_at FROM tweets WHERE id > :last ORDER BY id LIMIT :size"
)


def _check_empty(engine: Engine, reset: bool) -> None:
    with engine.connect() as connection:
        tables = set(connection.dialect.get_table_names(connection))
        if User.__tablename__ not in tables:
            raise NotEmpty("no schema here: run `alembic upgrade head` first")
        if not reset and connection.scalar(select(func.count()).select_from(User)):
            raise NotEmpty("the database already has users; add --reset to replace everything")


class Progress:
    """One line per table, rewritten in place: `tweets 420,000/1,000,000 (42%) 9.1s`."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.monotonic()

    def __call__(self, table: str, done: int, total: int | None, final: bool = False) -> None:
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.started
        of = f"/{total:,} ({100 * done // max(total, 1)}%)" if total else ""
        end = "\n" if final else ""
        sys.stderr.write(f"\r{table} {done:,}{of} {elapsed:.1f}s\033[K{end}")
        sys.stderr.flush()


__all__ = ["PASSWORD", "Counts", "Loader", "NotEmpty", "Progress", "seed"]
