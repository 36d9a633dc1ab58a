"""Block and mute (issue 17).

Blocking someone ends the follows between you both ways (through crud.social.unfollow, so
counts, lists and anything derived from a follow stay right), refuses new follows either
way, and hides each of you from the other everywhere (webapp/crud/visibility.py). Muting
hides their posts from your listings and, unless asked otherwise, their notifications; a
mute may expire (compared when read: no job needed). Neither is ever told to the other.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    and_,
    bindparam,
    delete,
    exists,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import InstrumentedAttribute, Session

from webapp.crud.errors import DomainError
from webapp.crud.social import unfollow
from webapp.crud.statuses import Window
from webapp.crud.users import get_user
from webapp.crud.visibility import mute_active, muting
from webapp.models import Block, Follow, FollowRequest, Mute, Notification, User, utcnow

# What the web form offers (Mastodon takes any number of seconds; 0 means forever).
DURATIONS = {"0": "Forever", "3600": "1 hour", "86400": "1 day", "604800": "7 days"}
MAX_DURATION = 10 * 365 * 24 * 3600  # beyond any reason, and beyond a datetime's reach


class CannotBlockSelf(DomainError):
    message = "You cannot block or mute yourself."


class BadDuration(DomainError):
    message = "A mute lasts a whole number of seconds, 0 (forever) or more."
    field = "duration"


def _upsert(session: Session, model: type[Block] | type[Mute], values: dict[str, object]) -> None:
    """Insert, or update the row of the same pair: a repeat is harmless, never an error."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(model).values(values)
    keys = [column.name for column in model.__table__.primary_key]
    changes = {k: v for k, v in values.items() if k not in keys}
    if changes:
        session.execute(statement.on_conflict_do_update(index_elements=keys, set_=changes))
    else:
        session.execute(statement.on_conflict_do_nothing())


def _other(session: Session, me: int, other: int) -> User:
    if me == other:
        raise CannotBlockSelf()
    return get_user(session, other)


def block(session: Session, *, blocker_id: int, blocked_id: int) -> None:
    """Block someone (twice is harmless): the follows between you end, both ways."""
    _other(session, blocker_id, blocked_id)
    _upsert(session, Block, {"blocker_id": blocker_id, "blocked_id": blocked_id})
    _forget_notifications(session, blocker_id, blocked_id)
    either = or_(
        and_(FollowRequest.follower_id == blocker_id, FollowRequest.followee_id == blocked_id),
        and_(FollowRequest.follower_id == blocked_id, FollowRequest.followee_id == blocker_id),
    )
    session.execute(delete(FollowRequest).where(either))  # a request waiting either way ends
    session.commit()  # committed first: from here on, neither can follow the other again
    unfollow(session, follower_id=blocker_id, followee_id=blocked_id)
    unfollow(session, follower_id=blocked_id, followee_id=blocker_id)


def _forget_notifications(session: Session, one: int, other: int) -> None:
    """What either told the other goes, as on Mastodon: no trace of them in your list."""
    between = or_(
        and_(Notification.recipient_id == one, Notification.actor_id == other),
        and_(Notification.recipient_id == other, Notification.actor_id == one),
    )
    session.execute(delete(Notification).where(between))


def unblock(session: Session, *, blocker_id: int, blocked_id: int) -> None:
    """Unblock (harmless when there was no block). Follows that ended stay ended."""
    _other(session, blocker_id, blocked_id)
    session.execute(
        delete(Block).where(Block.blocker_id == blocker_id, Block.blocked_id == blocked_id)
    )
    session.commit()


def expiry(duration: int | None) -> datetime | None:
    """When a mute of `duration` seconds from now ends; None (or 0) is forever."""
    if duration is None or duration == 0:
        return None
    if not 0 < duration <= MAX_DURATION:
        raise BadDuration()
    return utcnow() + timedelta(seconds=duration)


