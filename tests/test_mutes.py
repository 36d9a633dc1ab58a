"""Mute (issue 17): the muted person's posts, and reposts of or by them, leave the muter's
home, everyone, tags, lists, search and threads (web and Mastodon API), and their
notifications too unless asked otherwise; their profile still shows their posts; the muted
person notices nothing; a mute past its expiry no longer applies."""

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.mastodon_helpers import token
from tests.test_blocks import authors, texts
from tests.web import log_in, post_form, soup
from webapp import crud
from webapp.crud import blocks, conversations, lists
from webapp.models import Mute, User, utcnow


@pytest.fixture
def people(session: Session) -> tuple[User, User, User, int, int]:
    """ada mutes bob; everyone follows everyone; cy reposts bob; bob replies to ada."""
    ada, bob, cy = (make_user(session, name) for name in ("ada", "bob", "cy"))
    for one in (ada, bob, cy):
        for other in (ada, bob, cy):
            if one.id != other.id:
                crud.follow(session, follower_id=one.id, followee_id=other.id)
    ada_post = make_tweet(session, ada, "ada writes #topic")
    bob_post = make_tweet(session, bob, "bob writes #topic")
    make_tweet(session, cy, "cy writes #topic")
    conversations.repost(session, user_id=cy.id, tweet_id=bob_post.id)
    conversations.repost(session, user_id=bob.id, tweet_id=ada_post.id)
    crud.create_tweet(session, owner_id=bob.id, text="@ada bob replies", in_reply_to_id=ada_post.id)
    crud.create_tweet(session, owner_id=cy.id, text="@ada cy replies", in_reply_to_id=ada_post.id)
    row = lists.create_list(session, owner_id=ada.id, title="All")
    lists.add_members(session, list_id=row.id, owner_id=ada.id, user_ids=[bob.id, cy.id])
    blocks.mute(session, muter_id=ada.id, muted_id=bob.id)
    return ada, bob, cy, ada_post.id, row.id


LISTINGS = ["/", "/?feed=everyone", "/tags/topic", "/search?q=writes"]


def test_muted_posts_leave_the_muters_listings(client: TestClient, people):
    ada, _, _, ada_post, list_id = people
    log_in(client, ada)
    for path in [*LISTINGS, f"/lists/{list_id}"]:
        shown = authors(client.get(path))
        assert "cy" in shown and "bob" not in shown, (path, shown)
    thread = texts(client.get(f"/t/{ada_post}"))
    assert "@ada cy replies" in thread and "@ada bob replies" not in thread
    profile = client.get("/@bob")  # their own page still shows them, as on Mastodon
    assert "bob writes #topic" in texts(profile)
    assert "You muted @bob." in profile.text and "Unmute" in profile.text


def test_the_muted_person_notices_nothing(client: TestClient, session: Session, people):
    ada, bob, *_ = people
    log_in(client, bob)
    for path in LISTINGS:
        assert "ada" in authors(client.get(path)), path
    assert "ada writes #topic" in texts(client.get("/@ada"))
    headers = token(client, bob)
    relation = client.get(f"/api/v1/accounts/relationships?id[]={ada.id}", headers=headers)
    assert relation.json()[0]["muting"] is False and relation.json()[0]["blocked_by"] is False
    assert crud.is_following(session, follower_id=ada.id, followee_id=bob.id)  # no unfollow


def test_notifications_from_the_muted_are_hidden_unless_asked(
    client: TestClient, session: Session, people
):
    ada, bob, cy, ada_post, _ = people
    crud.like(session, user_id=bob.id, tweet_id=ada_post)
    crud.like(session, user_id=cy.id, tweet_id=ada_post)
    log_in(client, ada)
    items = soup(client.get("/notifications")).select("li.notification")
    lines = " ".join(li.get_text(" ", strip=True) for li in items)
    assert "cy" in lines and "bob" not in lines
    headers = token(client, ada)
    assert {"cy"} <= _actors(client, headers) and "bob" not in _actors(client, headers)
    blocks.mute(session, muter_id=ada.id, muted_id=bob.id, notifications=False)
    crud.create_tweet(session, owner_id=bob.id, text="hello @ada")
    assert "bob" in _actors(client, headers)  # the mute keeps his posts out, not his notifications


def _actors(client: TestClient, headers: dict[str, str]) -> set[str]:
    rows = client.get("/api/v1/notifications", headers=headers).json()
    return {row["account"]["acct"] for row in rows}


def test_an_expired_mute_no_longer_applies(client: TestClient, session: Session, people):
    ada, *_ = people
    log_in(client, ada)
    assert "bob" not in authors(client.get("/"))
    past = utcnow() - timedelta(seconds=1)
    session.execute(update(Mute).where(Mute.muter_id == ada.id).values(expires_at=past))
    session.commit()
    assert "bob" in authors(client.get("/"))
    assert "You muted" not in client.get("/@bob").text
    assert "You haven't muted anyone." in client.get("/settings/blocks").text


def test_a_timed_mute_from_the_profile(client: TestClient, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    log_in(client, ada)
    assert post_form(client, "/@bob/mute", {"duration": "86400"}).status_code == 303
    row = session.get(Mute, (ada.id, bob.id))
    assert row is not None and row.expires_at is not None and row.notifications
    left = row.expires_at.replace(tzinfo=row.expires_at.tzinfo or utcnow().tzinfo) - utcnow()
    assert timedelta(hours=23) < left <= timedelta(days=1)
    post_form(client, "/@bob/mute", {"duration": "0"})  # again: forever now
    session.expire_all()
    assert session.get(Mute, (ada.id, bob.id)).expires_at is None  # type: ignore[union-attr]


def test_mastodon_listings_leave_the_muted_out(client: TestClient, people):
    ada, bob, _, ada_post, list_id = people
    headers = token(client, ada)
    paths = ["/api/v1/timelines/home", "/api/v1/timelines/public", "/api/v1/timelines/tag/topic",
             f"/api/v1/timelines/list/{list_id}"]  # fmt: skip
    for path in paths:
        rows = client.get(path, headers=headers).json()
        shown = {s["account"]["acct"] for s in rows} | {
            s["reblog"]["account"]["acct"] for s in rows if s["reblog"]
        }
        assert "cy" in shown and "bob" not in shown, (path, shown)
    found = client.get("/api/v2/search?q=writes&type=statuses", headers=headers).json()
    assert "bob" not in {s["account"]["acct"] for s in found["statuses"]}
    context = client.get(f"/api/v1/statuses/{ada_post}/context", headers=headers).json()
    assert [s["account"]["acct"] for s in context["descendants"]] == ["cy"]
    own = client.get(f"/api/v1/accounts/{bob.id}/statuses", headers=headers).json()
    assert "bob writes" in " ".join(s["content"] for s in own)
