"""Opt-in keyset cursors on the JSON lists; without one the contract's behaviour is unchanged."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user


def ids(response_json: list[dict[str, int]]) -> list[int]:
    return [row["id"] for row in response_json]


def test_tweets_before_walks_back_newest_first(session: Session, client: TestClient):
    ada = make_user(session)
    tweets = [make_tweet(session, ada, f"t{i}").id for i in range(5)]
    page = client.get("/tweets/", params={"before": tweets[4], "limit": 2})
    assert page.status_code == 200
    assert ids(page.json()) == [tweets[3], tweets[2]]
    assert list(page.json()[0]) == ["text", "id", "owner_id"]
    assert ids(client.get("/tweets/", params={"before": tweets[2]}).json()) == tweets[1::-1]


def test_tweets_after_continues_in_id_order(session: Session, client: TestClient):
    ada = make_user(session)
    tweets = [make_tweet(session, ada).id for _ in range(5)]
    assert (
        ids(client.get("/tweets/", params={"after": tweets[1], "limit": 2}).json()) == tweets[2:4]
    )
    window = client.get("/tweets/", params={"after": tweets[0], "before": tweets[4]})
    assert ids(window.json()) == tweets[3:0:-1]
    # no cursor: the contract's skip/limit, ascending
    assert ids(client.get("/tweets/", params={"skip": 1, "limit": 2}).json()) == tweets[1:3]


def test_users_list_pages_by_cursor(session: Session, client: TestClient):
    users = [make_user(session).id for _ in range(4)]
    assert ids(client.get("/users/", params={"after": users[0], "limit": 2}).json()) == users[1:3]
    assert ids(client.get("/users/", params={"before": users[3]}).json()) == users[2::-1]


def test_user_tweets_page_by_cursor_and_whole_list_stays_default(
    session: Session, client: TestClient
):
    ada, bob = make_user(session), make_user(session)
    mine = [make_tweet(session, ada).id for _ in range(4)]
    make_tweet(session, bob)
    assert ids(client.get(f"/users/{ada.id}/tweets/").json()) == mine
    page = client.get(f"/users/{ada.id}/tweets/", params={"before": mine[3], "limit": 2})
    assert ids(page.json()) == [mine[2], mine[1]]
    after = client.get(f"/users/{ada.id}/tweets/", params={"after": mine[1]})
    assert ids(after.json()) == mine[2:]


def test_skip_with_a_cursor_is_refused_in_plain_words(client: TestClient):
    response = client.get("/tweets/", params={"skip": 5, "before": 10})
    assert response.status_code == 400
    assert response.json() == {"detail": "Use either skip or a cursor (before/after), not both"}
    assert client.get("/users/", params={"skip": 1, "after": 1}).status_code == 400
    assert client.get("/tweets/", params={"before": 2**40}).status_code == 422
    assert client.get("/tweets/", params={"before": "x"}).status_code == 422
