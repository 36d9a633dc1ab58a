"""Posting, deleting, liking, following: each with htmx (a fragment swapped in place) and
without (a real form post answered by 303 back)."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.web import htmx_post, log_in, post_form, soup
from webapp import crud
from webapp.crud import timelines
from webapp.models import TWEET_MAX_CHARS


def test_plain_post_redirects_home_with_the_tweet_on_top(
    client: TestClient, session: Session
) -> None:
    user = make_user(session)
    make_tweet(session, user, "older")
    log_in(client, user)
    response = post_form(client, "/t", {"text": "brand new"})
    assert response.status_code == 303 and response.headers["location"] == "/"
    texts = [p.get_text() for p in soup(client.get("/")).select(".tweet-text")]
    assert texts == ["brand new", "older"]


def test_htmx_post_returns_an_empty_box_and_the_tweet_for_the_top(
    client: TestClient, session: Session
) -> None:
    log_in(client, make_user(session))
    response = htmx_post(client, "/t", {"text": "via htmx"})
    assert response.status_code == 200
    page = soup(response)
    assert page.find("textarea", id="compose-text").get_text() == ""
    oob = page.find(attrs={"hx-swap-oob": "afterbegin:#timeline"})
    assert oob.select_one(".tweet-text").get_text() == "via htmx"


def test_empty_or_too_long_tweet_shows_the_error_and_keeps_the_text(
    client: TestClient, session: Session
) -> None:
    log_in(client, make_user(session))
    too_long = "x" * (TWEET_MAX_CHARS + 1)
    for text, words in (("   ", "can't be empty"), (too_long, f"at most {TWEET_MAX_CHARS}")):
        response = htmx_post(client, "/t", {"text": text})
        assert response.status_code == 422
        page = soup(response)
        assert words in page.find(id="compose-error").get_text()
        assert page.find("textarea", id="compose-text").get_text() == text
        # without JavaScript: post/redirect/get, and the home page shows the same
        response = post_form(client, "/t", {"text": text})
        assert (response.status_code, response.headers["location"]) == (303, "/")
        page = soup(client.get("/"))
        assert words in page.find(id="compose-error").get_text()
        assert page.find("textarea", id="compose-text").get_text() == text
    assert timelines.public_timeline(session).tweets == []


def test_htmx_error_is_only_the_compose_fragment(client: TestClient, session: Session) -> None:
    log_in(client, make_user(session))
    page = soup(htmx_post(client, "/t", {"text": ""}))
    assert page.find("header", class_="topbar") is None
    assert page.find("form", id="compose")["hx-target"] == "this"


def test_visitor_actions_go_to_login(client: TestClient, session: Session) -> None:
    tweet = make_tweet(session, make_user(session, "ada"))
    response = post_form(
        client, f"/t/{tweet.id}/like", headers={"referer": "http://testserver/@ada"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/@ada"
    assert htmx_post(client, "/@ada/follow").headers["hx-redirect"] == "/login?next=/@ada"


def test_like_and_unlike_with_htmx_swap_the_button_and_count(
    client: TestClient, session: Session
) -> None:
    user = make_user(session)
    tweet = make_tweet(session, user)
    log_in(client, user)
    liked = soup(htmx_post(client, f"/t/{tweet.id}/like"))
    form = liked.find("form", class_="like")
    assert form["action"] == f"/t/{tweet.id}/unlike" and form["hx-target"] == "this"
    assert form.select_one(".count").get_text() == "1"
    assert liked.find("article") is None
    again = soup(htmx_post(client, f"/t/{tweet.id}/like"))  # a double click counts once
    assert again.select_one(".count").get_text() == "1"
    unliked = soup(htmx_post(client, f"/t/{tweet.id}/unlike"))
    assert unliked.find("form")["action"] == f"/t/{tweet.id}/like"
    assert unliked.select_one(".count").get_text() == "0"


def test_plain_like_redirects_back_to_the_tweet_on_the_page(
    client: TestClient, session: Session
) -> None:
    user = make_user(session)
    tweet = make_tweet(session, user)
    log_in(client, user)
    response = post_form(
        client, f"/t/{tweet.id}/like", headers={"referer": "http://testserver/?feed=everyone"}
    )
    # the fragment takes the browser back to the tweet, not the top of a long page
    location = f"/?feed=everyone#tweet-{tweet.id}"
    assert response.status_code == 303 and response.headers["location"] == location
    session.refresh(tweet)
    assert tweet.like_count == 1
    other_site = post_form(
        client, f"/t/{tweet.id}/unlike", headers={"referer": "http://testserver/"}
    )
    assert other_site.headers["location"] == f"/#tweet-{tweet.id}"
    no_referer = post_form(client, f"/t/{tweet.id}/like").headers["location"]
    assert no_referer == f"/t/{tweet.id}#tweet-{tweet.id}"


def test_follow_and_unfollow_with_and_without_htmx(client: TestClient, session: Session) -> None:
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    log_in(client, bob)
    box = soup(htmx_post(client, "/@ada/follow"))
    assert box.select_one(".followers").get_text(" ", strip=True) == "1 follower"
    assert box.find("form")["action"] == "/@ada/unfollow"
    assert crud.is_following(session, follower_id=bob.id, followee_id=ada.id)
    response = post_form(client, "/@ada/unfollow")
    location = f"/@ada#follow-{ada.id}"
    assert response.status_code == 303 and response.headers["location"] == location
    assert not crud.is_following(session, follower_id=bob.id, followee_id=ada.id)


def test_following_yourself_is_a_clear_400(client: TestClient, session: Session) -> None:
    log_in(client, make_user(session, "ada"))
    response = post_form(client, "/@ada/follow")
    assert response.status_code == 400
    assert "cannot follow yourself" in soup(response).get_text()


def test_delete_with_htmx_returns_nothing_to_swap(client: TestClient, session: Session) -> None:
    user = make_user(session)
    tweet = make_tweet(session, user)
    log_in(client, user)
    page = soup(client.get("/"))
    delete = page.find("a", class_="delete")
    assert delete["hx-confirm"] and delete["hx-target"] == "closest .tweet"
    response = htmx_post(client, f"/t/{tweet.id}/delete")
    assert response.status_code == 200 and response.text == ""
    assert client.get(f"/t/{tweet.id}").status_code == 404


def test_delete_without_js_confirms_first_then_redirects(
    client: TestClient, session: Session
) -> None:
    user = make_user(session, "ada")
    tweet = make_tweet(session, user, "bye")
    log_in(client, user)
    confirm = soup(client.get(f"/t/{tweet.id}/delete"))
    form = confirm.find("form", action=f"/t/{tweet.id}/delete")
    assert form["method"] == "post"
    assert crud.get_tweet(session, tweet.id)  # looking at the confirm page deleted nothing
    referer = {"referer": f"http://testserver/t/{tweet.id}/delete"}
    response = post_form(client, f"/t/{tweet.id}/delete", headers=referer)
    assert response.status_code == 303 and response.headers["location"] == "/@ada"


def test_deleting_someone_elses_tweet_is_refused(client: TestClient, session: Session) -> None:
    tweet = make_tweet(session, make_user(session))
    log_in(client, make_user(session))
    assert post_form(client, f"/t/{tweet.id}/delete").status_code == 403
    assert client.get(f"/t/{tweet.id}/delete").status_code == 403
    assert client.get(f"/t/{tweet.id}").status_code == 200
