"""The migrations build the models' schema from empty, show no drift, and come down again.

They run on a database of their own (a scratch SQLite file, or a scratch PostgreSQL database
beside the test one), so the rest of the suite keeps its schema.
"""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import DateTime, Engine, bindparam, create_engine, inspect, text
from sqlalchemy.engine import make_url

from alembic import command
from tests.conftest import TEST_DATABASE_URL
from tests.migrations import alembic_config
from webapp.models import Base
from webapp.search_schema import include_object


@pytest.fixture
def scratch_url(tmp_path: Path) -> Iterator[str]:
    url = make_url(TEST_DATABASE_URL)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"{url.database}_migrations"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_matches_models_and_downgrade_empties(scratch_url: str):
    config = alembic_config(scratch_url)
    command.upgrade(config, "head")
    engine = create_engine(scratch_url)
    with engine.connect() as connection:
        drift = compare_metadata(
            MigrationContext.configure(connection, opts={"include_object": include_object}),
            Base.metadata,
        )
    assert drift == []
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())

    command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()


def test_each_step_downgrades_and_upgrades_again(scratch_url: str):
    config = alembic_config(scratch_url)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    engine = create_engine(scratch_url)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_connection_check_prints_the_tables(scratch_url: str):
    """The seed's step 5: `python -m webapp.db` connects and lists the tables."""
    import os
    import subprocess
    import sys

    command.upgrade(alembic_config(scratch_url), "head")
    result = subprocess.run(
        [sys.executable, "-m", "webapp.db"],
        env={**os.environ, "DATABASE_URL": scratch_url},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "tweets" in result.stdout and "users" in result.stdout and "likes" in result.stdout


def test_0003_keeps_every_row_and_then_never_reuses_an_id(scratch_url: str):
    """Upgrading an existing database keeps its rows; afterwards the newest id stays taken."""
    config = alembic_config(scratch_url)
    command.upgrade(config, "0002")
    engine = create_engine(scratch_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (email, email_key, username, hashed_password)"
                " VALUES ('a@example.com', 'a@example.com', 'a', 'x')"
            )
        )
        connection.execute(
            text("INSERT INTO tweets (owner_id, text) VALUES (1, 'one'), (1, 'two')")
        )

    command.upgrade(config, "head")
    assert _tweets(engine) == [(1, "one"), (2, "two")]
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM tweets WHERE id = 2"))
        connection.execute(text("INSERT INTO tweets (owner_id, text) VALUES (1, 'three')"))
    assert _tweets(engine) == [(1, "one"), (3, "three")]

    command.downgrade(config, "0002")
    assert _tweets(engine) == [(1, "one"), (3, "three")]
    engine.dispose()


def _tweets(engine: Engine) -> list[tuple[int, str]]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, text FROM tweets ORDER BY id"))
        return [(row.id, row.text) for row in rows]


def test_0019_gives_versions_kept_before_it_their_posts_warning(scratch_url: str):
    """Before 0019 an edit could not change the warning, so every kept version had the
    post's own: the history goes on showing it, and a post without one shows none."""
    config = alembic_config(scratch_url)
    command.upgrade(config, "0013")
    engine = create_engine(scratch_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (email, email_key, username, hashed_password)"
                " VALUES ('a@example.com', 'a@example.com', 'a', 'x')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO tweets (id, owner_id, text, spoiler_text, sensitive)"
                " VALUES (1, 1, 'warned', 'cw', true), (2, 1, 'plain', '', false)"
            )
        )
        connection.execute(
            text("INSERT INTO tweet_edits (tweet_id, text) VALUES (1, 'first'), (2, 'before')")
        )

    command.upgrade(config, "0019")
    with engine.connect() as connection:
        query = "SELECT tweet_id, spoiler_text, sensitive FROM tweet_edits ORDER BY tweet_id"
        rows = [tuple(row) for row in connection.execute(text(query))]
    assert rows == [(1, "cw", True), (2, "", False)]
    command.downgrade(config, "0013")
    assert "spoiler_text" not in {c["name"] for c in inspect(engine).get_columns("tweet_edits")}
    engine.dispose()


def test_0020_counts_each_accounts_posts_but_not_its_direct_ones(scratch_url: str):
    """Upgrading counts the posts already there (reposts too, direct posts not) and takes the
    newest counted one's time; downgrading drops both columns."""
    config = alembic_config(scratch_url)
    command.upgrade(config, "0019")
    engine = create_engine(scratch_url)
    day = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    with engine.begin() as connection:
        for name in ("ada", "bob", "cara"):
            connection.execute(
                text(
                    "INSERT INTO users (email, email_key, username, hashed_password)"
                    " VALUES (:e, :e, :u, 'x')"
                ),
                {"e": f"{name}@example.com", "u": name},
            )
        insert = text(
            "INSERT INTO tweets (id, owner_id, text, visibility, repost_of_id, created_at)"
            " VALUES (:id, :owner, :text, :visibility, :repost_of, :at)"
        ).bindparams(bindparam("at", type_=DateTime(timezone=True)))
        rows = [  # ada: two posts and a repost of bob's, then a newer direct post
            (1, 2, "bob's", "public", None, day),
            (2, 1, "one", "public", None, day + timedelta(days=1)),
            (3, 1, "two", "private", None, day + timedelta(days=2)),
            (4, 1, "", "public", 1, day + timedelta(days=3)),
            (5, 1, "psst", "direct", None, day + timedelta(days=4)),
            (6, 3, "only direct", "direct", None, day),
        ]
        names = ("id", "owner", "text", "visibility", "repost_of", "at")
        connection.execute(insert, [dict(zip(names, row, strict=True)) for row in rows])

    command.upgrade(config, "0020")
    query = text(
        "SELECT username, statuses_count, last_status_at FROM users ORDER BY username"
    ).columns(last_status_at=DateTime(timezone=True))
    with engine.connect() as connection:
        counts = [tuple(row) for row in connection.execute(query)]
    assert [(name, n) for name, n, _ in counts] == [("ada", 3), ("bob", 1), ("cara", 0)]
    newest = [at.replace(tzinfo=UTC) if at else None for _, _, at in counts]  # SQLite: naive UTC
    assert newest == [day + timedelta(days=3), day, None]

    command.downgrade(config, "0019")
    columns = {c["name"] for c in inspect(engine).get_columns("users")}
    assert not columns & {"statuses_count", "last_status_at"}
    engine.dispose()
