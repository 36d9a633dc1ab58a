"""Two app processes on one database: a post made through one reaches the WebSocket stream
and the SSE page held open on the other (PostgreSQL LISTEN/NOTIFY, or Redis pub/sub)."""

import json
import time
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from websockets.sync.client import connect

from tests.factories import make_user
from tests.processes import app_process, redis_server, worker_process
from tests.test_web_notifications import browser, sse_events
from webapp import crud
from webapp.models import HomeFeed

WAIT = 5  # seconds before giving up: a failure, not a measurement (bench/streams.py measures)


@pytest.fixture
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


def _post_on_one_heard_on_the_other(session: Session, first: str, second: str) -> None:
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    age = timedelta(hours=1)
    ada_token = crud.create_token(session, user_id=ada.id, kind="oauth", max_age=age, scopes="read")
    bob_token = crud.create_token(
        session, user_id=bob.id, kind="oauth", max_age=age, scopes="write"
    )
    ada_browser = browser(second, ada.email)
    stream_url = (
        second.replace("http://", "ws://")
        + f"/api/v1/streaming?stream=user&access_token={ada_token}"
    )
    with connect(stream_url) as ws, ada_browser.stream("GET", "/events/home?after=0") as page:
        started = time.monotonic()
        posted = ada_browser.post(
            f"{first}/api/v1/statuses",
            data={"status": "across processes"},
            headers={"Authorization": f"Bearer {bob_token}"},
        )
        assert posted.status_code == 200, posted.text
        message = json.loads(ws.recv(timeout=WAIT))
        assert message["event"] == "update"
        assert json.loads(message["payload"])["id"] == posted.json()["id"]
        assert sse_events(page, 1)[0][0] == "newposts"
        print(f"post to both streams on the other process: {time.monotonic() - started:.3f}s")
    ada_browser.close()


@pytest.mark.postgres_only
def test_postgres_listen_notify_carries_a_post_to_the_other_process(session: Session):
    with app_process() as first, app_process() as second:
        _post_on_one_heard_on_the_other(session, first, second)


def test_redis_pubsub_carries_a_post_to_the_other_process(session: Session, redis_url: str):
    with app_process(REDIS_URL=redis_url) as first, app_process(REDIS_URL=redis_url) as second:
        _post_on_one_heard_on_the_other(session, first, second)


@pytest.mark.postgres_only
def test_a_worker_process_fans_a_post_out_to_followers_on_the_other_process(session: Session):
    """Two app processes and a queue worker, none sharing memory: a post made through one
    reaches the followers' home timelines read through the other, by the worker's fan-out
    (FEED_INLINE_FANOUT=0: every follower's row is the job's, none written in the post)."""
    star = make_user(session, "star")
    fans = [make_user(session, f"fan{i}") for i in range(3)]
    age = timedelta(hours=1)
    tokens = {}
    for fan in fans:
        crud.follow(session, follower_id=fan.id, followee_id=star.id)
        tokens[fan.id] = crud.create_token(
            session, user_id=fan.id, kind="oauth", max_age=age, scopes="read"
        )
    star_token = crud.create_token(
        session, user_id=star.id, kind="oauth", max_age=age, scopes="write"
    )
    env = {"FEED_INLINE_FANOUT": "0", "JOBS_IN_APP": "false"}
    with (
        app_process(**env) as first,
        app_process(**env) as second,
        worker_process(lambda: _workers(session), **env),
    ):
        posted = httpx.post(
            f"{first}/api/v1/statuses",
            data={"status": "to every feed"},
            headers={"Authorization": f"Bearer {star_token}"},
        )
        assert posted.status_code == 200, posted.text
        started = time.monotonic()
        for fan in fans:
            _wait_for_status(second, tokens[fan.id], posted.json()["id"])
        print(f"post to three followers' feeds via the worker: {time.monotonic() - started:.3f}s")
    for fan in fans:  # it came from the feed, not the merge a cold feed reads
        assert star_post_in_feed(session, fan.id, int(posted.json()["id"]))


def _workers(session: Session) -> int:
    session.commit()  # a fresh snapshot each time
    return int(session.scalar(text("SELECT count(*) FROM procrastinate_workers")) or 0)


def _wait_for_status(base: str, token: str, status_id: str) -> None:
    deadline = time.monotonic() + WAIT
    while True:
        home = httpx.get(
            f"{base}/api/v1/timelines/home", headers={"Authorization": f"Bearer {token}"}
        )
        assert home.status_code == 200, home.text
        if status_id in [s["id"] for s in home.json()]:
            return
        assert time.monotonic() < deadline, "the post never reached this follower's home"
        time.sleep(0.05)


def star_post_in_feed(session: Session, user_id: int, tweet_id: int) -> bool:
    query = select(HomeFeed).where(HomeFeed.user_id == user_id, HomeFeed.tweet_id == tweet_id)
    return session.scalar(query) is not None
