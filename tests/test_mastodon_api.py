"""The Mastodon client API through TestClient: JSON shapes, errors, paging, auth, hostile input."""

import json
import re
from datetime import datetime

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import bearer, make_tweet, make_user
from tests.mastodon_helpers import token

RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def test_status_has_mastodon_fields(client: TestClient, session: Session):
    alice = make_user(session, "alice")
    headers = token(client, alice)
    posted = client.post(
        "/api/v1/statuses", data={"status": "<b>hi</b> @bob https://x.org"}, headers=headers
    )
    assert posted.status_code == 200
    status = posted.json()
    assert isinstance(status["id"], str) and RFC3339.match(status["created_at"])
    # @bob is nobody here, so it stays text; the link is linked
    assert status["content"].startswith('<p>&lt;b&gt;hi&lt;/b&gt; @bob <a href="https://x.org"')
    assert status["media_attachments"] == [] and status["mentions"] == [] and status["tags"] == []
    assert status["favourites_count"] == 0 and status["favourited"] is False
    account = status["account"]
    assert account["id"] == str(alice.id) and account["acct"] == "alice"
    assert account["avatar"].endswith("/static/mastodon/avatar.png")
    assert client.get(account["avatar"]).headers["content-type"] == "image/png"
    assert account["statuses_count"] == 1 and RFC3339.match(account["created_at"])
    datetime.fromisoformat(status["created_at"])


def test_post_accepts_json_and_the_contract_api_token(client: TestClient, session: Session):
    alice = make_user(session, "alice")
    response = client.post(
        "/api/v1/statuses", json={"status": "json body"}, headers=bearer(client, alice)
    )
    assert response.status_code == 200 and response.json()["content"] == "<p>json body</p>"


def test_bad_status_input_is_a_422_never_a_500(client: TestClient, session: Session):
    headers = token(client, make_user(session))
    cases = [
        {"status": ""},
        {"status": "x" * 281},
        {"status": 5},
        {"status": "nul \x00 byte"},
        {"status": "lone \ud800 surrogate"},
        {"status": "unknown audience", "visibility": "friends"},
        {"status": "pic", "media_ids": ["1"]},
    ]
    for body in cases:
        response = client.post(
            "/api/v1/statuses",
            content=json.dumps(body).encode(),
            headers=headers | {"content-type": "application/json"},
        )
        assert response.status_code == 422, (body, response.text)
        assert response.json()["error"].startswith("Validation failed")
    missing_parent = {"status": "reply", "in_reply_to_id": "999"}
    reply = client.post("/api/v1/statuses", json=missing_parent, headers=headers)
    assert reply.status_code == 404 and reply.json() == {"error": "Record not found"}
    not_object = client.post("/api/v1/statuses", json=[1, 2], headers=headers)
    assert not_object.status_code == 400