def mute(
    session: Session,
    *,
    muter_id: int,
    muted_id: int,
    notifications: bool = True,
    duration: int | None = None,
) -> None:
    """Mute someone; muting again sets the new duration and notification choice."""
    expires_at = expiry(duration)
    _other(session, muter_id, muted_id)
    values = {"muter_id": muter_id, "muted_id": muted_id}
    _upsert(session, Mute, values | {"notifications": notifications, "expires_at": expires_at})
    session.commit()


def unmute(session: Session, *, muter_id: int, muted_id: int) -> None:
    _other(session, muter_id, muted_id)
    session.execute(delete(Mute).where(Mute.muter_id == muter_id, Mute.muted_id == muted_id))
    session.commit()


# --- Who you blocked or muted: keyset pages by the listed account's id, newest id first
# (as follow_lists pages followers), each a range scan of the table's primary key.


def _paged(
    session: Session,
    query: Select[*tuple[Any, ...]],
    listed: InstrumentedAttribute[int],
    window: Window,
) -> list[tuple[Any, ...]]:
    if window.max_id is not None:
        query = query.where(listed < window.max_id)
    if window.since_id is not None:
        query = query.where(listed > window.since_id)
    if window.min_id is not None:  # the page just newer than min_id, shown newest first
        rows = session.execute(
            query.where(listed > window.min_id).order_by(listed.asc()).limit(window.limit)
        )
        return [tuple(row) for row in reversed(rows.all())]
    return [
        tuple(row) for row in session.execute(query.order_by(listed.desc()).limit(window.limit))
    ]


def blocked_accounts(session: Session, *, user_id: int, window: Window) -> list[User]:
    query = select(User).join(Block, Block.blocked_id == User.id).where(Block.blocker_id == user_id)
    return [row[0] for row in _paged(session, query, Block.blocked_id, window)]


@dataclass(frozen=True)
class Muted:
    user: User
    expires_at: datetime | None
    notifications: bool


def muted_accounts(session: Session, *, user_id: int, window: Window) -> list[Muted]:
    """The people you mute now (an expired mute is no longer listed)."""
    query = (
        select(User, Mute.expires_at, Mute.notifications)
        .join(Mute, Mute.muted_id == User.id)
        .where(Mute.muter_id == user_id, mute_active())
    )
    rows = _paged(session, query, Mute.muted_id, window)
    return [Muted(user, expires, bool(quiet)) for user, expires, quiet in rows]


# --- Relationships: every flag between you and someone in one statement.


@dataclass(frozen=True)
class Relation:
    following: bool = False
    followed_by: bool = False
    blocking: bool = False
    blocked_by: bool = False
    muting: bool = False
    muting_notifications: bool = False


def _flags(
    me: int | BindParameter[int], other: int | BindParameter[int]
) -> list[ColumnElement[bool]]:
    return [
        exists().where(Follow.follower_id == me, Follow.followee_id == other),
        exists().where(Follow.follower_id == other, Follow.followee_id == me),
        exists().where(Block.blocker_id == me, Block.blocked_id == other),
        exists().where(Block.blocker_id == other, Block.blocked_id == me),
        muting(me, other),
        muting(me, other, notifications=True),
    ]


# Built once, bound per call: every profile page asks it, and its six probes cost more to
# build than to run.
_RELATION = select(
    *_flags(bindparam("me", type_=User.id.type), bindparam("other", type_=User.id.type))
)


def relation(session: Session, *, user_id: int | None, other_id: int) -> Relation:
    """How you and `other` stand: one statement (nothing at all for a visitor)."""
    if user_id is None or user_id == other_id:
        return Relation()
    row = session.execute(_RELATION, {"me": user_id, "other": other_id}).one()
    return Relation(*(bool(flag) for flag in row))


def relations(session: Session, *, user_id: int, other_ids: Iterable[int]) -> dict[int, Relation]:
    """Relations with a list of accounts (Mastodon's relationships): one statement."""
    ids = list(dict.fromkeys(other_ids))
    if not ids:
        return {}
    parts = [select(literal(other), *_flags(user_id, other)) for other in ids]
    rows = session.execute(union_all(*parts)).all()
    return {row[0]: Relation(*(bool(flag) for flag in row[1:])) for row in rows}
