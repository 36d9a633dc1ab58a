"""SQL statements per page: fixed, whatever the number of tweets on it (no per-row query).

Counted with the X-SQL-Statements header (SQL_COUNT_HEADER), as bench/run reads it. A
signed-in page spends one statement on the session lookup and one on the timeline (the page
of tweets with their owners and which of them the viewer liked). A profile page adds five:
the owner by handle, follower count, whether you follow them, following count, featured tags
with their counts (issue 19; a locked account adds whether you asked to follow); its scroll
fragment needs only the owner.
"""

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.web import HTMX, log_in
from webapp import crud, sqlcount
from webapp.config import settings
from webapp.models import User


@pytest.fixture(autouse=True)
def _count_header(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "sql_count_header", True)


def statements(client: TestClient, path: str, **kwargs: object) -> int:
    response = client.get(path, **kwargs)
    assert response.status_code == 200, response.text
    return int(response.headers[sqlcount.HEADER])


def signed_in(session: Session, client: TestClient, tweets: int) -> tuple[User, User]:
    """ada follows bob, who posted `tweets` tweets (ada liked every other one)."""
    ada, bob = make_user(session), make_user(session)
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    for i in range(tweets):
        tweet = make_tweet(session, bob, f"tweet {i}")
        if i % 2:
            crud.like(session, user_id=ada.id, tweet_id=tweet.id)
    log_in(client, ada)
    return ada, bob


@pytest.mark.parametrize("tweets", [2, 45])
def test_home_page_and_fragment_cost_two_statements(
    session: Session, client: TestClient, tweets: int
):
    signed_in(session, client, tweets)
    assert statements(client, "/") == 2  # session, timeline (with the viewer's likes)
    assert statements(client, "/?feed=everyone") == 2
    assert statements(client, "/?before=2147483647", headers=HTMX) == 2


@pytest.mark.parametrize("path", ["/", "/?feed=everyone"])
def test_the_one_timeline_statement_still_shows_which_tweets_you_liked(
    session: Session, client: TestClient, path: str
):
    signed_in(session, client, 6)  # ada liked tweets 1, 3 and 5 of bob's 0..5
    page = BeautifulSoup(client.get(path).text, "html.parser")
    texts = [p.get_text() for p in page.select("article.tweet .tweet-text")]
    pressed = [b["aria-pressed"] for b in page.select("article.tweet form.like button")]
    shown = dict(zip(texts, pressed, strict=True))
    assert shown == {f"tweet {i}": "true" if i % 2 else "false" for i in range(6)}


@pytest.mark.parametrize("tweets", [2, 45])
def test_profile_costs_the_same_for_few_or_many_tweets(
    session: Session, client: TestClient, tweets: int
):
    _, bob = signed_in(session, client, tweets)
    assert statements(client, f"/@{bob.username}") == 7  # 5, featured tags, pinned posts
    assert statements(client, f"/@{bob.username}?before=2147483647", headers=HTMX) == 3
