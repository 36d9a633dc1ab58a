"""Notifications: one row per cause, written in the cause's own transaction.

`notify` is what a new kind plugs into (a reply, mention, reblog or quote is one call);
`unnotify` undoes it when the cause is undone. A deleted tweet takes its notifications with
it (ON DELETE CASCADE). The read marker is Mastodon's `notifications` marker.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from webapp import events, jobs
from webapp.crud import push
from webapp.crud.errors import NotFound
from webapp.crud.markers import last_read_id, last_read_id_of, set_marker
from webapp.crud.visibility import blocked_between, muting
from webapp.models import NOTIFICATION_KINDS, Notification, Tweet, User

if TYPE_CHECKING:  # crud.statuses imports crud.social, which imports this module
    from webapp.crud.statuses import Window


def notify(
    session: Session, *, recipient_id: int, actor_id: int, kind: str, tweet_id: int | None = None
) -> int | None:
    """Record that `actor` did `kind` to `recipient`; the caller commits. Returns the new id,
    or None when there is nothing new to say: your own action, or the same cause again."""
    if recipient_id == actor_id:
        return None
    if kind not in NOTIFICATION_KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    if session.scalar(select(unwanted(recipient_id, actor_id))):
        return None  # a block either way, or a mute of their notifications (issue 17)
    values = {
        "recipient_id": recipient_id,
        "actor_id": actor_id,
        "kind": kind,
        "tweet_id": tweet_id,
    }
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    # ON CONFLICT DO NOTHING: the unique keys, not a prior read, make a repeat a no-op.
    statement = insert(Notification).values(values).on_conflict_do_nothing()
    new_id = session.scalar(statement.returning(Notification.id))
    if new_id is not None:
        events.emit(session, {"type": "notification", "recipient_id": recipient_id, "id": new_id})
        if push.has_subscriptions(session, recipient_id):  # Web Push, after the commit
            jobs.defer_web_push(session, new_id)
    return new_id


def unnotify(
    session: Session, *, recipient_id: int, actor_id: int, kind: str, tweet_id: int | None = None
) -> None:
    """The cause was undone (unlike, unfollow): its notification goes too. The caller commits."""
    tweet = (
        Notification.tweet_id.is_(None) if tweet_id is None else Notification.tweet_id == tweet_id
    )
    session.execute(
        delete(Notification).where(
            Notification.recipient_id == recipient_id,
            Notification.actor_id == actor_id,
            Notification.kind == kind,
            tweet,
        )
    )


def unwanted(recipient_id: int, actor: Any) -> ColumnElement[bool]:
    """Nothing from someone blocked either way, nor from someone muted with notifications."""
    return or_(
        blocked_between(recipient_id, actor), muting(recipient_id, actor, notifications=True)
    )


@dataclass(frozen=True)
class Filters:
    types: frozenset[str] = frozenset()
    exclude_types: frozenset[str] = frozenset()
    account_id: int | None = None


def filtered(recipient_id: int, filters: Filters) -> Select[Notification]:
    query = select(Notification).where(
        Notification.recipient_id == recipient_id, ~unwanted(recipient_id, Notification.actor_id)
    )
    if filters.types:
        query = query.where(Notification.kind.in_(filters.types))
    if filters.exclude_types:
        query = query.where(Notification.kind.not_in(filters.exclude_types))
    if filters.account_id is not None:
        query = query.where(Notification.actor_id == filters.account_id)
    return query


def list_notifications(
    session: Session, *, recipient_id: int, window: "Window", filters: Filters = Filters()
) -> list[Notification]:
    """Newest first, keyset by id (max_id older, since_id/min_id newer)."""
    query = filtered(recipient_id, filters)
    if window.max_id is not None:
        query = query.where(Notification.id < window.max_id)
    if window.since_id is not None:
        query = query.where(Notification.id > window.since_id)
    if window.min_id is not None:  # the oldest `limit` newer than min_id, shown newest first
        query = query.where(Notification.id > window.min_id).order_by(Notification.id.asc())
        return list(reversed(session.scalars(query.limit(window.limit)).all()))
    return list(session.scalars(query.order_by(Notification.id.desc()).limit(window.limit)))


def get_notification(session: Session, *, recipient_id: int, notification_id: int) -> Notification:
    row = session.get(Notification, notification_id)
    if row is None or row.recipient_id != recipient_id:  # someone else's is as good as absent
        raise NotFound("Notification not found")
    return row


def dismiss(session: Session, *, recipient_id: int, notification_id: int) -> None:
    get_notification(session, recipient_id=recipient_id, notification_id=notification_id)
    session.execute(delete(Notification).where(Notification.id == notification_id))
    session.commit()


def clear(session: Session, *, recipient_id: int) -> None:
    session.execute(delete(Notification).where(Notification.recipient_id == recipient_id))
    session.commit()


UNREAD_CAP = 1000  # Mastodon's unread_count limit: past it, "1000" is all anyone needs


def unread_count(session: Session, *, user_id: int, limit: int = UNREAD_CAP) -> int:
    """How many arrived after the read marker, counting at most `limit` (an index range)."""
    query = select(Notification.id).where(
        Notification.recipient_id == user_id,
        Notification.id > last_read_id_of(user_id, "notifications"),
    )
    return session.scalar(select(func.count()).select_from(query.limit(limit).subquery())) or 0


def mark_read(session: Session, *, user_id: int) -> None:
    """Opening the notifications page: everything up to the newest is read."""
    newest = session.scalar(
        select(func.max(Notification.id)).where(Notification.recipient_id == user_id)
    )
    if newest is not None and newest > last_read_id(
        session, user_id=user_id, timeline="notifications"
    ):
        set_marker(session, user_id=user_id, timeline="notifications", last_read_id=newest)


# --- What a page shows: rows grouped the way people read them ---

GROUPED_KINDS = frozenset({"favourite", "reblog", "follow"})


@dataclass
class Group:
    """ "Ada and 3 others liked your post": one kind, one tweet (or none), several actors."""

    kind: str
    tweet_id: int | None
    newest_id: int
    created_at: datetime
    actor_ids: list[int] = field(default_factory=list)
    unread: bool = False


def group(rows: Iterable[Notification], *, last_read: int = 0) -> list[Group]:
    """Likes and reposts of one tweet, and follows, are gathered within the page; a mention
    or quote stays on its own (each is a different post to read)."""
    groups: list[Group] = []
    by_key: dict[tuple[str, int | None], Group] = {}
    for row in rows:
        key = (row.kind, row.tweet_id) if row.kind in GROUPED_KINDS else None
        found = by_key.get(key) if key else None
        if found is None:
            found = Group(row.kind, row.tweet_id, row.id, row.created_at)
            groups.append(found)
            if key:
                by_key[key] = found
        if row.actor_id not in found.actor_ids:
            found.actor_ids.append(row.actor_id)
        found.unread = found.unread or row.id > last_read
    return groups


@dataclass(frozen=True)
class Related:
    users: dict[int, User]
    tweets: dict[int, Tweet]


def related(session: Session, rows: Sequence[Notification]) -> Related:
    """The actors and tweets a page of notifications names: two queries for any page."""
    user_ids = {row.actor_id for row in rows}
    tweet_ids = {row.tweet_id for row in rows if row.tweet_id is not None}
    users = session.scalars(select(User).where(User.id.in_(user_ids))).all() if user_ids else ()
    tweets = (
        session.scalars(select(Tweet).where(Tweet.id.in_(tweet_ids))).all() if tweet_ids else ()
    )
    return Related({u.id: u for u in users}, {t.id: t for t in tweets})
