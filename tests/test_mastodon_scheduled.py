"""Scheduled statuses through the Mastodon API: the real Mastodon.py client schedules, lists,
moves and cancels them, and a scheduled post is published (at a "now" the test chooses) as
the same post a client would have made then: mentions, reply, images, poll, home timelines."""

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from mastodon import MastodonAPIError, MastodonNotFoundError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests import images
from tests.factories import make_tweet, make_user
from tests.mastodon_helpers import mastodon_py, token
from webapp import crud
from webapp.crud import moderation, scheduled
from webapp.models import ScheduledStatus, Tweet, User, utcnow

TOO_SOON = "Validation failed: Scheduled at The scheduled date must be in the future"


def _later(**delta: float) -> datetime:
    return datetime.now(UTC) + timedelta(**delta)


def _publish(session: Session, **delta: float) -> list[int]:
    """What the job (or the SQLite loop) does once that much time has passed."""
    return scheduled.publish_due(session, now=_later(**delta))


def _tweets(session: Session, user: User) -> list[Tweet]:
    session.expire_all()
    return list(session.scalars(select(Tweet).where(Tweet.owner_id == user.id)))


def test_mastodon_py_schedules_lists_moves_and_cancels(live_server: str, session: Session):
    ada = make_user(session)
    api = mastodon_py(live_server, ada.email)
    at = _later(hours=2).replace(microsecond=0)
    made = api.status_post("see you tomorrow", scheduled_at=at, visibility="unlisted")
    assert made.scheduled_at == at
    assert made.params.text == "see you tomorrow" and made.params.visibility == "unlisted"
    assert made.params.scheduled_at is None and made.media_attachments == []
    assert _tweets(session, ada) == []  # nothing is posted yet
    assert [s.id for s in api.scheduled_statuses()] == [made.id]
    assert api.scheduled_status(made.id).params.text == "see you tomorrow"

    moved = api.scheduled_status_update(made.id, at + timedelta(days=1))
    assert moved.scheduled_at == at + timedelta(days=1)
    assert api.scheduled_status(made.id).scheduled_at == at + timedelta(days=1)
    with pytest.raises(MastodonAPIError, match="must be in the future"):
        api.scheduled_status_update(made.id, _later(minutes=2))

    api.scheduled_status_delete(made.id)
    assert api.scheduled_statuses() == []
    with pytest.raises(MastodonNotFoundError):
        api.scheduled_status(made.id)
    assert _publish(session, days=3) == []  # cancelled: never published


def test_too_soon_is_mastodons_422_and_a_past_time_posts_at_once(
    live_server: str, session: Session
):
    ada = make_user(session)
    api = mastodon_py(live_server, ada.email)
    with pytest.raises(MastodonAPIError) as refused:
        api.status_post("in a minute", scheduled_at=_later(minutes=1))
    assert refused.value.args[1] == 422 and TOO_SOON in str(refused.value)
    now = api.status_post("already late", scheduled_at=_later(minutes=-10))
    assert "already late" in now.content  # a Status, posted now (Mastodon does the same)
    assert [t.text for t in _tweets(session, ada)] == ["already late"]


def test_a_bad_date_and_a_missing_time_are_clear_422s(client: TestClient, session: Session):
    ada = make_user(session)
    headers = token(client, ada)
    for bad in ("next tuesday", "0001-01-01T00:00:00+14:00", 1733400000):
        body = {"status": "when?", "scheduled_at": bad}
        response = client.post("/api/v1/statuses", json=body, headers=headers)
        assert response.status_code == 422
        assert "ISO 8601" in response.json()["error"]
    far = {"status": "when?", "scheduled_at": "9000-01-01T00:00:00Z"}
    response = client.post("/api/v1/statuses", json=far, headers=headers)
    assert response.json() == {
        "error": "Validation failed: The scheduled date must be within 10 years"
    }
    made = client.post(
        "/api/v1/statuses",
        json={"status": "x", "scheduled_at": _later(hours=1).isoformat()},
        headers=headers,
    ).json()
    response = client.put(f"/api/v1/scheduled_statuses/{made['id']}", json={}, headers=headers)
    assert response.status_code == 422 and "blank" in response.json()["error"]


