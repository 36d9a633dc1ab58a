"""Threads: a post with its ancestors and its replies, only what the viewer may see.

The page of a post costs three statements however long the thread is: the post, its
ancestors (one recursive CTE up the reply chain), a page of its replies. Replies are
keyset-paged with the author's own follow-ups first, as Twitter shows them.
"""

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, Select, and_, bindparam, case, literal, or_, select
from sqlalchemy.orm import Session

from webapp.crud.errors import NotFound
from webapp.crud.hydrate import Page, cards, paged, viewer_param, with_viewer
from webapp.crud.visibility import not_muted, visible_to
from webapp.models import Tweet

PAGE_SIZE = 20
# How far up a reply chain the page looks, and how many descendants the Mastodon context
# lists: bounds on a hostile thread, far beyond a real conversation.
MAX_DEPTH = 200
MAX_DESCENDANTS = 400


@dataclass(frozen=True)
class Cursor:
    """Where a page of replies ends: the last id, and whether it was one of the author's."""

    after: int
    others: bool


@dataclass(frozen=True)
class Thread:
    post: Page  # one card: the post itself
    ancestors: Page  # oldest first
    # The post above the oldest ancestor (or the post itself) was deleted.
    parent_deleted: bool
    replies: Page
    next_replies: Cursor | None


def one_card(session: Session, tweet_id: int, viewer_id: int | None) -> Page:
    """One post as a card (a Page of one), if the viewer may see it; else NotFound."""
    values = with_viewer(viewer_id, tweet_id=tweet_id)
    page = paged(session.execute(_one_card(viewer_id is not None), values), 1)
    if not page.tweets:
        raise NotFound("Tweet not found")
    return page


# The page of a post runs three card statements. Each is built once per shape, with bound
# parameters (viewer, tweet_id, ...), as the timelines' are: building one costs more than a
# millisecond of Python (visibility's probes, the cards' joins, the cache key), and a thread
# page built its three afresh on every request (15 ms of CPU against the home page's 3).


@cache
def _one_card(signed_in: bool) -> Select[Any]:
    viewer = viewer_param(signed_in)
    query = select(Tweet).where(
        Tweet.id == bindparam("tweet_id", type_=Tweet.id.type),
        Tweet.repost_of_id.is_(None),
        visible_to(viewer),
    )
    return cards(query, viewer)


def _chain_up(parent_id: int | BindParameter[int]) -> Select[tuple[int]]:
    """The ids of a post's ancestors, by a recursive CTE (bounded by MAX_DEPTH). Callers
    join it (an IN over a CTE has PostgreSQL walk the whole table for a semi-join)."""
    up = (
        select(Tweet.id, Tweet.in_reply_to_id, literal(1).label("depth"))
        .where(Tweet.id == parent_id)
        .cte("up", recursive=True)
    )
    step = select(Tweet.id, Tweet.in_reply_to_id, up.c.depth + 1).join(
        up, Tweet.id == up.c.in_reply_to_id
    )
    up = up.union_all(step.where(up.c.depth < MAX_DEPTH))
    return select(up.c.id)


def ancestors(session: Session, post: Tweet, viewer_id: int | None) -> Page:
    if post.in_reply_to_id is None:
        return Page([], None)
    values = with_viewer(viewer_id, parent_id=post.in_reply_to_id)
    return paged(session.execute(_ancestors(viewer_id is not None), values), MAX_DEPTH)


@cache
def _ancestors(signed_in: bool) -> Select[Any]:
    viewer = viewer_param(signed_in)
    chain = _chain_up(bindparam("parent_id", type_=Tweet.id.type)).subquery("chain")
    query = select(Tweet).join(chain, chain.c.id == Tweet.id)
    query = query.where(visible_to(viewer), not_muted(viewer))
    return cards(query.order_by(Tweet.id.asc()).limit(MAX_DEPTH), viewer)


