"""Posting and reading tweets through the JSON API, with its auth rules."""

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import bearer, make_tweet, make_user
from webapp import crud, sessions


def test_post_tweet_as_yourself(session: Session, client: TestClient):
    ada = make_user(session)
    response = client.post(
        f"/users/{ada.id}/tweets/", json={"text": "first!"}, headers=bearer(client, ada)
    )
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["text", "id", "owner_id"]
    assert body["text"] == "first!" and body["owner_id"] == ada.id
    assert client.get("/tweets/").json() == [body]


def test_post_tweet_without_credentials_is_401(session: Session, client: TestClient):
    ada = make_user(session)
    response = client.post(f"/users/{ada.id}/tweets/", json={"text": "hi"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    bad = client.post(
        f"/users/{ada.id}/tweets/",
        json={"text": "hi"},
        headers={"Authorization": "Bearer not-a-token"},
    )
    assert bad.status_code == 401
    assert client.get("/tweets/").json() == []


def test_a_browser_session_cookie_does_not_authenticate_the_json_api(
    session: Session, client: TestClient
):
    # The API is bearer-only, so a page on another site cannot make a signed-in
    # browser post through it (no CSRF token is needed, or checked, there).
    ada = make_user(session)
    token = crud.create_token(session, user_id=ada.id, kind="session", max_age=timedelta(days=1))
    client.cookies.set(sessions.COOKIE, sessions.sign(token))
    response = client.post(f"/users/{ada.id}/tweets/", json={"text": "forged"})
    assert response.status_code == 401
    assert client.get("/tweets/").json() == []


def test_post_tweet_as_someone_else_is_403(session: Session, client: TestClient):
    ada, bob = make_user(session), make_user(session)
    response = client.post(
        f"/users/{bob.id}/tweets/", json={"text": "I am bob"}, headers=bearer(client, ada)
    )
    assert response.status_code == 403
    assert client.get(f"/users/{bob.id}/tweets/").json() == []


def test_post_tweet_for_a_missing_user_is_404(session: Session, client: TestClient):
    ada = make_user(session)
    response = client.post(
        f"/users/{ada.id + 999}/tweets/", json={"text": "hi"}, headers=bearer(client, ada)
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "User not found"}


def test_280_emoji_are_a_tweet_and_281_characters_are_not(session: Session, client: TestClient):
    ada = make_user(session)
    auth = bearer(client, ada)
    emoji = "🐦" * 280
    ok = client.post(f"/users/{ada.id}/tweets/", json={"text": emoji}, headers=auth)
    assert ok.status_code == 200
    assert client.get(f"/users/{ada.id}/tweets/").json()[0]["text"] == emoji
    too_long = client.post(f"/users/{ada.id}/tweets/", json={"text": "a" * 281}, headers=auth)
    assert too_long.status_code == 422
    assert len(client.get("/tweets/").json()) == 1


def test_empty_blank_and_nul_tweets_are_refused(session: Session, client: TestClient):
    ada = make_user(session)
    auth = bearer(client, ada)
    for text in ("", "   \n ", "nul\x00byte"):
        response = client.post(f"/users/{ada.id}/tweets/", json={"text": text}, headers=auth)
        assert response.status_code == 422, repr(text)
    assert client.get("/tweets/").json() == []


def test_a_lone_surrogate_is_refused_not_a_server_error(session: Session, client: TestClient):
    ada = make_user(session)
    headers = {**bearer(client, ada), "content-type": "application/json"}
    response = client.post(
        f"/users/{ada.id}/tweets/", content=b'{"text": "\\ud800"}', headers=headers
    )
    assert response.status_code == 422
    signup = client.post(
        "/users/",
        content=b'{"email": "c@b.co", "password": "\\ud800' + b"x" * 8 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert signup.status_code == 422


def test_tweet_text_is_stored_exactly_as_typed(session: Session, client: TestClient):
    ada = make_user(session)
    text = '  <b>bold</b> & "quotes"\n  '
    client.post(f"/users/{ada.id}/tweets/", json={"text": text}, headers=bearer(client, ada))
    assert client.get("/tweets/").json()[0]["text"] == text


def test_tweets_list_by_id_ascending_with_paging(session: Session, client: TestClient):
    ada = make_user(session)
    ids = [make_tweet(session, ada, f"t{i}").id for i in range(3)]
    assert [t["id"] for t in client.get("/tweets/").json()] == ids
    assert [t["id"] for t in client.get("/tweets/?skip=2").json()] == ids[2:]
    assert client.get("/tweets/?limit=-5").status_code == 422


def test_user_tweets_of_a_missing_user_is_404(client: TestClient):
    response = client.get("/users/4242/tweets/")
    assert response.status_code == 404
    assert response.json() == {"detail": "User not found"}


def test_a_live_server_answers_the_json_api(session: Session, live_server: str):
    import httpx

    ada = make_user(session)
    response = httpx.get(f"{live_server}/users/{ada.id}")
    assert response.json() == {"email": ada.email, "id": ada.id}
