"""Publishing scheduled posts: each exactly once with several workers at once, from the job
deferred at its time (PostgreSQL), from the minutely task, and from the in-app loop that
SQLite has instead of a queue."""

import threading
import time
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from tests.factories import make_user
from webapp import jobs
from webapp.config import settings
from webapp.crud import scheduled
from webapp.db import SessionLocal
from webapp.main import app
from webapp.models import ScheduledStatus, Tweet, User, utcnow

postgres_only = pytest.mark.postgres_only


def _schedule(session: Session, user: User, words: str, at: datetime) -> ScheduledStatus:
    """Scheduled as if the request came an hour before `at` (the injectable "now")."""
    draft = scheduled.Draft(text=words)
    return scheduled.schedule(
        session, owner_id=user.id, draft=draft, scheduled_at=at, now=at - timedelta(hours=1)
    )


def _texts(session: Session) -> list[str]:
    session.expire_all()
    return sorted(session.scalars(select(Tweet.text)))


def test_two_workers_at_once_publish_each_scheduled_post_exactly_once(session: Session):
    people = [make_user(session) for _ in range(3)]
    soon = utcnow() + timedelta(minutes=10)
    words = [f"post {n}" for n in range(24)]
    for n, text_ in enumerate(words):
        _schedule(session, people[n % 3], text_, soon + timedelta(seconds=n))
    later = soon + timedelta(hours=1)
    made: list[list[int]] = [[], []]
    start = threading.Barrier(2)

    def worker(n: int) -> None:
        with SessionLocal() as own:
            start.wait()
            made[n] = scheduled.publish_due(own, now=later)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not set(made[0]) & set(made[1])
    assert len(made[0]) + len(made[1]) == len(words)
    assert _texts(session) == sorted(words)
    assert session.scalar(select(func.count()).select_from(ScheduledStatus)) == 0


def test_only_what_is_due_is_published_and_in_time_order(session: Session):
    ada = make_user(session)
    base = utcnow() + timedelta(minutes=10)
    _schedule(session, ada, "second", base + timedelta(minutes=2))
    _schedule(session, ada, "first", base + timedelta(minutes=1))
    _schedule(session, ada, "tomorrow", base + timedelta(days=1))
    made = scheduled.publish_due(session, now=base + timedelta(minutes=3))
    session.expire_all()
    assert [session.get(Tweet, i).text for i in made] == ["first", "second"]  # type: ignore[union-attr]
    assert _texts(session) == ["first", "second"]


@postgres_only
def test_the_job_deferred_at_the_scheduled_time_publishes_it(session: Session):
    ada = make_user(session)
    at = utcnow() + timedelta(minutes=30)
    row = _schedule(session, ada, "on the dot", at)
    queued = text(
        "SELECT scheduled_at FROM procrastinate_jobs"
        " WHERE task_name = 'publish_due' AND status = 'todo'"
    )
    [job_time] = session.scalars(queued).all()
    assert abs((job_time - at).total_seconds()) < 1
    jobs.run_pending()  # not its time yet: the worker leaves it
    assert _texts(session) == []
    # Half an hour passes: the post and its job are due.
    session.execute(update(ScheduledStatus).where(ScheduledStatus.id == row.id).values(
        scheduled_at=utcnow() - timedelta(seconds=1)))  # fmt: skip
    session.execute(text("UPDATE procrastinate_jobs SET scheduled_at = now() - interval '1s'"))
    session.commit()
    jobs.run_pending()
    assert _texts(session) == ["on the dot"]


@postgres_only
def test_moving_the_time_defers_a_new_job_and_the_old_one_publishes_nothing(session: Session):
    ada = make_user(session)
    at = utcnow() + timedelta(minutes=30)
    row = _schedule(session, ada, "moved", at)
    later = at + timedelta(hours=5)
    scheduled.reschedule(session, user_id=ada.id, scheduled_id=row.id, scheduled_at=later)
    session.execute(text(
        "UPDATE procrastinate_jobs SET scheduled_at = now() - interval '1s'"
        " WHERE scheduled_at < now() + interval '1 hour'"))  # fmt: skip
    session.commit()
    jobs.run_pending()  # the old job runs: nothing is due
    assert _texts(session) == []
    jobs_left = "SELECT count(*) FROM procrastinate_jobs WHERE status = 'todo'"
    assert session.scalar(text(jobs_left)) == 1  # the new one, at the new time


def test_the_minutely_task_publishes_what_is_due(session: Session):
    ada = make_user(session)
    row = _schedule(session, ada, "a minute late", utcnow() + timedelta(minutes=10))
    session.execute(update(ScheduledStatus).where(ScheduledStatus.id == row.id).values(
        scheduled_at=utcnow() - timedelta(minutes=1)))  # fmt: skip
    session.commit()
    jobs.publish_due_minutely(timestamp=int(time.time()))
    assert _texts(session) == ["a minute late"]


@pytest.mark.sqlite_only  # PostgreSQL publishes from the job queue instead (tests above)
def test_on_sqlite_the_apps_own_loop_publishes_due_posts(
    session: Session, monkeypatch: pytest.MonkeyPatch
):
    ada = make_user(session)
    row = _schedule(session, ada, "from the loop", utcnow() + timedelta(minutes=10))
    session.execute(update(ScheduledStatus).where(ScheduledStatus.id == row.id).values(
        scheduled_at=utcnow() - timedelta(seconds=1)))  # fmt: skip
    session.commit()
    monkeypatch.setattr(settings, "jobs_in_app", True)
    with TestClient(app):  # the lifespan starts the loop; its first look is at once
        deadline = time.monotonic() + 10
        while _texts(session) != ["from the loop"] and time.monotonic() < deadline:
            time.sleep(0.05)
    assert _texts(session) == ["from the loop"]
