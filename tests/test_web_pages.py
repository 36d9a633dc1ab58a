"""Each page as a visitor and as a signed-in person; htmx asks get only the fragment."""

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.web import HTMX, log_in, post_form, soup
from webapp import crud
from webapp.crud.timelines import PAGE_SIZE
from webapp.main import app
from webapp.web.templating import relative


def tweet_texts(response: Response) -> list[str]:
    return [p.get_text() for p in soup(response).select(".tweet .tweet-text")]


def test_visitor_home_shows_everyone_and_a_signup_prompt(
    client: TestClient, session: Session
) -> None:
    make_tweet(session, make_user(session), "hello from ada")
    response = client.get("/")
    page = soup(response)
    assert response.status_code == 200
    assert tweet_texts(response) == ["hello from ada"]
    assert page.find("a", href="/signup") is not None
    assert page.find("form", id="compose") is None
    assert page.find("main") is not None and page.find("nav") is not None


def test_signed_in_home_shows_own_and_followed_tweets_only(
    client: TestClient, session: Session
) -> None:
    me, friend, stranger = make_user(session), make_user(session), make_user(session)
    crud.follow(session, follower_id=me.id, followee_id=friend.id)
    make_tweet(session, me, "mine")
    make_tweet(session, friend, "friend's")
    make_tweet(session, stranger, "stranger's")
    log_in(client, me)
    response = client.get("/")
    assert soup(response).find("form", id="compose") is not None
    assert tweet_texts(response) == ["friend's", "mine"]
    assert tweet_texts(client.get("/?feed=everyone")) == ["stranger's", "friend's", "mine"]


def test_home_pages_by_keyset_and_htmx_gets_only_the_next_page(
    client: TestClient, session: Session
) -> None:
    author = make_user(session)
    tweets = [make_tweet(session, author, f"tweet {n}") for n in range(PAGE_SIZE + 5)]
    first = soup(client.get("/"))
    more = first.find("a", class_="more")
    assert more is not None and more["hx-trigger"] == "revealed"
    response = client.get(more["href"], headers=HTMX)
    assert response.headers["vary"] == "HX-Request"
    fragment = soup(response)
    assert fragment.find("html") is None and fragment.find("header", class_="topbar") is None
    assert tweet_texts(response) == [f"tweet {n}" for n in range(4, -1, -1)]
    assert fragment.find("a", class_="more") is None  # the last page has no trigger
    assert more["href"] == f"/?before={tweets[5].id}&shown={PAGE_SIZE}"


def test_plain_paging_link_shows_a_full_page(client: TestClient, session: Session) -> None:
    author = make_user(session)
    for n in range(PAGE_SIZE + 1):
        make_tweet(session, author, f"tweet {n}")
    href = soup(client.get("/")).find("a", class_="more")["href"]
    response = client.get(href)
    assert soup(response).find("header", class_="topbar") is not None
    assert tweet_texts(response) == ["tweet 0"]


def test_profile_shows_tweets_counts_and_follow_button(
    client: TestClient, session: Session
) -> None:
    ada, bob, cy = make_user(session, "ada"), make_user(session, "bob"), make_user(session, "cy")
    crud.follow(session, follower_id=bob.id, followee_id=ada.id)
    crud.follow(session, follower_id=ada.id, followee_id=cy.id)
    make_tweet(session, ada, "ada's tweet")
    make_tweet(session, bob, "bob's tweet")
    response = client.get("/@ada")
    page = soup(response)
    assert tweet_texts(response) == ["ada's tweet"]
    assert page.select_one(".followers").get_text(" ", strip=True) == "1 follower"
    assert page.select_one(".following-count").get_text(" ", strip=True) == "1 following"
    assert page.select_one("form.follow")["action"] == "/@ada/follow"
    log_in(client, bob)
    assert soup(client.get("/@ada")).select_one("form.follow")["action"] == "/@ada/unfollow"
    log_in(client, ada)
    assert soup(client.get("/@ada")).select_one("form.follow") is None  # no following yourself


def test_unknown_profile_and_tweet_get_a_friendly_404(client: TestClient) -> None:
    for path in ("/@nobody", "/t/999999", "/no/such/page"):
        response = client.get(path)
        assert response.status_code == 404
        assert "text/html" in response.headers["content-type"]
        assert soup(response).find("h1").get_text() == "Page not found"


def test_a_signed_in_404_keeps_the_signed_in_top_bar(client: TestClient, session: Session) -> None:
    log_in(client, make_user(session, "ada"))
    page = soup(client.get("/t/999999"))
    nav = page.find("nav", attrs={"aria-label": "Main"})
    assert nav.find("a", href="/@ada") is not None
    assert nav.find("button", string="Log out") is not None
    assert nav.find("a", href="/login") is None


