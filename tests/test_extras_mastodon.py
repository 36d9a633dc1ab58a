"""Extras through the Mastodon API, driven by the real Mastodon.py client: bookmarks,
favourites, pins, and the posting options (content warning, sensitive, language, the app,
Idempotency-Key)."""

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from mastodon import MastodonAPIError, MastodonNotFoundError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.mastodon_helpers import mastodon_py, token
from webapp import crud
from webapp.crud import pins, posting
from webapp.models import IdempotencyKey, Tweet


def test_bookmarks_are_saved_listed_newest_first_and_private(live_server: str, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    older, newer = make_tweet(session, bob, "older post"), make_tweet(session, bob, "newer post")
    api = mastodon_py(live_server, ada.email)
    assert api.status_bookmark(newer.id)["bookmarked"] is True
    api.status_bookmark(older.id)  # saved last: listed first
    api.status_bookmark(older.id)  # twice is once
    listed = api.bookmarks()
    assert [s["content"] for s in listed] == ["<p>older post</p>", "<p>newer post</p>"]
    assert api.status(newer.id)["bookmarked"] is True
    assert mastodon_py(live_server, bob.email).bookmarks() == []  # nobody else sees them
    assert api.status_unbookmark(newer.id)["bookmarked"] is False
    assert [str(s["id"]) for s in api.bookmarks()] == [str(older.id)]


def test_bookmarks_page_by_link_header(live_server: str, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    posts = [make_tweet(session, bob, f"post {n}") for n in range(5)]
    api = mastodon_py(live_server, ada.email)
    for post in posts:
        api.status_bookmark(post.id)
    first = api.bookmarks(limit=2)
    second = api.fetch_next(first)
    third = api.fetch_next(second)
    assert second is not None and third is not None  # a Link said there is more
    seen = [s["content"] for page in (first, second, third) for s in page]
    assert seen == [f"<p>post {n}</p>" for n in (4, 3, 2, 1, 0)]


def test_a_hidden_post_cannot_be_bookmarked_and_drops_out_of_the_list(
    live_server: str, session: Session
):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    secret = crud.create_tweet(
        session, owner_id=bob.id, text="followers only", visibility="private"
    )
    api = mastodon_py(live_server, ada.email)
    with pytest.raises(MastodonNotFoundError):
        api.status_bookmark(secret.id)
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    api.status_bookmark(secret.id)
    assert len(api.bookmarks()) == 1
    crud.unfollow(session, follower_id=ada.id, followee_id=bob.id)
    assert api.bookmarks() == []


def test_favourites_lists_liked_posts_newest_like_first(live_server: str, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    first, second = make_tweet(session, bob, "first"), make_tweet(session, bob, "second")
    api = mastodon_py(live_server, ada.email)
    api.status_favourite(second.id)
    api.status_favourite(first.id)
    assert [s["content"] for s in api.favourites()] == ["<p>first</p>", "<p>second</p>"]
    assert all(s["favourited"] for s in api.favourites())
    older = api.fetch_next(api.favourites(limit=1))
    assert older is not None and [s["content"] for s in older] == ["<p>second</p>"]


def test_pins_show_first_and_only_own_posts_up_to_five(live_server: str, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    mine = [make_tweet(session, ada, f"mine {n}") for n in range(6)]
    theirs = make_tweet(session, bob, "theirs")
    api = mastodon_py(live_server, ada.email)
    assert api.status_pin(mine[0].id)["pinned"] is True
    api.status_pin(mine[1].id)
    pinned = api.account_statuses(ada.id, pinned=True)
    assert [s["content"] for s in pinned] == ["<p>mine 1</p>", "<p>mine 0</p>"]
    assert api.account_statuses(ada.id)[-1]["pinned"] is True
    with pytest.raises(MastodonAPIError) as refused:
        api.status_pin(theirs.id)
    assert refused.value.args[1] == 422 and "own posts" in str(refused.value)
    for post in mine[2:5]:
        api.status_pin(post.id)
    with pytest.raises(MastodonAPIError) as full:
        api.status_pin(mine[5].id)
    assert "at most 5" in str(full.value)
    assert api.status_unpin(mine[0].id)["pinned"] is False
    seen_by_bob = mastodon_py(live_server, bob.email).account_statuses(ada.id, pinned=True)
    assert len(seen_by_bob) == 4 and not any(s["pinned"] for s in seen_by_bob)


def test_status_post_keeps_spoiler_sensitive_language_and_app(live_server: str, session: Session):
    ada = make_user(session, "ada")
    api = mastodon_py(live_server, ada.email)
    posted = api.status_post("the ending", spoiler_text="film spoilers", language="en")
    assert posted["spoiler_text"] == "film spoilers" and posted["sensitive"] is True
    assert posted["language"] == "en"
    assert posted["application"]["name"] == "Test bot"
    plain = api.status_post("just sensitive", sensitive=True)
    assert plain["sensitive"] is True and plain["spoiler_text"] == ""
    assert api.status(posted["id"])["spoiler_text"] == "film spoilers"
    with pytest.raises(MastodonAPIError) as refused:
        api.status_post("hi", language="english")
    assert "ISO 639-1" in str(refused.value)


def test_idempotency_key_posts_once(live_server: str, session: Session):
    ada = make_user(session, "ada")
    api = mastodon_py(live_server, ada.email)
    first = api.status_post("only once", idempotency_key="retry-1")
    again = api.status_post("only once", idempotency_key="retry-1")
    assert again["id"] == first["id"]
    other = api.status_post("only once", idempotency_key="retry-2")
    assert other["id"] != first["id"]
    assert len(api.account_statuses(ada.id)) == 2
    bob = make_user(session, "bob")  # keys are per person
    assert (
        mastodon_py(live_server, bob.email).status_post("x", idempotency_key="retry-1")["id"]
        != first["id"]
    )


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("0", False), ("true", True), ("false", False)]
)
def test_sensitive_accepts_form_strings(
    client: TestClient, session: Session, raw: str, expected: bool
):
    headers = token(client, make_user(session, "ada"))
    posted = client.post(
        "/api/v1/statuses", data={"status": "hi", "sensitive": raw}, headers=headers
    )
    assert posted.status_code == 200 and posted.json()["sensitive"] is expected
    refused = client.post(
        "/api/v1/statuses", data={"status": "hi", "sensitive": "maybe"}, headers=headers
    )
    assert refused.status_code == 422 and "sensitive" in refused.json()["error"]


def test_urls_are_absolute_and_served(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    post = make_tweet(session, ada, "hello #tag @ada")
    status = client.get(f"/api/v1/statuses/{post.id}").json()
    assert status["url"] == f"http://testserver/@ada/{post.id}" == status["uri"]
    assert 'href="http://testserver/tags/tag"' in status["content"]
    assert 'href="http://testserver/@ada"' in status["content"]
    page = client.get(f"/@ada/{post.id}")
    assert page.status_code == 200 and "hello" in page.text
    assert client.get(f"/@nobody/{post.id}").status_code == 404
    make_user(session, "bob")
    assert client.get(f"/@bob/{post.id}").status_code == 404


def test_unpinning_someone_elses_post_is_refused(client: TestClient, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    post = make_tweet(session, bob, "bob's")
    pins.pin(session, user_id=bob.id, tweet_id=post.id)
    refused = client.post(f"/api/v1/statuses/{post.id}/unpin", headers=token(client, ada))
    assert refused.status_code == 422


def test_a_key_older_than_an_hour_posts_again(session: Session):
    ada = make_user(session, "ada")
    keyed = posting.options(idempotency_key="k")
    first = posting.post_once(
        session, lambda: crud.create_tweet(session, owner_id=ada.id, text="a", options=keyed),
        user_id=ada.id, key="k",
    )  # fmt: skip
    session.execute(
        update(IdempotencyKey).values(created_at=IdempotencyKey.created_at - timedelta(hours=2))
    )
    session.commit()
    again = posting.post_once(
        session, lambda: crud.create_tweet(session, owner_id=ada.id, text="a", options=keyed),
        user_id=ada.id, key="k",
    )  # fmt: skip
    assert again.id != first.id


def test_racing_requests_with_one_key_post_once(session: Session, monkeypatch: pytest.MonkeyPatch):
    """The second request missed the first's key when it looked, and posts: the primary key
    refuses its key row, its post is rolled back, and it answers the first's status."""
    ada = make_user(session, "ada")
    keyed = posting.options(idempotency_key="race")
    first = crud.create_tweet(session, owner_id=ada.id, text="once", options=keyed)
    looks = iter([None])
    real = posting._earlier
    monkeypatch.setattr(posting, "_earlier", lambda *a: next(looks, None) or real(*a))
    answer = posting.post_once(
        session, lambda: crud.create_tweet(session, owner_id=ada.id, text="once", options=keyed),
        user_id=ada.id, key="race",
    )  # fmt: skip
    assert answer.id == first.id
    assert session.scalar(select(func.count()).select_from(Tweet)) == 1


def test_web_posts_have_no_application(client: TestClient, session: Session):
    post = make_tweet(session, make_user(session, "ada"), "from the page")
    assert client.get(f"/api/v1/statuses/{post.id}").json()["application"] is None


@pytest.mark.parametrize("action", ["bookmark", "unbookmark", "pin", "unpin"])
def test_unknown_or_huge_ids_are_404(client: TestClient, session: Session, action: str):
    headers = token(client, make_user(session, "ada"))
    for status_id in (999, 2**40):
        answer = client.post(f"/api/v1/statuses/{status_id}/{action}", headers=headers)
        assert answer.status_code == 404, answer.text
