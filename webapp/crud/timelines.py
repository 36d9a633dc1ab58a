"""Timelines, newest first, paged by keyset cursor (`before` = the last id seen), never OFFSET.

Each returns a Page of cards (webapp/crud/hydrate.py) in one statement: the tweets with
their authors, reposted originals, quoted posts, and whether the viewer liked and reposted
each. Every timeline lists only what the viewer may see (webapp/crud/visibility.py).
"""

from collections.abc import Iterable
from functools import cache
from typing import Any

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
from sqlalchemy.orm import Session

from webapp import jobs
from webapp.crud import feeds
from webapp.crud.hydrate import Page, cards, paged, viewer_param, with_viewer
from webapp.crud.visibility import not_muted, publicly_listed, visible_to
from webapp.models import Follow, HomeFeed, Like, Tweet, User

PAGE_SIZE = 20

__all__ = [
    "NO_CURSOR",
    "PAGE_SIZE",
    "Page",
    "conversation_for",
    "home_timeline",
    "liked_by",
    "liked_ids",
    "public_timeline",
    "user_timeline",
]


def liked_by(viewer_id: int | ColumnElement[int] | None) -> ColumnElement[bool]:
    """A `liked` column: whether the viewer liked the row's tweet (an index probe per row).
    `viewer_id` may be a bound parameter, for a statement built once."""
    if viewer_id is None:
        return false().label("liked")
    mine = exists().where(Like.owner_id == viewer_id, Like.tweet_id == Tweet.id)
    return mine.label("liked")


def _page(
    session: Session, query: Select[Tweet], viewer_id: int | None, before: int | None, limit: int
) -> Page:
    if before is not None:
        query = query.where(Tweet.id < before)
    query = query.where(visible_to(viewer_id)).order_by(Tweet.id.desc()).limit(limit + 1)
    return paged(session.execute(cards(query, viewer_id)), limit)


def public_timeline(
    session: Session,
    *,
    before: int | None = None,
    limit: int = PAGE_SIZE,
    viewer_id: int | None = None,
) -> Page:
    """Everyone: public posts, not reposts (the original is already here)."""
    statement = _listing("everyone", signed_in=viewer_id is not None)
    return _run(session, statement, viewer_id, before, limit)


def user_timeline(
    session: Session,
    *,
    user_id: int,
    before: int | None = None,
    limit: int = PAGE_SIZE,
    viewer_id: int | None = None,
    replies: bool = False,
) -> Page:
    """A profile: posts and reposts, and with `replies` their replies to others too. The
    Posts tab leaves out pinned posts: the profile shows them above it (crud/pins.py)."""
    statement = _listing("replies" if replies else "posts", signed_in=viewer_id is not None)
    return _run(session, statement, viewer_id, before, limit, user_id=user_id)


def _run(
    session: Session,
    statement: Select[Any],
    viewer_id: int | None,
    before: int | None,
    limit: int,
    **params: int,
) -> Page:
    values = with_viewer(viewer_id, before=before or NO_CURSOR, n=limit + 1, **params)
    return paged(session.execute(statement, values), limit)


@cache
def _listing(kind: str, *, signed_in: bool) -> Select[Any]:
    """Everyone's or a profile's statement, built once per shape with bound parameters
    (viewer, user_id, before, n): building a card statement costs over a millisecond."""
    viewer = viewer_param(signed_in)
    query = select(Tweet).where(
        Tweet.id < bindparam("before", type_=BigInteger), visible_to(viewer)
    )
    if kind == "everyone":
        query = query.where(publicly_listed(), Tweet.repost_of_id.is_(None), not_muted(viewer))
    else:
        owner = bindparam("user_id", type_=Tweet.owner_id.type)
        query = query.where(Tweet.owner_id == owner)
        if kind == "posts":
            own_thread = or_(
                Tweet.in_reply_to_user_id.is_(None), Tweet.in_reply_to_user_id == owner
            )
            query = query.where(own_thread, Tweet.pinned_at.is_(None))
    # The page's ids first, then the cards' joins for those n rows only (as the home feed
    # does): the statement is prepared once and run with PostgreSQL's generic plan, which
    # for the whole card join walked far more of a 1M table than of a 10k one (5 ms a page
    # against 1.8); the ids alone are one backward walk of the primary key either way.
    ids = (
        query.with_only_columns(Tweet.id)
        .order_by(Tweet.id.desc())
        .limit(bindparam("n", type_=Tweet.id.type))
        .subquery("page_ids")
    )
    return cards(select(Tweet).join(ids, ids.c.id == Tweet.id), viewer).order_by(Tweet.id.desc())


