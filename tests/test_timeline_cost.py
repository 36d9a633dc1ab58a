"""A timeline costs one SQL statement, whatever the page size (no per-row query): the tweets,
their owners and which of them the viewer liked come back together."""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from webapp import crud, sqlcount
from webapp.config import settings
from webapp.crud import feeds, timelines
from webapp.models import User


def render_cost(page: timelines.Page) -> int:
    """What a timeline template reads beyond the page itself (owners): no statement at all."""
    with sqlcount.counting() as counter:
        [(t.owner.username, t.owner.name, t.text, t.like_count) for t in page.tweets]
    return counter.statements


@pytest.fixture
def busy(session: Session) -> tuple[User, User]:
    """ada follows bob and cara; all three posted plenty, some of it liked by ada."""
    ada, bob, cara = make_user(session), make_user(session), make_user(session)
    for author in (ada, bob, cara):
        for i in range(45):
            tweet = make_tweet(session, author, f"{author.username} {i}")
            if i % 3 == 0:
                crud.like(session, user_id=ada.id, tweet_id=tweet.id)
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    crud.follow(session, follower_id=ada.id, followee_id=cara.id)
    if feeds.kept(session):  # PostgreSQL: ada's home feed is kept (webapp/crud/feeds.py)
        feeds.rebuild(session, ada.id)
    session.expunge_all()
    return ada, bob


@pytest.mark.parametrize("size", [20, 100])
def test_each_timeline_is_one_statement_likes_included(
    session: Session, busy: tuple[User, User], size: int
):
    ada, bob = busy
    # As in a request, the signed-in user is loaded (the home feed's floor comes with it).
    signed_in = session.get(User, ada.id)
    assert signed_in is not None
    cursor = timelines.home_timeline(session, user_id=ada.id).next_before  # 20 tweets down
    reads: dict[str, Callable[[], timelines.Page]] = {
        "home": lambda: timelines.home_timeline(session, user_id=ada.id, limit=size),
        "everyone": lambda: timelines.public_timeline(session, limit=size, viewer_id=ada.id),
        "profile": lambda: timelines.user_timeline(
            session, user_id=bob.id, limit=size, viewer_id=ada.id
        ),
        "deep": lambda: timelines.home_timeline(session, user_id=ada.id, before=cursor, limit=size),
    }
    for name, read in reads.items():
        with sqlcount.counting() as counter:
            page = read()
        assert counter.statements == 1, name
        assert len(page.tweets) == {"profile": min(size, 45), "deep": min(size, 115)}.get(
            name, size
        )
        assert render_cost(page) == 0, name
        ids = [tweet.id for tweet in page.tweets]
        assert page.liked == timelines.liked_ids(session, user_id=ada.id, tweet_ids=ids), name
        assert page.liked, name  # ada liked every third tweet: some are on every page


def test_a_page_without_a_viewer_has_no_likes(session: Session, busy: tuple[User, User]):
    assert timelines.public_timeline(session).liked == frozenset()


def test_home_timeline_with_only_silent_followees_still_pages(session: Session):
    quiet, silent = make_user(session), make_user(session)
    crud.follow(session, follower_id=quiet.id, followee_id=silent.id)
    noise = make_user(session)
    for _ in range(30):
        make_tweet(session, noise)
    mine = [make_tweet(session, quiet).id for _ in range(3)]
    page = timelines.home_timeline(session, user_id=quiet.id, limit=2)
    assert [t.id for t in page.tweets] == mine[:0:-1] and page.next_before == mine[1]
    rest = timelines.home_timeline(session, user_id=quiet.id, before=page.next_before, limit=2)
    assert [t.id for t in rest.tweets] == [mine[0]] and rest.next_before is None


def test_sql_count_header_when_enabled(
    session: Session, client: TestClient, monkeypatch: pytest.MonkeyPatch
):
    ada = make_user(session)
    make_tweet(session, ada)
    assert sqlcount.HEADER not in client.get("/tweets/").headers
    monkeypatch.setattr(settings, "sql_count_header", True)
    assert client.get("/tweets/").headers[sqlcount.HEADER] == "1"
    assert client.get(f"/users/{ada.id}/tweets/").headers[sqlcount.HEADER] == "2"