def replies(
    session: Session,
    post: Tweet,
    viewer_id: int | None,
    cursor: Cursor | None = None,
    limit: int = PAGE_SIZE,
    *,
    order_by_author: bool = True,
) -> tuple[Page, Cursor | None]:
    """Direct replies, the author's own first, then everyone's, each oldest first (or all
    oldest first without `order_by_author`; a cursor then has others=True)."""
    # Where the page starts: nowhere (the first page), after an id among the author's own
    # replies, or after one among everyone else's.
    start = None if cursor is None else "others" if cursor.others else "author's"
    statement = _replies(viewer_id is not None, order_by_author, start)
    values = with_viewer(
        viewer_id,
        post_id=post.id,
        author_id=post.owner_id,
        after=cursor.after if cursor else 0,
        n=limit + 1,
    )
    rows = list(session.execute(statement, values))
    page = paged(rows, limit)
    if len(rows) <= limit or not page.tweets:
        return page, None
    last = page.tweets[-1]
    return page, Cursor(last.id, last.owner_id != post.owner_id)


@cache
def _replies(signed_in: bool, order_by_author: bool, start: str | None) -> Select[Any]:
    viewer = viewer_param(signed_in)
    author = bindparam("author_id", type_=Tweet.owner_id.type)
    after = bindparam("after", type_=Tweet.id.type)
    query = select(Tweet).where(
        Tweet.in_reply_to_id == bindparam("post_id", type_=Tweet.id.type),
        visible_to(viewer),
        not_muted(viewer),
    )
    if not order_by_author:
        query = query.where(Tweet.id > after) if start else query
        query = query.order_by(Tweet.id.asc())
    else:
        if start == "others":
            query = query.where(Tweet.owner_id != author, Tweet.id > after)
        elif start:
            query = query.where(or_(Tweet.owner_id != author, Tweet.id > after))
        others = case((Tweet.owner_id == author, 0), else_=1)
        query = query.order_by(others, Tweet.id.asc())
    return cards(query.limit(bindparam("n", type_=Tweet.id.type)), viewer)


def thread(
    session: Session, tweet_id: int, viewer_id: int | None, cursor: Cursor | None = None
) -> Thread:
    post = one_card(session, tweet_id, viewer_id)
    tweet = post.tweets[0]
    above = ancestors(session, tweet, viewer_id)
    top = above.tweets[0] if above.tweets else tweet
    deleted = top.in_reply_to_id is None and top.in_reply_to_user_id is not None
    page, more = replies(session, tweet, viewer_id, cursor)
    return Thread(post, above, deleted, page, more)


def descendants(session: Session, tweet: Tweet, viewer_id: int | None) -> list[Tweet]:
    """Every reply below a post the viewer may see, oldest first (Mastodon's context).
    A hidden reply hides its own replies too: the walk goes through visible posts only."""
    down = (
        select(Tweet.id, literal(1).label("depth"))
        .where(Tweet.in_reply_to_id == tweet.id, visible_to(viewer_id), not_muted(viewer_id))
        .cte("down", recursive=True)
    )
    step = select(Tweet.id, down.c.depth + 1).join(down, Tweet.in_reply_to_id == down.c.id)
    shown = and_(visible_to(viewer_id), not_muted(viewer_id))
    down = down.union_all(step.where(shown, down.c.depth < MAX_DEPTH))
    query = select(Tweet).join(down, down.c.id == Tweet.id).order_by(Tweet.id.asc())
    return list(session.scalars(query.limit(MAX_DESCENDANTS)))


def ancestor_tweets(session: Session, tweet: Tweet, viewer_id: int | None) -> list[Tweet]:
    if tweet.in_reply_to_id is None:
        return []
    query = select(Tweet).where(
        Tweet.id.in_(_chain_up(tweet.in_reply_to_id)), visible_to(viewer_id), not_muted(viewer_id)
    )
    return list(session.scalars(query.order_by(Tweet.id.asc()).limit(MAX_DEPTH)))
