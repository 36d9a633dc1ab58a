"""Reads for the Mastodon client API: id-window pages, account counts, idempotent favourites.

Mastodon pages by id: `max_id` (older than), `since_id` (newer than, newest first) and
`min_id` (the page just newer than, for paging back). Keyset, never OFFSET.
"""

from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from webapp.crud.errors import AlreadyLiked
from webapp.crud.hydrate import Page
from webapp.crud.social import like, unlike
from webapp.crud.timelines import conversation_for, home_timeline
from webapp.crud.tweets import get_tweet
from webapp.crud.users import get_user
from webapp.crud.visibility import not_muted, publicly_listed, visible_to
from webapp.models import Follow, Tweet, User


@dataclass(frozen=True)
class Window:
    max_id: int | None = None
    since_id: int | None = None
    min_id: int | None = None
    limit: int = 20


@dataclass(frozen=True)
class AccountStats:
    statuses: int = 0
    followers: int = 0
    following: int = 0
    last_status_at: datetime | None = None


def _window(session: Session, query: Select[Tweet], window: Window) -> list[Tweet]:
    if window.max_id is not None:
        query = query.where(Tweet.id < window.max_id)
    if window.since_id is not None:
        query = query.where(Tweet.id > window.since_id)
    if window.min_id is not None:  # the oldest `limit` newer than min_id, shown newest first
        query = query.where(Tweet.id > window.min_id).order_by(Tweet.id.asc())
        return list(reversed(session.scalars(query.limit(window.limit)).all()))
    return list(session.scalars(query.order_by(Tweet.id.desc()).limit(window.limit)))


def public_statuses(
    session: Session, *, window: Window, viewer_id: int | None = None, only_media: bool = False
) -> list[Tweet]:
    """Public posts; as on Mastodon, no reblogs (the originals are already here)."""
    query = select(Tweet).where(
        publicly_listed(),
        visible_to(viewer_id),
        not_muted(viewer_id),
        Tweet.repost_of_id.is_(None),
    )
    return _window(session, with_media_only(query, only_media), window)


def with_media_only(query: Select[Tweet], only_media: bool) -> Select[Tweet]:
    """Mastodon's `only_media`: the posts with images (issue 16), for an app's media tab."""
    return query.where(Tweet.media.is_not(None)) if only_media else query


def account_statuses(
    session: Session,
    *,
    user_id: int,
    window: Window,
    viewer_id: int | None = None,
    exclude_replies: bool = False,
    exclude_reblogs: bool = False,
    only_media: bool = False,
) -> list[Tweet]:
    """An account's statuses the viewer may see. exclude_replies keeps replies to oneself
    (a thread), as Mastodon does."""
    get_user(session, user_id)
    query = select(Tweet).where(Tweet.owner_id == user_id, visible_to(viewer_id))
    if exclude_replies:
        query = query.where(
            or_(Tweet.in_reply_to_user_id.is_(None), Tweet.in_reply_to_user_id == user_id)
        )
    if exclude_reblogs:
        query = query.where(Tweet.repost_of_id.is_(None))
    return _window(session, with_media_only(query, only_media), window)


def home_statuses(session: Session, *, user_id: int, window: Window) -> Page | list[Tweet]:
    """Newest first and older by max_id: the web home timeline's read, a Page of cards (its
    authors, reposted originals and the viewer's likes, reposts and bookmarks loaded with
    it, so the serializer need not ask again); other windows, the posts alone."""
    if window.since_id is None and window.min_id is None:
        return home_timeline(session, user_id=user_id, before=window.max_id, limit=window.limit)
    followees = select(Follow.followee_id).where(Follow.follower_id == user_id)
    query = select(Tweet).where(
        or_(Tweet.owner_id == user_id, Tweet.owner_id.in_(followees)),
        visible_to(user_id),
        conversation_for(user_id),
        not_muted(user_id),
    )
    return _window(session, query, window)


def users_by_id(session: Session, user_ids: Iterable[int]) -> dict[int, User]:
    ids = set(user_ids)
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}


def account_stats(session: Session, user_ids: Iterable[int]) -> dict[int, AccountStats]:
    """Counts for a whole page of accounts in one statement, not one per account. The post
    counts are kept on users (webapp/crud/post_counts.py): their cost never grows with the
    posts written; the follow counts are index ranges per account."""
    ids = set(user_ids)
    if not ids:
        return {}
    query = select(User.id, User.statuses_count, User.last_status_at, _FOLLOWERS, _FOLLOWING)
    found = {
        row.id: AccountStats(row.statuses_count, row.followers, row.following, row.last_status_at)
        for row in session.execute(query.where(User.id.in_(ids)))
    }
    return {i: found.get(i, AccountStats()) for i in ids}


_FOLLOWERS = (
    select(func.count()).where(Follow.followee_id == User.id).scalar_subquery().label("followers")
)
_FOLLOWING = (
    select(func.count()).where(Follow.follower_id == User.id).scalar_subquery().label("following")
)


def favourite(session: Session, *, user_id: int, tweet_id: int) -> Tweet:
    """Like, as Mastodon does: a second favourite is not an error. Returns the fresh tweet."""
    with suppress(AlreadyLiked):
        like(session, user_id=user_id, tweet_id=tweet_id)
    return _fresh(session, tweet_id, user_id)


def unfavourite(session: Session, *, user_id: int, tweet_id: int) -> Tweet:
    unlike(session, user_id=user_id, tweet_id=tweet_id)
    return _fresh(session, tweet_id, user_id)


def _fresh(session: Session, tweet_id: int, user_id: int) -> Tweet:
    tweet = get_tweet(session, tweet_id, user_id)
    session.refresh(tweet)  # like_count changed in SQL, behind the identity map
    return tweet


def instance_stats(session: Session) -> dict[str, int]:
    """The server's numbers, from the accounts' kept post counts: a scan of users, not of
    every post ever written."""
    users, posts = session.execute(
        select(func.count(), func.coalesce(func.sum(User.statuses_count), 0))
    ).one()
    return {"user_count": int(users), "status_count": int(posts), "domain_count": 0}