def conversation_for(me: int | ColumnElement[int]) -> ColumnElement[bool]:
    """A reply reaches your home timeline when you wrote it, or it answers you or someone
    you follow, as on Twitter: a conversation with strangers is not for you."""
    followed = exists().where(
        Follow.follower_id == me, Follow.followee_id == Tweet.in_reply_to_user_id
    )
    return or_(
        Tweet.in_reply_to_user_id.is_(None),
        Tweet.in_reply_to_user_id == me,
        Tweet.owner_id == me,
        followed,
    )


def home_timeline(
    session: Session, *, user_id: int, before: int | None = None, limit: int = PAGE_SIZE
) -> Page:
    """Your own posts and those of the people you follow (and what they reposted).

    On PostgreSQL, from your home feed (webapp/crud/feeds.py): one index range, and below the
    feed's floor (a deep page, or a feed not kept yet) the LATERAL merge, so a page costs at
    most two statements and is the same either way."""
    if feeds.kept(session):
        return _home_from_feed(session, user_id, before or NO_CURSOR, limit)
    followees = select(Follow.followee_id).where(Follow.follower_id == user_id)
    mine = or_(Tweet.owner_id == user_id, Tweet.owner_id.in_(followees))
    query = select(Tweet).where(mine, conversation_for(user_id), not_muted(user_id))
    return _page(session, query, user_id, before, limit)


# Above every id (ids are 32-bit, the bound parameter is 64-bit): "before" this means the
# newest page.
NO_CURSOR = 2**31


def _home_lateral() -> Select[Tweet]:
    """PostgreSQL: the newest n ids of each followee (and yourself), merged, newest n kept.

    Each LATERAL branch is an index range scan on tweets(owner_id, id), so the cost follows
    how many people you follow, never how many tweets exist: following only silent accounts
    is as fast as following busy ones. An `id IN (followees)` plan walks the whole id index
    instead when few rows match. Who may see what is filtered inside each branch, so each
    still stops after n rows. Built once at import; bound by user_id, before, n.
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
        .where(visible_to(me), conversation_for(me), not_muted(me))
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
    return cards(select(Tweet).join(ids, ids.c.id == Tweet.id), me).order_by(Tweet.id.desc())


_HOME_LATERAL = _home_lateral()


def _home_from_feed(session: Session, user_id: int, before: int, limit: int) -> Page:
    # The signed-in User is in the identity map already (the session lookup loaded it).
    user = session.get(User, user_id)
    floor = user.feed_floor if user is not None else None
    rows: list[Any] = []
    if floor is None:  # nobody keeps this feed yet: ask for it, read the merge meanwhile
        jobs.defer_keep_feed(session, user_id)
    else:
        params = {"user_id": user_id, "before": before, "n": limit + 1}
        rows = list(session.execute(_HOME_FEED, params))
        before = min(before, floor + 1)
    if len(rows) <= limit and before > 1:  # the feed ran out above its floor: the rest
        params = {"user_id": user_id, "before": before, "n": limit + 1 - len(rows)}
        rows += session.execute(_HOME_LATERAL, params)
    return paged(rows, limit)


def _home_feed() -> Select[Tweet]:
    """The feed's rows for a page: an index range on home_feed, newest first, filtered by
    who may see what as it is read. Built once at import; bound by user_id, before, n."""
    me = bindparam("user_id", type_=Tweet.owner_id.type)
    # The page's ids first, then the cards' joins for those n rows only: however the planner
    # guesses the feed's size, the per-row work it may repeat is the filter, not the card.
    ids = (
        select(HomeFeed.tweet_id.label("id"))
        .join(Tweet, Tweet.id == HomeFeed.tweet_id)
        .where(HomeFeed.user_id == me, HomeFeed.tweet_id < bindparam("before", type_=BigInteger))
        .where(visible_to(me), conversation_for(me), not_muted(me))
        .order_by(HomeFeed.tweet_id.desc())
        .limit(bindparam("n", type_=Tweet.id.type))
        .subquery("page_ids")
    )
    return cards(select(Tweet).join(ids, ids.c.id == Tweet.id), me).order_by(Tweet.id.desc())


_HOME_FEED = _home_feed()


def liked_ids(session: Session, *, user_id: int, tweet_ids: Iterable[int]) -> set[int]:
    """Which of these tweets the user has liked: one query for a whole page."""
    ids = list(tweet_ids)
    if not ids:
        return set()
    query = select(Like.tweet_id).where(Like.owner_id == user_id, Like.tweet_id.in_(ids))
    return set(session.scalars(query))
