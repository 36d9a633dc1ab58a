"""Conversations cost a fixed number of SQL statements, whatever their size (no N+1).

A post's page: the session, the post, its ancestors (one recursive CTE), a page of replies.
Timelines full of replies, reposts and quotes stay at their counts (tests/test_page_cost.py).
"""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.test_page_cost import statements
from tests.web import log_in, soup
from webapp import crud
from webapp.config import settings
from webapp.crud import conversations


@pytest.fixture(autouse=True)
def _count_header(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "sql_count_header", True)


@pytest.mark.parametrize("replies", [2, 200])
def test_a_thread_page_costs_the_same_for_2_or_200_replies(
    session: Session, client: TestClient, replies: int
):
    ada, bob = make_user(session), make_user(session)
    root = make_tweet(session, ada, "root")
    middle = crud.create_tweet(session, owner_id=bob.id, text="mid", in_reply_to_id=root.id)
    for i in range(replies):
        author = ada if i % 3 else bob
        crud.create_tweet(
            session, owner_id=author.id, text=f"@x reply {i} #t", in_reply_to_id=middle.id
        )
    log_in(client, ada)
    # session, post, ancestors, replies
    assert statements(client, f"/t/{middle.id}") == 4
    assert statements(client, f"/t/{root.id}") == 3  # no ancestors to look up


@pytest.mark.parametrize("depth", [2, 60])
def test_a_deep_reply_chain_costs_the_same_as_a_short_one(
    session: Session, client: TestClient, depth: int
):
    ada, bob = make_user(session), make_user(session)
    parent = make_tweet(session, ada, "level 0")
    for level in range(1, depth + 1):
        author = bob if level % 2 else ada
        parent = crud.create_tweet(
            session, owner_id=author.id, text=f"level {level}", in_reply_to_id=parent.id
        )
    assert statements(client, f"/t/{parent.id}") == 3  # a visitor: post, ancestors, replies
    shown = soup(client.get(f"/t/{parent.id}")).select("section.ancestors .tweet-text")
    assert [p.get_text() for p in shown] == [f"level {i}" for i in range(depth)]


@pytest.mark.parametrize("tweets", [2, 30])
def test_home_with_replies_reposts_and_quotes_stays_at_two_statements(
    session: Session, client: TestClient, tweets: int
):
    ada, bob, cara = make_user(session), make_user(session), make_user(session)
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    for i in range(tweets):
        post = make_tweet(session, cara, f"cara {i} @{bob.username}")
        conversations.repost(session, user_id=bob.id, tweet_id=post.id)
        crud.create_tweet(session, owner_id=bob.id, text=f"quote {i}", quote_of_id=post.id)
        crud.create_tweet(session, owner_id=bob.id, text=f"re {i}", in_reply_to_id=post.id)
    log_in(client, ada)
    assert statements(client, "/") == 2
    # 8: the profile header's statements (tests/test_page_cost.py): featured tags and pinned
    # posts among them; the Replies tab has no pinned posts
    assert statements(client, f"/@{bob.username}") == 7
    assert statements(client, f"/@{bob.username}/replies") == 6
