"""Extras on the web pages: bookmarks (with and without JavaScript), the bookmarks page,
pins heading the profile, content warnings and sensitive images collapsed, /@handle/ID, and
the statements those pages cost."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests import images
from tests.factories import make_tweet, make_user
from tests.web import HTMX, csrf_token, htmx_post, log_in, post_form, soup
from webapp import crud, sqlcount
from webapp.config import settings
from webapp.crud import pins, posting, saved
from webapp.models import User


def _texts(response: object, where: str = "") -> list[str]:
    found = soup(response).select(f"{where} article.tweet .tweet-text")  # type: ignore[arg-type]
    return [p.get_text(strip=True) for p in found]


def _pair(session: Session) -> tuple[User, User]:
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    return ada, bob


def test_bookmark_without_javascript_returns_to_the_card(client: TestClient, session: Session):
    ada, bob = _pair(session)
    post = make_tweet(session, bob, "worth keeping")
    log_in(client, ada)
    saved_it = post_form(
        client, f"/t/{post.id}/bookmark", headers={"referer": "http://testserver/"}
    )
    assert saved_it.status_code == 303 and saved_it.headers["location"] == f"/#tweet-{post.id}"
    card = soup(client.get("/")).find(id=f"tweet-{post.id}")
    assert card.select_one("form.bookmark button").get_text(strip=True) == "Bookmarked"
    assert _texts(client.get("/bookmarks")) == ["worth keeping"]
    post_form(client, f"/t/{post.id}/unbookmark")
    assert _texts(client.get("/bookmarks")) == []
    assert "No bookmarks yet" in client.get("/bookmarks").text


def test_bookmark_with_htmx_swaps_the_button(client: TestClient, session: Session):
    ada, bob = _pair(session)
    post = make_tweet(session, bob, "swap me")
    log_in(client, ada)
    swapped = htmx_post(client, f"/t/{post.id}/bookmark")
    assert swapped.status_code == 200
    button = soup(swapped).select_one("form.bookmark.bookmarked button")
    assert button["aria-pressed"] == "true" and button.get_text(strip=True) == "Bookmarked"
    assert soup(swapped).find("form")["action"] == f"/t/{post.id}/unbookmark"
    back = htmx_post(client, f"/t/{post.id}/unbookmark")
    assert soup(back).select_one("form.bookmark button").get_text(strip=True) == "Bookmark"


def test_bookmarks_are_private_and_only_of_visible_posts(client: TestClient, session: Session):
    ada, bob = _pair(session)
    cy = make_user(session, "cy")
    secret = crud.create_tweet(session, owner_id=cy.id, text="cy's friends", visibility="private")
    shared = make_tweet(session, bob, "bob's")
    saved.bookmark(session, user_id=bob.id, tweet_id=shared.id)
    log_in(client, ada)
    assert post_form(client, f"/t/{secret.id}/bookmark").status_code == 404
    assert _texts(client.get("/bookmarks")) == []  # bob's bookmarks are his alone
    crud.follow(session, follower_id=ada.id, followee_id=cy.id)
    post_form(client, f"/t/{secret.id}/bookmark")
    assert _texts(client.get("/bookmarks")) == ["cy's friends"]
    crud.unfollow(session, follower_id=ada.id, followee_id=cy.id)  # no longer hers to see
    assert _texts(client.get("/bookmarks")) == []
    client.cookies.clear()
    assert client.get("/bookmarks", follow_redirects=False).status_code in (302, 303)


def test_bookmarks_page_is_keyset_paged_newest_bookmark_first(client: TestClient, session: Session):
    ada, bob = _pair(session)
    posts = [make_tweet(session, bob, f"post {n}") for n in range(23)]
    for post in reversed(posts):  # bookmarked oldest-posted last: it comes first
        saved.bookmark(session, user_id=ada.id, tweet_id=post.id)
    log_in(client, ada)
    first = client.get("/bookmarks")
    assert _texts(first) == [f"post {n}" for n in range(20)]
    more = soup(first).select_one("a.more")["href"]
    rest = client.get(more, headers=HTMX)
    assert _texts(rest) == ["post 20", "post 21", "post 22"]
    assert rest.headers["HX-Replace-Url"] == "/bookmarks?shown=23"
    assert len(_texts(client.get("/bookmarks?shown=23"))) == 23


def test_pinned_posts_head_the_profile_marked_pinned(client: TestClient, session: Session):
    ada, _ = _pair(session)
    first, second, third = (make_tweet(session, ada, f"ada {n}") for n in range(3))
    log_in(client, ada)
    assert post_form(client, f"/t/{first.id}/pin").status_code == 303
    swapped = htmx_post(client, f"/t/{second.id}/pin")
    assert soup(swapped).select_one("form.pin button").get_text(strip=True) == "Unpin"
    page = client.get("/@ada")
    assert _texts(page, ".pinned-posts") == ["ada 1", "ada 0"]  # newest pin first
    marks = soup(page).select(".pinned-posts .pinned-mark")
    assert [m.get_text(" ", strip=True) for m in marks] == ["📌 Pinned"] * 2
    assert _texts(page, "#timeline") == ["ada 2"]  # each post once on the page
    assert "Pinned" not in soup(client.get("/")).select_one("#timeline").get_text()
    post_form(client, f"/t/{first.id}/unpin")
    assert _texts(client.get("/@ada"), ".pinned-posts") == ["ada 1"]
    assert third.id  # unpinned posts keep their place
    client.cookies.clear()
    assert _texts(client.get("/@ada"), ".pinned-posts") == ["ada 1"]  # visitors see pins too


def test_pinning_is_refused_in_plain_words(client: TestClient, session: Session):
    ada, bob = _pair(session)
    theirs = make_tweet(session, bob, "bob's")
    mine = [make_tweet(session, ada, f"mine {n}") for n in range(6)]
    for post in mine[:5]:
        pins.pin(session, user_id=ada.id, tweet_id=post.id)
    log_in(client, ada)
    refused = htmx_post(client, f"/t/{mine[5].id}/pin")
    assert refused.status_code == 422 and "at most 5" in refused.text
    plain = post_form(client, f"/t/{theirs.id}/pin")
    assert plain.status_code == 303
    assert "own posts" in client.get(plain.headers["location"]).text  # the flash note
    card = soup(client.get("/")).find(id=f"tweet-{theirs.id}")
    assert card.select_one("form.pin") is None  # no Pin button on others' posts


def test_content_warning_collapses_the_text(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    log_in(client, ada)
    form = {"text": "the butler did it", "spoiler_text": "Film spoilers"}
    assert post_form(client, "/t", form).status_code == 303
    card = soup(client.get("/")).select_one("article.tweet")
    assert card.select_one(".content-warning").get_text(strip=True) == "Film spoilers"
    details = card.select_one("details.spoiler")
    assert details is not None and not details.has_attr("open")
    assert details.summary.get_text(strip=True) == "Show"
    assert details.select_one(".tweet-text").get_text(strip=True) == "the butler did it"
    too_long = post_form(client, "/t", {"text": "x", "spoiler_text": "w" * 281}, headers=HTMX)
    assert too_long.status_code == 422
    assert "at most 280" in soup(too_long).find(id="compose-spoiler-error").text
    assert soup(too_long).find(id="compose-spoiler")["value"] == "w" * 281  # kept


def test_sensitive_images_are_hidden_behind_details(client: TestClient, session: Session):
    log_in(client, make_user(session, "ada"))
    files = [("image", ("p.png", images.png((40, 40)), "image/png"))]
    data = {"csrf_token": csrf_token(client), "text": "a photo", "alt": "a cat", "sensitive": "1"}
    assert client.post("/t", data=data, files=files, follow_redirects=False).status_code == 303
    card = soup(client.get("/")).select_one("article.tweet")
    hidden = card.select_one("details.sensitive-media")
    assert hidden is not None and hidden.select_one(".media-grid img")["alt"] == "a cat"
    assert card.select_one(".tweet-text").get_text(strip=True) == "a photo"


def test_handle_and_id_address_opens_the_post(client: TestClient, session: Session):
    ada, _ = _pair(session)
    post = make_tweet(session, ada, "at my address")
    found = client.get(f"/@ada/{post.id}", follow_redirects=False)
    assert found.status_code == 302 and found.headers["location"] == f"/t/{post.id}"
    assert "at my address" in client.get(f"/@ada/{post.id}").text
    assert client.get(f"/@bob/{post.id}").status_code == 404
    assert client.get("/@ada").status_code == 200
    hidden = crud.create_tweet(session, owner_id=ada.id, text="dm", visibility="direct")
    assert client.get(f"/@ada/{hidden.id}").status_code == 404


@pytest.mark.parametrize("count", [2, 25])
def test_bookmarks_and_profile_cost_the_same_whatever_they_hold(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch, count: int
):
    monkeypatch.setattr(settings, "sql_count_header", True)
    ada, bob = _pair(session)
    for n in range(count):
        post = make_tweet(session, bob, f"post {n}")
        saved.bookmark(session, user_id=ada.id, tweet_id=post.id)
        if n < pins.MAX_PINS:
            pins.pin(session, user_id=bob.id, tweet_id=post.id)
    warned = posting.options(spoiler_text="cw", sensitive=True)
    crud.create_tweet(session, owner_id=bob.id, text="warned", options=warned)
    log_in(client, ada)

    def cost(path: str, **kwargs: object) -> int:
        response = client.get(path, **kwargs)
        assert response.status_code == 200
        return int(response.headers[sqlcount.HEADER])

    assert cost("/bookmarks") == 2  # the session, the page of cards
    assert cost("/bookmarks?before=2147483647", headers=HTMX) == 2
    assert cost("/@bob") == 7  # as any profile: featured tags and pinned posts among them


def test_likes_tab_on_your_own_profile_only(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(settings, "sql_count_header", True)
    ada, bob = _pair(session)
    first, second = make_tweet(session, bob, "first"), make_tweet(session, bob, "second")
    crud.like(session, user_id=ada.id, tweet_id=second.id)
    crud.like(session, user_id=ada.id, tweet_id=first.id)
    log_in(client, ada)
    page = client.get("/@ada/likes")
    assert _texts(page, "#timeline") == ["first", "second"]  # newest like first
    assert soup(page).select_one('.profile-tabs a[aria-current="page"]').text == "Likes"
    pressed = soup(page).select("#timeline form.like button")
    assert [b["aria-pressed"] for b in pressed] == ["true", "true"]
    # the session, both counts in one, the page (your own: no follow flags)
    assert int(page.headers[sqlcount.HEADER]) == 3
    assert client.get("/@bob/likes").status_code == 404
    assert "/@bob/likes" not in client.get("/@bob").text
    assert "/@ada/likes" in client.get("/@ada").text
