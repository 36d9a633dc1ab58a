"""The notifications page, the nav badge, the "N new posts" fragments and their SSE streams."""

import weakref
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import PASSWORD, make_tweet, make_user
from tests.web import HTMX, log_in, soup
from webapp import crud, sqlcount
from webapp.config import settings
from webapp.crud import notifications

WAIT = 10


def badge(client: TestClient, path: str = "/") -> str:
    return str(soup(client.get(path)).select_one("#notification-badge").get_text())


def test_likes_group_and_opening_the_page_clears_the_badge(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    tweet = make_tweet(session, ada, "a post to like")
    fans = [make_user(session, name) for name in ("bob", "cy", "dee")]
    for fan in fans:
        crud.like(session, user_id=fan.id, tweet_id=tweet.id)
    crud.follow(session, follower_id=fans[0].id, followee_id=ada.id)
    log_in(client, ada)
    assert badge(client) == "4"

    page = soup(client.get("/notifications"))
    lines = [" ".join(li.get_text().split()) for li in page.select("li.notification")]
    assert lines[0].startswith("bob followed you")
    assert lines[1].startswith("dee and 2 others liked your post")
    assert "a post to like" in lines[1]
    assert len(page.select("li.notification.unread")) == 2  # shown as new this once
    assert badge(client) == ""
    assert not soup(client.get("/notifications")).select("li.notification.unread")


def test_mentions_tab_lists_only_mentions(client: TestClient, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    reply = make_tweet(session, bob, "@ada hello")
    notifications.notify(
        session, recipient_id=ada.id, actor_id=bob.id, kind="mention", tweet_id=reply.id
    )
    session.commit()
    crud.follow(session, follower_id=bob.id, followee_id=ada.id)
    log_in(client, ada)
    items = soup(client.get("/notifications?tab=mentions")).select("li.notification")
    assert [" ".join(i.get_text().split())[:20] for i in items] == ["bob mentioned you · "]


def test_older_notifications_page_by_cursor(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    for _ in range(45):
        crud.follow(session, follower_id=make_user(session).id, followee_id=ada.id)
    log_in(client, ada)
    first = soup(client.get("/notifications"))
    assert len(first.select("li.notification")) == 1  # 40 follows grouped into one line
    more = first.select_one("a.more")["href"]
    rest = soup(client.get(more, headers=HTMX))
    line = " ".join(rest.select_one("li.notification").get_text().split())
    assert "and 4 others followed you" in line


def test_a_visitor_is_sent_to_log_in(client: TestClient):
    response = client.get("/notifications", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert client.get("/events/badge").status_code == 204


def test_the_badge_costs_no_statement(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(settings, "sql_count_header", True)
    ada, bob = make_user(session), make_user(session)
    crud.follow(session, follower_id=bob.id, followee_id=ada.id)
    log_in(client, ada)
    for path in ("/", "/people", f"/@{bob.username}"):
        without = client.get(path)
        assert str(soup(without).select_one("#notification-badge").get_text()) == "1"
    assert int(client.get("/").headers[sqlcount.HEADER]) == 2  # session (with badge), timeline


def test_new_posts_fragment_shows_newer_posts_and_restarts_the_count(
    client: TestClient, session: Session
):
    ada, bob = make_user(session), make_user(session)
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    old = make_tweet(session, bob, "seen already")
    new = make_tweet(session, bob, "brand new")
    log_in(client, ada)
    fragment = soup(client.get(f"/home/new?after={old.id}", headers=HTMX))
    assert [p.get_text() for p in fragment.select(".tweet-text")] == ["brand new"]
    listener = fragment.select_one("#new-posts")
    assert listener["hx-swap-oob"] == "true"
    assert listener["sse-connect"] == f"/events/home?after={new.id}"
    plain = client.get(f"/home/new?after={old.id}", follow_redirects=False)
    assert plain.status_code == 303 and plain.headers["location"] == "/"


def sse_events(response: httpx.Response, wanted: int) -> list[tuple[str, str]]:
    """The first `wanted` named events of a stream (comments and heartbeats skipped)."""
    found: list[tuple[str, str]] = []
    name = ""
    for line in _lines(response):
        if line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: "):
            found.append((name, line.removeprefix("data: ")))
            if len(found) == wanted:
                break
    return found


_LINES: "weakref.WeakKeyDictionary[httpx.Response, Iterator[str]]" = weakref.WeakKeyDictionary()


def _lines(response: httpx.Response) -> Iterator[str]:
    """One line iterator per stream (httpx streams a body once), kept across reads."""
    if response not in _LINES:
        _LINES[response] = response.iter_lines()
    return _LINES[response]


def wait_for(response: httpx.Response, text: str, events: int = 3) -> bool:
    """Whether one of the stream's next few events carries `text`."""
    return any(text in sse_events(response, 1)[0][1] for _ in range(events))


def browser(live_server: str, email: str) -> httpx.Client:
    client = httpx.Client(base_url=live_server, timeout=WAIT)
    page = client.get("/login")
    token = soup(page).find("meta", attrs={"name": "csrf-token"})["content"]
    data = {"email": email, "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=data).status_code in (200, 303)
    return client


def test_sse_streams_count_new_posts_and_unread_notifications(live_server: str, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    top = make_tweet(session, bob, "already on the page")
    mine = make_tweet(session, ada, "ada's")
    ada_browser = browser(live_server, ada.email)
    with ada_browser.stream("GET", f"/events/home?after={top.id}") as home:
        make_tweet(session, ada, "my own does not count")
        make_tweet(session, bob, "one")
        make_tweet(session, bob, "two")
        assert wait_for(home, ">2 new posts<")  # the count on connect may have seen "one"
        make_tweet(session, bob, "three")
        assert sse_events(home, 1)[0][1].count(">3 new posts<")  # 4 if her own had counted
    with ada_browser.stream("GET", "/events/badge") as stream:
        crud.like(session, user_id=bob.id, tweet_id=mine.id)
        assert wait_for(stream, ">1</span>")  # on connect (empty or 1), then 1 after the like
    ada_browser.close()


@pytest.mark.parametrize("fans", [2, 30])
def test_the_notifications_page_costs_the_same_for_few_or_many(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch, fans: int
):
    monkeypatch.setattr(settings, "sql_count_header", True)
    ada = make_user(session)
    tweet = make_tweet(session, ada)
    for _ in range(fans):
        fan = make_user(session)
        crud.like(session, user_id=fan.id, tweet_id=tweet.id)
        crud.follow(session, follower_id=fan.id, followee_id=ada.id)
    log_in(client, ada)
    first, again = (int(client.get("/notifications").headers[sqlcount.HEADER]) for _ in "12")
    assert (first, again) == (FIRST_VISIT, 4)  # again: session+badge, the page, people, tweets


# Unread ones add the marker read, and marking them read: the newest id, the marker, its write.
FIRST_VISIT = 4 + 1 + 4
