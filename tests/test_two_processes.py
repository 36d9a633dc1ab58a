"""Two app processes on one database: a post made through one reaches the WebSocket stream
and the SSE page held open on the other (PostgreSQL LISTEN/NOTIFY, or Redis pub/sub)."""

import json
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session
from websockets.sync.client import connect

from tests.factories import make_user
from tests.processes import app_process, redis_server
from tests.test_web_notifications import browser, sse_events
from webapp import crud

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
