"""Tweet cards come from a cache (webapp/web/cards.py). What a person sees must be exactly what
a fresh render would show: their own CSRF token and like state, today's counts and names."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.web import log_in, soup
from webapp import crud
from webapp.config import settings
from webapp.main import app
from webapp.models import User


@pytest.fixture
def other_client() -> Iterator[TestClient]:
    """A second browser, with its own cookies."""
    with TestClient(app) as test_client:
        yield test_client


def card(client: TestClient, path: str, text: str) -> Any:
    """The card showing `text` on the page at `path`."""
    page = soup(client.get(path))
    for article in page.select("article.tweet"):
        if article.select_one(".tweet-text").get_text() == text:
            return article
    raise AssertionError(f"no card with {text!r} on {path}")


def page_token(client: TestClient) -> str:
    return str(soup(client.get("/")).find("meta", attrs={"name": "csrf-token"})["content"])


def test_two_people_share_a_card_but_get_their_own_token_and_heart(
    session: Session, client: TestClient, other_client: TestClient
):
    ada, bob, cara = make_user(session), make_user(session), make_user(session)
    tweet = make_tweet(session, cara, "seen by two")
    crud.like(session, user_id=ada.id, tweet_id=tweet.id)
    log_in(client, ada)
    log_in(other_client, bob)

    for browser, liked in [(client, "true"), (other_client, "false"), (client, "true")]:
        shown = card(browser, "/?feed=everyone", "seen by two")
        assert shown.select_one("form.like input[name=csrf_token]")["value"] == page_token(browser)
        assert shown.select_one("form.like button")["aria-pressed"] == liked
    assert page_token(client) != page_token(other_client)


def test_only_the_author_gets_the_delete_link(
    session: Session, client: TestClient, other_client: TestClient
):
    ada, bob = make_user(session), make_user(session)
    make_tweet(session, ada, "mine")
    log_in(client, ada)
    log_in(other_client, bob)
    assert card(client, "/?feed=everyone", "mine").select_one("a.delete") is not None
    assert card(other_client, "/?feed=everyone", "mine").select_one("a.delete") is None
    assert card(client, f"/@{ada.username}", "mine").select_one("a.delete") is not None


def test_a_shown_card_follows_new_likes_and_a_new_name(session: Session, client: TestClient):
    ada, bob = make_user(session), make_user(session)
    tweet = make_tweet(session, ada, "count me")
    assert card(client, "/", "count me").select_one("form.like .count").get_text() == "0"
    crud.like(session, user_id=bob.id, tweet_id=tweet.id)
    crud.update_profile(session, user_id=ada.id, display_name="Ada Lovelace", bio="")
    again = card(client, "/", "count me")
    assert again.select_one("form.like .count").get_text() == "1"
    assert again.select_one(".author .name").get_text() == "Ada Lovelace"


def test_a_new_tweet_never_shows_a_deleted_ones_card(session: Session, client: TestClient):
    # SQLite may give the new tweet the deleted one's id: the card must still be the new one.
    ada: User = make_user(session)
    gone = make_tweet(session, ada, "deleted soon")
    assert card(client, "/", "deleted soon")
    crud.delete_tweet(session, tweet_id=gone.id, user_id=ada.id)
    make_tweet(session, ada, "the new one")
    texts = [p.get_text() for p in soup(client.get("/")).select(".tweet-text")]
    assert "the new one" in texts and "deleted soon" not in texts


def test_cached_cards_are_the_markup_a_fresh_render_gives(
    session: Session, client: TestClient, monkeypatch: pytest.MonkeyPatch
):
    ada, bob = make_user(session), make_user(session)
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    for text in ["plain", "a #tag and @someone", "https://example.com/x?a=1&b=<2>"]:
        tweet = make_tweet(session, bob, text)
        crud.like(session, user_id=ada.id, tweet_id=tweet.id)
    make_tweet(session, ada, "my own")
    log_in(client, ada)
    client.get("/")  # fills the cache
    cached = client.get("/").text
    monkeypatch.setattr(settings, "card_cache_size", 0)
    assert client.get("/").text == cached
