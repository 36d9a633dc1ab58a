"""Reads for live pages: the unread badge folded into the session lookup, and the home
timeline's posts newer than the ones a page shows."""

from sqlalchemy import ColumnElement, Label, func, or_, select
from sqlalchemy.orm import Session

from webapp.crud.auth import _USER_FOR_TOKEN
from webapp.crud.markers import last_read_id_of
from webapp.crud.timelines import Page, _page, conversation_for
from webapp.crud.visibility import not_muted, visible_to
from webapp.models import Follow, Notification, Tweet, User, utcnow
from webapp.security import token_digest

BADGE_CAP = 100  # the badge says "99+" past this: counting further is work nobody reads


def _unread_column() -> Label[int]:
    """Unread notifications of the row's user, at most BADGE_CAP: an index range, correlated."""
    unread = (
        select(Notification.id)
        .where(
            Notification.recipient_id == User.id,
            Notification.id > last_read_id_of(User.id, "notifications"),
        )
        .limit(BADGE_CAP)
        .correlate(User)
        .subquery()
    )
    return select(func.count()).select_from(unread).scalar_subquery().label("unread")


# The session lookup with one more column: every signed-in page gets its badge in the
# statement it already runs. Built once, bound per call like _USER_FOR_TOKEN.
_USER_AND_UNREAD = _USER_FOR_TOKEN.add_columns(_unread_column())


def user_and_unread_for_token(
    session: Session, token: str, *, kind: str
) -> tuple[User, int] | None:
    params = {"digest": token_digest(token), "kind": kind, "now": utcnow()}
    row = session.execute(_USER_AND_UNREAD, params).first()
    return (row[0], int(row[1] or 0)) if row else None


def _home_newer(user_id: int, after: int) -> tuple[ColumnElement[bool], ...]:
    """The home timeline's rule (timelines.home_timeline), for posts newer than `after`."""
    followees = select(Follow.followee_id).where(Follow.follower_id == user_id)
    mine = or_(Tweet.owner_id == user_id, Tweet.owner_id.in_(followees))
    shown = visible_to(user_id), not_muted(user_id), conversation_for(user_id)
    return mine, Tweet.id > after, *shown


def home_newer(session: Session, *, user_id: int, after: int, limit: int = 50) -> Page:
    """The home timeline's tweets newer than `after` (what "N new posts" shows), newest first."""
    query = select(Tweet).where(*_home_newer(user_id, after))
    return _page(session, query, user_id, None, limit)


def home_newer_ids(
    session: Session, *, user_id: int, after: int, limit: int = BADGE_CAP
) -> set[int]:
    """Ids of others' posts in your home timeline newer than `after` (you saw your own)."""
    query = select(Tweet.id).where(*_home_newer(user_id, after), Tweet.owner_id != user_id)
    return set(session.scalars(query.order_by(Tweet.id.desc()).limit(limit)))
