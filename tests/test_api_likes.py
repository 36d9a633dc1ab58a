"""Likes through the JSON API; like_count kept equal to the like rows."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import bearer, make_tweet, make_user
from webapp import crud


def test_like_a_tweet(session: Session, client: TestClient):
    ada, bob = make_user(session), make_user(session)
    tweet = make_tweet(session, bob)
    response = client.post(
        f"/users/{ada.id}/likes/", json={"tweet_id": tweet.id}, headers=bearer(client, ada)
    )
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["tweet_id", "id", "owner_id"]
    assert body["tweet_id"] == tweet.id and body["owner_id"] == ada.id
    assert client.get(f"/users/{ada.id}/likes/").json() == [body]
    session.expire_all()
    assert crud.get_tweet(session, tweet.id).like_count == 1


def test_like_twice_is_400_and_counts_once(session: Session, client: TestClient):
    ada = make_user(session)
    tweet = make_tweet(session, ada)
    auth = bearer(client, ada)
    client.post(f"/users/{ada.id}/likes/", json={"tweet_id": tweet.id}, headers=auth)
    again = client.post(f"/users/{ada.id}/likes/", json={"tweet_id": tweet.id}, headers=auth)
    assert again.status_code == 400
    assert again.json() == {"detail": "Tweet already liked"}
    session.expire_all()
    assert crud.get_tweet(session, tweet.id).like_count == 1
    assert len(client.get(f"/users/{ada.id}/likes/").json()) == 1


def test_like_needs_your_own_credentials(session: Session, client: TestClient):
    ada, bob = make_user(session), make_user(session)
    tweet = make_tweet(session, bob)
    anonymous = client.post(f"/users/{ada.id}/likes/", json={"tweet_id": tweet.id})
    as_bob = client.post(
        f"/users/{ada.id}/likes/", json={"tweet_id": tweet.id}, headers=bearer(client, bob)
    )
    assert anonymous.status_code == 401
    assert as_bob.status_code == 403
    assert client.get(f"/users/{ada.id}/likes/").json() == []


def test_like_a_missing_tweet_or_for_a_missing_user_is_404(session: Session, client: TestClient):
    ada = make_user(session)
    auth = bearer(client, ada)
    no_tweet = client.post(f"/users/{ada.id}/likes/", json={"tweet_id": 999999}, headers=auth)
    assert no_tweet.status_code == 404
    assert no_tweet.json() == {"detail": "Tweet not found"}
    no_user = client.post(f"/users/{ada.id + 999}/likes/", json={"tweet_id": 1}, headers=auth)
    assert no_user.status_code == 404
    assert no_user.json() == {"detail": "User not found"}


def test_liked_tweets_show_as_the_tweets_list_does(session: Session, client: TestClient):
    ada, bob = make_user(session), make_user(session)
    first, second = make_tweet(session, bob, "one"), make_tweet(session, bob, "two")
    auth = bearer(client, ada)
    for tweet in (second, first):
        client.post(f"/users/{ada.id}/likes/", json={"tweet_id": tweet.id}, headers=auth)
    liked = client.get(f"/users/{ada.id}/liked_tweets/").json()
    all_tweets = {t["id"]: t for t in client.get("/tweets/").json()}
    assert liked == [all_tweets[second.id], all_tweets[first.id]]


def test_likes_lists_of_a_missing_user_are_404(client: TestClient):
    assert client.get("/users/777/likes/").status_code == 404
    assert client.get("/users/777/liked_tweets/").status_code == 404


def test_unlike_then_like_again_keeps_the_count_true(session: Session):
    ada = make_user(session)
    tweet = make_tweet(session, ada)
    crud.like(session, user_id=ada.id, tweet_id=tweet.id)
    assert crud.unlike(session, user_id=ada.id, tweet_id=tweet.id) is True
    assert crud.unlike(session, user_id=ada.id, tweet_id=tweet.id) is False
    crud.like(session, user_id=ada.id, tweet_id=tweet.id)
    session.expire_all()
    assert crud.get_tweet(session, tweet.id).like_count == 1