def test_auth_errors(client: TestClient, session: Session):
    alice, bob = make_user(session, "alice"), make_user(session, "bob")
    tweet = make_tweet(session, bob)
    assert client.get("/api/v1/accounts/verify_credentials").json() == {
        "error": "This method requires an authenticated user"
    }
    wrong = client.get("/api/v1/timelines/home", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.json() == {"error": "The access token is invalid"}
    headers = token(client, alice)
    assert client.delete(f"/api/v1/statuses/{tweet.id}", headers=headers).status_code == 403
    assert client.get("/api/v1/statuses/999999", headers=headers).json() == {
        "error": "Record not found"
    }
    assert client.post("/api/v1/accounts/999999/follow", headers=headers).status_code == 404
    assert client.post(f"/api/v1/accounts/{alice.id}/follow", headers=headers).status_code == 422


def test_unknown_paths_and_bad_ids(client: TestClient):
    assert client.get("/api/v1/no_such_thing").json() == {"error": "Record not found"}
    assert client.get("/oauth/nothing").json() == {"error": "Record not found"}
    assert client.post("/api/v1/statuses/1/reblog").status_code in (401, 404)
    for path in ("/api/v1/statuses/abc", "/api/v1/statuses/99999999999999999999999"):
        response = client.get(path)
        assert response.status_code == 422 and "error" in response.json()
    assert client.get("/api/v1/timelines/public?max_id=abc").status_code == 422
    assert client.get("/api/v1/timelines/public?limit=x").status_code == 422


def test_public_timeline_pages_by_id_with_link_header(client: TestClient, session: Session):
    alice = make_user(session, "alice")
    ids = [make_tweet(session, alice, f"t{n}").id for n in range(5)]
    first = client.get("/api/v1/timelines/public?limit=2")
    assert [int(s["id"]) for s in first.json()] == [ids[4], ids[3]]
    links = first.headers["link"]
    assert f"max_id={ids[3]}" in links and 'rel="next"' in links
    assert f"min_id={ids[4]}" in links and 'rel="prev"' in links
    older = client.get(f"/api/v1/timelines/public?limit=2&max_id={ids[3]}").json()
    assert [int(s["id"]) for s in older] == [ids[2], ids[1]]
    newer = client.get(f"/api/v1/timelines/public?limit=2&min_id={ids[1]}").json()
    assert [int(s["id"]) for s in newer] == [ids[3], ids[2]]
    since = client.get(f"/api/v1/timelines/public?limit=2&since_id={ids[1]}").json()
    assert [int(s["id"]) for s in since] == [ids[4], ids[3]]
    empty = client.get(f"/api/v1/timelines/public?max_id={ids[0]}")
    assert empty.json() == [] and "link" not in empty.headers


def test_limit_defaults_to_20_and_caps_at_40(client: TestClient, session: Session):
    alice = make_user(session, "alice")
    for n in range(45):
        make_tweet(session, alice, f"t{n}")
    assert len(client.get("/api/v1/timelines/public").json()) == 20
    assert len(client.get("/api/v1/timelines/public?limit=500").json()) == 40


def test_favourite_is_idempotent_and_shows_for_the_caller(client: TestClient, session: Session):
    alice, bob = make_user(session, "alice"), make_user(session, "bob")
    tweet = make_tweet(session, bob)
    headers = token(client, alice)
    for _ in range(2):
        liked = client.post(f"/api/v1/statuses/{tweet.id}/favourite", headers=headers).json()
        assert liked["favourited"] is True and liked["favourites_count"] == 1
    public = client.get("/api/v1/timelines/public", headers=headers).json()
    assert public[0]["favourited"] is True
    assert client.get("/api/v1/timelines/public").json()[0]["favourited"] is False
    for _ in range(2):
        undone = client.post(f"/api/v1/statuses/{tweet.id}/unfavourite", headers=headers).json()
        assert undone["favourited"] is False and undone["favourites_count"] == 0


def test_home_shows_own_and_followed_and_relationship(client: TestClient, session: Session):
    alice, bob, carol = (
        make_user(session, "alice"),
        make_user(session, "bob"),
        make_user(session, "carol"),
    )
    make_tweet(session, bob, "from bob")
    make_tweet(session, carol, "from carol")
    headers = token(client, alice)
    relationship = client.post(f"/api/v1/accounts/{bob.id}/follow", headers=headers).json()
    assert relationship == relationship | {
        "id": str(bob.id),
        "following": True,
        "followed_by": False,
    }
    home = client.get("/api/v1/timelines/home", headers=headers).json()
    assert [s["content"] for s in home] == ["<p>from bob</p>"]
    assert client.get(f"/api/v1/accounts/{bob.id}").json()["followers_count"] == 1
    after = client.post(f"/api/v1/accounts/{bob.id}/unfollow", headers=headers).json()
    assert after["following"] is False


def test_delete_returns_the_source_text(client: TestClient, session: Session):
    alice = make_user(session, "alice")
    tweet = make_tweet(session, alice, "bye <now>")
    deleted = client.delete(f"/api/v1/statuses/{tweet.id}", headers=token(client, alice)).json()
    assert deleted["text"] == "bye <now>" and deleted["content"] == "<p>bye &lt;now&gt;</p>"
    assert client.get(f"/api/v1/statuses/{tweet.id}").status_code == 404


def test_verify_credentials_has_source(client: TestClient, session: Session):
    me = client.get(
        "/api/v1/accounts/verify_credentials", headers=token(client, make_user(session, "zed"))
    )
    assert me.json()["username"] == "zed" and me.json()["source"]["privacy"] == "public"
