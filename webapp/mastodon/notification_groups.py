"""Grouped notifications, Mastodon 4.3: GET /api/v2/notifications (+ :group_key, its
accounts, unread_count) and POST :group_key/dismiss. The groups come from
webapp/crud/notification_groups.py; the accounts and posts they name are loaded once per page."""

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from sqlalchemy.orm import Session

from webapp.crud import notification_groups as groups_crud
from webapp.crud import notifications, statuses
from webapp.crud.notification_groups import Group
from webapp.crud.notifications import GROUPED_KINDS, Filters
from webapp.crud.statuses import AccountStats, Window
from webapp.deps import SessionDep
from webapp.mastodon import serializers
from webapp.mastodon.deps import ReadNotifications, WriteNotifications
from webapp.mastodon.errors import MastodonRoute
from webapp.mastodon.notifications import kinds
from webapp.mastodon.paging import Id, base_url, context, link_header
from webapp.models import Notification, User

router = APIRouter(prefix="/api/v2/notifications", route_class=MastodonRoute)
GroupKey = Annotated[str, Path(max_length=64)]


def window(max_id: Id = None, since_id: Id = None, min_id: Id = None, limit: int = 40) -> Window:
    """v2's page is bigger than v1's: 40 by default, at most 80 (clamped, as Mastodon does)."""
    return Window(max_id, since_id, min_id, max(1, min(limit, 80)))


def filters(
    types: Annotated[list[str], Query(alias="types[]")] = [],  # noqa: B006 - FastAPI copies it
    plain_types: Annotated[list[str], Query(alias="types")] = [],  # noqa: B006
    exclude_types: Annotated[list[str], Query(alias="exclude_types[]")] = [],  # noqa: B006
    plain_exclude: Annotated[list[str], Query(alias="exclude_types")] = [],  # noqa: B006
    account_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> Filters:
    return Filters(kinds(types, plain_types), kinds(exclude_types, plain_exclude), account_id)


def grouped_types(
    listed: Annotated[list[str] | None, Query(alias="grouped_types[]")] = None,
    plain: Annotated[list[str] | None, Query(alias="grouped_types")] = None,
) -> frozenset[str]:
    """Which kinds the client can show grouped: by default all those the server groups."""
    if listed is None and plain is None:
        return GROUPED_KINDS
    return GROUPED_KINDS & frozenset([*(listed or []), *(plain or [])])


FiltersDep = Annotated[Filters, Depends(filters)]
GroupedDep = Annotated[frozenset[str], Depends(grouped_types)]


def group_entity(group: Group, *, page: bool) -> dict[str, Any]:
    entity: dict[str, Any] = {
        "group_key": group.key,
        "notifications_count": group.count,
        "type": group.kind,
        "most_recent_notification_id": str(group.most_recent_id),
        "sample_account_ids": [str(i) for i in group.actor_ids],
    }
    if page:  # Mastodon names the page's range only when paging
        entity["page_min_id"] = str(group.page_min_id)
        entity["page_max_id"] = str(group.page_max_id)
        entity["latest_page_notification_at"] = serializers.rfc3339(group.latest_at)
    if group.tweet_id is not None:
        entity["status_id"] = str(group.tweet_id)
    return entity


def results(
    session: Session, rows: Sequence[Notification], groups: Sequence[Group], me: User, base: str
) -> dict[str, Any]:
    """The groups, and each account and post they name once: a fixed number of queries."""
    related = notifications.related(session, rows)
    tweets = list(related.tweets.values())
    ctx = context(session, tweets, me, base)
    actors = {i for g in groups for i in g.actor_ids}
    ctx.stats |= statuses.account_stats(session, actors - ctx.stats.keys())
    return {
        "accounts": [
            serializers.account(related.users[i], ctx.stats.get(i, AccountStats()), base)
            for i in sorted(actors)
            if i in related.users
        ],
        "statuses": [serializers.status(tweet, ctx) for tweet in tweets],
        "notification_groups": [group_entity(g, page=True) for g in groups],
    }


@router.get("")
def list_groups(
    request: Request,
    response: Response,
    session: SessionDep,
    me: ReadNotifications,
    page: Annotated[Window, Depends(window)],
    chosen: FiltersDep,
    grouped: GroupedDep,
) -> dict[str, Any]:
    rows, groups = groups_crud.list_groups(
        session, recipient_id=me.id, window=page, filters=chosen, grouped=grouped
    )
    link_header(request, rows, response)
    return results(session, rows, groups, me, base_url(request))


@router.get("/unread_count")
def unread_count(
    session: SessionDep,
    me: ReadNotifications,
    chosen: FiltersDep,
    grouped: GroupedDep,
    limit: int = 100,
) -> dict[str, int]:
    limit = max(1, min(limit, notifications.UNREAD_CAP))  # Mastodon clamps, never refuses
    count = groups_crud.unread_groups(
        session, user_id=me.id, limit=limit, filters=chosen, grouped=grouped
    )
    return {"count": count}


@router.get("/{group_key}")
def get_group(
    request: Request, session: SessionDep, me: ReadNotifications, group_key: GroupKey
) -> dict[str, Any]:
    rows, group = groups_crud.get_group(session, recipient_id=me.id, key=group_key)
    body = results(session, rows, [group], me, base_url(request))
    body["notification_groups"] = [group_entity(group, page=False)]
    return body


@router.get("/{group_key}/accounts")
def group_accounts(
    request: Request, session: SessionDep, me: ReadNotifications, group_key: GroupKey
) -> list[dict[str, Any]]:
    """Everyone in the group, newest first (the newest 80: a row of avatars, not a census)."""
    rows, _ = groups_crud.get_group(
        session, recipient_id=me.id, key=group_key, limit=groups_crud.GROUP_ACCOUNTS_MAX
    )
    actor_ids = list(dict.fromkeys(row.actor_id for row in rows))
    users = statuses.users_by_id(session, actor_ids)
    stats = statuses.account_stats(session, actor_ids)
    base = base_url(request)
    return [
        serializers.account(users[i], stats.get(i, AccountStats()), base)
        for i in actor_ids
        if i in users
    ]


@router.post("/{group_key}/dismiss")
def dismiss(session: SessionDep, me: WriteNotifications, group_key: GroupKey) -> dict[str, Any]:
    groups_crud.dismiss_group(session, recipient_id=me.id, key=group_key)
    return {}
