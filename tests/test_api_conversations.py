"""The JSON API's conversation endpoints (new paths; the seed contract's shapes unchanged)."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import bearer, make_tweet, make_user
from webapp import crud


def test_post_a_reply_with_a_visibility_and_read_the_replies(client: TestClient, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    root = make_tweet(session, ada, "root")
    headers = bearer(client, bob)
    body = {"text": "@ada hi", "in_reply_to_id": root.id, "visibility": "unlisted"}
    posted = client.post(f"/users/{bob.id}/tweets/", json=body, headers=headers)
    assert posted.status_code == 200
    assert set(posted.json()) == {"text", "id", "owner_id"}  # the contract's shape
    reply = crud.get_tweet(session, posted.json()["id"])
    assert (reply.in_reply_to_id, reply.visibility) == (root.id, "unlisted")
    replies = client.get(f"/tweets/{root.id}/replies/").json()
    assert [r["text"] for r in replies] == ["@ada hi"]


def test_bad_conversation_input_is_a_clear_4xx(client: TestClient, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    private = crud.create_tweet(session, owner_id=ada.id, text="inner", visibility="private")
    headers = bearer(client, bob)
    odd = client.post(
        f"/users/{bob.id}/tweets/", json={"text": "x", "visibility": "friends"}, headers=headers
    )
    assert odd.status_code == 422
    hidden = {"text": "x", "in_reply_to_id": private.id}
    answer = client.post(f"/users/{bob.id}/tweets/", json=hidden, headers=headers)
    assert answer.status_code == 404 and answer.json() == {"detail": "Tweet not found"}
    missing = client.get("/tweets/2147483647/replies/")
    assert missing.status_code == 404
    assert client.get("/tweets/99999999999/replies/").status_code == 422
    assert crud.list_user_tweets(session, bob.id) == []


def test_repost_and_unrepost_through_the_api(client: TestClient, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    post = make_tweet(session, ada, "share me")
    headers = bearer(client, bob)
    for _ in range(2):  # twice: still one repost
        done = client.post(f"/users/{bob.id}/reposts/", json={"tweet_id": post.id}, headers=headers)
        assert done.status_code == 200
        assert done.json() == {
            "tweet_id": post.id,
            "owner_id": bob.id,
            "reposted": True,
            "repost_count": 1,
        }
    undone = client.delete(f"/users/{bob.id}/reposts/{post.id}", headers=headers)
    assert undone.json()["reposted"] is False and undone.json()["repost_count"] == 0
    as_ada = client.post(f"/users/{ada.id}/reposts/", json={"tweet_id": post.id}, headers=headers)
    assert as_ada.status_code == 403
    anonymous = client.post(f"/users/{bob.id}/reposts/", json={"tweet_id": post.id})
    assert anonymous.status_code == 401


def test_a_followers_only_post_cannot_be_reposted(client: TestClient, session: Session):
    ada, fay = make_user(session, "ada"), make_user(session, "fay")
    crud.follow(session, follower_id=fay.id, followee_id=ada.id)
    private = crud.create_tweet(session, owner_id=ada.id, text="inner", visibility="private")
    refused = client.post(
        f"/users/{fay.id}/reposts/", json={"tweet_id": private.id}, headers=bearer(client, fay)
    )
    assert refused.status_code == 400
    assert refused.json() == {"detail": "Only public and unlisted posts can be reposted"}


def test_the_new_endpoints_are_documented(client: TestClient):
    paths = client.get("/openapi.json").json()["paths"]
    assert "/tweets/{tweet_id}/replies/" in paths
    assert "/users/{user_id}/reposts/" in paths and "/users/{user_id}/reposts/{tweet_id}" in paths
    create = paths["/users/{user_id}/tweets/"]["post"]["requestBody"]["content"]
    schema = create["application/json"]["schema"]["$ref"].split("/")[-1]
    fields = client.get("/openapi.json").json()["components"]["schemas"][schema]["properties"]
    assert {"text", "in_reply_to_id", "visibility"} <= set(fields)
