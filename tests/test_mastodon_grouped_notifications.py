"""Grouped notifications (Mastodon 4.3, /api/v2/notifications): Mastodon.py's grouped
methods against a live Chirp, and the edges through the TestClient."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from mastodon.errors import MastodonNotFoundError
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.mastodon_helpers import mastodon_py, token
from webapp import crud, sqlcount
from webapp.config import settings
from webapp.crud.conversations import post, repost
from webapp.models import User


def busy_morning(session: Session) -> tuple[User, int]:
    """Three people like ada's post, one reposts it, two follow her, one mentions her."""
    ada, *fans = [make_user(session, name) for name in ("ada", "bob", "cy", "dee", "eve")]
    tweet = make_tweet(session, ada, "coffee first")
    for fan in fans[:3]:
        crud.like(session, user_id=fan.id, tweet_id=tweet.id)
    repost(session, user_id=fans[0].id, tweet_id=tweet.id)
    for fan in fans[2:]:
        crud.follow(session, follower_id=fan.id, followee_id=ada.id)
    post(session, owner_id=fans[1].id, text="@ada tea is better")
    return ada, tweet.id


def summary(results: dict[str, Any]) -> list[tuple[str, int, list[str]]]:
    users = {a["id"]: a["username"] for a in results["accounts"]}
    return [
        (g["type"], g["notifications_count"], [users[i] for i in g["sample_account_ids"]])
        for g in results["notification_groups"]
    ]


def test_likes_reposts_and_follows_are_grouped_mentions_are_not(live_server: str, session: Session):
    ada, tweet_id = busy_morning(session)
    api = mastodon_py(live_server, ada.email)

    results = api.grouped_notifications()
    assert summary(results) == [
        ("mention", 1, ["cy"]),
        ("follow", 2, ["eve", "dee"]),
        ("reblog", 1, ["bob"]),
        ("favourite", 3, ["dee", "cy", "bob"]),
    ]
    [mention, _, reblog, likes] = results["notification_groups"]
    assert mention["group_key"].startswith("ungrouped-")
    assert likes["status_id"] == reblog["status_id"] == str(tweet_id)
    assert results["notification_groups"][1]["status_id"] is None
    contents = sorted(s["content"] for s in results["statuses"])
    assert contents == [
        f'<p><a href="{live_server}/@ada" class="mention">@ada</a> tea is better</p>',
        "<p>coffee first</p>",
    ]
    assert (
        int(likes["page_min_id"])
        < int(likes["page_max_id"])
        == int(likes["most_recent_notification_id"])
    )


def test_one_group_its_accounts_unread_count_and_dismiss(live_server: str, session: Session):
    ada, _ = busy_morning(session)
    api = mastodon_py(live_server, ada.email)
    likes = api.grouped_notifications(types=["favourite"])["notification_groups"][0]

    one = api.grouped_notification(likes["group_key"])
    assert summary(one) == [("favourite", 3, ["dee", "cy", "bob"])]
    assert [a["username"] for a in api.grouped_notification_accounts(likes["group_key"])] == [
        "dee",
        "cy",
        "bob",
    ]
    assert api.unread_grouped_notifications_count() == 4
    assert api.unread_grouped_notifications_count(grouped_types=["reblog"]) == 7

    api.dismiss_grouped_notification(likes["group_key"])
    assert [n["type"] for n in api.notifications()].count("favourite") == 0
    with pytest.raises(MastodonNotFoundError):
        api.grouped_notification(likes["group_key"])
    api.markers_set(["notifications"], [api.notifications()[0]["id"]])
    assert api.unread_grouped_notifications_count() == 0


def test_v1_notifications_carry_the_same_group_key(live_server: str, session: Session):
    ada, _ = busy_morning(session)
    api = mastodon_py(live_server, ada.email)
    v1_keys = {n["group_key"] for n in api.notifications()}
    v2_keys = {g["group_key"] for g in api.grouped_notifications()["notification_groups"]}
    assert v1_keys == v2_keys


def test_grouped_types_leaves_the_others_one_by_one(client: TestClient, session: Session):
    ada, _ = busy_morning(session)
    headers = token(client, ada)
    query = "/api/v2/notifications?grouped_types[]=follow&types[]=favourite&types[]=follow"
    groups = client.get(query, headers=headers).json()["notification_groups"]
    assert [(g["type"], g["notifications_count"]) for g in groups] == [
        ("follow", 2),
        ("favourite", 1),
        ("favourite", 1),
        ("favourite", 1),
    ]
    assert all(g["group_key"].startswith("ungrouped-") for g in groups[1:])


def test_paging_by_link_header_reaches_every_notification(client: TestClient, session: Session):
    ada, _ = busy_morning(session)
    headers = token(client, ada)
    seen: list[int] = []
    url: str | None = "/api/v2/notifications?limit=3&grouped_types[]=none"
    while url:
        response = client.get(url, headers=headers)
        groups = response.json()["notification_groups"]
        seen += [int(g["most_recent_notification_id"]) for g in groups]
        url = response.links.get("next", {}).get("url") if groups else None
    assert len(seen) == 7 and seen == sorted(seen, reverse=True)


@pytest.mark.parametrize(
    "key",
    [
        "nonsense",
        "favourite-abc-20000",
        "mention-1-20000",
        "ungrouped-99999999999999999999",
        "follow-1-2-3",
        "favourite-1-99999999",
        "ungrouped-",
    ],
)
def test_a_key_this_server_never_made_is_404(client: TestClient, session: Session, key: str):
    headers = token(client, make_user(session, "ada"))
    response = client.get(f"/api/v2/notifications/{key}", headers=headers)
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}  # Mastodon's words


def test_someone_elses_group_is_not_found_and_stays(client: TestClient, session: Session):
    ada, _ = busy_morning(session)
    mallory = make_user(session, "mallory")
    key = client.get("/api/v2/notifications", headers=token(client, ada)).json()[
        "notification_groups"
    ][-1]["group_key"]
    theirs = token(client, mallory)
    assert client.get(f"/api/v2/notifications/{key}", headers=theirs).status_code == 404
    assert client.post(f"/api/v2/notifications/{key}/dismiss", headers=theirs).status_code == 200
    assert client.get(f"/api/v2/notifications/{key}", headers=token(client, ada)).status_code == 200


def test_a_page_costs_the_same_however_many_groups(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(settings, "sql_count_header", True)
    ada, _ = busy_morning(session)
    headers = token(client, ada)

    def cost() -> int:
        response = client.get("/api/v2/notifications", headers=headers)
        return int(response.headers[sqlcount.HEADER])

    few = cost()
    for i in range(12):
        fan = make_user(session, f"fan{i}")
        crud.follow(session, follower_id=fan.id, followee_id=ada.id)
        crud.like(session, user_id=fan.id, tweet_id=make_tweet(session, ada, f"post {i}").id)
    assert cost() == few
