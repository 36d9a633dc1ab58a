"""Timelines, newest first, paged by keyset cursor (`before` = the last id seen), never OFFSET.

Each returns a Page of tweets with `owner` loaded in the same statement, so a template can
show names without a query per row (relationships raise on lazy load).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, or_, select
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
    followees = select(Follow.followee_id).where(Follow.follower_id == user_id)
    query = select(Tweet).where(or_(Tweet.owner_id == user_id, Tweet.owner_id.in_(followees)))
    return _page(session, query, before, limit)


def liked_ids(session: Session, *, user_id: int, tweet_ids: Iterable[int]) -> set[int]:
    """Which of these tweets the user has liked: one query for a whole page."""
    ids = list(tweet_ids)
    if not ids:
        return set()
    query = select(Like.tweet_id).where(Like.owner_id == user_id, Like.tweet_id.in_(ids))
    return set(session.scalars(query))
