"""Block and mute through the real Mastodon.py client (issue 17): block, unblock, mute with a
duration, unmute, the blocks and mutes lists with their Link paging, relationships, scopes;
and the streaming API leaving blocked and muted authors out."""

import json
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from websockets.sync.client import connect
from websockets.typing import Subprotocol

from tests.factories import make_tweet, make_user
from tests.mastodon_helpers import mastodon_py, token
from webapp import crud
from webapp.crud import blocks


def test_block_and_unblock_with_mastodon_py(live_server: str, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    crud.follow(session, follower_id=bob.id, followee_id=ada.id)
    api = mastodon_py(live_server, ada.email)
    relation = api.account_block(bob.id)
    assert relation["blocking"] is True
    assert relation["following"] is False and relation["followed_by"] is False
    assert [a["acct"] for a in api.blocks()] == ["bob"]
    theirs = mastodon_py(live_server, bob.email).account_relationships(ada.id)[0]
    assert theirs["blocked_by"] is True and theirs["blocking"] is False
    relation = api.account_unblock(bob.id)
    assert relation["blocking"] is False and relation["following"] is False
    assert api.blocks() == []


def test_mute_with_a_duration_and_unmute(live_server: str, session: Session):
    ada, bob, cy = (make_user(session, name) for name in ("ada", "bob", "cy"))
    api = mastodon_py(live_server, ada.email)
    relation = api.account_mute(bob.id, duration=3600)
    assert relation["muting"] is True and relation["muting_notifications"] is True
    quiet = api.account_mute(cy.id, notifications=False)
    assert quiet["muting"] is True and quiet["muting_notifications"] is False
    muted = {a["acct"]: a for a in api.mutes()}
    assert set(muted) == {"bob", "cy"}
    ends = muted["bob"]["mute_expires_at"]
    assert ends is not None
    left = ends - datetime.now(UTC)
    assert timedelta(minutes=59) < left <= timedelta(hours=1)
    assert muted["cy"]["mute_expires_at"] is None
    both = api.account_relationships([bob.id, cy.id])
    assert [(int(r["id"]), r["muting"]) for r in both] == [(bob.id, True), (cy.id, True)]
    assert api.account_unmute(bob.id)["muting"] is False
    assert [a["acct"] for a in api.mutes()] == ["cy"]


def test_blocks_page_with_link_headers(live_server: str, session: Session):
    ada = make_user(session, "ada")
    others = [make_user(session, f"p{n}") for n in range(5)]
    api = mastodon_py(live_server, ada.email)
    for other in others:
        api.account_block(other.id)
    first = api.blocks(limit=2)
    assert [a["acct"] for a in first] == ["p4", "p3"]
    second = api.fetch_next(first)
    assert second is not None and [a["acct"] for a in second] == ["p2", "p1"]
    third = api.fetch_next(second)
    assert third is not None and [a["acct"] for a in third] == ["p0"]


def test_scopes_for_blocks_and_mutes(client: TestClient, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    reader = token(client, ada, scope="read")
    refused = client.post(f"/api/v1/accounts/{bob.id}/block", headers=reader)
    assert refused.status_code == 403
    legacy = token(client, ada, scope="follow")  # Mastodon's old scope covers both
    assert client.post(f"/api/v1/accounts/{bob.id}/mute", headers=legacy).status_code == 200
    assert client.get("/api/v1/mutes", headers=legacy).status_code == 200
    narrow = token(client, ada, scope="write:blocks read:blocks")
    assert client.post(f"/api/v1/accounts/{bob.id}/block", headers=narrow).json()["blocking"]
    assert client.get("/api/v1/blocks", headers=narrow).status_code == 200
    assert client.get("/api/v1/mutes", headers=narrow).status_code == 403
    json_mute = client.post(
        f"/api/v1/accounts/{bob.id}/mute",
        json={"notifications": False, "duration": 60},
        headers=token(client, ada, scope="write:mutes read:follows"),
    )
    assert json_mute.json()["muting"] is True
    assert json_mute.json()["muting_notifications"] is False


def test_streams_leave_out_the_blocked_and_the_muted(live_server: str, session: Session):
    ada, bob, cy, dee = (make_user(session, name) for name in ("ada", "bob", "cy", "dee"))
    blocks.block(session, blocker_id=bob.id, blocked_id=ada.id)  # bob blocked ada
    blocks.mute(session, muter_id=ada.id, muted_id=cy.id)
    api = mastodon_py(live_server, ada.email)
    url = live_server.replace("http://", "ws://") + "/api/v1/streaming?stream=public"
    with connect(url, subprotocols=[Subprotocol(str(api.access_token))]) as ws:
        make_tweet(session, bob, "bob, who blocked ada")
        make_tweet(session, cy, "cy, whom ada mutes")
        shown = make_tweet(session, dee, "dee, for everyone")
        message = json.loads(ws.recv(timeout=10))
        assert json.loads(message["payload"])["id"] == str(shown.id)