def test_publishing_makes_the_post_with_its_mentions_reply_and_home_timelines(
    client: TestClient, session: Session
):
    ada, bob, cat = make_user(session), make_user(session), make_user(session)
    for followee in (ada, bob):  # home shows replies between people one follows
        crud.follow(session, follower_id=cat.id, followee_id=followee.id)
    question = make_tweet(session, bob, "lunch?")
    headers = token(client, ada)
    body = {
        "status": f"@{bob.username} yes, at noon",
        "in_reply_to_id": str(question.id),
        "scheduled_at": _later(hours=1).isoformat(),
        "spoiler_text": "food",
        "language": "en",
    }
    made = client.post("/api/v1/statuses", json=body, headers=headers)
    assert made.status_code == 200, made.text
    assert made.json()["params"]["in_reply_to_id"] == question.id
    bob_headers, cat_headers = token(client, bob), token(client, cat)
    mentions = {"types[]": "mention"}
    assert client.get("/api/v1/notifications", params=mentions, headers=bob_headers).json() == []

    assert _publish(session, minutes=30) == []  # not due yet
    [tweet_id] = _publish(session, hours=1, minutes=1)
    status = client.get(f"/api/v1/statuses/{tweet_id}", headers=headers).json()
    assert status["in_reply_to_id"] == str(question.id)
    assert status["spoiler_text"] == "food" and status["sensitive"] is True
    assert status["language"] == "en"
    assert status["application"]["name"] == "Test app"
    mentioned = client.get("/api/v1/notifications", params=mentions, headers=bob_headers).json()
    assert [(n["type"], n["status"]["id"]) for n in mentioned] == [("mention", str(tweet_id))]
    home = client.get("/api/v1/timelines/home", headers=cat_headers).json()
    assert [s["id"] for s in home] == [str(tweet_id), str(question.id)]
    assert client.get("/api/v1/scheduled_statuses", headers=headers).json() == []
    assert _publish(session, hours=2) == []  # once only


def test_a_scheduled_poll_is_published_with_its_poll(client: TestClient, session: Session):
    ada = make_user(session)
    headers = token(client, ada)
    poll = {"options": ["tea", "coffee"], "expires_in": 3600, "multiple": True}
    body = {"status": "drinks?", "poll": poll, "scheduled_at": _later(days=1).isoformat()}
    made = client.post("/api/v1/statuses", json=body, headers=headers).json()
    assert made["params"]["poll"] == poll | {"hide_totals": False}
    [tweet_id] = _publish(session, days=1, minutes=1)
    status = client.get(f"/api/v1/statuses/{tweet_id}", headers=headers).json()
    assert [o["title"] for o in status["poll"]["options"]] == ["tea", "coffee"]
    assert status["poll"]["multiple"] is True and status["poll"]["expired"] is False


def test_scheduled_media_are_reserved_until_published_or_cancelled(
    live_server: str, session: Session
):
    ada = make_user(session)
    api = mastodon_py(live_server, ada.email)
    first = api.media_post(images.png(), mime_type="image/png", description="a square")
    second = api.media_post(images.jpeg(), mime_type="image/jpeg")
    at = _later(hours=3)
    made = api.status_post("pictures later", media_ids=[first, second], scheduled_at=at)
    attached = made.media_attachments  # plain dicts: Mastodon.py types no deeper here
    assert [str(m["id"]) for m in attached] == [str(first.id), str(second.id)]
    assert attached[0]["description"] == "a square"
    assert made.params.media_ids == [str(first.id), str(second.id)]
    with pytest.raises(MastodonAPIError, match="already in a post"):
        api.status_post("stealing it", media_ids=[first])
    with pytest.raises(MastodonAPIError, match="already in a post"):
        api.status_post("again later", media_ids=[second], scheduled_at=at)
    [tweet_id] = _publish(session, hours=4)
    posted = api.status(tweet_id)
    assert [m.id for m in posted.media_attachments] == [first.id, second.id]
    assert posted.media_attachments[0].description == "a square"

    third = api.media_post(images.png(colour="red"), mime_type="image/png")
    cancelled = api.status_post("never mind", media_ids=[third], scheduled_at=at)
    api.scheduled_status_delete(cancelled.id)
    assert api.status_post("now instead", media_ids=[third]).media_attachments[0].id == third.id


