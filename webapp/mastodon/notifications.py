"""GET /api/v1/notifications (+ :id, unread_count), POST clear and :id/dismiss."""

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from sqlalchemy.orm import Session

from webapp.crud import notifications, statuses
from webapp.crud.notifications import Filters
from webapp.deps import SessionDep
from webapp.mastodon import serializers
from webapp.mastodon.deps import ReadNotifications, WriteNotifications
from webapp.mastodon.errors import MastodonRoute
from webapp.mastodon.paging import WindowDep, base_url, context, unhidden
from webapp.models import Notification, User

router = APIRouter(prefix="/api/v1/notifications", route_class=MastodonRoute)
NotificationId = Path(ge=1, le=2**62)
# Clients send arrays as `types[]=a&types[]=b`; some as plain repeated `types=a`.
_ALIASES = {"reply": "mention"}


def kinds(*values: list[str]) -> frozenset[str]:
    # An unknown type stays in: as a filter it matches nothing, as Mastodon's does.
    return frozenset(_ALIASES.get(v, v) for vs in values for v in vs)


def entities(
    session: Session, rows: Sequence[Notification], me: User, base: str
) -> list[dict[str, Any]]:
    """A page of notifications with their accounts and statuses: a fixed number of queries."""
    related = notifications.related(session, rows)
    tweets = list(related.tweets.values())
    ctx = context(session, tweets, me, base, "notifications")  # owners, counts, likes, filters
    actors = related.users.keys() - ctx.users.keys()
    ctx.users |= related.users
    ctx.stats |= statuses.account_stats(session, actors)
    # A notification about a post a `hide` filter catches is left out (issue 17).
    hidden = {tweet.id for tweet in tweets} - {tweet.id for tweet in unhidden(tweets, ctx)}
    return [
        serializers.notification(row, ctx, related.tweets.get(row.tweet_id or 0))
        for row in rows
        if row.tweet_id not in hidden
    ]


def _link(request: Request, rows: Sequence[Notification], response: Response) -> None:
    if not rows:
        return
    cursors = ("max_id", "since_id", "min_id")
    url = request.url.remove_query_params(cursors)
    older = url.include_query_params(max_id=rows[-1].id)
    newer = url.include_query_params(min_id=rows[0].id)
    response.headers["Link"] = f'<{older}>; rel="next", <{newer}>; rel="prev"'


@router.get("")
def list_notifications(
    request: Request,
    response: Response,
    session: SessionDep,
    me: ReadNotifications,
    window: WindowDep,
    types: Annotated[list[str], Query(alias="types[]")] = [],  # noqa: B006 - FastAPI copies it
    plain_types: Annotated[list[str], Query(alias="types")] = [],  # noqa: B006
    exclude_types: Annotated[list[str], Query(alias="exclude_types[]")] = [],  # noqa: B006
    plain_exclude: Annotated[list[str], Query(alias="exclude_types")] = [],  # noqa: B006
    account_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> list[dict[str, Any]]:
    filters = Filters(kinds(types, plain_types), kinds(exclude_types, plain_exclude), account_id)
    rows = notifications.list_notifications(
        session, recipient_id=me.id, window=window, filters=filters
    )
    _link(request, rows, response)
    return entities(session, rows, me, base_url(request))


@router.get("/unread_count")
def unread_count(session: SessionDep, me: ReadNotifications, limit: int = 100) -> dict[str, int]:
    limit = max(1, min(limit, notifications.UNREAD_CAP))  # Mastodon clamps, never refuses
    return {"count": notifications.unread_count(session, user_id=me.id, limit=limit)}


@router.post("/clear")
def clear(session: SessionDep, me: WriteNotifications) -> dict[str, Any]:
    notifications.clear(session, recipient_id=me.id)
    return {}


@router.get("/{notification_id}")
def get_notification(
    request: Request,
    session: SessionDep,
    me: ReadNotifications,
    notification_id: Annotated[int, NotificationId],
) -> dict[str, Any]:
    row = notifications.get_notification(
        session, recipient_id=me.id, notification_id=notification_id
    )
    return entities(session, [row], me, base_url(request))[0]


@router.post("/{notification_id}/dismiss")
def dismiss(
    session: SessionDep, me: WriteNotifications, notification_id: Annotated[int, NotificationId]
) -> dict[str, Any]:
    notifications.dismiss(session, recipient_id=me.id, notification_id=notification_id)
    return {}
