"""Who follows someone, and whom they follow (issue 16): keyset pages of accounts.

Paged by the listed account's id, newest account first, so each page is one range scan
of an index: follows(followee_id, follower_id) for followers, the primary key
(follower_id, followee_id) for following. Mastodon's max_id/since_id/min_id are those ids.
"""

from typing import Literal

from sqlalchemy import Select, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from webapp.crud.people import UserPage
from webapp.crud.statuses import Window
from webapp.crud.timelines import PAGE_SIZE
from webapp.crud.users import get_user
from webapp.models import Follow, User

Direction = Literal["followers", "following"]


def _query(user_id: int, direction: Direction) -> tuple[Select[User], InstrumentedAttribute[int]]:
    if direction == "followers":
        listed, anchor = Follow.follower_id, Follow.followee_id
    else:
        listed, anchor = Follow.followee_id, Follow.follower_id
    query = select(User).join(Follow, listed == User.id).where(anchor == user_id)
    return query, listed


def accounts(session: Session, *, user_id: int, direction: Direction, window: Window) -> list[User]:
    """A Mastodon id window of followers or followees."""
    get_user(session, user_id)
    query, listed = _query(user_id, direction)
    if window.max_id is not None:
        query = query.where(listed < window.max_id)
    if window.since_id is not None:
        query = query.where(listed > window.since_id)
    if window.min_id is not None:  # the page just newer than min_id, shown newest first
        rows = session.scalars(
            query.where(listed > window.min_id).order_by(listed.asc()).limit(window.limit)
        )
        return list(reversed(rows.all()))
    return list(session.scalars(query.order_by(listed.desc()).limit(window.limit)))


def page(
    session: Session,
    *,
    user_id: int,
    direction: Direction,
    before: int | None = None,
    limit: int = PAGE_SIZE,
) -> UserPage:
    """A web page of the list; `next_before` continues it."""
    rows = accounts(
        session, user_id=user_id, direction=direction, window=Window(max_id=before, limit=limit + 1)
    )
    shown = rows[:limit]
    return UserPage(shown, shown[-1].id if len(rows) > limit and shown else None)
