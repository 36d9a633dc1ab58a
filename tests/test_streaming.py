"""The Mastodon streaming API on a live server: WebSocket and HTTP streams, and Mastodon.py."""

import json
import queue
from typing import Any

import httpx
import pytest
from mastodon import Mastodon, StreamListener
from sqlalchemy.orm import Session
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect
from websockets.typing import Subprotocol

from tests.factories import make_tweet, make_user
from tests.mastodon_helpers import mastodon_py
from webapp import crud, live
from webapp.models import User

WAIT = 10  # seconds before a test gives up on an event (a failure, not a measurement)


def ws_url(live_server: str, query: str) -> str:
    return live_server.replace("http://", "ws://") + "/api/v1/streaming?" + query


def mastodon_token(live_server: str, user: User) -> tuple[Mastodon, str]:
    api = mastodon_py(live_server, user.email)
    assert isinstance(api.access_token, str)
    return api, api.access_token


def next_message(ws: Any) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(ws.recv(timeout=WAIT))
    return message


def test_health_and_the_instance_advertise_the_stream(live_server: str):
    assert httpx.get(f"{live_server}/api/v1/streaming/health").text == "OK"
    ws_base = live_server.replace("http://", "ws://")
    assert httpx.get(f"{live_server}/api/v1/instance").json()["urls"]["streaming_api"] == ws_base
    v2 = httpx.get(f"{live_server}/api/v2/instance").json()
    assert v2["configuration"]["urls"]["streaming"] == ws_base


def test_user_stream_gets_a_followed_post_and_a_notification(live_server: str, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    _, token = mastodon_token(live_server, ada)
    bob_api, _ = mastodon_token(live_server, bob)
    mine = make_tweet(session, ada, "ada's own")
    with connect(ws_url(live_server, f"stream=user&access_token={token}")) as ws:
        posted = bob_api.status_post("hello followers")
        update = next_message(ws)
        if json.loads(update["payload"])["id"] == str(mine.id):  # hers, if still on its way
            update = next_message(ws)
        assert update["stream"] == ["user"] and update["event"] == "update"
        assert json.loads(update["payload"])["id"] == str(posted["id"])
        bob_api.status_favourite(mine.id)
        note = next_message(ws)
        assert note["event"] == "notification"
        body = json.loads(note["payload"])
        assert body["type"] == "favourite" and body["account"]["username"] == "bob"


def test_token_as_subprotocol_and_subscribing_to_a_hashtag(live_server: str, session: Session):
    ada, cy = make_user(session, "ada"), make_user(session, "cy")  # ada does not follow cy
    _, token = mastodon_token(live_server, ada)
    with connect(ws_url(live_server, ""), subprotocols=[Subprotocol(token)]) as ws:
        ws.send(json.dumps({"type": "subscribe", "stream": "hashtag", "tag": "Tea"}))
        ws.send(json.dumps({"type": "subscribe", "stream": "nonsense"}))
        assert next_message(ws) == {"error": "Unknown stream type", "status": 400}
        make_tweet(session, cy, "no tag here")
        tagged = make_tweet(session, cy, "green #tea")
        message = next_message(ws)
        assert message["stream"] == ["hashtag", "tea"]
        assert json.loads(message["payload"])["id"] == str(tagged.id)


def test_public_stream_hears_posts_and_deletes_without_a_token(live_server: str, session: Session):
    cy = make_user(session, "cy")
    with connect(ws_url(live_server, "stream=public")) as ws:
        tweet = make_tweet(session, cy, "for everyone")
        assert next_message(ws)["event"] == "update"
        crud.delete_tweet(session, tweet_id=tweet.id, user_id=cy.id)
        deleted = next_message(ws)
        assert deleted["event"] == "delete" and deleted["payload"] == str(tweet.id)


def test_user_stream_needs_a_valid_token(live_server: str):
    response = httpx.get(f"{live_server}/api/v1/streaming/user")
    assert response.status_code == 401 and "error" in response.json()
    with pytest.raises(InvalidStatus) as refused:
        connect(ws_url(live_server, "stream=user&access_token=nope"))
    assert refused.value.response.status_code == 401


class Collector(StreamListener):
    def __init__(self) -> None:
        self.events: queue.Queue[tuple[str, Any]] = queue.Queue()

    def on_update(self, status: Any) -> None:
        self.events.put(("update", status))

    def on_notification(self, notification: Any) -> None:
        self.events.put(("notification", notification))


def test_mastodon_py_stream_user_receives_an_update_and_a_notification(
    live_server: str, session: Session, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(live, "HEARTBEAT_SECONDS", 0.2)  # its reader thread sees close() sooner
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    ada_api, _ = mastodon_token(live_server, ada)
    bob_api, _ = mastodon_token(live_server, bob)
    collector = Collector()
    handle = ada_api.stream_user(collector, run_async=True, timeout=WAIT)
    try:
        posted = bob_api.status_post("for ada's stream")
        kind, status = collector.events.get(timeout=WAIT)
        assert kind == "update" and status["id"] == posted["id"]
        bob_api.account_follow(ada.id)
        kind, notification = collector.events.get(timeout=WAIT)
        assert kind == "notification" and notification["type"] == "follow"
    finally:
        handle.close()


def test_http_public_stream_takes_a_hashtag_and_refuses_a_bad_token(
    live_server: str, session: Session
):
    cy = make_user(session, "cy")
    bad = httpx.get(f"{live_server}/api/v1/streaming/public?access_token=nope")
    assert bad.status_code == 401
    assert httpx.get(f"{live_server}/api/v1/streaming/hashtag").status_code == 400  # no tag
    url = f"{live_server}/api/v1/streaming/hashtag?tag=tea"
    with httpx.stream("GET", url, timeout=WAIT) as stream:
        tweet = make_tweet(session, cy, "#tea time")
        lines = stream.iter_lines()
        assert next(line for line in lines if line.startswith("event:")) == "event: update"
        assert json.loads(next(lines).removeprefix("data: "))["id"] == str(tweet.id)