def test_api_paths_keep_json_errors(client: TestClient) -> None:
    response = client.get("/users/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "User not found"}
    assert client.delete("/token").headers["allow"] == "POST"
    assert client.get("/tweets/?limit=x").status_code == 422


def test_tweet_page_shows_the_tweet_and_like_state(client: TestClient, session: Session) -> None:
    ada = make_user(session)
    tweet = make_tweet(session, ada, "a single tweet")
    crud.like(session, user_id=ada.id, tweet_id=tweet.id)
    response = client.get(f"/t/{tweet.id}")
    assert tweet_texts(response) == ["a single tweet"]
    assert soup(response).select_one("form.like")["action"] == f"/t/{tweet.id}/like"
    log_in(client, ada)
    page = soup(client.get(f"/t/{tweet.id}"))
    assert page.select_one("form.like")["action"] == f"/t/{tweet.id}/unlike"
    assert page.select_one("form.like .count").get_text() == "1"
    assert page.find("a", class_="delete")["href"] == f"/t/{tweet.id}/delete"


def test_tag_page_lists_tweets_with_that_tag_only(client: TestClient, session: Session) -> None:
    ada = make_user(session)
    make_tweet(session, ada, "loving #Python today")
    make_tweet(session, ada, "#pythonista is another tag")
    make_tweet(session, ada, "no tags")
    response = client.get("/tags/python")
    assert tweet_texts(response) == ["loving #Python today"]
    assert soup(response).find("a", class_="hashtag")["href"] == "/tags/python"


def test_tag_page_is_full_even_when_lookalike_tags_crowd_it(
    client: TestClient, session: Session
) -> None:
    ada = make_user(session)
    for n in range(PAGE_SIZE + 5):  # each #python tweet buried under two #pythonista ones
        make_tweet(session, ada, f"#python {n}")
        make_tweet(session, ada, f"#pythonista {n}a")
        make_tweet(session, ada, f"#pythonista {n}b")
    first = client.get("/tags/python")
    assert tweet_texts(first) == [f"#python {n}" for n in range(PAGE_SIZE + 4, 4, -1)]
    more = soup(first).find("a", class_="more")["href"]
    assert tweet_texts(client.get(more, headers=HTMX)) == [f"#python {n}" for n in range(4, -1, -1)]


def test_people_lists_users_with_follow_buttons_and_pages(
    client: TestClient, session: Session
) -> None:
    users = [make_user(session, f"person{n}") for n in range(PAGE_SIZE + 2)]
    log_in(client, users[0])
    page = soup(client.get("/people"))
    handles = [a.select_one(".handle").get_text() for a in page.select(".person .author")]
    assert handles[0] == f"@person{PAGE_SIZE + 1}"
    assert len(handles) == PAGE_SIZE
    more = page.find("a", class_="more")
    fragment = client.get(more["href"], headers=HTMX)
    rest = [a.get_text() for a in soup(fragment).select(".person .handle")]
    assert rest == ["@person1", "@person0"]
    assert soup(fragment).select(".person")[1].select_one("form.follow") is None  # that's me
    assert soup(fragment).select_one(".person form.follow")["action"] == "/@person1/follow"


def test_relative_times_are_time_elements(client: TestClient, session: Session) -> None:
    make_tweet(session, make_user(session))
    time = soup(client.get("/")).select_one(".tweet time")
    assert time["datetime"].startswith("20")
    assert time.get_text() == "now"


def test_pages_have_no_inline_script_or_style(client: TestClient, session: Session) -> None:
    """The strict CSP blocks inline code, so none may be needed."""
    user = make_user(session, "ada")
    tweet = make_tweet(session, user, "hi")
    log_in(client, user)
    for path in (
        "/",
        "/@ada",
        f"/t/{tweet.id}",
        "/people",
        "/tags/x",
        "/settings",
        f"/t/{tweet.id}/delete",
    ):
        page = soup(client.get(path))
        assert all(script.get("src") for script in page.find_all("script")), path
        assert page.find("style") is None and page.find(attrs={"style": True}) is None, path
        assert not [
            tag for tag in page.find_all(True) if any(a.startswith("on") for a in tag.attrs)
        ]
    post_form(client, "/logout")
    for path in ("/signup", "/login"):
        page = soup(client.get(path))
        assert page.find(attrs={"style": True}) is None


def test_a_crash_gets_a_friendly_500_page_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(crud, "people", crash)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/people")
    assert response.status_code == 500
    assert soup(response).find("h1").get_text() == "Something broke on our side"
    assert "boom" not in response.text


def test_mangled_addresses_get_a_404_page_not_a_crash(client: TestClient) -> None:
    for path in ("/t/99999999999999", "/t/abc", "/@bad%00handle", "/@x.y", "/tags/a%00b", "/t/0"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert soup(response).find("h1").get_text() == "Page not found"
    assert client.get("/?before=99999999999999").status_code == 422


def test_error_headers_survive_on_pages_and_api(client: TestClient, session: Session) -> None:
    user = make_user(session)
    unauthorized = client.post(f"/users/{user.id}/tweets/", json={"text": "x"})
    assert unauthorized.status_code == 401
    assert unauthorized.headers["www-authenticate"] == "Bearer"
    assert unauthorized.json() == {"detail": "Not authenticated"}
    wrong_method = client.put("/people")
    assert wrong_method.status_code == 405 and wrong_method.headers["allow"] == "GET"
    assert "text/html" in wrong_method.headers["content-type"]


def test_relative_time_reads_like_twitter() -> None:
    now = datetime(2026, 5, 10, 12, 0, tzinfo=UTC)
    ago = {timedelta(seconds=30): "now", timedelta(minutes=5): "5m", timedelta(hours=3): "3h"}
    ago |= {timedelta(days=2): "2d", timedelta(days=40): "31 Mar 2026"}
    for delta, text in ago.items():
        assert relative(now - delta, now) == text
    naive = datetime(2026, 5, 10, 11, 0)  # SQLite hands back naive UTC
    assert relative(naive, now) == "1h"
