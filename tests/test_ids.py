"""Ids are never given out twice: an old /t/<id> link never shows someone else's later post."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import bearer, make_tweet, make_user
from webapp import crud


def test_a_deleted_tweets_id_is_not_reused(session: Session, client: TestClient):
    ada = make_user(session)
    newest = make_tweet(session, ada, "soon gone")
    old_id = newest.id
    crud.delete_tweet(session, tweet_id=old_id, user_id=ada.id)

    again = client.post(
        f"/users/{ada.id}/tweets/", json={"text": "a new post"}, headers=bearer(client, ada)
    )
    assert again.status_code == 200
    assert again.json()["id"] > old_id
    assert client.get(f"/t/{old_id}").status_code == 404


def test_a_deleted_users_id_is_not_reused(session: Session):
    gone = make_user(session)
    old_id = gone.id
    session.delete(gone)
    session.commit()
    assert make_user(session).id > old_id
