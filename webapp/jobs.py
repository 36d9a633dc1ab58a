"""Work that leaves the request, on procrastinate: a job queue kept in PostgreSQL itself (its
tables come with migration 0016), whose workers wake on LISTEN/NOTIFY as a job commits.
No broker to run: the app's database is the queue, and any number of app processes and
workers share it, each job taken by exactly one worker (a row lock).

A job is deferred on the caller's own connection, inside its transaction: a post and the job
that fans it out commit together, or neither does.

Workers: by default each app process runs one in its event loop (JOBS_IN_APP=true), so
`make run` needs nothing else; with JOBS_IN_APP=false, `python -m webapp.cli worker` runs
them as processes of their own. SQLite has no queue and keeps no feeds: nothing is deferred
(Web Push, the one thing it cannot skip, goes out on a thread after the commit instead).
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import procrastinate
from procrastinate.contrib.sqlalchemy import SQLAlchemyPsycopg2Connector
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.manager import JobManager
from procrastinate.tasks import configure_task
from sqlalchemy import make_url
from sqlalchemy.orm import Session

from webapp import sqlcount, webpush
from webapp.config import settings
from webapp.crud import feeds
from webapp.db import READ, SessionLocal, engine

log = logging.getLogger(__name__)


def _conninfo(url: str) -> str:
    """libpq's form of a SQLAlchemy URL, for the worker's own psycopg 3 connector."""
    if not url.startswith("postgresql"):
        return ""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


POSTGRES = settings.database_url.startswith("postgresql")
# What every worker takes jobs from: home feeds, scheduled posts (webapp/crud/scheduled.py,
# published when due) and Web Push deliveries (webapp/webpush.py).
QUEUES = ["feeds", "posts", "push"]
# The worker's side: psycopg 3's async connector, for LISTEN/NOTIFY in an event loop.
queue = procrastinate.App(
    connector=procrastinate.PsycopgConnector(conninfo=_conninfo(settings.database_url)),
)
# The app's side: defers on the request's own connection, in its transaction, through the
# connector that speaks its driver (psycopg2, or psycopg 3 for postgresql+psycopg:// URLs).
PSYCOPG3 = engine.dialect.driver == "psycopg"
_deferring: Any = (
    procrastinate.SyncPsycopgConnector() if PSYCOPG3 else SQLAlchemyPsycopg2Connector()
)
if POSTGRES and not PSYCOPG3:
    _deferring.open(engine)
_jobs = JobManager(_deferring)
# A session on another engine than the app's (bench and CLI scripts) speaks its own driver.
_jobs_psycopg3 = _jobs if PSYCOPG3 else JobManager(procrastinate.SyncPsycopgConnector())


@queue.task(name="fan_out", queue="feeds")
def fan_out(tweet_id: int) -> None:
    """A post's rows in its author's followers' home feeds."""
    with SessionLocal() as session:
        written = feeds.fan_out(session, tweet_id)
    log.info("fan_out tweet=%s rows=%s", tweet_id, written)


@queue.task(name="keep_feed", queue="feeds")
def keep_feed(user_id: int) -> None:
    """Start keeping someone's home feed, and fill it from the posts already there."""
    with SessionLocal() as session:
        feeds.start(session, user_id)
        written = feeds.backfill(session, user_id)
    log.info("keep_feed user=%s rows=%s", user_id, written)


@queue.periodic(cron="*/10 * * * *")
@queue.task(name="trim_feeds", queue="feeds", queueing_lock="trim_feeds")
def trim_feeds(timestamp: int) -> None:
    """Every ten minutes: feeds that grew TRIM_SLACK past FEED_DEPTH lose their oldest rows."""
    trimmed = trim_all()
    log.info("trim_feeds trimmed=%s", trimmed)


@queue.task(name="web_push", queue="push")
def web_push(notification_id: int) -> None:
    """A new notification's pushes to its recipient's apps (webapp/webpush.py)."""
    sent = webpush.deliver(notification_id)
    log.info("web_push notification=%s sent=%s", notification_id, sent)


def trim_all() -> int:
    trimmed, after = 0, 0
    with SessionLocal() as session:
        while batch := feeds.kept_users(session, after=after):
            trimmed += sum(feeds.trim(session, user_id) for user_id in batch)
            after = batch[-1]
    return trimmed


@queue.periodic(cron="* * * * *")
@queue.task(name="publish_due_minutely", queue="posts", queueing_lock="publish_due_minutely")
def publish_due_minutely(timestamp: int) -> None:
    """Every minute: whatever scheduled post is due and not yet published (a safety net for
    the job deferred at its time, which a stopped worker may have missed)."""
    publish_due()


