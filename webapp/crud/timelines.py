"""Timelines, newest first, paged by keyset cursor (`before` = the last id seen), never OFFSET.

Each returns a Page of tweets with `owner` loaded in the same statement, so a template can
show names without a query per row (relationships raise on lazy load). Given a `viewer_id`,
the same statement also says which of the tweets that person liked (Page.liked).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    bindparam,
    exists,
    false,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session, contains_eager

from webapp.models import Follow, Like, Tweet, User

PAGE_SIZE = 20


@dataclass(frozen=True)
class Page:
    tweets: list[Tweet]
    # Pass as `before` to get the next page; None when this page is the last.
    next_before: int | None
    # Ids of the tweets on this page the viewer liked (empty without a viewer).
    liked: frozenset[int] = frozenset()


def liked_by(viewer_id: int | ColumnElement[int] | None) -> ColumnElement[bool]:
    """A `liked` column: whether the viewer liked the row's tweet (an index probe per row).
    `viewer_id` may be a bound parameter, for a statement built once."""
    if viewer_id is None:
        return false().label("liked")
    mine = exists().where(Like.owner_id == viewer_id, Like.tweet_id == Tweet.id)
    return mine.label("liked")


def _paged(rows: Iterable[tuple[Tweet, bool]], limit: int) -> Page:
    """A Page from up to limit + 1 (tweet, liked) rows: the extra row says a next page exists."""
    fetched = list(rows)
    tweets = [tweet for tweet, _ in fetched[:limit]]
    liked = frozenset(tweet.id for tweet, is_liked in fetched[:limit] if is_liked)
    return Page(tweets, tweets[-1].id if len(fetched) > limit and tweets else None, liked)


def _page(session: Session, query: Select[Tweet, bool], before: int | None, limit: int) -> Page:
    if before is not None:
        query = query.where(Tweet.id < before)
    query = (
        query.join(User, User.id == Tweet.owner_id)
        .options(contains_eager(Tweet.owner))
        .order_by(Tweet.id.desc())
        .limit(limit + 1)
    )
    return _paged(session.execute(query), limit)


def public_timeline(
    session: Session,
    *,
    before: int | None = None,
    limit: int = PAGE_SIZE,
    viewer_id: int | None = None,
) -> Page:
    return _page(session, select(Tweet, liked_by(viewer_id)), before, limit)


def user_timeline(
    session: Session,
    *,
    user_id: int,
    before: int | None = None,
    limit: int = PAGE_SIZE,
    viewer_id: int | None = None,
) -> Page:
    query = select(Tweet, liked_by(viewer_id)).where(Tweet.owner_id == user_id)
    return _page(session, query, before, limit)


def home_timeline(
    session: Session, *, user_id: int, before: int | None = None, limit: int = PAGE_SIZE
) -> Page:
    """Your own tweets and those of the people you follow, with which of them you liked."""
    if session.get_bind().dialect.name == "postgresql":
        params = {"user_id": user_id, "before": before or NO_CURSOR, "n": limit + 1}
        return _paged(session.execute(_HOME_LATERAL, params), limit)
    followees = select(Follow.followee_id).where(Follow.follower_id == user_id)
    mine = or_(Tweet.owner_id == user_id, Tweet.owner_id.in_(followees))
    return _page(session, select(Tweet, liked_by(user_id)).where(mine), before, limit)


# Above every id (ids are 32-bit, the bound parameter is 64-bit): "before" this means the
# newest page.
NO_CURSOR = 2**31


def _home_lateral() -> Select[Tweet, bool]:
    """PostgreSQL: the newest n ids of each followee (and yourself), merged, newest n kept.

    Each LATERAL branch is an index range scan on tweets(owner_id, id), so the cost follows
    how many people you follow, never how many tweets exist: following only silent accounts
    is as fast as following busy ones. An `id IN (followees)` plan walks the whole id index
    instead when few rows match. Built once at import; bound by user_id, before, n.
    """
    me = bindparam("user_id", type_=Tweet.owner_id.type)
    n = bindparam("n", type_=Tweet.id.type)
    authors = (
        select(Follow.followee_id.label("uid"))
        .where(Follow.follower_id == me)
        .union_all(select(me.label("uid")))
        .subquery("authors")
    )
    newest = (
        select(Tweet.id)
        .where(Tweet.owner_id == authors.c.uid, Tweet.id < bindparam("before", type_=BigInteger))
        .order_by(Tweet.id.desc())
        .limit(n)
        .lateral("newest")
    )
    ids = (
        select(newest.c.id)
        .select_from(authors)
        .join(newest, true())
        .order_by(newest.c.id.desc())
        .limit(n)
        .subquery("page_ids")
    )
    return (
        select(Tweet, liked_by(me))
        .join(ids, ids.c.id == Tweet.id)
        .join(User, User.id == Tweet.owner_id)
        .options(contains_eager(Tweet.owner))
        .order_by(Tweet.id.desc())
    )


_HOME_LATERAL = _home_lateral()


def liked_ids(session: Session, *, user_id: int, tweet_ids: Iterable[int]) -> set[int]:
    """Which of these tweets the user has liked: one query for a whole page."""
    ids = list(tweet_ids)
    if not ids:
        return set()
    query = select(Like.tweet_id).where(Like.owner_id == user_id, Like.tweet_id.in_(ids))
    return set(session.scalars(query))
