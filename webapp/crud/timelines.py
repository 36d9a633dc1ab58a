"""Timelines, newest first, paged by keyset cursor (`before` = the last id seen), never OFFSET.

Each returns a Page of tweets with `owner` loaded in the same statement, so a template can
show names without a query per row (relationships raise on lazy load).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, bindparam, or_, select, true
from sqlalchemy.orm import Session, contains_eager

from webapp.models import Follow, Like, Tweet, User

PAGE_SIZE = 20


@dataclass(frozen=True)
class Page:
    tweets: list[Tweet]
    # Pass as `before` to get the next page; None when this page is the last.
    next_before: int | None


def _page(session: Session, query: Select[Tweet], before: int | None, limit: int) -> Page:
    if before is not None:
        query = query.where(Tweet.id < before)
    query = (
        query.join(User, User.id == Tweet.owner_id)
        .options(contains_eager(Tweet.owner))
        .order_by(Tweet.id.desc())
        .limit(limit + 1)  # one extra row says whether a next page exists
    )
    rows = list(session.scalars(query))
    more = len(rows) > limit
    tweets = rows[:limit]
    return Page(tweets, tweets[-1].id if more and tweets else None)


def public_timeline(session: Session, *, before: int | None = None, limit: int = PAGE_SIZE) -> Page:
    return _page(session, select(Tweet), before, limit)


def user_timeline(
    session: Session, *, user_id: int, before: int | None = None, limit: int = PAGE_SIZE
) -> Page:
    return _page(session, select(Tweet).where(Tweet.owner_id == user_id), before, limit)


def home_timeline(
    session: Session, *, user_id: int, before: int | None = None, limit: int = PAGE_SIZE
) -> Page:
    """Your own tweets and those of the people you follow."""
    if session.get_bind().dialect.name == "postgresql":
        params = {"user_id": user_id, "before": before or NO_CURSOR, "n": limit + 1}
        rows = list(session.scalars(_HOME_LATERAL, params))
        tweets = rows[:limit]
        return Page(tweets, tweets[-1].id if len(rows) > limit and tweets else None)
    followees = select(Follow.followee_id).where(Follow.follower_id == user_id)
    query = select(Tweet).where(or_(Tweet.owner_id == user_id, Tweet.owner_id.in_(followees)))
    return _page(session, query, before, limit)


# Above every id (ids are 32-bit): "before" this means the newest page.
NO_CURSOR = 2**31


def _home_lateral() -> Select[Tweet]:
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
        .where(Tweet.owner_id == authors.c.uid, Tweet.id < bindparam("before", type_=Tweet.id.type))
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
        select(Tweet)
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
