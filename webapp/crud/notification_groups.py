"""Grouped notifications (Mastodon 4.3's /api/v2/notifications) over the notifications table.

A group key is computed from a row, never stored: likes or reposts of one post, or follows,
on one UTC day share a key (`favourite-<post>-<day>`, `follow-<day>`); every other kind, or a
kind the client asked not to group, is `ungrouped-<id>`. So a key parses back into a SQL
condition, and a group is read, counted or dismissed without a column or a migration.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, case, delete, func, or_, select
from sqlalchemy.orm import Session

from webapp.crud.errors import NotFound
from webapp.crud.markers import last_read_id_of
from webapp.crud.notifications import (
    GROUPED_KINDS,
    UNREAD_CAP,
    Filters,
    filtered,
    list_notifications,
)
from webapp.models import Notification

if TYPE_CHECKING:
    from webapp.crud.statuses import Window

SAMPLE_ACCOUNTS = 8  # Mastodon's sample_account_ids: a row of avatars, not everyone
GROUP_ACCOUNTS_MAX = 80


def _day(moment: datetime) -> int:
    if moment.tzinfo is None:  # SQLite hands back naive datetimes; they are UTC
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp()) // 86400


def group_key(row: Notification, grouped: frozenset[str] = GROUPED_KINDS) -> str:
    if row.kind not in grouped:
        return f"ungrouped-{row.id}"
    target = f"-{row.tweet_id}" if row.tweet_id is not None else ""
    return f"{row.kind}{target}-{_day(row.created_at)}"


def key_condition(key: str) -> ColumnElement[bool]:
    """The rows a key names; a key this server never made is NotFound."""
    kind, _, rest = key.partition("-")
    parts = rest.split("-")
    numbers = [int(p) for p in parts if p.isdigit() and len(p) < 19]
    if len(numbers) != len(parts):
        raise NotFound("Notification group not found")
    if kind == "ungrouped" and len(numbers) == 1:
        return Notification.id == numbers[0]
    expected = 1 if kind == "follow" else 2
    if kind not in GROUPED_KINDS or len(numbers) != expected or numbers[-1] > _LAST_DAY:
        raise NotFound("Notification group not found")
    start = _EPOCH + timedelta(days=numbers[-1])
    on_the_day = and_(Notification.created_at >= start, Notification.created_at < start + _ONE_DAY)
    target = numbers[0] if kind != "follow" else None
    tweet = Notification.tweet_id.is_(None) if target is None else Notification.tweet_id == target
    return and_(Notification.kind == kind, tweet, on_the_day)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_LAST_DAY = 2_900_000  # the year 9909: past it a datetime overflows
_ONE_DAY = timedelta(days=1)


@dataclass
class Group:
    key: str
    kind: str
    tweet_id: int | None
    page_max_id: int
    page_min_id: int
    latest_at: datetime
    actor_ids: list[int] = field(default_factory=list)
    count: int = 1
    most_recent_id: int = 0


def assemble(rows: Iterable[Notification], grouped: frozenset[str]) -> list[Group]:
    """Rows (newest first) into groups, each where its newest row is, with its page range."""
    groups: dict[str, Group] = {}
    for row in rows:
        key = group_key(row, grouped)
        found = groups.get(key)
        if found is None:
            found = groups[key] = Group(key, row.kind, row.tweet_id, row.id, row.id, row.created_at)
            found.most_recent_id = row.id
        found.page_min_id = row.id
        if row.actor_id not in found.actor_ids and len(found.actor_ids) < SAMPLE_ACCOUNTS:
            found.actor_ids.append(row.actor_id)
    return list(groups.values())


def count_groups(session: Session, *, recipient_id: int, groups: Sequence[Group]) -> None:
    """Each group's whole size and newest id, past this page too: one GROUP BY for a page."""
    real = {g.key: g for g in groups if not g.key.startswith("ungrouped-")}
    if not real:
        return
    label = case(*[(key_condition(key), key) for key in real]).label("key")
    query = (
        select(label, func.count(), func.max(Notification.id))
        .where(Notification.recipient_id == recipient_id)
        .where(or_(*[key_condition(key) for key in real]))
        .group_by(label)
    )
    for key, count, newest in session.execute(query):
        real[key].count, real[key].most_recent_id = count, newest


def list_groups(
    session: Session,
    *,
    recipient_id: int,
    window: "Window",
    filters: Filters = Filters(),
    grouped: frozenset[str] = GROUPED_KINDS,
) -> tuple[list[Notification], list[Group]]:
    """A page of notifications (paged by notification id, as Mastodon's Link header is), as
    groups. Returns the rows too: they carry the actors and posts to show."""
    rows = list_notifications(session, recipient_id=recipient_id, window=window, filters=filters)
    groups = assemble(rows, grouped)
    count_groups(session, recipient_id=recipient_id, groups=groups)
    return rows, groups


def get_group(
    session: Session, *, recipient_id: int, key: str, limit: int = SAMPLE_ACCOUNTS
) -> tuple[list[Notification], Group]:
    """One group by its key, with its newest `limit` rows."""
    query = select(Notification).where(
        Notification.recipient_id == recipient_id, key_condition(key)
    )
    rows = list(session.scalars(query.order_by(Notification.id.desc()).limit(limit)))
    if not rows:
        raise NotFound("Notification group not found")
    group = assemble(rows, GROUPED_KINDS if not key.startswith("ungrouped-") else frozenset())[0]
    count_groups(session, recipient_id=recipient_id, groups=[group])
    return rows, group


def dismiss_group(session: Session, *, recipient_id: int, key: str) -> None:
    condition = key_condition(key)
    session.execute(
        delete(Notification).where(Notification.recipient_id == recipient_id, condition)
    )
    session.commit()


def unread_groups(
    session: Session,
    *,
    user_id: int,
    limit: int,
    filters: Filters = Filters(),
    grouped: frozenset[str] = GROUPED_KINDS,
) -> int:
    """How many groups have a notification past the read marker, counting at most `limit`;
    one query over at most UNREAD_CAP rows."""
    query = filtered(user_id, filters).where(
        Notification.id > last_read_id_of(user_id, "notifications")
    )
    rows = session.scalars(query.order_by(Notification.id.desc()).limit(UNREAD_CAP))
    return min(len({group_key(row, grouped) for row in rows}), limit)
