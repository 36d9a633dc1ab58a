"""The app's psycopg cursors build `description` when it is first read (webapp/pgcursor.py):
it must still read as psycopg's own, and never describe a result the cursor moved past."""

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import text

from webapp.db import engine

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def cursor() -> Iterator[Any]:
    """A cursor of one of the app's pooled connections (so, the app's cursor class)."""
    raw = engine.raw_connection()
    try:
        yield raw.cursor()
    finally:
        raw.close()


def test_description_reads_as_psycopgs_own(cursor):
    cursor.execute("SELECT 1 AS a, 'x'::text AS b, now() AS c")
    described = cursor.description
    assert described is not None and len(described) == 3
    assert [column[0] for column in described] == ["a", "b", "c"]
    assert [column[0] for column in described[1:]] == ["b", "c"]
    assert described[-1][1] == psycopg.adapters.types["timestamptz"].oid
    cursor.execute("SET LOCAL statement_timeout = 1000")
    assert cursor.description is None  # no rows, as psycopg says


def test_a_description_read_after_the_next_statement_is_refused(cursor):
    cursor.execute("SELECT 1 AS first")
    stale = cursor.description
    cursor.execute("SELECT 2 AS second")
    assert stale is not None
    with pytest.raises(psycopg.InterfaceError):
        stale[0]
    assert cursor.description is not None and cursor.description[0][0] == "second"


def test_sqlalchemy_maps_columns_by_name_on_first_and_cached_runs():
    statement = text("SELECT 7 AS seven, 'chirp' AS word")
    with engine.connect() as connection:
        for _ in range(7):  # past psycopg's prepare threshold, and SQLAlchemy's cache
            assert connection.execute(statement).mappings().one() == {"seven": 7, "word": "chirp"}