@queue.task(name="publish_due", queue="posts")
def publish_due_at() -> None:
    """Deferred for a scheduled post's time: publish what is due by then (that post, and
    any other; a post whose time was moved later is not due and waits for its own job)."""
    publish_due()


def publish_due() -> int:
    from webapp.crud import scheduled  # here: crud.scheduled defers through this module

    with SessionLocal() as session:
        made = scheduled.publish_due(session)
    if made:
        log.info("publish_due tweets=%s", made)
    return len(made)


def defer_publish(session: Session, when: datetime) -> None:
    """A job at `when` that publishes what is due then, in the caller's transaction
    (PostgreSQL; SQLite has the in-app loop, `publish_loop`)."""
    if POSTGRES and session.get_bind().dialect.name == "postgresql":
        _defer(session, publish_due_at, schedule_at=when)


def defer_fan_out(session: Session, tweet_id: int) -> None:
    _defer(session, fan_out, tweet_id=tweet_id)


def defer_web_push(session: Session, notification_id: int) -> None:
    """Pushes leave the request: a job committed with the notification, or on SQLite (no
    queue) a thread started by that commit. Never sent if the notification rolls back."""
    if session.get_bind().dialect.name == "postgresql":
        _defer(session, web_push, notification_id=notification_id)
    else:
        webpush.after_commit(session, notification_id)


def defer_keep_feed(session: Session, user_id: int) -> None:
    """Once per person while it waits (a queueing lock): a read that asks again is refused by
    the lock's unique index, which ends nothing in a read's autocommit, and only a savepoint
    in a transaction. One statement either way."""
    lock = f"keep_feed:{user_id}"
    if session.info.get(READ):
        with contextlib.suppress(AlreadyEnqueued):
            _defer(session, keep_feed, lock=lock, user_id=user_id)
        return
    with contextlib.suppress(AlreadyEnqueued), session.begin_nested():
        _defer(session, keep_feed, lock=lock, user_id=user_id)


def _defer(
    session: Session,
    task: Any,
    *,
    lock: str | None = None,
    schedule_at: datetime | None = None,
    **kwargs: Any,
) -> None:
    raw = session.get_bind().dialect.driver == "psycopg"
    deferrer = configure_task(
        name=task.name,
        job_manager=_jobs_psycopg3 if raw else _jobs,
        queue=task.queue,
        queueing_lock=lock,
        schedule_at=schedule_at,
        task_kwargs=kwargs,
        connection=_raw(session) if raw else session.connection(),
    )
    try:
        deferrer.defer()
    finally:
        if raw:  # sent on the raw connection, past the engine's statement counter
            sqlcount.count_one()


def _raw(session: Session) -> Any:
    """The psycopg 3 connection under the session's, for procrastinate's psycopg connector."""
    return session.connection().connection.dbapi_connection


def run_pending() -> None:
    """Run every job waiting now, then return (tests and `cli jobs --once`)."""
    queue.run_worker(queues=QUEUES, wait=False, install_signal_handlers=False)


@contextlib.asynccontextmanager
async def worker_in_app() -> AsyncIterator[None]:
    """A worker in this process's event loop for as long as the app serves (JOBS_IN_APP)."""
    if not (POSTGRES and settings.jobs_in_app):
        yield
        return
    async with queue.open_async():
        worker = asyncio.create_task(
            queue.run_worker_async(queues=QUEUES, install_signal_handlers=False)
        )
        try:
            yield
        finally:
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker


PUBLISH_EVERY = 20.0  # seconds between two looks for due scheduled posts (SQLite)


@contextlib.asynccontextmanager
async def publish_loop(every: float = PUBLISH_EVERY) -> AsyncIterator[None]:
    """SQLite has no queue: while the app serves (JOBS_IN_APP), look every `every` seconds
    for scheduled posts that are due, in a thread (the database calls block). With two
    processes both look; each post is still published once (crud.scheduled claims it)."""
    if POSTGRES or not settings.jobs_in_app:
        yield
        return
    looking = asyncio.create_task(_publish_forever(every))
    try:
        yield
    finally:
        looking.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await looking


async def _publish_forever(every: float) -> None:
    while True:
        try:
            await asyncio.to_thread(publish_due)
        except Exception:  # a bad moment (the database away): log, and look again later
            log.exception("publishing scheduled posts failed")
        await asyncio.sleep(every)
