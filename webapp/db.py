"""The engine and session factory. `python -m webapp.db` checks the connection."""

import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import Request
from sqlalchemy import Integer, create_engine, event, inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from webapp.config import settings


def make_engine(url: str, *, statement_timeout_ms: int | None = None) -> Engine:
    """`statement_timeout_ms` None: DB_STATEMENT_TIMEOUT_MS; 0: none (bulk loads, seeding)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # A short connect and pool timeout make requests fail fast (a 503) during an outage
    # instead of hanging; _ping_if_idle drops connections that died while they sat idle.
    engine = create_engine(
        url,
        pool_size=10,
        max_overflow=10,
        pool_timeout=5,
        # JIT off: compiling a plan cost 170-210 ms on the home timeline's statement (its
        # LATERAL estimate passes jit_above_cost once visibility is filtered), for a query
        # that runs in 20 ms. Short OLTP statements never win it back.
        # Generic plans for prepared statements (psycopg 3 prepares a statement run 5 times
        # on a connection): planning a card statement costs 2.5 ms, more than running it,
        # and PostgreSQL's `auto` mode went on planning the Everyone page's afresh on every
        # run at 1M posts (its estimate there favoured a custom plan): 4.5 ms a page at 1M
        # against 1.8 at 10k. Every statement is keyed by ids and indexes: the generic plan
        # is the one to keep.
        connect_args={
            "connect_timeout": 2,
            "options": "-c jit=off -c plan_cache_mode=force_generic_plan",
        },
    )
    event.listen(engine, "checkin", _transactional)
    event.listen(engine, "checkout", _ping_if_idle(engine.dialect))
    event.listen(engine, "do_connect", _statement_timeout(statement_timeout_ms))
    if engine.dialect.driver == "psycopg":
        # psycopg converts a statement's %(name)s placeholders on every execute, and remembers
        # the conversion only for statements up to 4,096 characters; the home page's card
        # statement is 7,300. Remembered, a home page costs 5% fewer instructions (13.6 ->
        # 12.9 M, callgrind, in-process). The cache stays bounded: 128 entries (its
        # lru_cache), statements of at most 50 parameters, now up to 16 KB each.
        from psycopg import _queries as psycopg_queries

        psycopg_queries.MAX_CACHED_STATEMENT_LENGTH = 16_384
        event.listen(engine, "do_connect", _described_lazily)
        # psycopg 3 binds parameters server-side, and SQLAlchemy casts each Integer one to
        # ::INTEGER: an id past int4 in a URL (/api/v1/statuses/2**40) would then fail the
        # cast (a 500) where it should simply match nothing (a 404, as with psycopg2's
        # literal values). Uncast, psycopg sends it as int8 and PostgreSQL compares int4 with
        # int8 in the same btree opclass (index scans kept). BigInteger keeps its cast.
        engine.dialect.colspecs = {**engine.dialect.colspecs, Integer: Integer}
    return engine


def _described_lazily(_dialect: Any, _record: Any, _args: Any, params: dict[str, Any]) -> None:
    """psycopg builds cursor.description afresh on each read, a Column object per column
    (a home page reads 90). SQLAlchemy reads it once per statement and, for a statement it
    compiled before (every page's), only checks it is there. Built when first indexed, a
    home page costs 7% fewer instructions (11.95 -> 11.08 M, callgrind, in-process)."""
    from webapp.pgcursor import DescribedLazily

    params["cursor_factory"] = DescribedLazily


def _statement_timeout(fixed_ms: int | None) -> Callable[..., None]:
    # A connect option (libpq `options`), read as each connection opens: no extra round trip.
    def do_connect(_dialect: Any, _record: Any, _args: Any, params: dict[str, Any]) -> None:
        ms = settings.db_statement_timeout_ms if fixed_ms is None else fixed_ms
        if ms:
            params["options"] = f"{params.get('options', '')} -c statement_timeout={ms}".strip()

    return do_connect


def _transactional(dbapi_connection: Any, record: Any) -> None:
    # Every connection goes back to the pool in transaction mode, whatever a read set.
    if dbapi_connection is not None and not dbapi_connection.closed:
        dbapi_connection.autocommit = False
    record.info[_IDLE_SINCE] = time.monotonic()


_IDLE_SINCE = "idle_since"
PING_AFTER_IDLE_SECONDS = 5.0


def _ping_if_idle(dialect: Any) -> Callable[..., None]:
    """SELECT 1 before handing out a connection that sat idle in the pool (the database may
    have restarted meanwhile, or closed it); a dead one is replaced, the request never sees
    it. A busy connection is not pinged: pool_pre_ping's round trip on every checkout cost
    4% of a home page's CPU. Should the database restart under load, the request that finds
    a dead connection answers 503 and the whole pool is renewed (SQLAlchemy invalidates
    every connection older than the error)."""

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop(_IDLE_SINCE, None)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise DisconnectionError("connection lost while idle") from error

    return checkout


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside a writer; busy_timeout makes writers queue
    # instead of failing with "database is locked"; SQLite leaves FKs off by default.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


engine = make_engine(settings.database_url)
SessionLocal = sessionmaker(bind=engine, autoflush=False, expire_on_commit=False)


READ_METHODS = frozenset({"GET", "HEAD"})
READ = "read"  # Session.info key: the session serves a GET or HEAD


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request, opened and closed on the event loop: no worker-thread hop.

    Opening touches nothing (the connection is taken at the first query, in the route's
    thread). Closing a read sends nothing either (see _autocommit_reads); closing a write
    may have to roll back a failed transaction, so that goes to a worker thread.
    """
    read = request.method in READ_METHODS
    session = SessionLocal(info={READ: read})
    try:
        yield session
    finally:
        if read:
            session.close()
        else:
            await run_in_threadpool(session.close)


@event.listens_for(SessionLocal, "after_begin")
def _autocommit_reads(session: Session, _transaction: Any, connection: Connection) -> None:
    """On PostgreSQL a read runs in autocommit: no BEGIN and ROLLBACK round trips around its
    SELECTs (each sees its own snapshot). The pool's checkin hook turns it back off."""
    if session.info.get(READ) and connection.dialect.name == "postgresql":
        connection.connection.dbapi_connection.autocommit = True  # type: ignore[union-attr]


if __name__ == "__main__":
    print(f"Connected to {engine.url.render_as_string(hide_password=True)}")
    print("Tables:", ", ".join(sorted(inspect(engine).get_table_names())) or "(none)")