def test_a_scheduled_post_that_can_no_longer_be_made_is_dropped(
    client: TestClient, session: Session
):
    ada, bob, admin = make_user(session), make_user(session), make_user(session)
    question = make_tweet(session, bob, "anyone?")
    headers = token(client, ada)
    at = _later(hours=1).isoformat()
    reply = {"status": "me!", "in_reply_to_id": str(question.id), "scheduled_at": at}
    assert client.post("/api/v1/statuses", json=reply, headers=headers).status_code == 200
    crud.delete_tweet(session, tweet_id=question.id, user_id=bob.id)
    assert _publish(session, hours=2) == []  # the replied-to post is gone: dropped
    assert _tweets(session, ada) == []
    assert client.get("/api/v1/scheduled_statuses", headers=headers).json() == []

    plain = {"status": "still here?", "scheduled_at": at}
    assert client.post("/api/v1/statuses", json=plain, headers=headers).status_code == 200
    moderation.suspend(session, admin=admin, user_id=ada.id)
    assert _publish(session, hours=2) == []  # a suspended author posts nothing
    assert _tweets(session, ada) == []
    assert session.scalar(select(func.count()).select_from(ScheduledStatus)) == 0


def test_only_the_owner_sees_changes_or_cancels_a_scheduled_status(
    client: TestClient, session: Session
):
    ada, bob = make_user(session), make_user(session)
    ada_headers, bob_headers = token(client, ada), token(client, bob)
    body = {"status": "mine", "scheduled_at": _later(hours=1).isoformat()}
    made = client.post("/api/v1/statuses", json=body, headers=ada_headers).json()
    path = f"/api/v1/scheduled_statuses/{made['id']}"
    later = {"scheduled_at": _later(hours=5).isoformat()}
    assert client.get(path, headers=bob_headers).json() == {"error": "Record not found"}
    assert client.put(path, json=later, headers=bob_headers).status_code == 404
    assert client.delete(path, headers=bob_headers).status_code == 404
    assert client.get("/api/v1/scheduled_statuses", headers=bob_headers).json() == []
    assert client.get(path, headers=ada_headers).json()["params"]["text"] == "mine"
    assert client.get("/api/v1/scheduled_statuses/99999999", headers=ada_headers).status_code == (
        404
    )


def test_scopes_read_and_write_statuses(client: TestClient, session: Session):
    ada = make_user(session)
    writer = token(client, ada, scope="write:statuses")
    reader = token(client, ada, scope="read:statuses")
    body = {"status": "scoped", "scheduled_at": _later(hours=1).isoformat()}
    assert client.post("/api/v1/statuses", json=body, headers=reader).status_code == 403
    made = client.post("/api/v1/statuses", json=body, headers=writer).json()
    path = f"/api/v1/scheduled_statuses/{made['id']}"
    assert client.get("/api/v1/scheduled_statuses", headers=writer).status_code == 403
    assert client.get(path, headers=reader).status_code == 200
    assert client.delete(path, headers=reader).status_code == 403
    assert client.get("/api/v1/scheduled_statuses").status_code == 401


def test_the_list_pages_by_id_with_a_link_header(live_server: str, session: Session):
    ada = make_user(session)
    api = mastodon_py(live_server, ada.email)
    made = [api.status_post(f"s{i}", scheduled_at=_later(hours=1 + i)).id for i in range(5)]
    first = api.scheduled_statuses(limit=2)
    assert [s.id for s in first] == made[:2:-1]
    second = api.fetch_next(first)
    assert second is not None and [s.id for s in second] == made[2:0:-1]
    third = api.fetch_next(second)
    assert third is not None and [s.id for s in third] == made[:1]


def test_limits_per_day_and_in_all_are_mastodons(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(scheduled, "DAILY_LIMIT", 2)
    monkeypatch.setattr(scheduled, "TOTAL_LIMIT", 3)
    ada = make_user(session)
    headers = token(client, ada)
    noon = (utcnow() + timedelta(days=2)).replace(hour=12, minute=0)

    def at(moment: datetime) -> int:
        body = {"status": "x", "scheduled_at": moment.isoformat()}
        status: int = client.post("/api/v1/statuses", json=body, headers=headers).status_code
        return status

    assert [at(noon), at(noon + timedelta(hours=1))] == [200, 200]
    refused = client.post(
        "/api/v1/statuses",
        json={"status": "x", "scheduled_at": (noon + timedelta(hours=2)).isoformat()},
        headers=headers,
    )
    assert refused.status_code == 422
    assert refused.json()["error"] == (
        "Validation failed: You have exceeded the limit of 2 scheduled posts for today"
    )
    assert at(noon + timedelta(days=1)) == 200
    assert at(noon + timedelta(days=3)) == 422  # three in all
