"""Bookmarks (private to their owner) and the lists of what someone saved or liked.

A bookmark stands for the original post (bookmarking a repost saves what it reposts). Every
listing filters by visible_to at read time, so a bookmark or like of a post that later
became hidden (its author went followers-only, was suspended, you unfollowed) is not shown.
Pages are keyed by the bookmark's or like's own id: newest saved first, whenever posted.
"""

from typing import Any

from sqlalchemy import BigInteger, Select, bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.crud.conversations import visible_tweet
from webapp.crud.hydrate import Page, cards, paged
from webapp.crud.statuses import Window
from webapp.crud.timelines import NO_CURSOR, PAGE_SIZE
from webapp.crud.visibility import visible_to
from webapp.models import Bookmark, Like, Tweet


def _original(session: Session, tweet_id: int, user_id: int) -> Tweet:
    tweet = visible_tweet(session, tweet_id, user_id)  # NotFound for a post you may not see
    if tweet.repost_of_id is not None:
        return visible_tweet(session, tweet.repost_of_id, user_id)
    return tweet


def bookmark(session: Session, *, user_id: int, tweet_id: int) -> Tweet:
    """Save a post you may see; saving it twice changes nothing. Returns the original."""
    tweet = _original(session, tweet_id, user_id)
    session.add(Bookmark(user_id=user_id, tweet_id=tweet.id))
    try:
        session.commit()  # the unique key, not a prior read, settles a double click
    except IntegrityError:
        session.rollback()
    return tweet


def unbookmark(session: Session, *, user_id: int, tweet_id: int) -> Tweet:
    """Forget a saved post; forgetting one never saved is harmless."""
    tweet = _original(session, tweet_id, user_id)
    session.execute(
        delete(Bookmark).where(Bookmark.user_id == user_id, Bookmark.tweet_id == tweet.id)
    )
    session.commit()
    return tweet


def bookmarked_ids(session: Session, *, user_id: int, tweet_ids: list[int]) -> set[int]:
    """Which of these posts the user saved: one query for a page of statuses."""
    if not tweet_ids:
        return set()
    query = select(Bookmark.tweet_id).where(
        Bookmark.user_id == user_id, Bookmark.tweet_id.in_(tweet_ids)
    )
    return set(session.scalars(query))


def _bookmarks_statement() -> Select[Any]:
    """The /bookmarks page: one card statement, built once, keyed by bookmark id."""
    me = bindparam("user_id", type_=Tweet.owner_id.type)
    query = (
        select(Tweet)
        .join(Bookmark, Bookmark.tweet_id == Tweet.id)
        .where(Bookmark.user_id == me, Bookmark.id < bindparam("before", type_=BigInteger))
        .where(visible_to(me))
        .order_by(Bookmark.id.desc())
        .limit(bindparam("n", type_=Tweet.id.type))
    )
    return cards(query, me).add_columns(Bookmark.id)


_BOOKMARKS = _bookmarks_statement()


def bookmarks_page(
    session: Session, *, user_id: int, before: int | None = None, limit: int = PAGE_SIZE
) -> Page:
    """Your saved posts, newest bookmark first; `before` is a bookmark id (Page.next_before)."""
    values = {"user_id": user_id, "before": before or NO_CURSOR, "n": limit + 1}
    rows = session.execute(_BOOKMARKS, values)
    return paged(rows, limit, cursor=lambda row: int(row[-1]))


def _likes_statement() -> Select[Any]:
    """Your Likes tab: the posts you liked, newest like first, keyed by like id. The likes
    come in as a subquery: the card's own "liked" probe of likes must not correlate to it."""
    me = bindparam("user_id", type_=Tweet.owner_id.type)
    mine = (
        select(Like.id.label("like_id"), Like.tweet_id)
        .where(Like.owner_id == me, Like.id < bindparam("before", type_=BigInteger))
        .subquery("my_likes")
    )
    query = (
        select(Tweet)
        .join(mine, mine.c.tweet_id == Tweet.id)
        .where(visible_to(me))
        .order_by(mine.c.like_id.desc())
        .limit(bindparam("n", type_=Tweet.id.type))
    )
    return cards(query, me).add_columns(mine.c.like_id)


_LIKES = _likes_statement()


def likes_page(
    session: Session, *, user_id: int, before: int | None = None, limit: int = PAGE_SIZE
) -> Page:
    """What you liked, newest like first; `before` is a like id (Page.next_before)."""
    values = {"user_id": user_id, "before": before or NO_CURSOR, "n": limit + 1}
    return paged(session.execute(_LIKES, values), limit, cursor=lambda row: int(row[-1]))


def bookmarked_statuses(
    session: Session, *, user_id: int, window: Window
) -> list[tuple[Tweet, int]]:
    """Mastodon's GET /api/v1/bookmarks: (post, bookmark id) pairs, the ids for the Link."""
    return _marked(session, Bookmark, Bookmark.user_id, user_id, window)


def favourited_statuses(
    session: Session, *, user_id: int, window: Window
) -> list[tuple[Tweet, int]]:
    """Mastodon's GET /api/v1/favourites: what you liked, newest like first."""
    return _marked(session, Like, Like.owner_id, user_id, window)


def _marked(
    session: Session, model: type[Bookmark] | type[Like], owner: Any, user_id: int, window: Window
) -> list[tuple[Tweet, int]]:
    key = model.id
    query = (
        select(Tweet, key)
        .join(model, model.tweet_id == Tweet.id)
        .where(owner == user_id, visible_to(user_id))
    )
    if window.max_id is not None:
        query = query.where(key < window.max_id)
    if window.since_id is not None:
        query = query.where(key > window.since_id)
    if window.min_id is not None:  # the oldest `limit` newer than min_id, shown newest first
        query = query.where(key > window.min_id).order_by(key.asc()).limit(window.limit)
        return [(t, i) for t, i in reversed(session.execute(query).all())]
    query = query.order_by(key.desc()).limit(window.limit)
    return [(t, i) for t, i in session.execute(query)]
