"""Mastodon.py against a live Chirp: notifications (filters, paging, dismiss, clear), markers."""

import pytest
from fastapi.testclient import TestClient
from mastodon.errors import MastodonNotFoundError
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.mastodon_helpers import mastodon_py, token
from webapp import crud


def test_a_like_and_follows_show_up_newest_first_with_accounts_and_status(
    live_server: str, session: Session
):
    ada, bob, cy = make_user(session, "ada"), make_user(session, "bob"), make_user(session, "cy")
    tweet = make_tweet(session, ada, "my first post")
    crud.follow(session, follower_id=bob.id, followee_id=ada.id)
    crud.like(session, user_id=bob.id, tweet_id=tweet.id)
    crud.follow(session, follower_id=cy.id, followee_id=ada.id)
    api = mastodon_py(live_server, ada.email)

    listed = api.notifications()
    assert [(n["type"], n["account"]["username"]) for n in listed] == [
        ("follow", "cy"),
        ("favourite", "bob"),
        ("follow", "bob"),
    ]
    assert listed[1]["status"]["content"] == "<p>my first post</p>"
    assert listed[0]["status"] is None
    assert api.notifications(types=["favourite"])[0]["type"] == "favourite"
    assert [n["type"] for n in api.notifications(exclude_types=["follow"])] == ["favourite"]
    assert [n["account"]["username"] for n in api.notifications(account_id=cy.id)] == ["cy"]
    assert api.notifications(id=listed[1]["id"])["type"] == "favourite"


def test_paging_by_link_header_reaches_every_notification_once(live_server: str, session: Session):
    ada = make_user(session, "ada")
    fans = [make_user(session) for _ in range(5)]
    for fan in fans:
        crud.follow(session, follower_id=fan.id, followee_id=ada.id)
    api = mastodon_py(live_server, ada.email)

    seen = []
    page = api.notifications(limit=2)
    while page:
        seen += [n["account"]["username"] for n in page]
        page = api.fetch_next(page)
    assert seen == [fan.username for fan in reversed(fans)]


def test_dismiss_one_then_clear_the_rest(live_server: str, session: Session):
    ada, bob, cy = make_user(session, "ada"), make_user(session, "bob"), make_user(session, "cy")
    crud.follow(session, follower_id=bob.id, followee_id=ada.id)
    crud.follow(session, follower_id=cy.id, followee_id=ada.id)
    api = mastodon_py(live_server, ada.email)

    newest = api.notifications()[0]
    api.notifications_dismiss(newest["id"])
    assert [n["account"]["username"] for n in api.notifications()] == ["bob"]
    with pytest.raises(MastodonNotFoundError):
        api.notifications(id=newest["id"])
    api.notifications_clear()
    assert api.notifications() == []


def test_markers_move_and_unread_count_follows_the_notifications_marker(
    live_server: str, session: Session
):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    crud.follow(session, follower_id=bob.id, followee_id=ada.id)
    api = mastodon_py(live_server, ada.email)
    assert api.notifications_unread_count()["count"] == 1
    assert api.markers_get(["home", "notifications"]) == {}

    newest = api.notifications()[0]["id"]
    api.markers_set(["notifications", "home"], [newest, 42])
    markers = api.markers_get(["home", "notifications"])
    assert str(markers["notifications"]["last_read_id"]) == str(newest)
    assert str(markers["home"]["last_read_id"]) == "42"
    assert api.notifications_unread_count()["count"] == 0
    api.markers_set("home", 43)
    assert api.markers_get("home")["home"]["version"] == 2


def test_someone_elses_notification_is_not_found(client: TestClient, session: Session):
    ada, bob = make_user(session), make_user(session)
    crud.follow(session, follower_id=bob.id, followee_id=ada.id)
    ada_id = client.get("/api/v1/notifications", headers=token(client, ada)).json()[0]["id"]
    bob_headers = token(client, bob)
    assert client.get(f"/api/v1/notifications/{ada_id}", headers=bob_headers).status_code == 404
    gone = client.post(f"/api/v1/notifications/{ada_id}/dismiss", headers=bob_headers)
    assert gone.status_code == 404 and gone.json() == {"error": "Record not found"}


def test_bad_marker_and_missing_scope_get_plain_errors(client: TestClient, session: Session):
    ada = make_user(session)
    headers = token(client, ada)
    bad = client.post("/api/v1/markers", json={"home": {"last_read_id": "x"}}, headers=headers)
    assert bad.status_code == 422 and "last_read_id" in bad.json()["error"]
    assert client.post("/api/v1/markers", json={}, headers=headers).status_code == 422
    read_only = token(client, ada, scope="read")
    assert client.post("/api/v1/notifications/clear", headers=read_only).status_code == 403
    assert client.get("/api/v1/notifications").status_code == 401
