"""Both search engines find the same posts on the same data, and migration 0005 indexes the
posts that were there before it (tags and full text)."""

import itertools
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from alembic import command
from tests.factories import make_tweet, make_user
from tests.migrations import alembic_config
from tests.test_migrations import scratch_url  # noqa: F401  (a fixture)
from webapp import crud
from webapp.crud import search
from webapp.crud.search import search_posts
from webapp.models import TweetTag

WORDS = ["coffee", "tea", "rain", "train", "bug", "fix", "deploy", "cat", "dog", "river"]


def corpus(rng: random.Random) -> list[tuple[int, str]]:
    """(author index, text): 300 posts of 2-9 words from a small vocabulary."""
    return [
        (rng.randrange(3), " ".join(rng.choices(WORDS, k=rng.randint(2, 9)))) for _ in range(300)
    ]


def queries(rng: random.Random) -> list[str]:
    pairs = [f"{a} {b}" for a, b in zip(rng.sample(WORDS, 8), rng.sample(WORDS, 8), strict=True)]
    phrases = [f'"{a} {b}"' for a, b in zip(WORDS, reversed(WORDS), strict=True)]
    negations = [f"{a} -{b}" for a, b in itertools.pairwise(WORDS)]
    return WORDS + pairs + phrases + negations + ["coffee from:writer1", 'tea -"rain train"']


def load(session: Session, posts: list[tuple[int, str]]) -> list[int]:
    """The posts, in order, by writer0..writer2; returns their ids in the same order."""
    writers = [make_user(session, f"writer{i}") for i in range(3)]
    return [make_tweet(session, writers[who], body).id for who, body in posts]


def positions(session: Session, q: str, ids: list[int]) -> set[int]:
    where = {tweet_id: n for n, tweet_id in enumerate(ids)}
    return {where[t.id] for t in search_posts(session, q=q, limit=400).tweets}


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'fts.db'}"
    command.upgrade(alembic_config(url), "head")
    engine = create_engine(url)
    yield engine
    engine.dispose()


@pytest.mark.postgres_only
def test_postgres_and_sqlite_find_the_same_posts(session: Session, sqlite_engine: Engine):
    rng = random.Random(15)
    posts = corpus(rng)
    pg_ids = load(session, posts)
    with Session(sqlite_engine) as lite:
        lite_ids = load(lite, posts)
        checked = 0
        for q in queries(rng):
            expected = positions(session, q, pg_ids)
            assert positions(lite, q, lite_ids) == expected, q
            checked += bool(expected)
    assert checked > 30  # the queries found something: the comparison means something


@pytest.mark.postgres_only
def test_postgres_reads_common_and_rare_words_alike(
    session: Session, monkeypatch: pytest.MonkeyPatch
):
    """Common words walk the id index, rare ones read the GIN index first: same results."""
    rng = random.Random(16)
    ids = load(session, corpus(rng))
    rare = {q: positions(session, q, ids) for q in queries(rng)}
    monkeypatch.setattr(search, "common_words", lambda _session: frozenset(WORDS))
    assert {q: positions(session, q, ids) for q in rare} == rare
    assert sum(bool(found) for found in rare.values()) > 30


def test_migration_indexes_the_posts_already_there(scratch_url: str):  # noqa: F811
    config = alembic_config(scratch_url)
    command.upgrade(config, "0002")
    engine = create_engine(scratch_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (email, email_key, username, hashed_password)"
                " VALUES ('old@example.com', 'old@example.com', 'old', 'x')"
            )
        )
        uid = connection.scalar(text("SELECT id FROM users"))
        connection.execute(
            insert(TweetTag.metadata.tables["tweets"]),
            [{"owner_id": uid, "text": "an old #Post about #tea"}, {"owner_id": uid, "text": "x"}],
        )
    command.upgrade(config, "head")
    with Session(engine) as db:
        assert sorted(db.scalars(select(TweetTag.tag))) == ["post", "tea"]
        assert [t.text for t in search_posts(db, q="old tea").tweets] == ["an old #Post about #tea"]
        assert [t.text for t in crud.tag_timeline(db, tag="tea").tweets] == [
            "an old #Post about #tea"
        ]
    engine.dispose()
