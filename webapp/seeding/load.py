"""Bulk writers: COPY on PostgreSQL, chunked executemany on SQLite, all in one transaction.

They write on the DBAPI connection under a SQLAlchemy one, so crud's bulk fix-ups (such as
post_counts.recount_posts) run in the same transaction, through `Loader.connection`."""

import io
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import islice
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.engine import Connection, Engine

CHUNK = 50_000
Report = Callable[[str, int, int | None, bool], None]

# Column order of the row tuples in data.py.
COLUMNS = {
    "users": "id, email, email_key, username, display_name, bio, hashed_password, created_at",
    "follows": "follower_id, followee_id, created_at",
    "tweets": "id, owner_id, text, like_count, created_at, in_reply_to_id, "
    "in_reply_to_user_id, reply_count, repost_of_id, repost_count, visibility",
    "likes": "id, owner_id, tweet_id, created_at",
    "tweet_tags": "tag, tweet_id, owner_id, created_at",
    "tags": "name",
    "mentions": "tweet_id, user_id",
}


class Loader:
    def __init__(self, connection: Connection) -> None:
        self.connection, self.dialect = connection, connection.dialect.name
        # The driver's own connection (psycopg's COPY, sqlite3's executemany); open while
        # `connection` is.
        self.dbapi = cast(Any, connection.connection.dbapi_connection)
        self.cursor = self.dbapi.cursor()

    def empty(self, tables: list[Table]) -> None:
        if self.dialect == "postgresql":
            names = ", ".join(t.name for t in tables)
            self.cursor.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                self.cursor.execute(f"DELETE FROM {table.name}")

    def rows(
        self, model: Any, rows: Iterable[tuple[Any, ...]], total: int | None, report: Report
    ) -> int:
        table = model.__tablename__
        done = 0
        for chunk in _chunks(rows):
            self._write(table, chunk)
            done += len(chunk)
            report(table, done, total, False)
        report(table, done, total, True)
        return done

    def _write(self, table: str, chunk: list[tuple[Any, ...]]) -> None:
        columns = COLUMNS[table]
        if self.dialect == "postgresql":
            data = "".join(_copy_line(row) for row in chunk)
            sql = f"COPY {table} ({columns}) FROM STDIN"
            if hasattr(self.cursor, "copy_expert"):  # psycopg2
                self.cursor.copy_expert(sql, io.StringIO(data))
            else:  # psycopg 3
                with self.cursor.copy(sql) as copy:
                    copy.write(data)
        else:
            marks = ", ".join("?" * len(chunk[0]))
            rows = [tuple(map(_sqlite_value, row)) for row in chunk]
            self.cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)

    def batches(self, query: str, size: int) -> Iterator[list[tuple[Any, ...]]]:
        """Rows of `query` (which takes the last id seen and a limit, and returns the id
        first) in keyset batches, read on a second cursor while the first one writes."""
        reader, last = self.dbapi.cursor(), 0
        marks = (last, size)
        while True:
            sql = query.replace(":last", "%s" if self.dialect == "postgresql" else "?")
            reader.execute(
                sql.replace(":size", "%s" if self.dialect == "postgresql" else "?"), marks
            )
            rows = reader.fetchall()
            if not rows:
                return
            yield rows
            marks = (rows[-1][0], size)

    def finish(self, models: list[Any]) -> None:
        """Move id sequences past the explicit ids, and give the planner fresh statistics."""
        for model in models if self.dialect == "postgresql" else []:
            name = model.__tablename__
            self.cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {name}), false)"
            )
        self.cursor.execute("ANALYZE")


def _copy_line(row: tuple[Any, ...]) -> str:
    # COPY text format; generated values hold no tab, newline or backslash.
    return "\t".join(_copy_value(v) for v in row) + "\n"


def _copy_value(value: Any) -> str:
    if value is None:
        return "\\N"  # COPY's NULL
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _sqlite_value(value: Any) -> Any:
    # SQLAlchemy keeps SQLite datetimes as naive UTC text in this exact format.
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def _chunks(rows: Iterable[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    it = iter(rows)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


@contextmanager
def loader_for(engine: Engine) -> Iterator[Loader]:
    with engine.begin() as connection:  # committed at the end, rolled back on any error
        yield Loader(connection)
